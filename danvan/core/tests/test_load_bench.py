"""The load benchmark (bench/load/) does not rot: every page its users visit answers 200 to the role that
visits it, with the demo loaded; the reporter's writes find a grid to type in; the runner's options parse.
No timing here (the figures live in docs/PERFORMANCE.md)."""

import importlib.util
import io
import re
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

LOAD = Path(__file__).resolve().parents[3] / "bench" / "load"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"danvan_bench_load_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def _demo_pages(django_db_setup, django_db_blocker, identity_keys):
    """The demo loaded once for the module and the benchmark's pages gathered from it (rolled back after)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, IDENTITY_KEYS=identity_keys),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            call_command("prepare-periods", verbosity=0)
            yield _module("pages").gather()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_pages(_demo_pages, db):
    return _demo_pages


def test_every_page_of_every_role_answers_200_to_that_role(demo_pages, client):
    pages = _module("pages")
    seen_roles = set()
    for account in demo_pages["accounts"]:
        seen_roles.add(account["role"])
        names = {name for name, _url in account["pages"]}
        # Every page the role should visit has at least one address (a rename would leave it empty).
        assert names == set(pages.STAFF_PAGES[account["role"]]), account["username"]
        client.force_login(get_user_model().objects.get(username=account["username"]))
        for name, url in account["pages"]:
            answer = client.get(url)
            assert answer.status_code == 200, (account["username"], name, url, answer.status_code)
        client.logout()
    assert seen_roles == set(pages.STAFF_PAGES)


def test_the_reporter_has_a_grid_to_type_in_and_citizens_units_to_write_to(demo_pages, client):
    reporters = [account for account in demo_pages["accounts"] if account["grids"]]
    assert reporters
    client.force_login(get_user_model().objects.get(username=reporters[0]["username"]))
    editable = [url for url in reporters[0]["grids"] if 'class="cell-value"' in client.get(url).text]
    assert editable, "no grid of the reporter's unit is open to typing: the benchmark would write nothing"
    assert demo_pages["portal_units"]
    client.logout()
    form = client.get(f"/public/send/{demo_pages['portal_units'][0]}/")
    assert form.status_code == 200 and re.search(r'name="token" value="[^"]+"', form.text)


def test_the_runners_options(monkeypatch):
    run = _module("run")
    args = run.parse_args(["--users", "50", "--seconds", "30", "--no-think", "--workers", "3", "--json"])
    assert (args.users, args.seconds, args.think, args.workers, args.json) == (50, 30, False, 3, True)
    defaults = run.parse_args([])
    assert (defaults.users, defaults.think, defaults.saturation, defaults.warmup) == (200, True, None, 30)
    saturation = run.parse_args(["--saturation", "25,50,100"])
    assert saturation.saturation == [25, 50, 100]
    with pytest.raises(SystemExit):
        run.parse_args(["--saturation", "25,lots"])
