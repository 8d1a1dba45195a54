"""`danvan search-reindex [--kind KIND]`: rebuild the search index from the records themselves."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.search import registry, services


class Command(BaseCommand):
    help = "Dựng lại chỉ mục tìm kiếm từ dữ liệu (mọi loại, hoặc một loại)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="Chỉ một loại bản ghi, ví dụ: unit, document, case.")

    def handle(self, *args, **options):
        known = [kind.key for kind in registry.kinds()]
        if options["kind"] and options["kind"] not in known:
            raise CommandError(
                _("Unknown kind “%(kind)s”; known: %(known)s.")
                % {"kind": options["kind"], "known": ", ".join(known)}
            )
        counts = services.reindex(kind=options["kind"])
        for kind in registry.kinds():
            if kind.key in counts:
                self.stdout.write(
                    _("%(label)s: %(count)s entries.") % {"label": kind.label, "count": counts[kind.key]}
                )
