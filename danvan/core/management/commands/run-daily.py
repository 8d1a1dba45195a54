"""`danvan run-daily`: every scheduled job once, now, for installations without Celery beat (cron).

The jobs are those of danvan/core/schedule.py, the list beat's schedule is made from, in its order.
Each is safe to run again (reminders drop what was already sent that day, a prepared period is left
as it is …), so a second run sends and creates nothing new. One run at a time: a run started while
another is running says so and stops (or waits for it with --wait).
"""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats
from django.utils.translation import gettext as _

from danvan.core import locks
from danvan.core.schedule import JOBS, Job


def task_of(job: Job):
    module, _dot, name = job.task.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _count(result) -> str:
    if isinstance(result, dict):
        result = sum(value for value in result.values() if isinstance(value, int))
    if isinstance(result, bool) or not isinstance(result, int):
        return str(result) if result is not None else ""
    return formats.number_format(result, use_l10n=True, force_grouping=True)


class Command(BaseCommand):
    help = "Chạy một lần mọi việc định kỳ (nhắc việc, chuẩn bị kỳ báo cáo, dọn dẹp …) cho cài đặt không có Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true", help="Chờ lần chạy khác xong thay vì dừng.")

    def handle(self, *args, wait: bool = False, **options):
        try:
            with locks.exclusive("run-daily", wait=wait):
                failed = self._run_all()
        except locks.Busy:
            raise CommandError(
                _("Another run of the scheduled jobs is in progress; this one stops.")
            ) from None
        if failed:
            raise CommandError(_("%(count)s scheduled jobs failed.") % {"count": failed})

    def _run_all(self) -> int:
        failed = 0
        for job in JOBS:
            try:
                result = task_of(job)(**job.kwargs)
            except Exception as exc:  # one job failing does not stop the others
                failed += 1
                self.stderr.write(_("%(job)s: failed (%(error)s)") % {"job": job.label, "error": exc})
                continue
            self.stdout.write(f"{job.label}: {_count(result)}")
        return failed
