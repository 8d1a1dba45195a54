"""Sending reminders. Owns the `Sent` rows.

`send(kind=…, today=…, by=…)` runs one kind for one day, for the installation (`System`) or an
administrator holding every right over the whole tree (the reminders of every unit go out):

1. the kind prepares what its reminders depend on, if anything;
2. the kind says who is reminded of what today (`Kind.collect`);
3. the items already sent to that recipient that day are dropped (`Sent`: kind, day, recipient, key);
4. each recipient left gets one e-mail. Its items are recorded as sent, one audit event is written
   (`<kind>.reminder`: the day, the address, the items) and the e-mail goes out in one transaction,
   so an e-mail that cannot be sent leaves its items for the next run; the others still get theirs.

A second run the same day sends nothing; an item that appears later that day goes out with the next
run. Rows older than `KEEP_DAYS` are deleted: only the day's rows are ever read, the audit log keeps
the history.
"""

import datetime
import logging
import smtplib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.models import User
from danvan.audit.services import record
from danvan.core.mail import send_templated

from .kinds import Kind, Sections, kind_get
from .models import Sent

KEEP_DAYS = 31

logger = logging.getLogger(__name__)


def send(*, kind: Kind | str, today: datetime.date | None = None, by: Actor) -> int:
    """Send `kind`'s reminders of `today` (the local date by default); returns how many e-mails went out.

    They concern every unit: `by` must hold every right over the whole tree (the installation does).
    """
    if not all(policy.can(by, perm, None) for perm in policy.Perm):
        raise PermissionDenied(
            _("Only the installation or an administrator of the whole tree sends reminders.")
        )
    kind = kind if isinstance(kind, Kind) else kind_get(kind)
    today = today or timezone.localdate()
    if kind.prepare is not None:
        kind.prepare(today)
    Sent.objects.filter(kind=kind.name, day__lt=today - datetime.timedelta(days=KEEP_DAYS)).delete()
    done = _sent_today(kind, today)
    sent = 0
    for user, sections in kind.collect(today):
        if not (user.is_active and user.email):
            continue
        fresh = _unsent(kind, sections, done.get(user.pk, set()))
        if any(fresh.values()) and _deliver(kind, user, fresh, today):
            sent += 1
    return sent


def _sent_today(kind: Kind, today: datetime.date) -> dict[int, set[str]]:
    """recipient id → the keys this kind already sent them today (one query)."""
    done: dict[int, set[str]] = {}
    for user_id, key in Sent.objects.filter(kind=kind.name, day=today).values_list("recipient_id", "key"):
        done.setdefault(user_id, set()).add(key)
    return done


def _key(section: str, item: Any) -> str:
    return f"{section}:{item.key}"


def _unsent(kind: Kind, sections: Sections, done: set[str]) -> Sections:
    """Every section of the kind, with the items not yet sent (the same item in another section is new)."""
    unknown = set(sections) - set(kind.sections)
    if unknown:
        raise ValueError(f"reminder kind {kind.name!r} has no section {sorted(unknown)}")
    return {
        section: [item for item in sections.get(section, ()) if _key(section, item) not in done]
        for section in kind.sections
    }


def _deliver(kind: Kind, user: User, sections: Sections, today: datetime.date) -> bool:
    """Record and send one recipient's e-mail; False when it did not go out (nothing recorded then)."""
    keys = [_key(section, item) for section, items in sections.items() for item in items]
    try:
        with transaction.atomic():
            Sent.objects.bulk_create(
                [Sent(kind=kind.name, day=today, recipient=user, key=key) for key in keys]
            )
            _audit(kind, user, sections, keys, today)
            context = _context(kind, user, sections, today)
            send_templated(kind.subject_template, kind.body_template, context, user.email)
    except IntegrityError:
        return False  # a run at the same moment recorded them first: that run sends the e-mail
    except (smtplib.SMTPException, OSError):
        logger.exception("%s reminder to user %s not sent; its items stay unsent", kind.name, user.pk)
        return False
    return True


def _audit(kind: Kind, user: User, sections: Sections, keys: list[str], today: datetime.date) -> None:
    units = [item.unit for items in sections.values() for item in items if item.unit is not None]
    record(
        action=kind.action,
        model="accounts.user",
        object_id=str(user.pk),
        object_repr=user.get_username(),
        unit=units[0] if units else None,
        changes={"day": today.isoformat(), "email": user.email, "items": keys},
    )


def _context(kind: Kind, user: User, sections: Sections, today: datetime.date) -> dict[str, Any]:
    items = [item for items in sections.values() for item in items]
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "today": today,
        "items": items,
        "count": len(items),
        **sections,
    }
    if kind.context is not None:
        context.update(kind.context(sections, today))
    return context
