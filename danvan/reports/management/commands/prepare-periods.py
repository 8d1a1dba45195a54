"""`danvan prepare-periods [--date YYYY-MM-DD]`: create and prepare the periods around a date."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.reports import services


class Command(BaseCommand):
    help = (
        "Tạo và chuẩn bị các kỳ báo cáo quanh một ngày (kỳ trước, kỳ hiện tại và kỳ sau của mỗi loại kỳ "
        "đang dùng): cây đơn vị của kỳ, số liệu lấy từ hồ sơ, tổng hợp. Celery beat chạy việc này mỗi đêm."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính các kỳ (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("--date must be a date YYYY-MM-DD.")) from None
        done = services.periods_prepare(today=today, by=System("danvan prepare-periods"))
        if options["verbosity"] < 1:
            return
        for period, prepared in done:
            message = _("Period %(period)s prepared.") if prepared else _("Period %(period)s was ready.")
            self.stdout.write(message % {"period": period.code})
