"""Compile every gettext catalogue of the project (.po -> .mo) without needing GNU gettext."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    return sorted(settings.BASE_DIR.glob("**/locale/*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Biên dịch các tệp bản dịch (.po → .mo) của dự án."

    def handle(self, *args, **options):
        count = 0
        for po_path in catalogues():
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Tệp bản dịch lỗi: {po_path}: {exc}") from exc
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            count += 1
        self.stdout.write(f"Đã biên dịch {count} tệp bản dịch.")
