"""Writes of the deadline engine: the deadline rules and the administrators' calendar entries.

Each write is one transaction, validated before anything is saved (ValidationError with a
Vietnamese message), and audited through the registration in apps.py. Rules for the same
procedure and step may never overlap in time: the check runs under a lock per (procedure, step)
on PostgreSQL (SQLite serialises writers), so two administrators cannot slip in overlapping rules.
The rules and the calendar belong to the whole installation: every write asks the policy that `by`
holds DEADLINE_MANAGE at a root (PermissionDenied, nothing written), as their pages do.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text

from .models import MAX_YEAR, MIN_YEAR, CalendarDay, DeadlineRule


def _lock_rules(procedure: str, step: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"voice.rule:{procedure}:{step}"])


def _require_manage(by: Actor) -> None:
    if not policy.can(by, Perm.DEADLINE_MANAGE, None):
        raise PermissionDenied(
            _("Only the administrators of the whole tree may change the deadline rules and the calendar.")
        )


def rule_save(*, rule: DeadlineRule, by: Actor) -> DeadlineRule:
    """Create or change `rule` (an unsaved instance, or a saved one carrying the new values).

    The audit log records who did it from the request's actor (apps.py registers the model).
    """
    _require_manage(by)
    try:
        with transaction.atomic():
            pairs = {(rule.procedure, rule.step)}
            if rule.pk is not None:  # the procedure or step may change: hold the old pair too
                pairs.update(DeadlineRule.objects.filter(pk=rule.pk).values_list("procedure", "step"))
            for procedure, step in sorted(pairs):  # always in the same order: no deadlock
                _lock_rules(procedure, step)
            rule.full_clean()
            rule.save()
    except IntegrityError:
        raise ValidationError({"code": _("A rule with this code already exists.")}) from None
    return rule


def rule_close(*, rule: DeadlineRule, effective_to: datetime.date, by: Actor) -> DeadlineRule:
    """End `rule` on `effective_to` (its last day in force), e.g. the day before a new law applies."""
    _require_manage(by)
    if not isinstance(effective_to, datetime.date):
        raise ValidationError({"effective_to": _("Give the last day the rule is in force.")})
    rule = DeadlineRule.objects.get(pk=rule.pk)
    rule.effective_to = effective_to
    return rule_save(rule=rule, by=by)


def calendar_day_add(*, day: datetime.date, kind: str, reason: str, by: Actor) -> CalendarDay:
    """Record an announced change for one date: a day off or a working day."""
    _require_manage(by)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not isinstance(day, datetime.date):
        errors["date"] = _("Give the date.")
    elif not MIN_YEAR <= day.year <= MAX_YEAR:
        errors["date"] = _("The year must be between %(min)s and %(max)s.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = _("Choose a day off or a working day.")
    if not reason:
        errors["reason"] = _("Give the reason, e.g. the announcement that decided it.")
    elif len(reason) > 200:
        errors["reason"] = _("The reason is limited to 200 characters.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            if CalendarDay.objects.filter(date=day).exists():
                raise IntegrityError
            return CalendarDay.objects.create(
                date=day, kind=kind, reason=reason, created_by=recorded_user(by)
            )
    except IntegrityError:
        raise ValidationError(
            {"date": _("There is already an entry for %(date)s: remove it first.") % {"date": day_text(day)}}
        ) from None


def calendar_day_remove(*, entry: CalendarDay, by: Actor) -> None:
    """Remove an administrator's entry for one date: the date follows the law's calendar again."""
    _require_manage(by)
    with transaction.atomic():
        entry.delete()
