"""Locust users of the load benchmark (run by bench/load/run; see its header).

Staff users log in as the demo accounts (a share per role) and browse the pages their role uses
(bench/load/pages.py; each page name as often as the others, then one of its addresses), pausing 2-8 s
between pages; a reporter now and then saves a value in a report grid
(the value as it is: the write goes through the whole save, nothing changes). Citizens open the portal, fill
in the feedback form (4-12 s), send it, and later look their case up by its tracking code.

Configured by the environment (bench/load/run sets it): DANVAN_LOAD_SETUP, the JSON file of pages.gather();
DANVAN_LOAD_THINK=0 for no pauses (the saturation mode, staff only); DANVAN_LOAD_WARMUP, the seconds
before the figures start counting (and not before every user has logged in); DANVAN_LOAD_SECONDS, how long
they count before the run ends.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import time
from urllib.parse import urlencode

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.stats import StatsEntry

SETUP = json.loads(open(os.environ["DANVAN_LOAD_SETUP"]).read())  # noqa: SIM115
THINK = os.environ.get("DANVAN_LOAD_THINK", "1") != "0"
WARMUP = float(os.environ.get("DANVAN_LOAD_WARMUP", "0"))  # seconds not counted: logins, cold workers
SECONDS = float(os.environ.get("DANVAN_LOAD_SECONDS", "0"))  # measured seconds, then the run ends (0: never)
# Staff users by role: many reporters and case handlers, few administrators.
ROLE_SHARE = {
    "reporter": 30,
    "case_handler": 20,
    "unit_head": 15,
    "viewer": 15,
    "mobilisation_officer": 10,
    "bloc_admin": 10,
}
NOT_PAGES = ("login page", "login")  # once per user, at its start: not in the figures
WRITE_SHARE = 0.15  # of a reporter's steps: save a value in a grid
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="token" value="([^"]+)"')
TRACKING = re.compile(r"data-tracking-code>\s*([^<]+?)\s*<")
CELL = re.compile(r'class="cell-value" id="v_[^"]*" name="v_[^"]*" value="([^"]*)" data-code="([^"]+)"')
REVISION = re.compile(r'data-revision="(\d+)"')
SAVE_URL = re.compile(r'data-save-url="([^"]+)"')

_accounts = {account["role"]: account for account in SETUP["accounts"]}
_roles = [role for role in ROLE_SHARE if role in _accounts]
_rng = random.Random(2026)


def _form(data: dict, referer: str) -> dict:
    return {
        "data": urlencode(data),
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer},
    }


_ready = 0  # users past their start (logged in)
_measured: dict[str, float] = {}


@events.test_start.add_listener
def _measure(environment, **_kwargs) -> None:
    """The figures count from when every user has started (logged in) and WARMUP seconds have passed, for
    SECONDS; then the run ends. On a slow machine the logins take longer than any fixed warm-up."""

    def measure() -> None:
        started = time.monotonic()
        gevent.sleep(WARMUP)
        while _ready < environment.runner.target_user_count and time.monotonic() - started < WARMUP + 600:
            gevent.sleep(0.5)
        environment.stats.reset_all()
        _measured["ready_after"] = round(time.monotonic() - started, 1)
        if SECONDS:
            gevent.sleep(SECONDS)
            environment.runner.quit()

    gevent.spawn(measure)


def _started() -> None:
    global _ready
    _ready += 1


@events.test_stop.add_listener
def _pages_summary(environment, **_kwargs) -> None:
    """The percentiles of every page together, logins left out: {csv prefix}_pages.json (read by run.py)."""
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if not prefix:
        return
    total = StatsEntry(environment.stats, "pages", "")
    for (name, _method), entry in environment.stats.entries.items():
        if name not in NOT_PAGES:
            total.extend(entry)
    summary = {
        "requests": total.num_requests,
        "errors": total.num_failures,
        "p50_ms": total.get_response_time_percentile(0.5) if total.num_requests else 0,
        "p95_ms": total.get_response_time_percentile(0.95) if total.num_requests else 0,
        "max_ms": total.max_response_time,
        **_measured,
    }
    with open(f"{prefix}_pages.json", "w") as out:
        json.dump(summary, out)


class StaffUser(FastHttpUser):
    """An official: logs in once, then moves between the pages of their role."""

    weight = 7
    wait_time = between(2, 8) if THINK else constant(0)

    def on_start(self) -> None:
        self.account = _accounts[_rng.choices(_roles, weights=[ROLE_SHARE[r] for r in _roles])[0]]
        self.rng = random.Random(_rng.random())
        self.pages: dict[str, list[str]] = {}  # by name: each page of the role as often as the others
        for name, url in self.account["pages"]:
            self.pages.setdefault(name, []).append(url)
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            name="login",
            catch_response=True,
            **_form(
                {
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                    "username": self.account["username"],
                    "password": self.account["password"],
                },
                self.host + "/accounts/login/",
            ),
        ) as answer:
            if answer.status_code != 200 or 'name="password"' in (answer.text or ""):
                answer.failure(f"login of {self.account['username']} refused")
        _started()

    @task
    def step(self) -> None:
        if self.account["grids"] and self.rng.random() < WRITE_SHARE:
            self.save_value()
            return
        name = self.rng.choice(list(self.pages))
        self.client.get(self.rng.choice(self.pages[name]), name=name)

    def save_value(self) -> None:
        grid_url = self.rng.choice(self.account["grids"])
        page = self.client.get(grid_url, name="report entry")
        text = page.text or ""
        cells, save, token = CELL.findall(text), SAVE_URL.search(text), CSRF.search(text)
        if not cells or not save or not token:
            return  # not open to typing (submitted, approved): the reporter reads it
        value, code = self.rng.choice(cells)
        revision = REVISION.search(text)
        with self.client.post(
            save.group(1),
            name="report value save",
            json={
                "values": {code: value},
                "comments": {},
                "revision": int(revision.group(1)) if revision else 0,
            },
            headers={"X-CSRFToken": token.group(1), "Referer": self.host + grid_url},
            catch_response=True,
        ) as answer:
            if answer.status_code == 409:
                answer.success()  # another user saved the same report meanwhile: the page says so
            elif answer.status_code != 200:
                answer.failure(f"save answered {answer.status_code}")


class CitizenUser(FastHttpUser):
    """A citizen on the portal: sends feedback, and later looks the case up by its tracking code."""

    weight = 3
    wait_time = between(10, 30) if THINK else constant(0)

    def on_start(self) -> None:
        self.rng = random.Random(_rng.random())
        self.codes: list[str] = []
        _started()

    @task(3)
    def send(self) -> None:
        self.client.get("/public/", name="portal home")
        path = f"/public/send/{self.rng.choice(SETUP['portal_units'])}/"
        form = self.client.get(path, name="portal form")
        text = form.text or ""
        token, csrf = FORM_TOKEN.search(text), CSRF.search(text)
        if not token or not csrf:
            return
        self._pause(4, 12, at_least=1.2)  # reading and typing (a form sent at once is refused)
        with self.client.post(
            path,
            name="portal submission",
            catch_response=True,
            **_form(
                {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "token": token.group(1),
                    "kind": "feedback",
                    "subject": f"Tải thử {secrets.token_hex(6)}",
                    "content": "Góp ý thử tải: đường liên thôn cần sửa trước mùa mưa.",
                    "people_count": "1",
                    "anonymous": "on",
                    "website": "",
                },
                self.host + path,
            ),
        ) as answer:
            code = TRACKING.search(answer.text or "")
            if answer.status_code == 200 and code:
                self.codes.append(code.group(1))
            elif answer.status_code == 200:
                answer.failure("the submission was not accepted")

    @task(2)
    def look_up(self) -> None:
        if not self.codes:
            return
        form = self.client.get("/public/track/", name="portal lookup form")
        csrf = CSRF.search(form.text or "")
        self._pause(2, 5)
        with self.client.post(
            "/public/track/",
            name="portal lookup",
            catch_response=True,
            **_form(
                {"csrfmiddlewaretoken": csrf.group(1) if csrf else "", "code": self.rng.choice(self.codes)},
                self.host + "/public/track/",
            ),
        ) as answer:
            if answer.status_code == 200 and 'name="code"' in (answer.text or ""):
                answer.failure("the tracking code was not found")

    def _pause(self, low: float, high: float, at_least: float = 0.0) -> None:
        gevent.sleep(max(at_least, self.rng.uniform(low, high) if THINK else 0))
