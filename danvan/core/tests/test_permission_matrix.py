"""The permission matrix (`danvan.core.testing.matrix`): every URL × every role × own and another unit.

Each module lists its URLs in `danvan/<app>/tests/matrix.py` (`register(matrix)`). For each entry,
with the shared tree (one user per role at STP, the bloc administrator at DUK, a user with no role):

- the anonymous get the sign-in page (pages) or 401/403 (API);
- a role holding the entry's right gets 200 on its own unit's record (showing the record's marker);
- a role lacking it gets 403, or 404 when it may not even see the record;
- another unit's record (SYT, a sibling subtree) and one of the unit above (DUK) answer 404 to every
  STP role — never 200, never their marker on a list;
- the bloc administrator at the root reads both;
- write-only pages (`core.http.post_only`) answer GET with a redirect to the page holding their form or
  an explanation (302/200, never the record, never a blank 405); write-only API endpoints with 405
  (or 403/404 first);
- and none of these GETs writes a row.

A URL neither in the matrix nor exempted with a reason fails `test_every_url_is_placed`.
"""

import importlib
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import path, reverse

from conftest import world_personas, world_tree
from danvan.accounts.models import Role
from danvan.accounts.policy import GRANTS
from danvan.core.testing.matrix import LISTING, WRITE_ONLY, Matrix, holds, routes, unplaced


def _collect() -> Matrix:
    matrix = Matrix()
    for config in apps.get_app_configs():
        if not config.name.startswith("danvan."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.tests.matrix" and missing.name != f"{config.name}.tests":
                raise
            continue
        module.register(matrix)
    return matrix


MATRIX = _collect()
ROUTES = routes()
ROLES = list(Role.values)
LOGIN = reverse(settings.LOGIN_URL)
ANONYMOUS_API = {401, 403}
REFUSED = {403, 404}
POST_ONLY_GET = {200, 302}  # core.http.post_only: the page with the form, or a page saying why


@pytest.fixture
def tree(module_world, db):
    """The shared tree, made once for the module (each test reads it through its own savepoint)."""
    return world_tree(module_world)


@pytest.fixture
def personas(module_world, tree):
    return world_personas(module_world)


def test_every_url_is_placed():
    missing, stale = unplaced(MATRIX)
    assert not missing, (
        "URLs neither in the permission matrix nor exempted: add them to danvan/<app>/tests/matrix.py "
        f"(matrix.read/listing/write_only, or matrix.exempt with the reason): {missing}"
    )
    assert not stale, f"names in the permission matrix that are no URL any more: {stale}"


def test_the_helper_finds_the_api_and_the_pages():
    assert ROUTES["orgs:unit_detail"].kwargs == ("code",) and not ROUTES["orgs:unit_detail"].api
    assert ROUTES["unit-detail"].api and ROUTES["unit-detail"].kwargs == ("code",)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        # Read to the end, the test client closes the response (a second close would fire
        # request_finished again and close the database connection: PostgreSQL then fails the next query).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def _rows() -> dict[str, int]:
    """The number of rows of each table of the project's models, read twice a test: one query for up to
    200 tables (SQLite allows 500 terms in a UNION), not one a model."""
    models = [model for model in apps.get_models() if model.__module__.startswith("danvan.")]
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(models), 200):
            chunk = models[start : start + 200]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, COUNT(*) FROM {quote(model._meta.db_table)}" for model in chunk
                ),
                [model._meta.label for model in chunk],
            )
            counts.update(cursor.fetchall())
    return counts


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT="text/html,application/json")
    if user is not None:
        client.force_login(user)
    return client


def _expected(entry, grants, *, own: bool, api: bool = False) -> set[int]:
    """What a user of STP holding `grants` gets for the entry's record in its own unit or another."""
    held = holds(grants, entry.perm) and not entry.root
    ok = set(entry.ok)
    if entry.kind == WRITE_ONLY:
        if not api:
            return POST_ONLY_GET
        return {405} if (own and held) else REFUSED | {405}
    if entry.see is not None and holds(grants, entry.see):
        lacking = {403}
    elif entry.lacking is not None:
        lacking = set(entry.lacking)
    else:  # a list may also answer with nothing in it
        lacking = REFUSED | {200} if entry.kind == LISTING else REFUSED
    if entry.kind == LISTING:
        return ok if held else lacking
    if own or entry.shared:
        return ok if held else lacking
    return set(entry.foreign) if held else REFUSED | set(entry.lacking or ())


