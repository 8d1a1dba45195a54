"""Unit export benchmark: the time and peak memory of exporting a national-size tree.

    .venv/bin/python bench/export_units.py [--units 250000] [--format xlsx] [--before] [--database-url URL]

Builds the tree once with `danvan synth-tree --units N` in a SQLite file (default
var/bench-export-units.sqlite3, kept for the next run; another URL with --database-url), then runs
the export of every version of every unit, as the export page and `danvan export-units` do, in a
fresh child process per implementation:

- `after`: `orgs.exchange.export.units_export` (rows made a batch of units at a time, written as
  they come through core.tables into a temporary file);
- `before` (with --before): the implementation before the tables kit, `orgs/exchange.py` as it
  was at commit BEFORE_COMMIT, read from git (every row in a list, the whole file in memory).

Peak memory is the growth of the child's resident set during the export (VmHWM, reset through
/proc/self/clear_refs; Linux only); tracemalloc is not used, it would slow the export several
times. One JSON line per implementation on stdout. Never part of the test suite.

Measured on 07/12/2026 (2 vCPU shared with other work, SQLite, 250,000 units, 250,000 rows):
XLSX before 31.9 s and 237 MB, after 32.1 s and 15.6 MB; CSV before 5.4 s and 304 MB, after 3.4 s
and 8.8 MB (openpyxl's own cell writing is most of the XLSX time).
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEFORE_COMMIT = "219f5c9"
DEFAULT_DATABASE = f"sqlite:///{ROOT / 'var' / 'bench-export-units.sqlite3'}"


def log(message: str) -> None:
    print(f"[export-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()


def build(units: int) -> None:
    from django.core.management import call_command

    from danvan.orgs.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    if Unit.objects.count() >= units:
        log(f"reusing the tree in the database ({Unit.objects.count()} units)")
        return
    log(f"building a tree of {units} units (synth-tree)")
    started = time.perf_counter()
    call_command("synth-tree", units=units, clear=True)
    log(f"built in {time.perf_counter() - started:.0f} s")


def _status(field: str) -> int:
    """A field of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _before_module():
    source = subprocess.run(
        ["git", "show", f"{BEFORE_COMMIT}:danvan/orgs/exchange.py"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "exchange_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("danvan.orgs._exchange_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # relative imports resolve in danvan.orgs
    return module


def child(implementation: str, fmt: str) -> dict:
    """Run one export in this process and measure it."""
    if implementation == "before":
        module = _before_module()

        def export():
            exported = module.units_export(fmt=fmt)
            return exported.rows, len(exported.content)
    else:
        from danvan.orgs.exchange.export import units_export

        def export():
            exported = units_export(fmt=fmt)
            with exported.file as file:
                return exported.rows, file.seek(0, os.SEEK_END)

    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident set
    resident = _status("VmRSS")
    started = time.perf_counter()
    rows, size = export()
    seconds = time.perf_counter() - started
    peak = _status("VmHWM") - resident
    return {
        "implementation": implementation,
        "format": fmt,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=250_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument(
        "--before", action="store_true", help="also measure the implementation before the kit"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--child", choices=("before", "after"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup(args.database_url)
    if args.child:
        print(json.dumps(child(args.child, args.format)))
        return
    build(args.units)
    for implementation in ("before", "after") if args.before else ("after",):
        log(f"exporting ({implementation}, {args.format})")
        command = [sys.executable, __file__, "--child", implementation, "--format", args.format]
        command += ["--database-url", args.database_url]
        result = subprocess.run(command, check=True, capture_output=True, text=True)
        print(result.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
