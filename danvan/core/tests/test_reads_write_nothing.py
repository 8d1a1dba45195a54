"""No GET writes: every page and endpoint of the permission matrix, read by a few roles, sends no
INSERT, UPDATE or DELETE to the database, also when asked for a period long past or far ahead.

The row counts of `test_permission_matrix` miss an UPDATE and a row added then removed; this test
watches the statements themselves (`CaptureQueriesContext`). Each URL is read as its factory makes it,
then with every period in it (a period code or a year, in the path or the query string) moved to 1991
and to 2099, or, when it names none, with `?period=…&year=…` added (pages that take a period from the
query string read it there). Periods are prepared only by explicit actions and scheduled jobs: a read
of a period that is not prepared answers with an explanation, never by preparing it.

The only writes a GET may make are the access records that are the point of the request, declared
by the URL's matrix entry (`writes=`, with its reason there: an export's audit event, the log of who
saw a citizen's identity), and only appended (INSERT); and a cache kept in the database (ALLOWED).
"""

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import world_personas, world_tree
from danvan.core.testing.matrix import routes
from danvan.core.tests.test_permission_matrix import MATRIX

ROUTES = routes()
#: Who reads: the bloc administrator at the root (sees everything), a viewer and a reporter of STP.
READERS = ("admin", "viewer", "reporter")
FAR = (1991, 2099)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b", re.IGNORECASE)
TABLE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?', re.I
)
PERIOD_CODE = re.compile(r"^([0-9]{4})(S[12]|Q[1-4]|0[1-9]|1[0-2]|RY|RS[12])?$", re.IGNORECASE)


def _cache_tables() -> dict[str, str]:
    tables = {}
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("DatabaseCache"):
            tables[cache["LOCATION"]] = "the database cache (settings.CACHES): computed values, no record"
    return tables


#: Tables any GET may write, and why: none of the product's records, only a cache kept in the
#: database when the installation is set up so (a shared cache for several app servers). The
#: session is not here: a GET neither saves nor refreshes it (signing in is a POST).
ALLOWED: dict[str, str] = {**_cache_tables()}


def _table_of(label: str) -> str:
    return apps.get_model(label)._meta.db_table


@pytest.fixture
def tree(module_world, db):
    return world_tree(module_world)


@pytest.fixture
def personas(module_world, tree):
    return world_personas(module_world)


def _moved(value: str, year: int) -> str:
    found = PERIOD_CODE.match(value.strip())
    return f"{year}{(found.group(2) or '').upper()}" if found else value


def _is_period(key: str) -> bool:
    return "period" in key or key == "year"


def _urls(name: str, made) -> list[str]:
    """The URL as the factory made it, then with its periods far in the past and far ahead."""
    route = ROUTES[name]

    def url(kwargs, query):
        path = reverse(name, kwargs=kwargs if route.takes_record else None)
        return f"{path}?{urlencode(query)}" if query else path

    found = [url(made.kwargs, made.query)]
    named = any(_is_period(key) for key in (*made.kwargs, *made.query))
    for year in FAR:
        if named:
            kwargs = {k: _moved(str(v), year) if _is_period(k) else v for k, v in made.kwargs.items()}
            query = {k: _moved(str(v), year) if _is_period(k) else v for k, v in made.query.items()}
        else:
            kwargs, query = made.kwargs, {**made.query, "period": f"{year}S1", "year": str(year)}
        found.append(url(kwargs, query))
    return found


