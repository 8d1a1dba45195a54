"""`danvan send-reminders [--kind NAME] [--date YYYY-MM-DD]`: the daily reminder e-mails, now.

Celery beat sends each kind every morning where a worker runs (`make worker`). An installation on
the embedded default has no beat: run this command once a day from cron instead. Running it twice
on one day sends nothing new.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.reminders.kinds import kind_get, kinds
from danvan.reminders.services import send


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn hằng ngày: mọi loại, hoặc một loại với --kind (report, case, study, programme); "
        "chạy lại trong ngày không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="Chỉ gửi loại nhắc hạn này.")
        parser.add_argument("--date", help="Ngày gửi thay cho hôm nay, dạng YYYY-MM-DD.")

    def handle(self, *args, kind=None, date=None, **options):
        chosen = [self._kind(kind)] if kind else kinds()
        day = self._day(date)
        with acting_as(Actor(id=None, label="send-reminders", source="command")):
            for each in chosen:
                count = send(kind=each, today=day, by=System("danvan send-reminders"))
                self.stdout.write(
                    _("%(kind)s: %(count)s e-mails sent.") % {"kind": each.label, "count": count}
                )

    def _kind(self, name: str):
        try:
            return kind_get(name)
        except LookupError:
            names = ", ".join(each.name for each in kinds())
            raise CommandError(
                _("There is no reminder kind %(name)s; the kinds are: %(names)s.")
                % {"name": name, "names": names}
            ) from None

    def _day(self, text: str | None) -> datetime.date | None:
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(_("Write the date as YYYY-MM-DD, for example 2026-07-15.")) from None
