"""`danvan rotate-identity-key [--check] [--new-key] [--batch-size N]`.

Rotating the key of the submitters' identities:
1. `danvan rotate-identity-key --new-key` prints a fresh key;
2. put it first: IDENTITY_KEYS="NEW,OLD", restart;
3. `danvan rotate-identity-key` re-encrypts under NEW every identity, protected attachment and
   record other apps sealed under the same keys (identity.crypto.seal_register), and recomputes the
   fingerprints, in batches, each one transaction (a failure leaves every row readable with
   NEW,OLD; run it again to finish);
4. `danvan rotate-identity-key --check` must report 0 rows left; then drop OLD: IDENTITY_KEYS="NEW".
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.accounts.actors import System
from danvan.audit.context import SYSTEM, Actor, acting_as
from danvan.core.text import whole
from danvan.voice.identity import crypto
from danvan.voice.identity.selectors import unregistered_binary_fields
from danvan.voice.identity.services import identity_keys_rotate


class Command(BaseCommand):
    help = "Mã hóa lại danh tính người gửi đơn và tệp đính kèm được bảo vệ bằng khóa đứng đầu IDENTITY_KEYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Chỉ đếm số bản ghi chưa được mã hóa bằng khóa đứng đầu."
        )
        parser.add_argument(
            "--new-key", action="store_true", help="In một khóa mới để đặt lên đầu IDENTITY_KEYS."
        )
        parser.add_argument("--batch-size", default="200", help="Số bản ghi mỗi lượt (mặc định 200).")

    def handle(self, *args, check=False, new_key=False, batch_size="200", **options):
        if new_key:
            self.stdout.write(crypto.new_key())
            self.stderr.write(
                _("Put this key first in IDENTITY_KEYS (NEW,OLD), restart, then run rotate-identity-key.")
            )
            return
        size = whole(str(batch_size), digits=5)
        if size is None or not 1 <= size <= 10_000:
            raise CommandError(_("--batch-size must be a whole number between 1 and 10000."))
        by = System("rotate-identity-key")
        with acting_as(Actor(id=None, label=by.label, source=SYSTEM.source)):
            result = identity_keys_rotate(batch_size=size, check=check, by=by)
        counts = {"identities": result.identities, "attachments": result.attachments, "others": result.others}
        if check:
            self.stdout.write(
                _(
                    "Not yet under the first key: %(identities)s identities, %(attachments)s protected "
                    "attachments, %(others)s other sealed records."
                )
                % counts
            )
        else:
            self.stdout.write(
                _(
                    "Re-encrypted under the first key: %(identities)s identities, %(attachments)s protected "
                    "attachments, %(others)s other sealed records (%(unchanged)s already under it)."
                )
                % {**counts, "unchanged": result.unchanged}
            )
        uncovered = unregistered_binary_fields()
        if uncovered:
            self.stderr.write(
                _(
                    "Warning: these binary fields are not rotated: %(fields)s. If they hold data encrypted "
                    "with IDENTITY_KEYS, register them (identity.crypto.seal_register) before dropping the old key."
                )
                % {"fields": ", ".join(uncovered)}
            )
        if result.unreadable:
            raise CommandError(
                _("%(count)s records cannot be read with any of IDENTITY_KEYS: %(records)s.")
                % {"count": len(result.unreadable), "records": ", ".join(result.unreadable[:50])}
            )
