"""`danvan check-translations`: list interface strings missing from the Vietnamese catalogue."""

import polib
from django.core.management.base import BaseCommand, CommandError

from danvan.core.translations import catalogue_path, duplicates, missing


class Command(BaseCommand):
    help = "Liệt kê các chuỗi giao diện chưa có bản dịch tiếng Việt."

    def add_arguments(self, parser):
        parser.add_argument("--stubs", action="store_true", help="In các mục .po trống để điền bản dịch.")

    def handle(self, *args, stubs=False, **options):
        gaps = missing()
        if stubs:
            for msgid, where in sorted(gaps.items(), key=lambda item: item[1]):
                entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[(where, "")])
                self.stdout.write(str(entry))
            return
        if gaps:
            for msgid, where in sorted(gaps.items(), key=lambda item: item[1]):
                self.stdout.write(f"{where}: {msgid!r}")
            raise CommandError(f"{len(gaps)} chuỗi chưa được dịch trong {catalogue_path()}")
        twice = duplicates()
        if twice:
            for msgid in twice:
                self.stdout.write(f"dịch hai lần: {msgid!r}")
            raise CommandError(f"{len(twice)} chuỗi được dịch hai lần trong {catalogue_path()}: giữ một bản")
        self.stdout.write("Mọi chuỗi giao diện đều đã có bản dịch tiếng Việt.")
