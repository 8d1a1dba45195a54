"""`danvan deadline --start YYYY-MM-DD --days N --unit working|calendar [--pause FROM:TO …]`.

Prints the due date (ISO) and nothing else, computed by `deadlines.counting.due_date`: for administrators
to check a rule against the calendar. Bad arguments end with a Vietnamese error.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.core.text import whole
from danvan.voice.deadlines import counting


class Command(BaseCommand):
    help = "In hạn cuối (YYYY-MM-DD) của một thời hạn tính theo ngày hoặc ngày làm việc."

    def add_arguments(self, parser):
        # Checked in handle(), so that a missing or bad value gets a Vietnamese message.
        parser.add_argument("--start", help="Ngày xảy ra sự kiện (YYYY-MM-DD); ngày này không được tính.")
        parser.add_argument("--days", help="Số ngày của thời hạn.")
        parser.add_argument("--unit", help="calendar (ngày) hoặc working (ngày làm việc).")
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            help="Tạm dừng FROM:TO (YYYY-MM-DD:YYYY-MM-DD), lặp lại được.",
        )

    def handle(self, *args, **options):
        missing = [f"--{name}" for name in ("start", "days", "unit") if not options[name]]
        if missing:
            raise CommandError(_("Missing: %(options)s.") % {"options": ", ".join(missing)})
        try:
            start = counting.parse_date(options["start"])
            days_text = options["days"].strip()
            days = whole(days_text.removeprefix("-"), digits=5)
            if days is None:
                raise ValidationError(_("--days must be a whole number."))
            unit = options["unit"].strip().lower()
            if unit not in counting.UNITS:
                raise ValidationError(_("--unit must be working or calendar."))
            pauses = [counting.parse_pause(text) for text in options["pause"]]
            due = counting.due_date(start, -days if days_text.startswith("-") else days, unit, pauses)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(due.isoformat())
