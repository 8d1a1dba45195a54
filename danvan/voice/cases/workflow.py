"""The actions a handler takes on a case, declared once: the states each starts from, whether the case
file has a form for it, what the API says it does.

States and the actions that move them (`TRANSITIONS` derives from `ACTIONS`):

    received ──classify──▶ classified ──accept──▶ accepted ──verify──▶ verifying ──resolve──▶ resolved ──close──▶ closed
        │                     │  └─reject──▶ rejected                     ▲            │
        └──────(accept, reject, transfer also from received)─────────────┘            │
    transfer: the case moves to the new unit as "received" there, history kept, new clocks.
    withdraw: any open state ──▶ withdrawn.   pause: open state ──▶ paused ──resume──▶ the state before.

The services check the state (`refusal`), the case file's forms follow `ACTIONS` in its order
(`forms.ACTION_FORMS`), the API has one endpoint per action (`api.ENDPOINTS`) and lists those the
state allows (`allowed`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import OPEN_STATES, Case, CaseEvent, State

Action = CaseEvent.Action


@dataclass(frozen=True)
class ActionSpec:
    """One action a handler takes on a case, declared once (`ACTIONS`).

    The services check `sources` (`refusal`); the case file offers the action's form
    (`forms.ACTION_FORMS`, in the order of `ACTIONS`) when `on_page`; the API has one endpoint
    per action (`/cases/{id}/<action>/`, summary `summary`) and lists those the state allows.
    """

    action: str  # a CaseEvent.Action: the URL segment of the page's form and of the API endpoint
    sources: frozenset[str]  # the states it may start from
    summary: str  # what it does (the API endpoint's summary, in English like the rest of the schema)
    on_page: bool = True  # a form on the case file; linking is done from a flagged pair instead
    refusal: Promise | str = ""  # said when the state does not allow it (else the generic message)


# In the order the case file shows them: the usual next steps first.
ACTIONS: tuple[ActionSpec, ...] = (
    # Classifying is allowed while the case is open; once accepted, the kind can no longer change.
    ActionSpec(Action.CLASSIFY, OPEN_STATES, "Confirm or change the kind and complexity (reclassify)."),
    ActionSpec(Action.ACCEPT, frozenset({State.RECEIVED, State.CLASSIFIED}), "Accept the case for handling."),
    ActionSpec(
        Action.REJECT,
        frozenset({State.RECEIVED, State.CLASSIFIED}),
        "Do not accept the case, with the reason.",
    ),
    ActionSpec(
        Action.TRANSFER, frozenset({State.RECEIVED, State.CLASSIFIED}), "Send the case to the competent unit."
    ),
    ActionSpec(
        Action.NOTIFY,
        frozenset({State.ACCEPTED, State.VERIFYING}),
        "Record that the submitter was told the case is accepted.",
    ),
    ActionSpec(Action.VERIFY, frozenset({State.ACCEPTED}), "Start verification."),
    ActionSpec(
        Action.EXTEND,
        frozenset({State.ACCEPTED, State.VERIFYING}),
        "Extend the resolution period by a written decision.",
    ),
    ActionSpec(
        Action.RESOLVE, frozenset({State.ACCEPTED, State.VERIFYING}), "Record the decision (or the answer)."
    ),
    ActionSpec(Action.CLOSE, frozenset({State.RESOLVED, State.REJECTED}), "Close the case file."),
    ActionSpec(Action.RESUME, frozenset({State.PAUSED}), "The submitter answered: the clocks run again."),
    ActionSpec(
        Action.ASSIGN,
        OPEN_STATES,
        "Give the case to a handler of its unit.",
        refusal=gettext_lazy("A finished case has no handler to assign."),
    ),
    ActionSpec(Action.PAUSE, OPEN_STATES - {State.PAUSED}, "Wait for the submitter: the clocks stop."),
    ActionSpec(Action.WITHDRAW, OPEN_STATES, "The submitter withdrew the submission."),
    ActionSpec(
        Action.LINK,
        frozenset(State.values),
        "Link the case to another one (duplicate or repeat).",
        on_page=False,
    ),
)
SPEC: dict[str, ActionSpec] = {spec.action: spec for spec in ACTIONS}

# action -> states it may start from
TRANSITIONS: dict[str, frozenset[str]] = {spec.action: spec.sources for spec in ACTIONS}


def allowed(state: str) -> list[str]:
    """The actions a case in `state` may be given, in the order of `ACTIONS`."""
    return [spec.action for spec in ACTIONS if state in spec.sources]


def refusal(case: Case, action: str, *, named: str | None = None) -> str:
    """Why `case`, in its state, cannot be given `action` ("" when it can).

    `named` is the action the generic message names, when it is not `action` itself.
    """
    spec = SPEC[action]
    if case.state in spec.sources:
        return ""
    if spec.refusal:
        return str(spec.refusal)
    return _("A case that is “%(state)s” cannot be “%(action)s”.") % {
        "state": State(case.state).label,
        "action": Action(named or action).label,
    }
