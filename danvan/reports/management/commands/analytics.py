"""`danvan analytics --unit CODE --period P --indicator CODE [--as-of YYYY-MM-DD] [--json]`."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.orgs.selectors import unit_by_code
from danvan.reports import selectors, services
from danvan.reports.models import Indicator
from danvan.reports.templatetags.reports import indicator_value


class Command(BaseCommand):
    help = "Số liệu một chỉ số của một đơn vị trong một kỳ (tổng hợp theo cây), in ra dạng JSON."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--indicator", required=True)
        parser.add_argument(
            "--as-of", dest="as_of", help="Tổng hợp theo cây đơn vị tại ngày này (YYYY-MM-DD)."
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON.")

    def handle(self, *args, **options):
        unit = unit_by_code(options["unit"])
        if unit is None:
            raise CommandError(_("Unit code “%(code)s” is unknown.") % {"code": options["unit"]})
        indicator = Indicator.objects.filter(code__iexact=options["indicator"].strip()).first()
        if indicator is None:
            raise CommandError(_("Indicator “%(code)s” is unknown.") % {"code": options["indicator"]})
        try:
            period = services.period_get(code=options["period"], by=System("danvan analytics"))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(_("--as-of must be a date YYYY-MM-DD.")) from None
        result = selectors.figures(unit=unit, period=period, indicator=indicator, as_of=as_of)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        data = result.as_dict()
        self.stdout.write(
            f"{unit.code} · {period.code} · {indicator.code}: {data['numerator']}/{data['denominator']}"
            f" = {indicator_value(result.value, indicator)}"
        )
