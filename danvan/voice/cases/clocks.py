"""The statutory clocks of a case: started from the deadline rules, stopped, cancelled, recomputed.

Clocks are data-driven: on an event ("received", "accepted"), every deadline rule of the case's
kind counted from that event and in force on that day starts a clock (steps accept, notify,
resolve). Pauses, extensions and changes of complexity or remoteness recompute the due dates
(`deadlines.counting`). These helpers write in the transaction of the case's service
(`services.py`), which says when each one applies.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from danvan.voice.deadlines import counting
from danvan.voice.deadlines.models import DeadlineRule

from .models import Case, Clock

Step = DeadlineRule.Step


def paused_spans(case: Case) -> list[tuple[datetime.date, datetime.date]]:
    """Paused days as (first, last): a pause ended on day E stopped the clock up to E − 1; an open one up to today."""
    one_day, spans = datetime.timedelta(days=1), []
    for pause in case.pauses.all():
        last = (pause.ended_on or timezone.localdate() + one_day) - one_day
        if last >= pause.started_on:
            spans.append((pause.started_on, last))
    return spans


def start(case: Case, event: str, day: datetime.date) -> list[Clock]:
    """A clock for every rule of the case's kind counted from `event` and in force on `day`."""
    steps = (Step.ACCEPT, Step.NOTIFY, Step.RESOLVE)
    rules = DeadlineRule.objects.filter(procedure=case.kind, counted_from=event, step__in=steps)
    started = []
    for step in sorted({rule.step for rule in rules}):
        try:
            found = counting.deadline(
                case.kind,
                step,
                day,
                complex=case.is_complex,
                remote=case.is_remote,
                pauses=paused_spans(case),
            )
        except ValidationError:  # no rule of this step is in force on that day
            continue
        started.append(
            Clock.objects.create(
                case=case,
                unit=case.unit,
                step=step,
                rule=found.rule,
                started_on=day,
                days=found.days,
                due_on=found.due,
            )
        )
    return started


def recompute(case: Case) -> None:
    """Due dates of the running clocks after a change of complexity, remoteness, extensions or pauses."""
    spans = paused_spans(case)
    for clock in case.clocks.filter(stopped_on__isnull=True).select_related("rule"):
        days = clock.rule.days_for(complex=case.is_complex, remote=case.is_remote)
        days += clock.extensions * (clock.rule.extension_days or 0)
        due = counting.due_date(clock.started_on, days, clock.rule.day_unit, spans)
        if (due, days) != (clock.due_on, clock.days):
            clock.due_on, clock.days = due, days
            clock.save(update_fields=["due_on", "days"])


def stop(case: Case, steps: Iterable[str], day: datetime.date, *, cancelled: bool = False) -> None:
    """Stop the running clocks of `steps` on `day` (the step was done)."""
    case.clocks.filter(stopped_on__isnull=True, step__in=list(steps)).update(
        stopped_on=day, cancelled=cancelled
    )


def cancel_all(case: Case, day: datetime.date) -> None:
    """Cancel every running clock on `day` (a transfer, a withdrawal, a decision)."""
    case.clocks.filter(stopped_on__isnull=True).update(stopped_on=day, cancelled=True)
