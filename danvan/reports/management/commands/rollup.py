"""`danvan rollup --rebuild [--period P]`: rebuild the trees, derived values and roll-ups of the periods."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.reports import rollup, services
from danvan.reports.models import Period


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu tổng hợp (cây đơn vị của kỳ, số liệu lấy từ hồ sơ, tổng hợp theo cây)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Tính lại từ đầu (bắt buộc).")
        parser.add_argument("--period", action="append", default=[], help="Chỉ kỳ này (có thể lặp lại).")

    def handle(self, *args, **options):
        if not options["rebuild"]:
            raise CommandError(_("Say --rebuild: the roll-up is otherwise kept current as values change."))
        try:
            periods = [
                services.period_get(code=code, by=System("danvan rollup"), prepare=False)
                for code in options["period"]
            ] or list(Period.objects.all())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for period in periods:
            started = time.perf_counter()
            rollup.rebuild(period)
            self.stdout.write(
                _("Period %(period)s rebuilt in %(seconds).1f s.")
                % {"period": period.code, "seconds": time.perf_counter() - started}
            )
