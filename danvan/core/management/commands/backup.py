"""`danvan backup [--out DIR]`: one archive (tar) of the database, the uploaded files and a manifest;
see danvan/core/backup.py. The identity keys are not in it: keep them separately."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from danvan.core import backup
from danvan.core.backup import number


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar (không gồm khóa mã hóa danh tính)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="Thư mục lưu bản sao lưu (mặc định: DATA_DIR/backups).")

    def handle(self, *args, out: str | None = None, **options):
        folder = Path(out) if out else Path(settings.DATA_DIR) / "backups"
        try:
            archive, manifest = backup.create(folder)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu vào {archive}: {number(len(manifest['tables']))} bảng, {number(rows)} dòng, {number(len(manifest['files']))} tệp."
        )
        self.stdout.write(backup.KEYS_REMINDER)
