"""Reads of the public side: units a citizen may send to, a case found by its tracking code, and what
its sender may read about it.

The status shows what is public about a case and nothing else: reference, kind, subject (the
sender's own words), day received, state in plain words, the unit handling it (name), the due date
of the current step, and the public events (date and what happened; a transfer names the unit it
went to). Never the identity, the handler or any actor, internal reasons (CaseEvent.reason, even on
a rejection or a withdrawal), decision summaries, notes or files: the answer to the sender is the
case's `public_note`, which handlers write for that purpose.
"""

import datetime
import hashlib
import hmac
import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy

from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit
from danvan.voice.cases import tracking
from danvan.voice.cases.models import Case, CaseEvent, Kind, State
from danvan.voice.deadlines.models import DeadlineRule

STATE_TEXT = {
    State.RECEIVED: gettext_lazy("Your submission has been received and is waiting to be examined."),
    State.CLASSIFIED: gettext_lazy(
        "Your submission has been examined; the unit is deciding whether to accept it for handling."
    ),
    State.ACCEPTED: gettext_lazy("Your submission has been accepted for handling."),
    State.REJECTED: gettext_lazy("Your submission was not accepted for handling."),
    State.VERIFYING: gettext_lazy("The unit is verifying the facts."),
    State.RESOLVED: gettext_lazy("The unit has settled your submission."),
    State.CLOSED: gettext_lazy("The handling of your submission is finished."),
    State.WITHDRAWN: gettext_lazy("The submission was withdrawn."),
    State.PAUSED: gettext_lazy(
        "The unit is waiting for information or documents from you; the time limit is paused until then."
    ),
}
ACTION_LABELS = dict(CaseEvent.Action.choices)
STEP_TEXT = {
    DeadlineRule.Step.ACCEPT: gettext_lazy("Decision on accepting it, due by"),
    DeadlineRule.Step.RESOLVE: gettext_lazy("Settlement due by"),
    DeadlineRule.Step.NOTIFY: gettext_lazy("Notice of acceptance due by"),
}


def active_units(query: str):
    """Units that exist today whose name, short name or code hold every word of `query`, accents ignored."""
    return org_selectors.search(query).select_related("parent")


def case_by_code(code: str) -> Case | None:
    """The case whose tracking code is `code`, looked up by the code's hash (a bad code costs the same)."""
    digest = tracking.digest(code) or hashlib.sha256(secrets.token_bytes(16)).hexdigest()
    case = Case.objects.select_related("unit").filter(tracking_hash=digest).first()
    if case is None or not hmac.compare_digest(case.tracking_hash or "", digest):
        return None
    return case


def _event_day(event: CaseEvent):
    day = event.details.get("day") or event.details.get("decision_date")
    if day:
        return datetime.date.fromisoformat(day)
    return timezone.localdate(event.at)


def public_status(case: Case) -> dict:
    """What the sender may read about their case; see the module docstring for what is left out."""
    events = []
    for event in case.events.filter(public=True).order_by("at", "id"):
        item = {"day": _event_day(event), "label": ACTION_LABELS.get(event.action, ""), "to_unit": ""}
        if event.action == CaseEvent.Action.TRANSFER:
            target = Unit.objects.filter(pk=event.details.get("to_unit")).values_list("name", flat=True)
            item["to_unit"] = target.first() or ""
        events.append(item)
    due = None
    if case.state in (State.RECEIVED, State.CLASSIFIED, State.ACCEPTED, State.VERIFYING):
        running = {
            clock.step: clock for clock in case.clocks.filter(stopped_on__isnull=True, cancelled=False)
        }
        for step in (DeadlineRule.Step.ACCEPT, DeadlineRule.Step.RESOLVE, DeadlineRule.Step.NOTIFY):
            if step in running:
                due = {"label": STEP_TEXT[step], "day": running[step].due_on}
                break
    return {
        "reference": case.reference,
        "kind": Kind(case.kind).label,
        "subject": case.subject,
        "received_on": case.received_on,
        "state": State(case.state).label,
        "state_text": STATE_TEXT[State(case.state)],
        "finished": case.state in (State.REJECTED, State.RESOLVED, State.CLOSED, State.WITHDRAWN),
        "unit": case.unit.name,
        "due": due,
        "events": events,
        "answer": case.public_note,
    }
