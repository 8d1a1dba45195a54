"""Overdue reminders by e-mail: once a day, each person who manages a lead unit's tasks gets one message.

Recipients of an overdue occurrence are the active users with an e-mail address who hold DOCUMENT_MANAGE
at its lead unit (or, without a lead, at the programme's unit) through a role granted within the
programme unit's subtree: the bloc above is not written to about every cell's task. `ReminderSent`
(unique per user and day) makes a second run on the same day send nothing.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.models import RoleAssignment
from danvan.core.mail import send_templated

from .models import Occurrence, ReminderSent, State


def _managing_roles() -> list[str]:
    return [role for role, perms in policy.GRANTS.items() if policy.Perm.DOCUMENT_MANAGE in perms]


def digests(today: datetime.date) -> dict:
    """user -> the overdue occurrences they are reminded of today."""
    overdue = (
        Occurrence.objects.filter(due_on__lt=today)
        .exclude(state=State.DONE)
        .select_related("task__programme__unit", "task__lead")
        .order_by("due_on", "id")
    )
    assignments = list(
        RoleAssignment.objects.filter(role__in=_managing_roles(), user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "unit")
    )
    found: dict = defaultdict(list)
    users = {}
    for occurrence in overdue:
        programme = occurrence.task.programme
        target = occurrence.task.lead or programme.unit
        for assignment in assignments:
            path = assignment.unit.path
            if target.path.startswith(path) and path.startswith(programme.unit.path):
                if occurrence not in found[assignment.user_id]:
                    found[assignment.user_id].append(occurrence)
                users[assignment.user_id] = assignment.user
    return {users[user_id]: items for user_id, items in found.items()}


def send_overdue_reminders(*, today: datetime.date | None = None) -> int:
    """Send today's reminders; returns how many e-mails were sent (none the second time the same day)."""
    today = today or timezone.localdate()
    sent = 0
    for user, items in sorted(digests(today).items(), key=lambda pair: pair[0].username):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, sent_on=today, count=len(items))
        except IntegrityError:
            continue  # already reminded today
        context = {
            "name": user.get_full_name() or user.get_username(),
            "items": items,
            "count": len(items),
            "today": today,
            "link": settings.SITE_URL.rstrip("/") + reverse("programmes:home"),
        }
        send_templated("programmes/email_subject.txt", "programmes/email_body.txt", context, user.email)
        sent += 1
    return sent
