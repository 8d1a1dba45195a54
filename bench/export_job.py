"""What running a unit export as a background job costs: the export alone vs the same export as a job.

    .venv/bin/python bench/export_job.py [--units 50000] [--format csv] [--database-url URL]

Builds the tree once with `danvan synth-tree --units N` in a SQLite file (default
var/bench-export-job.sqlite3, kept for the next run), then times, in this process and one after
the other, `orgs.exchange.export.units_export` of every unit (what a small export does in the
request) and `jobs.services.job_start` of the export kind (eager, as on the embedded default: the
size estimate, progress written every 500 rows, the file stored with its SHA-256). Prints one JSON
line; the difference is the job's overhead. Never part of the test suite.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = f"sqlite:///{ROOT / 'var' / 'bench-export-job.sqlite3'}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--format", default="csv", choices=("csv", "xlsx"))
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from danvan.accounts.models import User
    from danvan.jobs.models import Job
    from danvan.jobs.services import job_start
    from danvan.orgs.exchange.export import units_export
    from danvan.orgs.exchange.jobs import EXPORT_KIND
    from danvan.orgs.models import Unit

    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"
    call_command("migrate", verbosity=0, interactive=False)
    if Unit.objects.count() < args.units:
        call_command("synth-tree", units=args.units, verbosity=0)
    by, _ = User.objects.get_or_create(
        username="bench-operator", defaults={"is_superuser": True, "is_staff": True}
    )

    started = time.perf_counter()
    exported = units_export(units=None, fmt=args.format)
    direct = time.perf_counter() - started
    exported.file.close()

    started = time.perf_counter()
    job = job_start(kind=EXPORT_KIND, params={"format": args.format, "as_of": None}, by=by)
    as_job = time.perf_counter() - started
    assert job.state == Job.State.DONE, job.message
    result = {
        "units": Unit.objects.count(),
        "rows": job.done,
        "format": args.format,
        "direct_s": round(direct, 2),
        "job_s": round(as_job, 2),
        "overhead_pct": round(100 * (as_job - direct) / direct, 1),
    }
    job.file.delete(save=False)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
