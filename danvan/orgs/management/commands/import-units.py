"""`danvan import-units FILE [--dry-run] [--effective-on DAY]`: import units from a CSV or XLSX file
(see orgs/exchange/); units already in the system are updated, changes dated from the row or DAY."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.core import tables
from danvan.core.dates import parse_day
from danvan.orgs.exchange import apply


class Command(BaseCommand):
    help = "Nhập đơn vị từ tệp CSV hoặc XLSX; nếu có dòng sai thì không lưu gì và in lỗi từng dòng."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .csv hoặc .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu gì.")
        parser.add_argument(
            "--effective-on",
            help="Ngày hiệu lực (dd/mm/yyyy) của thay đổi ở dòng giữ nguyên ngày của phiên bản đã xuất; "
            "mặc định là hôm nay.",
        )

    def handle(self, *args, **options):
        effective_on = None
        if options["effective_on"]:
            effective_on = parse_day(options["effective_on"])
            if effective_on is None:
                raise CommandError(
                    _(
                        "“%(value)s” is not a date: write it as dd/mm/yyyy (for example 01/03/2025) or YYYY-MM-DD."
                    )
                    % {"value": options["effective_on"]}
                )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        try:
            with path.open("rb") as handle:  # read no further than the limit
                checked = tables.check_upload(File(handle, name=path.name))
        except tables.FileRejected as rejected:
            raise CommandError(str(rejected)) from None
        with acting_as(Actor(id=None, label="import-units", source="command")):
            result = apply.import_checked(
                checked=checked,
                by=System("danvan import-units"),
                dry_run=options["dry_run"],
                effective_on=effective_on,
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("The file was rejected (%(count)s errors); nothing was saved.")
                % {"count": len(result.errors)}
            )
        self.stdout.write(apply.summary_text(result.summary))
