"""Activity-register import benchmark: the time to load an existing mediation register.

    .venv/bin/python bench/import_activities.py [--rows 20000] [--units 2000] [--database-url URL]

Builds a synthetic tree (`danvan synth-tree --units N`) in a fresh SQLite file under var/ (or the
database given), loads the report catalogue, prepares the half-year 2025S2 (so the import also keeps
the report figures current, as it does in production), writes a mediation register of `--rows` rows
spread over the tree's cells (CSV, dd/mm/yyyy dates, both spellings of the result) and times
`danvan import-activities --kind mediation FILE` (all rows checked, then saved in one transaction,
figures refreshed once). Then `danvan analytics --unit <root> --period 2025S2 --indicator
MEDIATION_SUCCESS_RATE` checks that the figures count every row. One JSON line on stdout. Never part
of the test suite.
"""

import argparse
import datetime
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    database = ROOT / "var" / "bench-import-activities.sqlite3"
    if not args.database_url and database.exists():
        database.unlink()
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    from danvan.accounts.actors import System
    from danvan.orgs.models import Unit, UnitVersion
    from danvan.reports import catalogue
    from danvan.reports import services as report_services
    from danvan.reports.models import ReportingCalendar

    call_command("migrate", verbosity=0, interactive=False)
    call_command("synth-tree", units=args.units, stdout=io.StringIO())
    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    report_services.period_get(code="2025S2", by=System("bench"))
    live = UnitVersion.objects.filter(valid_to__isnull=True)
    cells = list(live.filter(unit_type__code="cell").values_list("unit__code", flat=True))
    root = live.filter(parent__isnull=True).values_list("unit__code", flat=True).first()
    rng = random.Random(14)
    start = datetime.date(2025, 7, 1)
    successful = 0
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as handle:
        handle.write("unit_code,received_on,parties,content,mediators,result,concluded_on\n")
        for number in range(args.rows):
            received = start + datetime.timedelta(days=rng.randrange(150))
            result = rng.choices(["Thành", "successful", "Không thành", "Đang hòa giải"], [5, 2, 2, 1])[0]
            successful += result in ("Thành", "successful")
            concluded = (
                ""
                if result == "Đang hòa giải"
                else (received + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
            )
            handle.write(
                f"{rng.choice(cells)},{received:%d/%m/%Y},Hộ {number} – Hộ {number + 1},"
                f"Tranh chấp ranh giới đất số {number},Nguyễn Thị Hoa;Trần Văn Nam,{result},{concluded}\n"
            )
        path = handle.name
    began = time.perf_counter()
    call_command("import-activities", path, kind="mediation", stdout=io.StringIO())
    seconds = time.perf_counter() - began
    out = io.StringIO()
    call_command(
        "analytics", unit=root, period="2025S2", indicator="MEDIATION_SUCCESS_RATE", json=True, stdout=out
    )
    figures = json.loads(out.getvalue())
    os.unlink(path)
    assert (figures["numerator"], figures["denominator"]) == (successful, args.rows), figures
    print(
        json.dumps(
            {
                "rows": args.rows,
                "units": Unit.objects.count(),
                "cells": len(cells),
                "seconds": round(seconds, 2),
                "rows_per_second": round(args.rows / seconds),
                "successful": successful,
                "database": os.environ["DATABASE_URL"].split(":", 1)[0],
            }
        )
    )


if __name__ == "__main__":
    main()
