"""The deployment kit under load and faults, on loopback (run by deploy/smoke; see its header).

A throwaway PostgreSQL cluster and Redis server of its own (so restarting them harms nothing else), two
gunicorn app servers behind nginx (the kit's own site file, made to listen on loopback ports with a
self-signed certificate), a Celery worker and beat; migrate, the demo; then USERS simulated users for
SECONDS: citizens sending through the portal, officers saving values and submitting reports, reviewers
approving, returning and reopening them, handlers accepting cases. Meanwhile it kills one app server, restarts
PostgreSQL, and stops Redis for a minute. At the end it checks that every write acknowledged to a client is
stored exactly once, that the roll-up equals a rebuild from scratch, that a background job started while
Redis was down ran once it was back, and prints one summary line. Exit 0 only if all holds.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))  # deploy/topology.py, when loaded from elsewhere
from topology import Stack, log  # the topology, shared with bench/load/run

RECOVERY_LIMIT = 5.0  # seconds from PostgreSQL accepting connections to the application answering again
MARK = "smoke"


# --- the load ------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw: every answer by status and by window, and what was acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: collections.Counter = field(default_factory=collections.Counter)
    unexpected: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    portal_acked: list = field(default_factory=list)  # subjects
    portal_unknown: int = 0
    portal_during_redis: int = 0
    report_acked: collections.Counter = field(default_factory=collections.Counter)  # (report, to_status)
    report_unknown: collections.Counter = field(default_factory=collections.Counter)  # report
    accept_acked: list = field(default_factory=list)
    accept_unknown: set = field(default_factory=set)
    window: str = "normal"  # normal | app-killed | database | redis
    refused: dict = field(default_factory=dict)
    by_kind: collections.defaultdict = field(
        default_factory=lambda: collections.defaultdict(list)
    )  # a refused write's answer, by kind: shown at the end

    def answer(self, what: str, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            self.by_kind[what].append(seconds)
            allowed = status < 500 or (
                (status == 502 and self.window == "app-killed")
                or (status == 503 and self.window == "database")
            )
            if not allowed:
                self.unexpected.append((self.window, what, status))


class Load:
    def __init__(
        self,
        base: str,
        tokens: dict[str, str],
        units: list[str],
        reports: list[int],
        tally: Tally,
        redis_down: threading.Event,
        think: float = 1.0,
    ):
        self.base, self.tokens, self.units, self.reports, self.tally = base, tokens, units, reports, tally
        self.redis_down = redis_down
        self.think = think
        self.stop = threading.Event()
        self.report_locks = {report: threading.Lock() for report in reports}
        self.stuck: set[int] = set()

    def _call(self, session: requests.Session, method: str, path: str, what: str, **kwargs):
        started = time.monotonic()
        try:
            response = session.request(method, self.base + path, timeout=70, verify=False, **kwargs)
        except requests.RequestException:
            self.tally.answer(what, 599, time.monotonic() - started)  # no answer: outcome unknown
            return None
        self.tally.answer(what, response.status_code, time.monotonic() - started)
        if 400 <= response.status_code < 500 and method != "GET":
            self.tally.refused[f"{what} {response.status_code}"] = response.text[:300]
        return response

    def _api(self, token: str) -> requests.Session:
        session = requests.Session()
        session.headers.update({"Authorization": f"Token {token}", "Accept": "application/json"})
        return session

    def citizen(self, rng: random.Random) -> None:
        session = requests.Session()
        self.stop.wait(rng.uniform(0, 15))  # users arrive over the first seconds, not all at once
        while not self.stop.is_set():
            unit = rng.choice(self.units)
            path = f"/public/send/{unit}/"
            form = self._call(session, "GET", path, "portal form")
            if form is None or form.status_code != 200:
                self.stop.wait(1)
                continue
            token = re.search(r'name="token" value="([^"]+)"', form.text)
            csrf = session.cookies.get("csrftoken")
            if not token or not csrf:
                self.tally.unexpected.append(
                    (self.tally.window, "portal form without token", form.status_code)
                )
                self.stop.wait(1)
                continue
            self.stop.wait(
                max(1.2, self.think * rng.uniform(4, 12))
            )  # reading and typing (a form sent at once is refused)
            subject = f"{MARK} {secrets.token_hex(8)}"
            redis_down = self.redis_down.is_set()
            sent = self._call(
                session,
                "POST",
                path,
                "portal submission",
                data={
                    "csrfmiddlewaretoken": csrf,
                    "token": token.group(1),
                    "kind": "feedback",
                    "subject": subject,
                    "content": "Góp ý thử tải: đường liên thôn cần sửa trước mùa mưa.",
                    "people_count": "1",
                    "anonymous": "on",
                    "website": "",
                },
                headers={"Referer": self.base + path},
            )
            with self.tally.lock:
                if sent is not None and sent.status_code == 200 and "data-tracking-code" in sent.text:
                    self.tally.portal_acked.append(subject)
                    self.tally.portal_during_redis += redis_down and self.redis_down.is_set()
                elif sent is None or sent.status_code >= 500:
                    self.tally.portal_unknown += 1
            self.stop.wait(self.think * rng.uniform(10, 40))

    def officer(self, rng: random.Random, token: str) -> None:
        """Save a report's values (as they are) and submit it; sign, approve, return or reopen it, as
        whichever demo account may (the others are refused: the unit head signs, the level above approves)."""
        session = self._api(token)
        others = [self._api(other) for other in self.tokens.values() if other != token]
        self.stop.wait(rng.uniform(0, 15))
        while not self.stop.is_set():
            choices = [report for report in self.reports if report not in self.stuck]
            if not choices:
                self.stop.wait(1)
                continue
            report_id = rng.choice(choices)
            lock = self.report_locks[report_id]
            if not lock.acquire(blocking=False):
                self.stop.wait(0.5)
                continue
            try:
                self._step([session, *others], rng, report_id)
            finally:
                lock.release()
            self.stop.wait(self.think * rng.uniform(10, 30))

    def _step(self, sessions: list[requests.Session], rng: random.Random, report_id: int) -> None:
        session = sessions[0]
        detail = self._call(session, "GET", f"/api/v1/reports/{report_id}/", "report")
        if detail is None or detail.status_code != 200:
            return
        report = detail.json()
        status, revision = report["status"], report["revision"]
        if status in ("draft", "returned"):
            values = self._call(
                session,
                "GET",
                f"/api/v1/data-values/?unit={report['unit']}&period={report['period']}&page_size=200",
                "values",
            )
            if values is None or values.status_code != 200:
                return
            mine = {
                row["element"]: row["value"] for row in values.json()["results"] if row["report"] == report_id
            }
            saved = self._call(
                session,
                "PUT",
                "/api/v1/data-values/",
                "values save",
                json={
                    "form": report["form"],
                    "unit": report["unit"],
                    "period": report["period"],
                    "values": mine,
                },
            )
            if saved is None or saved.status_code != 200 or saved.json()["problems"]:
                return
            actions, revision = ["submit"], saved.json()["revision"]
        elif status in ("submitted", "signed"):
            decide = "return" if rng.random() < 0.25 else "approve"
            actions = [decide, "sign"] if status == "submitted" else [decide]
        elif status == "approved":
            actions = ["reopen"]
        else:
            return
        for action in actions:
            outcome = self._act(sessions, report_id, action, revision)
            if outcome != "refused":
                return
        self.stuck.add(report_id)  # nobody may move it on: left alone

    def _act(self, sessions: list[requests.Session], report_id: int, action: str, revision: int) -> str:
        """One workflow step, by the first account allowed to take it: done, refused (by every account
        or by the rules, nothing changed), or unknown (no answer, or a server error)."""
        for session in sessions:
            moved = self._call(
                session,
                "POST",
                f"/api/v1/reports/{report_id}/{action}/",
                f"report {action}",
                json={"revision": revision, "reason": "Kiểm thử tải: trả lại để bổ sung."},
            )
            with self.tally.lock:
                if moved is not None and moved.status_code == 200:
                    self.tally.report_acked[(report_id, moved.json()["status"])] += 1
                    return "done"
                if moved is None or moved.status_code >= 500:
                    self.tally.report_unknown[report_id] += 1
                    return "unknown"
            if moved.status_code not in (403, 404):  # 403, 404: not this account's to do (or to see)
                return "refused" if moved.status_code == 400 else "conflict"
        return "refused"

    def handler(self, rng: random.Random, token: str) -> None:
        """Accept the cases the portal brought."""
        session = self._api(token)
        self.stop.wait(rng.uniform(0, 15))
        while not self.stop.is_set():
            listing = self._call(session, "GET", "/api/v1/cases/?state=received&page_size=20", "cases")
            if listing is not None and listing.status_code == 200:
                found = listing.json()["results"]
                for case in rng.sample(found, min(3, len(found))):
                    if self.stop.is_set():
                        break
                    accepted = self._call(
                        session, "POST", f"/api/v1/cases/{case['id']}/accept/", "case accept", json={}
                    )
                    with self.tally.lock:
                        if accepted is not None and accepted.status_code == 200:
                            self.tally.accept_acked.append(case["id"])
                        elif accepted is None or accepted.status_code >= 500:
                            self.tally.accept_unknown.add(case["id"])
            self.stop.wait(self.think * rng.uniform(10, 30))


# --- the run -------------------------------------------------------------------------------------------

SETUP = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from danvan.accounts.models import Role
from danvan.accounts.services import api_token_create
from danvan.demo.data import ACCOUNTS
from danvan.orgs.models import Unit
from danvan.reports.models import Report
admin = get_user_model().objects.get(username=next(a.username for a in ACCOUNTS if a.role == Role.BLOC_ADMIN))
tokens = {}
for account in ACCOUNTS:  # the administrator's first: it acts first
    user = get_user_model().objects.get(username=account.username)
    token, secret = api_token_create(name="smoke", days=settings.API_TOKEN_DAYS[0], by=user)
    tokens[account.username] = secret
units = [unit.code for unit in Unit.objects.order_by("path")[1:400] if unit.is_active][:40]
latest = Report.objects.order_by("-period__start").values_list("period_id", flat=True).first()
reports = list(Report.objects.filter(period_id=latest).order_by("id").values_list("id", flat=True))
print(json.dumps({"tokens": tokens, "units": units, "reports": reports}))
"""