@pytest.mark.parametrize("name", sorted(MATRIX.entries))
def test_matrix(name, tree, personas):
    entry = MATRIX.entries[name]
    route = ROUTES[name]
    world = SimpleNamespace(tree=tree, personas=personas, own=tree.stp, foreign=tree.syt)
    own = entry.made(world, tree.stp)
    other = own if entry.shared or entry.make is None else entry.made(world, tree.syt)

    def url(made):
        path = reverse(name, kwargs=made.kwargs if route.takes_record else None)
        return f"{path}?{urlencode(made.query)}" if made.query else path

    urls = {True: url(own), False: url(other)}
    # A record of the unit above (the root) is out of reach of STP's roles, like another unit's.
    higher = None
    if entry.above and entry.make is not None and entry.kind != LISTING and not entry.shared:
        higher = entry.made(world, tree.root)
        urls["above"] = url(higher)
    if entry.kind != LISTING and (route.takes_record or own.query) and not entry.shared:
        assert urls[True] != urls[False], f"{name}: the factory made the same record in both units"
    people = [(role, GRANTS[role], personas[role]) for role in ROLES]
    people.append(("nobody", frozenset(), personas["nobody"]))
    clients = [(who, grants, _client(user)) for who, grants, user in people]
    admin = _client(personas["admin"])
    before = _rows()
    problems = []

    def check(who, url, response, allowed, *, shows=(), hides=()):
        if response.status_code not in allowed:
            said = _body(response)[:200] if response.status_code == 400 else ""
            problems.append(f"{who} GET {url}: {response.status_code}, expected {sorted(allowed)} {said}")
            return
        shows, hides = [m for m in shows if m], [m for m in hides if m]
        if response.status_code == 200 and (shows or hides):
            body = _body(response)
            problems.extend(f"{who} GET {url}: 200 without the record {m!r}" for m in shows if m not in body)
            problems.extend(f"{who} GET {url}: 200 showing the record {m!r}" for m in hides if m in body)

    # The anonymous: the sign-in page, or 401/403 from the API.
    for url in set(urls.values()):
        response = Client().get(url)
        if route.api:
            check("anonymous", url, response, ANONYMOUS_API)
        elif response.status_code != 302 or not response["Location"].startswith(LOGIN):
            problems.append(f"anonymous GET {url}: {response.status_code}, expected the sign-in page")

    foreign_marker = other.marker if other is not own else None
    out_of_reach = [foreign_marker, higher.marker if higher else None]
    places = [(True, own.marker)]
    if entry.kind != LISTING and urls[False] != urls[True]:
        places.append((False, foreign_marker))
    if higher is not None:
        places.append(("above", higher.marker))
    for who, grants, client in clients:
        held = holds(grants, entry.perm) and not entry.root
        for place, marker in places:
            is_own = place is True
            allowed = _expected(entry, grants, own=is_own, api=route.api)
            shows = [marker] if is_own and held and entry.kind != WRITE_ONLY else []
            hides = out_of_reach + ([] if held else [own.marker])
            check(who, urls[place], client.get(urls[place]), allowed, shows=shows, hides=hides)

    # The bloc administrator at the root reads every one of them.
    admin_allowed = set(entry.ok)
    if entry.kind == WRITE_ONLY:
        admin_allowed = {405} if route.api else POST_ONLY_GET
    if entry.kind == LISTING:
        check("admin", urls[True], admin.get(urls[True]), admin_allowed, shows=[own.marker, foreign_marker])
    else:
        for place, marker in places:
            shown = [marker] if entry.kind != WRITE_ONLY else []
            check("admin", urls[place], admin.get(urls[place]), admin_allowed, shows=shown)

    after = _rows()
    for label in entry.writes:
        after[label] = before[label]
    assert after == before, f"{name}: a GET wrote rows"
    assert not problems, f"{name}:\n" + "\n".join(problems)


def _page(request, **kwargs):  # pragma: no cover - never called: only resolved
    raise AssertionError


# A small URL configuration of its own, to show the helper at work (`routes(__name__)`).
urlpatterns = [
    path("known/<int:pk>/", _page, name="known"),
    path("public/", _page, name="public"),
    path("new/<str:code>/", _page, name="new"),
]


def test_a_url_that_is_neither_registered_nor_exempted_is_reported():
    matrix = Matrix()
    matrix.read("known", perm=None, make=lambda world, unit: {"pk": 1})
    matrix.exempt("public", "for everyone")
    matrix.exempt("gone", "a page since removed")
    assert unplaced(matrix, __name__) == (["new"], ["gone"])
    assert routes(__name__)["new"].kwargs == ("code",)
