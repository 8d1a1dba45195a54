"""Shared fixtures: a small tree and one persona per role.

The tree (all from 01/01/2020):

    DUK  Đảng ủy Khối các cơ quan tỉnh (bloc)
    ├── STP  Đảng ủy Sở Tư pháp (grassroots, admin_agency)
    │   ├── STP-CB1  Chi bộ 1 (cell)
    │   └── STP-CB2  Chi bộ 2 (cell)
    └── SYT  Đảng ủy Sở Y tế (grassroots, public_service_unit)
        └── SYT-CB1  Chi bộ Văn phòng (cell)

Personas: `admin` is bloc administrator at DUK; each role in Role has a user holding it at STP
(`personas["viewer"]` …); `outsider` is a mobilisation officer at SYT.
"""

import datetime
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.test import Client

from danvan.core.testing.browser import browser  # noqa: F401 - the Chromium fixture of the browser tests

D2020 = datetime.date(2020, 1, 1)
_IDENTITY_KEY = Fernet.generate_key().decode()  # one per test run; tests of rotation set their own


def _worker_cache(worker_id: str) -> dict | None:
    """Under pytest-xdist with Redis (REDIS_URL), each worker its own Redis database: tests clear the
    cache (the portal's rate counters), and FLUSHDB must not reach another worker's counters. Worker
    gwN uses the database N below the configured one (15, 14, … for CI's /15)."""
    from django.conf import settings

    default = settings.CACHES["default"]
    if worker_id in ("master", "gw0") or default["BACKEND"] != "danvan.core.cache.FailoverCache":
        return None
    base, _, number = default["LOCATION"].rpartition("/")
    index = int(worker_id.removeprefix("gw"))
    return {"default": {**default, "LOCATION": f"{base}/{(int(number or 0) - index) % 16}"}}


@pytest.fixture(scope="session")
def _cache_of_this_worker(worker_id):
    from django.conf import settings

    if settings.CACHES["default"]["BACKEND"] == "danvan.core.cache.DatabaseCache":
        # The embedded default's shared cache lives in the database: tests keep the cache in memory, so
        # that a test without the database may still use it and query counts count the pages' own
        # queries (as with Redis). Tests of the shared cache itself ask for `database_cache`.
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return _worker_cache(worker_id)


@pytest.fixture
def running_redis() -> str:
    """The URL of the machine's Redis (CI starts one; never skipped): this test process's own database
    when the suite runs on Redis (other xdist workers flush theirs), else database 11."""
    from django.conf import settings

    default = settings.CACHES["default"]
    if default["BACKEND"] == "danvan.core.cache.FailoverCache":
        return default["LOCATION"]
    return "redis://127.0.0.1:6379/11"


@pytest.fixture
def database_cache(settings):
    """The embedded default's shared cache (the `danvan_cache` table), as an installation without Redis has."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "danvan.core.cache.DatabaseCache", "LOCATION": "danvan_cache"}}
    cache.clear()
    yield cache


@pytest.fixture(scope="session")
def identity_keys() -> list[str]:
    """The identity keys every test runs under (for data loaded outside a test, as the journeys' demo)."""
    return [_IDENTITY_KEY]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, _cache_of_this_worker):
    if _cache_of_this_worker is not None:
        settings.CACHES = _cache_of_this_worker
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "vi"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.IDENTITY_KEYS = [_IDENTITY_KEY]
    # API throttles: none (no counting in the cache either: query counts stay the pages' own); tests send
    # bursts no person would. The throttle tests set their own rates.
    settings.API_THROTTLE_RATES = {}
    from danvan.celery import app

    # Celery reads its configuration once; tests run tasks in-process even when REDIS_URL is set.
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    # A calendar day saved in an earlier test's rolled-back transaction leaves the working-day calendar
    # "uncommitted" (read from the database on every look) in that process: with xdist any test may
    # follow one, and query counts would depend on the order.
    from danvan.voice.deadlines import calendar

    calendar.forget()


def build_catalogue() -> SimpleNamespace:
    from danvan.orgs.catalogue import ensure
    from danvan.orgs.models import UnitGroup, UnitType

    ensure(UnitType, UnitGroup)  # browser tests flush tables, migration data included
    return SimpleNamespace(
        types={t.code: t for t in UnitType.objects.all()},
        groups={g.code: g for g in UnitGroup.objects.all()},
    )