def _writes(captured, appended: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(table, statement) of each write among the captured queries, but those to a table of ALLOWED
    and the rows appended (INSERT) to a table of `appended`."""
    found = []
    for query in captured:
        sql = query["sql"]
        verb = WRITE.match(sql)
        if not verb:
            continue
        named = TABLE.match(sql)
        table = named.group(1).lower() if named else "?"
        if table in ALLOWED or (table in appended and verb.group(1).upper() == "INSERT"):
            continue
        found.append((table, sql[:300]))
    return found


def _read_fully(response) -> None:
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@pytest.mark.parametrize("name", sorted(MATRIX.entries))
def test_no_get_writes(name, tree, personas):
    entry = MATRIX.entries[name]
    world = SimpleNamespace(tree=tree, personas=personas, own=tree.stp, foreign=tree.syt)
    made = entry.made(world, tree.stp)
    appended = frozenset(_table_of(label) for label in entry.writes)
    problems = []
    for who in READERS:
        client = Client(HTTP_ACCEPT="text/html,application/json")
        client.force_login(personas[who])
        for url in _urls(name, made):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                _read_fully(response)
            if response.status_code >= 500:
                problems.append(f"{who} GET {url}: {response.status_code}")
            problems.extend(
                f"{who} GET {url} ({response.status_code}) wrote {table}: {sql}"
                for table, sql in _writes(captured.captured_queries, appended)
            )
    assert not problems, f"{name}:\n" + "\n".join(problems)


#: The URLs outside the matrix (public, signing in, …) that answer GET, with arguments to read them by;
#: those only POSTed to (the language switch, signing out) are left out.
PUBLIC = {
    "accounts:login": ({}, {}),
    "accounts:password_reset": ({}, {}),
    "accounts:password_reset_done": ({}, {}),
    "accounts:password_reset_complete": ({}, {}),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "set-password"}, {}),
    "api-schema": ({}, {}),
    "api-docs": ({}, {}),
    "healthz": ({}, {}),
    "portal:home": ({}, {}),
    "portal:choose_unit": ({}, {}),
    "portal:send": ({"code": "STP"}, {}),
    "portal:track": ({}, {"code": "DV-2026-000001", "phone": "0912345678"}),
    "open311-services": ({"fmt": "json"}, {}),
    "open311-service": ({"fmt": "json", "code": "NO-SUCH"}, {}),
    "open311-requests": ({"fmt": "json"}, {"start_date": "1991-01-01T00:00:00Z"}),
    "open311-request": ({"fmt": "json", "request_id": "DV-2026-000001"}, {}),
    "quizzes:attempt": ({"pk": 999999}, {}),
    "accounts:token_revoke": ({"pk": 999999}, {}),
    "accounts:otp_verify": ({}, {}),
    "accounts:otp_enrol": ({}, {}),
}


def test_every_public_url_answering_get_is_read():
    from danvan.core.tests.test_permission_matrix import MATRIX as placed

    assert set(PUBLIC) == set(placed.exempted) - {"set_language", "accounts:logout"}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_no_public_get_writes(name, tree, personas):
    kwargs, query = PUBLIC[name]
    url = reverse(name, kwargs=kwargs or None)
    url = f"{url}?{urlencode(query)}" if query else url
    signed_in = Client()
    signed_in.force_login(personas["admin"])
    problems = []
    for who, client in (("anonymous", Client()), ("admin", signed_in)):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, secure=True)
            _read_fully(response)
        if response.status_code >= 500:
            problems.append(f"{who} GET {url}: {response.status_code}")
        problems.extend(
            f"{who} GET {url} ({response.status_code}) wrote {table}: {sql}"
            for table, sql in _writes(captured.captured_queries)
        )
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_guard_sees_a_write():
    """The statements this test looks for are the ones the database receives for a write."""
    from danvan.reports.models import ReportingCalendar

    with CaptureQueriesContext(connection) as captured:
        # The calendar is one row (id 1), which the database may already hold: a row of its own.
        ReportingCalendar.objects.create(pk=2, start_day=15, start_month=12)
        ReportingCalendar.objects.update(start_day=1)
        ReportingCalendar.objects.all().delete()
        ReportingCalendar.objects.count()
    table = ReportingCalendar._meta.db_table
    assert [found for found, _sql in _writes(captured.captured_queries)] == [table, table, table]
    # A table a URL may append to: its INSERT passes, its UPDATE and DELETE do not.
    assert len(_writes(captured.captured_queries, frozenset({table}))) == 2


def test_far_periods_are_asked_for():
    from danvan.core.testing.matrix import Made

    urls = _urls("reports:grid", Made({"form_code": "BC-DV-6T", "unit_code": "STP", "period_code": "2026S1"}))
    assert [url.rstrip("/").rsplit("/", 1)[-1] for url in urls] == ["2026S1", "1991S1", "2099S1"]
    dashboard = _urls("reports:dashboard", Made({}))
    assert "period=1991S1" in dashboard[1] and "year=2099" in dashboard[2]
