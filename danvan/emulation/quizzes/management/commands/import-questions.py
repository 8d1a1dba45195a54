"""`danvan import-questions --unit CODE FILE`: load questions into a unit's bank from XLSX, CSV or DOCX;
every question is checked first and, if any is wrong, nothing is saved."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.core import tables
from danvan.core.tables import FileRejected
from danvan.emulation.quizzes import importing, services
from danvan.orgs.selectors import unit_by_code


class Command(BaseCommand):
    help = (
        "Nhập câu hỏi trắc nghiệm vào ngân hàng câu hỏi của một đơn vị từ tệp XLSX, CSV hoặc DOCX; "
        "có lỗi thì không lưu gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã đơn vị giữ ngân hàng câu hỏi")
        parser.add_argument("file", help="Tệp .xlsx, .csv hoặc .docx")

    def handle(self, *args, **options):
        unit = unit_by_code(options["unit"])
        if unit is None:
            raise CommandError(_("Unknown unit code: %(code)s.") % {"code": options["unit"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        try:
            with path.open("rb") as handle:
                checked = tables.check_upload(File(handle, name=path.name), kinds=importing.KINDS)
            specs = importing.read_specs(checked)
            with acting_as(Actor(id=None, label="import-questions", source="command")):
                count = services.questions_import(
                    unit=unit, specs=specs, by=System("danvan import-questions")
                )
        except FileRejected as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(_("The file was rejected; nothing was saved.")) from None
        except importing.ImportProblems as error:
            for line in error.messages:
                self.stderr.write(line)
            raise CommandError(
                _("The file was rejected (%(count)s errors); nothing was saved.")
                % {"count": len(error.messages)}
            ) from None
        except ValidationError as error:
            for line in error.messages:
                self.stderr.write(line)
            raise CommandError(
                _("The file was rejected (%(count)s errors); nothing was saved.")
                % {"count": len(error.messages)}
            ) from None
        self.stdout.write(
            _("%(count)s questions were added to the bank of %(unit)s.") % {"count": count, "unit": unit.name}
        )
