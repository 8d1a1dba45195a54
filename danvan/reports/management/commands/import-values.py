"""`danvan import-values FILE`: load approved values from CSV/XLSX (unit_code, period, element_code, value[, category])."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.core import tables
from danvan.core.tables import FileRejected
from danvan.reports import exchange


class Command(BaseCommand):
    help = "Nhập số liệu đã duyệt từ tệp CSV/XLSX (unit_code, period, element_code, value[, category]); có lỗi thì không lưu gì."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .csv hoặc .xlsx")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        try:
            with path.open("rb") as handle:  # read no further than the limit
                checked = tables.check_upload(File(handle, name=path.name))
            with acting_as(Actor(id=None, label="import-values", source="command")):
                count = exchange.import_values_file(checked=checked, by=System("danvan import-values"))
        except FileRejected as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            lines = exchange.error_lines(error)
            for line in lines:
                self.stderr.write(line)
            raise CommandError(
                _("The file was rejected (%(count)s errors); nothing was saved.") % {"count": len(lines)}
            ) from None
        self.stdout.write(_("Imported %(count)s values.") % {"count": count})
