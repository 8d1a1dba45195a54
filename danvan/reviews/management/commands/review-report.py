"""`danvan review-report --unit CODE --period P --out FILE.docx|FILE.pdf|FILE.xlsx [--annex FILE.xlsx] [--user NAME]
[--date YYYY-MM-DD] [--layout party|state] …`: the semi-annual or annual review report (sơ kết / tổng kết) of
a unit as a party document (Hướng dẫn 36-HD/VPTW) or, with `--layout state`, as a state body's administrative
document (Nghị định 30/2020/NĐ-CP: quốc hiệu and tiêu ngữ, "Số: …/BC-UBND", "TM.").

The PDF is the DOCX converted by LibreOffice (danvan.formats.office): without LibreOffice the command
says how to install it, and the DOCX and XLSX are written as before."""

import datetime
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.accounts.selectors import user_by_username
from danvan.formats.office import ConversionFailed, ConverterMissing, docx_to_pdf
from danvan.orgs.selectors import today, unit_by_code
from danvan.reviews import annex, content, document
from danvan.reviews import wording as w

LONGEST = 200  # characters of a free-text option (place, names, titles)


class Command(BaseCommand):
    help = "Lập dự thảo báo cáo sơ kết (6 tháng) hoặc tổng kết (năm) công tác dân vận của một đơn vị (DOCX hoặc PDF, phụ lục XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã đơn vị.")
        parser.add_argument("--period", required=True, help="Kỳ: 2026S1, 2026S2, 2026, 2026RY, 2026RS1 …")
        parser.add_argument(
            "--out", required=True, help="Tệp kết quả: .docx hoặc .pdf (báo cáo), .xlsx (phụ lục)."
        )
        parser.add_argument("--annex", help="Ghi thêm phụ lục chỉ tiêu ra tệp .xlsx này.")
        parser.add_argument("--user", help="Lập với quyền xem của người dùng này (tên đăng nhập).")
        parser.add_argument("--date", help="Ngày ban hành (YYYY-MM-DD), mặc định hôm nay.")
        parser.add_argument(
            "--layout",
            default=content.PARTY,
            help="Thể thức: party (văn bản của Đảng, HD 36-HD/VPTW) hoặc state (văn bản hành chính, NĐ 30/2020).",
        )
        parser.add_argument("--place", default=w.PLACE_PLACEHOLDER, help="Địa danh, ví dụ: Đồng Nai.")
        parser.add_argument("--symbol", default="", help="Chữ viết tắt tên cơ quan trong ký hiệu, ví dụ: ĐU.")
        parser.add_argument("--superior", default="", help="Tên cơ quan cấp trên trực tiếp.")
        parser.add_argument(
            "--on-behalf",
            dest="on_behalf",
            default="",
            help="Ví dụ: T/M BAN THƯỜNG VỤ; TM. ỦY BAN NHÂN DÂN (văn bản hành chính).",
        )
        parser.add_argument(
            "--signer-title",
            dest="signer_title",
            default="",
            help="Ví dụ: PHÓ BÍ THƯ; mặc định BÍ THƯ (văn bản của Đảng).",
        )
        parser.add_argument("--signer", default=w.NAME_PLACEHOLDER, help="Họ và tên người ký.")

    def handle(self, *args, **options):
        if options["layout"] not in content.LAYOUTS:  # checked here, for a message in Vietnamese
            raise CommandError(
                _("--layout must be one of: %(layouts)s.") % {"layouts": ", ".join(content.LAYOUTS)}
            )
        unit = unit_by_code(options["unit"] or "")
        if unit is None:
            raise CommandError(_("Unit code “%(code)s” is unknown.") % {"code": options["unit"]})
        if options["user"] is not None:
            user = user_by_username(options["user"])
            if user is None:
                raise CommandError(_("User “%(name)s” is unknown.") % {"name": options["user"]})
            if not policy.can(user, Perm.REPORT_VIEW, unit):
                raise CommandError(
                    _("%(user)s may not see the figures of unit “%(code)s”.")
                    % {"user": options["user"], "code": unit.code}
                )
        out = _target(options["out"], (".docx", ".pdf", ".xlsx"))
        annex_out = _target(options["annex"], (".xlsx",)) if options["annex"] else None
        day = today()
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("--date must be a date YYYY-MM-DD.")) from None
        texts = {key: (options[key] or "").strip() for key in ("place", "symbol", "superior", "on_behalf")}
        texts |= {key: (options[key] or "").strip() for key in ("signer_title", "signer")}
        for key, text in texts.items():
            if len(text) > LONGEST:
                raise CommandError(
                    _("--%(option)s is too long (at most %(count)s characters).")
                    % {"option": key.replace("_", "-"), "count": LONGEST}
                )
        try:
            review = content.build(
                unit=unit,
                period_code=options["period"],
                day=day,
                place=texts["place"] or w.PLACE_PLACEHOLDER,
                symbol=texts["symbol"],
                superior=texts["superior"],
                on_behalf=texts["on_behalf"],
                signer_title=texts["signer_title"],
                signer=texts["signer"] or w.NAME_PLACEHOLDER,
                layout=options["layout"],
            )
        except content.ReviewError as error:
            raise CommandError(str(error)) from None
        if out.suffix.lower() == ".xlsx":
            annex.write(review, out)
        elif out.suffix.lower() == ".pdf":
            _write_pdf(review, out)
        else:
            document.write(review, out)
        if annex_out is not None:
            annex.write(review, annex_out)
        for path in filter(None, (out, annex_out)):
            self.stdout.write(_("Review report written to %(path)s.") % {"path": path})


def _write_pdf(review: content.Review, out: Path) -> None:
    """The DOCX in a temporary folder, converted into `out`."""
    with tempfile.TemporaryDirectory(prefix="danvan-review-") as work:
        docx = Path(work, out.stem + ".docx")
        document.write(review, docx)
        try:
            docx_to_pdf(docx, out)
        except (ConverterMissing, ConversionFailed) as error:
            raise CommandError(str(error)) from None


def _target(name: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(name)
    if path.suffix.lower() not in suffixes:
        raise CommandError(
            _("File “%(name)s” must end in %(suffixes)s.") % {"name": name, "suffixes": ", ".join(suffixes)}
        )
    if not path.parent.is_dir():
        raise CommandError(_("Folder “%(folder)s” does not exist.") % {"folder": path.parent})
    return path
