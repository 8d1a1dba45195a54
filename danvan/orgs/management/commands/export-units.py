"""`danvan export-units FILE [--as-of DATE] [--format csv|xlsx]`: export every unit (administrators)."""

import datetime
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danvan.audit.context import Actor, acting_as
from danvan.orgs.exchange import export


class Command(BaseCommand):
    help = "Xuất mọi đơn vị ra tệp CSV hoặc XLSX (mọi phiên bản, hoặc một dòng mỗi đơn vị vào một ngày)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp cần ghi (.csv hoặc .xlsx)")
        parser.add_argument("--as-of", help="Ngày (YYYY-MM-DD): chỉ xuất các đơn vị có hiệu lực vào ngày đó.")
        parser.add_argument(
            "--format", choices=sorted(export.FORMATS), help="Mặc định theo phần mở rộng của tệp."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in export.FORMATS:
            raise CommandError(_("Give a .csv or .xlsx file name, or --format csv|xlsx."))
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD (for example 2025-03-01).")
                    % {"value": options["as_of"]}
                ) from None
        with acting_as(Actor(id=None, label="export-units", source="command")):
            exported = export.units_export(as_of=as_of, fmt=fmt)
        try:
            with exported.file, path.open("wb") as target:
                shutil.copyfileobj(exported.file, target)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(problem)s") % {"path": path, "problem": exc.strerror}
            ) from None
        self.stdout.write(
            _("Exported %(count)s rows to %(path)s.")
            % {"count": number_format(exported.rows, force_grouping=True), "path": path}
        )
