"""`danvan fail-stale-jobs`: mark failed the background jobs whose worker died, now.

Celery beat runs it every five minutes where a worker runs (`make worker`); without beat, run this
command from cron (every few minutes). A job that still reports progress is left alone.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.jobs.services import jobs_fail_stale


class Command(BaseCommand):
    help = "Đánh dấu thất bại các việc chạy nền đã dừng giữa chừng (không còn báo tiến độ) hoặc không được nhận chạy."

    def handle(self, *args, **options):
        with acting_as(Actor(id=None, label="fail-stale-jobs", source="command")):
            count = jobs_fail_stale(by=System("danvan fail-stale-jobs"))
        self.stdout.write(_("%(count)s stopped jobs marked failed.") % {"count": count})