ROLLUP = """
import json
from danvan.reports.models import ElementRollup, IndicatorRollup, UnitIndicator
rows = []
for model, fields in ((ElementRollup, ("period_id", "unit_id", "element_id", "value", "reporters")),
                      (IndicatorRollup, None), (UnitIndicator, None)):
    names = fields or tuple(f.attname for f in model._meta.concrete_fields if f.attname != "id")
    for row in model.objects.order_by(*names).values_list(*names):
        if model is not UnitIndicator and not any(row[3:]):
            continue  # a rebuild keeps no empty sums
        rows.append([model.__name__, *map(str, row)])
print(json.dumps(rows))
"""

VERIFY = """
import json, collections
from django.db.models import Count
from danvan.voice.cases.models import Case, CaseEvent
from danvan.reports.models import ReportTransition
from danvan.jobs.models import Job
since = "{since}"
subjects = collections.Counter(Case.objects.filter(subject__startswith="{mark} ").values_list("subject", flat=True))
transitions = collections.Counter(
    (report, to) for report, to in ReportTransition.objects.filter(at__gte=since).values_list("report_id", "to_status"))
accepts = collections.Counter(CaseEvent.objects.filter(action="accept", at__gte=since).values_list("case_id", flat=True))
job = Job.objects.filter(pk={job}).values("state").first()
print(json.dumps({{
    "subjects": subjects, "transitions": [[r, t, n] for (r, t), n in transitions.items()],
    "accepts": accepts, "job": job and job["state"],
}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200, help="simulated users (default 200)")
    parser.add_argument("--seconds", type=int, default=300, help="how long the load runs (default 300)")
    parser.add_argument("--redis-down", type=int, default=60, help="seconds Redis is stopped (default 60)")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="scale of the users' pauses (default 1: a citizen spends 4-12 s on the form and comes back after "
        "10-40 s, an official acts every 10-30 s; 0.2 is five times the load)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory (logs) at the end")
    args = parser.parse_args()
    if args.seconds < 120 + args.redis_down:
        parser.error(f"--seconds must leave room for the faults: at least {120 + args.redis_down}")

    work = Path(tempfile.mkdtemp(prefix="danvan-smoke-"))
    stack = Stack(work)
    failures: list[str] = []
    try:
        return run(stack, args, failures)
    except BaseException:
        failures.append("stopped by an error")  # the logs are kept
        raise
    finally:
        stack.stop_all()
        if args.keep or failures:
            log(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(stack: Stack, args, failures: list[str]) -> int:
    stack.start()
    setup = stack.shell(SETUP)
    base = stack.base
    tally = Tally()
    redis_down = threading.Event()
    load = Load(base, setup["tokens"], setup["units"], setup["reports"], tally, redis_down, args.think)
    since = datetime.datetime.now(datetime.UTC).isoformat()
    rng = random.Random(2026)
    tokens = list(setup["tokens"].values())[:1]  # officers and handlers start as the administrator
    threads = []
    for index in range(args.users):
        user_rng = random.Random(rng.random())
        share = index % 10
        if share < 6:
            target, extra = load.citizen, ()
        elif share < 9:
            target, extra = load.officer, (tokens[index % len(tokens)],)
        else:
            target, extra = load.handler, (tokens[index % len(tokens)],)
        threads.append(threading.Thread(target=target, args=(user_rng, *extra), daemon=True))
    log(f"{args.users} users for {args.seconds} s")
    started = time.monotonic()
    for thread in threads:
        thread.start()
        time.sleep(0.01)

    def at(second: float) -> None:
        while time.monotonic() - started < second:
            time.sleep(0.2)

    # 1. One app server killed: nginx sends the traffic to the other.
    at(30)
    log("kill app server 1")
    tally.window = "app-killed"
    stack.app_kill(0)
    at(45)
    tally.window = "normal"
    at(60)
    stack.app_start(0)
    log("app server 1 back")

    # 2. PostgreSQL restarted: 503 while it is down, answers again within seconds.
    at(75)
    log("restart PostgreSQL")
    tally.window = "database"
    stack.pg_stop()
    time.sleep(3)
    stack.pg_start()
    ready_at = time.monotonic()
    recovered = None
    while time.monotonic() - ready_at < 30:
        try:
            probe = requests.get(
                base + "/api/v1/reports/?page_size=1",
                verify=False,
                timeout=10,
                headers={"Authorization": f"Token {tokens[0]}"},
            )
            if probe.status_code == 200:
                recovered = time.monotonic() - ready_at
                break
        except requests.RequestException:
            pass
        time.sleep(0.1)
    time.sleep(2)  # answers already on their way when it came back
    tally.window = "normal"
    log(f"PostgreSQL back; the application answered after {recovered if recovered is not None else '>30'} s")

    # 3. Redis stopped for a minute: submissions still accepted; a job started meanwhile runs after.
    at(105)
    log(f"stop Redis for {args.redis_down} s")
    before_redis = len(tally.portal_acked)
    redis_down.set()
    tally.window = "redis"
    stack.redis_stop()
    time.sleep(5)
    try:
        job = stack.shell(
            "import json\nfrom django.contrib.auth import get_user_model\nfrom danvan.jobs.services import job_start\n"
            "from danvan.demo.data import ACCOUNTS\nfrom danvan.accounts.models import Role\n"
            "admin = get_user_model().objects.get(username=next(a.username for a in ACCOUNTS if a.role == Role.BLOC_ADMIN))\n"
            "job = job_start(kind='orgs.units_export', params={'format': 'xlsx'}, by=admin)\nprint(json.dumps([job.pk, job.state]))"
        )
        log(f"job {job[0]} started while Redis is down: {job[1]}")
    except RuntimeError as error:
        failures.append("a job could not be started while Redis was down")
        log(str(error)[-400:])
        job = [0, "not started"]
    at(105 + args.redis_down)
    redis_down.clear()
    stack.redis_start()
    tally.window = "normal"
    during_redis = len(tally.portal_acked) - before_redis
    redis_back = time.monotonic()
    log(f"Redis back; {during_redis} portal submissions acknowledged while it was down")

    at(args.seconds)
    load.stop.set()
    for thread in threads:
        thread.join(timeout=90)
    elapsed = time.monotonic() - started
    log("load stopped; waiting for the job")
    job_state = None
    while job[0] and time.monotonic() - redis_back < 240:
        job_state = stack.shell(
            f"import json\nfrom danvan.jobs.models import Job\nprint(json.dumps(Job.objects.get(pk={job[0]}).state))"
        )
        if job_state in ("done", "failed"):
            break
        time.sleep(3)
    job_after = time.monotonic() - redis_back

    # 4. What was acknowledged is stored, once; the live roll-up equals a rebuild.
    stored = stack.shell(VERIFY.format(since=since, mark=MARK, job=job[0]))
    subjects = stored["subjects"]
    lost = [subject for subject in tally.portal_acked if subjects.get(subject, 0) == 0]
    doubled = [subject for subject, count in subjects.items() if count > 1]
    if lost:
        failures.append(f"{len(lost)} acknowledged portal submissions not stored")
    if doubled:
        failures.append(f"{len(doubled)} portal submissions stored twice")
    extra_cases = sum(subjects.values()) - len(tally.portal_acked)
    if extra_cases < 0 or extra_cases > tally.portal_unknown:
        failures.append(
            f"{extra_cases} portal submissions stored that no client was told about (unknown: {tally.portal_unknown})"
        )
    in_db = collections.Counter()
    for report, to_status, count in stored["transitions"]:
        in_db[(report, to_status)] = count
    for key in set(in_db) | set(tally.report_acked):
        acked, have = tally.report_acked[key], in_db[key]
        if have < acked or have > acked + tally.report_unknown[key[0]]:
            failures.append(f"report {key[0]} → {key[1]}: {acked} acknowledged, {have} stored")
    accepts = {int(case): count for case, count in stored["accepts"].items()}
    for case in tally.accept_acked:
        if accepts.get(case, 0) != 1:
            failures.append(f"case {case}: accepted once, {accepts.get(case, 0)} accept events")
    twice = [case for case, count in accepts.items() if count > 1]
    if twice:
        failures.append(f"{len(twice)} cases accepted twice")
    if recovered is None or recovered > RECOVERY_LIMIT:
        failures.append(f"the application did not answer within {RECOVERY_LIMIT:g} s of PostgreSQL's restart")
    if during_redis == 0:
        failures.append("no portal submission was accepted while Redis was down")
    if job_state != "done":
        failures.append(f"the job started while Redis was down ended {job_state!r}")
    if tally.unexpected:
        kinds = collections.Counter(f"{window}/{what}/{status}" for window, what, status in tally.unexpected)
        failures.append(f"{len(tally.unexpected)} unexpected answers: {dict(kinds.most_common(6))}")

    live = stack.shell(ROLLUP)
    stack.danvan("rollup", "--rebuild", timeout=900)
    rebuilt = stack.shell(ROLLUP)
    if live != rebuilt:
        only_live = [row for row in live if row not in rebuilt]
        only_rebuilt = [row for row in rebuilt if row not in live]
        failures.append(
            f"the roll-up differs from a rebuild ({len(live)} rows live, {len(rebuilt)} rebuilt; "
            f"only live: {only_live[:5]}; only rebuilt: {only_rebuilt[:5]})"
        )

    requests_total = sum(tally.statuses.values())
    latencies = sorted(tally.latencies)
    p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0
    statuses = ", ".join(f"{status}×{count}" for status, count in sorted(tally.statuses.items()))
    summary = (
        f"deploy/smoke: {'PASS' if not failures else 'FAIL'} · {args.users} users {elapsed:.0f} s"
        f"{f' (think ×{args.think:g})' if args.think != 1 else ''} · "
        f"{requests_total} requests ({requests_total / elapsed:.1f}/s, p95 {p95:.0f} ms; {statuses}) · "
        f"acknowledged and stored once: {len(tally.portal_acked)} portal submissions, "
        f"{sum(tally.report_acked.values())} report actions, {len(tally.accept_acked)} case acceptances · "
        f"app server killed: traffic went on · PostgreSQL restart: answered again after "
        f"{recovered if recovered is None else f'{recovered:.1f}'} s · Redis down {args.redis_down} s: "
        f"{during_redis} submissions accepted, job {job_state} {job_after:.0f} s after · "
        f"roll-up = rebuild: {'yes' if live == rebuilt else 'NO'} ({len(live)} rows)"
    )
    for kind, seconds in sorted(tally.by_kind.items()):
        seconds.sort()
        log(
            f"{kind}: {len(seconds)} requests, median {seconds[len(seconds) // 2] * 1000:.0f} ms, "
            f"p95 {seconds[int(len(seconds) * 0.95)] * 1000:.0f} ms"
        )
    for kind, answer in sorted(tally.refused.items()):
        log(f"refused ({kind}), e.g.: {answer}")
    for failure in failures:
        log(f"FAIL: {failure}")
    print(summary, flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
