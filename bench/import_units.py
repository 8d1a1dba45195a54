"""Unit import benchmark: `danvan import-units` of a national-size file into an empty database.

    .venv/bin/python bench/import_units.py [--units 250000] [--database-url URL] [--json] [--keep-file]

Writes the file `danvan export-units` would write for a tree of `danvan synth-tree --units N` (the same
generator, one row per unit: code, name, parent code, type code, group codes, ISO dates, parents before
their children), creates a throwaway database (a new SQLite file, var/bench-import-units.sqlite3 by
default, or the PostgreSQL database named in --database-url, dropped first if an earlier run left it),
migrates it, then times `danvan import-units FILE` in this process, and drops the database. A file of
new units only is applied set-based (services.units_create_tree).

Peak memory is the growth of the process's resident set during the import (VmHWM reset through
/proc/self/clear_refs; Linux only). The load average of the machine is printed with the figures:
other work on the same cores slows the run (`cpu_seconds`: what this process used, whatever the load;
`server_cpu_seconds`: what its PostgreSQL backend used, when the server runs on this machine).
Never part of the test suite.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import create_database, drop_database, print_result  # noqa: E402

DEFAULT_DATABASE = f"sqlite:///{ROOT / 'var' / 'bench-import-units.sqlite3'}"
COLUMNS = ("code", "name", "parent_code", "type", "groups", "valid_from", "valid_to", "predecessors")


def log(message: str) -> None:
    print(f"[import-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _status(field: str) -> int:
    """A field of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _server_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def write_file(units: int, path: Path) -> None:
    """The rows of a synth-tree of `units` units, as the export writes them."""
    from importlib import import_module

    builder = import_module("danvan.orgs.management.commands.synth-tree").TreeBuilder
    nodes = builder(units, "SYN", 1).build()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for node in nodes:
            parent = nodes[node.parent].code if node.parent >= 0 else ""
            writer.writerow(
                (
                    node.code,
                    node.name,
                    parent,
                    node.type_code,
                    node.group,
                    node.valid_from.isoformat(),
                    "",
                    "",
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=250_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--json", action="store_true", help="print one JSON line with the figures")
    parser.add_argument("--keep-file", action="store_true", help="leave the generated file in var/")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    create_database(args.database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from danvan.orgs.models import Unit

        log("migrating the throwaway database")
        call_command("migrate", verbosity=0, interactive=False)
        folder = ROOT / "var" if args.keep_file else Path(tempfile.mkdtemp())
        folder.mkdir(exist_ok=True)
        path = folder / f"bench-import-units-{args.units}.csv"
        log(f"writing a file of {args.units} units to {path}")
        write_file(args.units, path)
        size = path.stat().st_size
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        log(f"importing ({size / 1e6:.1f} MB, load {' '.join(load_before)})")
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident set
        resident = _status("VmRSS")
        server = _server_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        call_command("import-units", str(path))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        server_after = _server_cpu()
        peak = _status("VmHWM") - resident
        imported = Unit.objects.count()
        if not args.keep_file:
            path.unlink()
        result = {
            "units": imported,
            "seconds": round(seconds, 1),
            "peak_mb": round(peak / 1024, 1),
            "cpu_seconds": round(cpu, 1),  # this process only
            "server_cpu_seconds": round(server_after - server, 1)
            if server is not None and server_after
            else None,
            "database": connection.vendor,
            "file_mb": round(size / 1e6, 1),
            "load_before": " ".join(load_before),
            "load_after": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        }
        if imported != args.units:
            sys.exit(f"imported {imported} units, expected {args.units}")
    finally:
        drop_database(args.database_url)
    print_result(result, as_json=args.json)


if __name__ == "__main__":
    main()
