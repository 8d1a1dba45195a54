"""The report workflow, declared once: each action, the states it joins, who may take it, how it shows.

    draft ──submit──▶ submitted ──approve──▶ approved ──lock──▶ locked
      ▲                  │                      │                 │
      └──── returned ◀───┘ return (a reason)    └──── reopen (a reason, audited) ◀┘

The unit's own people submit (`Rule.UNIT`: REPORT_ENTER at the unit); the level above approves,
returns, locks and reopens (`Rule.ABOVE`: REPORT_APPROVE at a unit strictly above,
`policy.can_above`).

A form that asks for it (`ReportForm.requires_head_signoff`) puts the unit's head between the two:

    submitted ──sign──▶ signed ──approve──▶ approved …        submitted ──send_back──▶ returned

the head of the report's own unit (`Rule.HEAD`: REPORT_SIGN through a role at that very unit,
`policy.can_at`) signs it off or sends it back to the reporter with a reason, and only a signed
report reaches the level above. `Step.starts_from(form)` says which states a step starts from on
a given form: the head's steps exist only on such forms, and there the level above starts from
"signed" instead of "submitted".

Everything else that lists actions derives from `STEPS`: the services' transitions and their
checks (`services.report_transition`), the buttons the grid offers and how they look, the grid's
workflow form and its dispatch, the API endpoints `/reports/{id}/<name>/` with their summaries and
their reason rule. Adding an action here adds it everywhere.
"""

import enum
import keyword
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm

from .models import Report, ReportForm

if TYPE_CHECKING:
    from danvan.orgs.models import Unit

S = Report.Status


class Rule(enum.Enum):
    """Who may take a step on a unit's report."""

    UNIT = "unit"  # REPORT_ENTER at the report's unit: the unit's own people
    ABOVE = "above"  # REPORT_APPROVE at a unit strictly above: the level that approves
    HEAD = "head"  # REPORT_SIGN through a role at the report's unit itself: its head signs it off


class Stamp(enum.Enum):
    """What the report keeps of who took the step and when."""

    NONE = ""
    SUBMITTED = "submitted"  # submitted_at/by (and a new submission clears the last return reason)
    DECIDED = "decided"  # decided_at/by
    SIGNED = "signed"  # signed_at/by


@dataclass(frozen=True)
class Step:
    """One workflow action."""

    name: str  # the form's value, the API's path segment, the audit action `report.<name>`
    label: Promise  # the grid's button
    verb: Promise  # the action inside a sentence ("cannot be given the action “…”")
    done: Promise  # the message once it worked
    sources: frozenset[str]  # the states it may start from
    target: str  # the state it leads to
    rule: Rule
    summary: str  # the API endpoint's summary (OpenAPI, in English like the rest of the schema)
    reason: bool = False  # a reason is required, and recorded
    primary: bool = False  # the grid shows it as a main button; the others as secondary ones
    validates: bool = False  # the values must exist and pass the form's rules first
    stamp: Stamp = Stamp.NONE
    keeps_reason: bool = False  # the reason stays on the report: the grid shows why it came back

    @property
    def attribute(self) -> str:
        """A Python name for the step (`return` is a keyword)."""
        return f"{self.name}_" if keyword.iskeyword(self.name) else self.name

    def starts_from(self, form: ReportForm) -> frozenset[str]:
        """The states this step starts from on a report of `form` (see the module's docstring)."""
        if not form.requires_head_signoff:
            return frozenset() if self.rule is Rule.HEAD else self.sources - {S.SIGNED}
        if self.rule is Rule.ABOVE:
            return self.sources - {S.SUBMITTED}
        return self.sources


STEPS: tuple[Step, ...] = (
    Step(
        name="submit",
        label=_("Submit"),
        verb=_("submit"),
        done=_("The report was submitted."),
        sources=frozenset({S.DRAFT, S.RETURNED}),
        target=S.SUBMITTED,
        rule=Rule.UNIT,
        summary="Submit the report to the level above.",
        primary=True,
        validates=True,
        stamp=Stamp.SUBMITTED,
    ),
    Step(
        name="sign",
        label=_("Sign off as the unit head"),
        verb=_("sign off"),
        done=_("The report was signed off and sent to the level above."),
        sources=frozenset({S.SUBMITTED}),
        target=S.SIGNED,
        rule=Rule.HEAD,
        summary="The unit head signs the submitted report off; it goes to the level above.",
        primary=True,
        stamp=Stamp.SIGNED,
    ),
    Step(
        name="send_back",
        label=_("Return to the reporter"),
        verb=_("return to the reporter"),
        done=_("The report was returned to the reporter."),
        sources=frozenset({S.SUBMITTED}),
        target=S.RETURNED,
        rule=Rule.HEAD,
        summary="The unit head returns the submitted report to its reporter, with a reason.",
        reason=True,
        keeps_reason=True,
    ),
    Step(
        name="approve",
        label=_("Approve"),
        verb=_("approve"),
        done=_("The report was approved."),
        sources=frozenset({S.SUBMITTED, S.SIGNED}),
        target=S.APPROVED,
        rule=Rule.ABOVE,
        summary="Approve the report: its values count in the roll-up.",
        primary=True,
        stamp=Stamp.DECIDED,
    ),
    Step(
        name="return",
        label=_("Return"),
        verb=_("return"),
        done=_("The report was returned."),
        sources=frozenset({S.SUBMITTED, S.SIGNED, S.APPROVED}),
        target=S.RETURNED,
        rule=Rule.ABOVE,
        summary="Return the report to the unit, with a reason.",
        reason=True,
        stamp=Stamp.DECIDED,
        keeps_reason=True,
    ),
    Step(
        name="lock",
        label=_("Lock"),
        verb=_("lock"),
        done=_("The report was locked."),
        sources=frozenset({S.APPROVED}),
        target=S.LOCKED,
        rule=Rule.ABOVE,
        summary="Lock an approved report.",
        stamp=Stamp.DECIDED,
    ),
    Step(
        name="reopen",
        label=_("Reopen"),
        verb=_("reopen"),
        done=_("The report was reopened."),
        sources=frozenset({S.APPROVED, S.LOCKED}),
        target=S.DRAFT,
        rule=Rule.ABOVE,
        summary="Reopen an approved or locked report, with a reason.",
        reason=True,
    ),
)

STEP: dict[str, Step] = {step.name: step for step in STEPS}
NAMES: tuple[str, ...] = tuple(STEP)
COUNTED = frozenset({S.APPROVED, S.LOCKED})  # states whose values count in the roll-up
SENT = frozenset({S.SUBMITTED, S.SIGNED, S.APPROVED, S.LOCKED})  # states of a report the unit has sent


def holds(user, rule: Rule, unit: "Unit") -> bool:
    """Does `user` hold the right `rule` names on `unit`'s reports?"""
    if rule is Rule.UNIT:
        return policy.can(user, Perm.REPORT_ENTER, unit)
    if rule is Rule.HEAD:
        return policy.can_at(user, Perm.REPORT_SIGN, unit)
    return policy.can_above(user, Perm.REPORT_APPROVE, unit)


def rules_held(user, unit: "Unit") -> frozenset[Rule]:
    """The rules `user` satisfies on `unit`'s reports (asked once per page)."""
    return frozenset(rule for rule in Rule if holds(user, rule, unit))


def offered(status: str, rules: Iterable[Rule], form: ReportForm) -> list[Step]:
    """The steps a report of `form` in `status` allows to someone holding `rules`, in the declared order."""
    held = set(rules)
    return [step for step in STEPS if status in step.starts_from(form) and step.rule in held]
