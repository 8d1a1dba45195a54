"""The load benchmark (issue 18), run by bench/load/run: the deployment kit's topology on loopback
(deploy/topology.py, as deploy/smoke starts it: a throwaway PostgreSQL and Redis, gunicorn behind the kit's
nginx site with TLS, Celery, DEBUG=False, the demo loaded) under locust, headless (bench/load/locustfile.py).

First USERS users for SECONDS, 70 % staff browsing their role's pages with think time (a share of
reporters saving values), 30 % citizens on the portal (sending feedback, looking their case up); --users 0
skips it. Then, with --saturation 25,50,100: staff pages only, no think time, one step per user count
(STEP seconds each), req/s and p95 at each step. The figures count from WARMUP seconds into each run and not before every user has logged in (on a slow
machine the logins take longer), for SECONDS.

Prints per page name the requests, errors, p50, p95 and max (ms), then one JSON line: users, seconds,
requests, errors, rps, p50_ms, p95_ms, pages {name: p95}; in saturation mode one JSON line per step.
Exit 1 if any request failed. Locust's percentiles are rounded as locust does (2 significant digits).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from topology import Stack, log  # noqa: E402  (the topology deploy/smoke starts)

GATHER = f"""
import json, sys
sys.path.insert(0, {str(HERE)!r})
from pages import gather
print(json.dumps(gather()))
"""
NOT_PAGES = {"login page", "login"}  # once per user, at its start: not among the pages


def _steps(text: str) -> list[int]:
    try:
        steps = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"user counts separated by commas, not {text!r}") from None
    if not steps or min(steps) < 1:
        raise argparse.ArgumentTypeError("at least one user count, each 1 or more")
    return steps


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--users", type=int, default=200, help="simulated users (default 200; 0: only the saturation steps)"
    )
    parser.add_argument("--seconds", type=int, default=150, help="measured seconds (default 150)")
    parser.add_argument(
        "--no-think", dest="think", action="store_false", help="no pauses between a user's requests"
    )
    parser.add_argument(
        "--saturation",
        type=_steps,
        metavar="N,N,…",
        help="then staff pages only, no think time, these user counts one after another (e.g. 25,50,100)",
    )
    parser.add_argument(
        "--step-seconds", type=int, default=60, help="seconds per saturation step (default 60)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=30,
        help="seconds at the start of each run not counted: users arrive and log in, workers warm (default 30)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument(
        "--threads", type=int, default=2, help="threads per gunicorn worker (default 2, the kit's)"
    )
    parser.add_argument("--json", action="store_true", help="only the JSON line(s) on standard output")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (logs) at the end")
    parser.add_argument(
        "--hold",
        action="store_true",
        help="after the run keep the stack up until Ctrl+C (to profile it: its address and pids are printed)",
    )
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="danvan-load-"))
    stack = Stack(work, app_servers=1, workers=args.workers, threads=args.threads)
    ok = False
    try:
        stack.start()
        setup = work / "pages.json"
        setup.write_text(json.dumps(stack.shell(GATHER)))
        ok = True
        if args.users:
            ok = _report(_locust(stack, args, setup, args.users, args.seconds, think=args.think), args)
        for users in args.saturation or ():
            run = _locust(stack, args, setup, users, args.step_seconds, think=False, staff_only=True)
            ok = _report(run, args) and ok
        if args.hold:
            env = work / "env"
            env.write_text(
                "".join(f"export {name}={shlex.quote(value)}\n" for name, value in sorted(stack.env.items()))
            )
            log(
                f"holding the stack at {stack.base} (gunicorn master pid {stack.apps[0].pid}; its settings: "
                f"`. {env}`, then e.g. .venv/bin/danvan shell); Ctrl+C ends it"
            )
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        return 0 if ok else 1
    finally:
        stack.stop_all()
        if args.keep or not ok:
            log(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _locust(
    stack: Stack, args, setup: Path, users: int, seconds: int, think: bool, staff_only: bool = False
) -> dict:
    """One headless locust run; its figures (rows of the stats CSV after the reset) and the load average."""
    prefix = stack.work / f"locust-{users}"
    spawn_rate = max(users / 10, 1) if think else users  # with think time users arrive over ~10 s
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--host",
        stack.base,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{args.warmup + seconds + 600}s",  # a bound: the locustfile ends the run after SECONDS measured
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "15",
    ]
    if staff_only:
        command.append("StaffUser")
    env = dict(
        os.environ,
        DANVAN_LOAD_SETUP=str(setup),
        DANVAN_LOAD_THINK="1" if think else "0",
        DANVAN_LOAD_WARMUP=str(args.warmup),
        DANVAN_LOAD_SECONDS=str(seconds),
    )
    before = Path("/proc/loadavg").read_text().split()[:3]
    log(
        f"locust: {users} users, {'think time' if think else 'no think time'}, {seconds} s (load {' '.join(before)})"
    )
    with open(stack.work / f"locust-{users}.log", "w") as out:
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, check=False)
    after = Path("/proc/loadavg").read_text().split()[:3]
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    pages_file = Path(f"{prefix}_pages.json")
    pages = json.loads(pages_file.read_text()) if pages_file.exists() else {}
    with open(f"{prefix}_failures.csv", newline="") as failed:
        failures = list(csv.DictReader(failed))
    warnings = [
        line.strip()
        for line in (stack.work / f"locust-{users}.log").read_text().splitlines()
        if "CPU usage" in line
    ]
    return {
        "users": users,
        "seconds": seconds,
        "think": think,
        "workers": args.workers,
        "threads": args.threads,
        "rows": rows,
        "load_before": before,
        "load_after": after,
        "warnings": warnings,
        "failures": failures,
        "all_pages": pages,
    }


def _report(run: dict, args) -> bool:
    """Prints the per-page table (unless --json) and the JSON line; True if no request failed."""
    pages = [row for row in run["rows"] if row["Name"] != "Aggregated" and row["Name"] not in NOT_PAGES]
    requests = sum(int(row["Request Count"]) for row in pages)
    errors = sum(int(row["Failure Count"]) for row in pages)
    aggregated = next(row for row in run["rows"] if row["Name"] == "Aggregated")
    summary = run["all_pages"]  # every page together, logins left out (the locustfile's)
    total = (
        {"50%": summary["p50_ms"], "95%": summary["p95_ms"], "Max Response Time": summary["max_ms"]}
        if summary
        else aggregated
    )

    def number(row, column) -> float:
        try:
            return float(row[column])
        except (TypeError, ValueError):
            return 0.0

    if not args.json:
        print(f"\n{'page':<24}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for row in sorted(pages, key=lambda row: -number(row, "95%")):
            print(
                f"{row['Name']:<24}{row['Request Count']:>10}{row['Failure Count']:>8}"
                f"{number(row, '50%'):>9.0f}{number(row, '95%'):>9.0f}{number(row, 'Max Response Time'):>9.0f}"
            )
        print(
            f"{'all':<24}{requests:>10}{errors:>8}{number(total, '50%'):>9.0f}{number(total, '95%'):>9.0f}"
            f"{number(total, 'Max Response Time'):>9.0f}   {requests / run['seconds']:.1f} req/s"
        )
        print(
            f"counted from {summary.get('ready_after', '?')} s into the run (every user logged in); load average "
            f"before {' '.join(run['load_before'])}, after {' '.join(run['load_after'])}"
        )
        for warning in run["warnings"]:
            print(f"locust: {warning}")
    for failure in run["failures"][:8]:
        print(
            f"failed: {failure['Name']} ×{failure['Occurrences']}: {failure['Error'][:200]}", file=sys.stderr
        )
    line = {
        "users": run["users"],
        "seconds": run["seconds"],
        "think": run["think"],
        "workers": run["workers"],
        "threads": run["threads"],
        "requests": requests,
        "errors": errors,
        "rps": round(requests / run["seconds"], 1),
        "p50_ms": number(total, "50%"),
        "p95_ms": number(total, "95%"),
        "max_ms": number(total, "Max Response Time"),
        "pages": {row["Name"]: number(row, "95%") for row in pages},
        "counted_from_s": summary.get("ready_after"),
        "load_before": " ".join(run["load_before"]),
        "load_after": " ".join(run["load_after"]),
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)
    return errors == 0


if __name__ == "__main__":
    sys.exit(main())
