"""Values import benchmark: `danvan import-values` of a large XLSX file, its time and peak memory.

    .venv/bin/python bench/import_values.py --values 250000 [--elements 10] [--database-url URL] [--json] [--keep]

Default database: a fresh PostgreSQL database `danvan_bench_import_values` on the local server,
created (dropped first if a previous run left it) and migrated here, and dropped at the end
(`--keep` keeps it). `--database-url sqlite:///path` runs on a new SQLite file.

Steps (progress on stderr, one JSON line on stdout with --json):

1. `danvan synth-tree --units N` builds the tree (N = values / elements, the period's units);
2. the catalogue is seeded, `--elements` reported (not derived) elements are taken (the seeded
   ones first, the indicators' numerators and denominators among them, then BENCH_nn ones), and
   the period 2026S1 is created and prepared (its tree), as an administrator does before a load;
3. an XLSX file in the command's format (`unit_code, period, element_code, value`, one sheet,
   written with openpyxl's write-only mode) holds one value per unit and element;
4. `danvan import-values FILE` runs in a child process (call_command, DEBUG off as in production):
   `seconds` is its wall time (start-up
   included), `peak_mb` its maximum resident set and `cpu_s` its CPU time, user and system
   (getrusage of the child; the database server's work is not in it);
5. the values are counted, and the live roll-up left by the import is compared with a fresh
   `rollup.rebuild` (ElementRollup, UnitIndicator, IndicatorRollup of the period): any difference
   stops the benchmark with an error (`rollup_equals_rebuild`).
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import run_on  # noqa: E402

PERIOD = "2026S1"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/danvan_bench_import_values"


def log(message: str) -> None:
    print(f"[import-values-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def elements(count: int) -> list:
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports.models import DataElement

    seeds.ensure(apps)
    chosen = [e for e in DataElement.objects.order_by("order", "code") if not e.is_derived][:count]
    number = 0
    while len(chosen) < count:
        number += 1
        element, _created = DataElement.objects.get_or_create(
            code=f"BENCH_{number:02d}",
            defaults={"name": f"Chỉ tiêu đo hiệu năng {number}", "order": 1000 + number},
        )
        if element not in chosen:
            chosen.append(element)
    return chosen


def write_xlsx(path: Path, codes: list[str], element_codes: list[str], rng: random.Random) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(["unit_code", "period", "element_code", "value"])
    count = 0
    for code in codes:
        for element in element_codes:
            sheet.append([code, PERIOD, element, rng.randint(0, 1000)])
            count += 1
    book.save(path)
    return count


def rollup_state(period) -> tuple[list, list, list]:
    from danvan.reports.models import ElementRollup, IndicatorRollup, UnitIndicator

    def rows(model, *fields):
        return sorted(
            model.objects.filter(period=period).values_list("unit_id", *fields).iterator(chunk_size=10_000)
        )

    return (
        rows(ElementRollup, "element_id", "value", "reporters"),
        rows(IndicatorRollup, "indicator_id", "target_units", "met_units"),
        rows(UnitIndicator, "indicator_id", "numerator", "denominator", "complete", "has_target", "met"),
    )


def run(args) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from danvan.accounts.actors import System
    from danvan.reports import rollup, services
    from danvan.reports.models import DataValue, PeriodUnit

    rng = random.Random(args.seed)
    units = max(1, args.values // args.elements)
    result: dict = {"values_asked": args.values, "elements": args.elements, "database": connection.vendor}
    log(f"migrating {connection.vendor} database {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    log(f"synth-tree --units {units}")
    started = time.perf_counter()
    call_command("synth-tree", units=units, stdout=open(os.devnull, "w"))  # noqa: SIM115
    log(f"tree built in {time.perf_counter() - started:.0f} s")
    chosen = elements(args.elements)
    period = services.period_get(code=PERIOD, by=System("bench import-values"))
    codes = list(
        PeriodUnit.objects.filter(period=period, ended=False)
        .order_by("unit_id")
        .values_list("unit__code", flat=True)[:units]
    )
    result["units"] = len(codes)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    with tempfile.TemporaryDirectory(prefix="danvan-import-values-") as workdir:
        path = Path(workdir) / "so-lieu.xlsx"
        started = time.perf_counter()
        result["values"] = write_xlsx(path, codes, [e.code for e in chosen], rng)
        result["file_mb"] = round(path.stat().st_size / 1e6, 1)
        log(
            f"{result['values']} values written to {path.name} ({result['file_mb']} MB) in {time.perf_counter() - started:.0f} s"
        )
        connection.close()
        # As in production, DEBUG off (with it on, Django keeps the text of every query it runs); the
        # other production settings (keys, hosts) do not matter to a command, so it is turned off in place.
        runner = (
            "import sys, django; from django.conf import settings; django.setup(); settings.DEBUG = False; "
            "from django.core.management import call_command; call_command('import-values', sys.argv[1])"
        )
        script = Path(workdir) / "run.py"
        script.write_text(runner)
        command = [sys.executable, str(script), str(path)]
        if args.profile:
            command = [sys.executable, "-m", "cProfile", "-o", args.profile, *command[1:]]
        log("danvan import-values " + str(path))
        started = time.perf_counter()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings"}
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        result["seconds"] = round(time.perf_counter() - started, 1)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
        result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)  # the command's own CPU, PostgreSQL's not
        if done.returncode != 0:
            raise SystemExit(f"import-values failed:\n{done.stdout}\n{done.stderr[-3000:]}")
        log(f"{done.stdout.strip()} in {result['seconds']} s, peak {result['peak_mb']} MB")

    stored = DataValue.objects.filter(period=period, approved=True, source=DataValue.Source.IMPORTED).count()
    if stored != result["values"]:
        raise SystemExit(f"{stored} values stored, {result['values']} in the file")
    if not args.no_check:
        live = rollup_state(period)
        with transaction.atomic():
            rollup.rebuild(period)
        rebuilt = rollup_state(period)
        if live != rebuilt:
            names = ("ElementRollup", "IndicatorRollup", "UnitIndicator")
            differing = [name for name, a, b in zip(names, live, rebuilt, strict=True) if a != b]
            raise SystemExit(
                f"ROLL-UP MISMATCH after the import: {', '.join(differing)} differ from a rebuild"
            )
        result["rollup_equals_rebuild"] = True
        result["rollup_rows"] = [len(rows) for rows in live]
        log("live roll-up equals a rebuild")
    result["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=250_000)
    parser.add_argument("--elements", type=int, default=10, help="values per unit")
    parser.add_argument("--json", action="store_true", help="print one JSON line on stdout")
    parser.add_argument("--database-url", default=PG_DEFAULT)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-check", action="store_true", help="skip the roll-up check against a rebuild")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", help="run the command under cProfile, its statistics into this file")
    args = parser.parse_args()

    run_on(args, run, width=24)


if __name__ == "__main__":
    main()