@pytest.fixture
def catalogue(db):
    return build_catalogue()


def make_unit(catalogue, code, name, type_code, parent=None, groups=(), day=D2020):
    from danvan.accounts.actors import System
    from danvan.orgs.services import NewUnit, unit_create

    spec = NewUnit(
        code=code,
        name=name,
        unit_type=catalogue.types[type_code],
        parent=parent,
        groups=[catalogue.groups[g] for g in groups],
    )
    return unit_create(spec=spec, valid_from=day, by=System("tests"))


def build_tree(catalogue) -> SimpleNamespace:
    root = make_unit(catalogue, "DUK", "Đảng ủy Khối các cơ quan tỉnh", "bloc")
    stp = make_unit(catalogue, "STP", "Đảng ủy Sở Tư pháp", "grassroots", root, ["admin_agency"])
    syt = make_unit(catalogue, "SYT", "Đảng ủy Sở Y tế", "grassroots", root, ["public_service_unit"])
    return SimpleNamespace(
        root=root,
        stp=stp,
        stp_cb1=make_unit(catalogue, "STP-CB1", "Chi bộ 1", "cell", stp),
        stp_cb2=make_unit(catalogue, "STP-CB2", "Chi bộ 2", "cell", stp),
        syt=syt,
        syt_cb1=make_unit(catalogue, "SYT-CB1", "Chi bộ Văn phòng", "cell", syt),
        catalogue=catalogue,
    )


@pytest.fixture
def tree(catalogue):
    return build_tree(catalogue)


def make_user(username, *, unit=None, role=None, **extra):
    from danvan.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password="mat-khau-thu-nghiem-1", **extra)
    if unit is not None and role is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def build_personas(tree) -> dict:
    from danvan.accounts.models import Role

    people = {role: make_user(f"{role}_stp", unit=tree.stp, role=role) for role in Role.values}
    people["admin"] = make_user("admin_duk", unit=tree.root, role=Role.BLOC_ADMIN)
    people["outsider"] = make_user("officer_syt", unit=tree.syt, role=Role.MOBILISATION_OFFICER)
    people["nobody"] = make_user("no_roles")
    return people


@pytest.fixture
def personas(tree):
    return build_personas(tree)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The tree and the personas made once for a module, for a module of many tests that only read them
    (≈ 0.2 s a test otherwise): made in a transaction rolled back when the module ends; each test runs
    in its own savepoint inside it, as with `db`. A module uses it by overriding `tree` and `personas`
    with `world_tree` and `world_personas` (fresh Python objects for each test, the same rows)."""
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            tree = build_tree(build_catalogue())
            yield SimpleNamespace(tree=tree, personas=build_personas(tree))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def world_tree(module_world) -> SimpleNamespace:
    """The module's tree, its units read again (what a test does to one never reaches the next test)."""
    from danvan.orgs.models import Unit

    made = module_world.tree
    units = {name: unit for name, unit in vars(made).items() if name != "catalogue"}
    fresh = Unit.objects.in_bulk([unit.pk for unit in units.values()])
    return SimpleNamespace(**{name: fresh[unit.pk] for name, unit in units.items()}, catalogue=made.catalogue)


def world_personas(module_world) -> dict:
    """The module's personas, read again; the cache emptied, as the menu's counts are kept per user."""
    from django.core.cache import cache

    from danvan.accounts.models import User

    cache.clear()
    made = module_world.personas
    fresh = User.objects.in_bulk([user.pk for user in made.values()])
    return {key: fresh[user.pk] for key, user in made.items()}


@pytest.fixture
def login():
    """login(user) -> a test client signed in as `user`."""

    def _login(user):
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api():
    """api(user) -> a DRF test client signed in as `user`."""
    from rest_framework.test import APIClient

    def _api(user):
        client = APIClient()
        client.force_login(user)
        return client

    return _api


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The SQLite test database is in memory with a shared cache, where the live server's thread and the
    test share it: there a transaction begun IMMEDIATE meets "database table is locked" (no waiting in
    shared-cache mode). Tests begin their transactions as SQLite does by default; the installation's
    IMMEDIATE (settings.py) is tested on a file database in core/tests/test_settings.py."""
    from django.db import connections

    for alias in connections:
        connections[alias].settings_dict.get("OPTIONS", {}).pop("transaction_mode", None)
