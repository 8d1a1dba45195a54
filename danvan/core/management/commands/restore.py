"""`danvan restore ARCHIVE [--force]`: put a `danvan backup` archive back into the configured (empty)
database and MEDIA_ROOT, then check every table's count and content hash and every file against the
manifest; see danvan/core/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from danvan.core import backup
from danvan.core.backup import number


class Command(BaseCommand):
    help = (
        "Phục hồi một bản sao lưu vào cơ sở dữ liệu mới, trống, rồi kiểm tra lại với bản kê của bản sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar do danvan backup tạo.")
        parser.add_argument("--force", action="store_true", help="Ghi đè cả khi cơ sở dữ liệu đã có dữ liệu.")

    def handle(self, *args, archive: str, force: bool = False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            manifest = backup.restore(path, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        problems = backup.verify(manifest)
        if problems:
            raise CommandError("Phục hồi xong nhưng dữ liệu khác bản sao lưu:\n" + "\n".join(problems))
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Đã phục hồi và kiểm tra: {number(len(manifest['tables']))} bảng, {number(rows)} dòng, {number(len(manifest['files']))} tệp "
            "khớp với bản sao lưu."
        )
        self.stdout.write(backup.KEYS_REMINDER)
