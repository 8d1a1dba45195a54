"""`danvan import-activities --kind KIND FILE`: load an existing register (mediation, training …) from
CSV/XLSX; every row is checked first and, if any is wrong, nothing is saved."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.activities import importing
from danvan.audit.context import Actor, acting_as
from danvan.core import tables
from danvan.core.tables import FileRejected


class Command(BaseCommand):
    help = (
        "Nhập sổ sách hoạt động sẵn có (hòa giải, tập huấn, sinh hoạt chuyên đề, đối thoại …) từ tệp "
        "CSV/XLSX; có lỗi thì không lưu gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            required=True,
            help=(
                "Loại sổ: mediation, cell_meeting, training, dialogue, staff_conference, disclosure, "
                "inspection_board, inspection"
            ),
        )
        parser.add_argument("file", help="Tệp .csv hoặc .xlsx")

    def handle(self, *args, **options):
        try:
            register = importing.register_for(options["kind"])
        except importing.UnknownKind as unknown:
            raise CommandError(str(unknown)) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        try:
            with path.open("rb") as handle:  # read no further than the limit
                checked = tables.check_upload(File(handle, name=path.name))
            with acting_as(Actor(id=None, label="import-activities", source="command")):
                count = importing.import_file(
                    checked=checked, register=register, by=System("danvan import-activities")
                )
        except FileRejected as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(_("The file was rejected; nothing was saved.")) from None
        except ValidationError as error:
            lines = importing.error_lines(error)
            for line in lines:
                self.stderr.write(line)
            raise CommandError(
                _("The file was rejected (%(count)s errors); nothing was saved.") % {"count": len(lines)}
            ) from None
        self.stdout.write(importing.imported_message(count, register))
