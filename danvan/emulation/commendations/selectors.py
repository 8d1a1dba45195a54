"""Reads of commendations: what a user may see, filtered; totals per form; the overview's card.

A commendation is seen by whoever holds EMULATION_VIEW at its recipient's unit or above (`policy.scope`).
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.paths import path_ids
from danvan.core.templatetags.vn import number
from danvan.emulation.cards import Figure
from danvan.emulation.earned import Earned
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree

from .models import EARNED_BY_LINKS, Commendation, Form, Kind
from .sources import list_url


def commendations_for(user, perm: Perm = Perm.EMULATION_VIEW) -> QuerySet[Commendation]:
    return policy.scope(user, perm, Commendation.objects.all())


def units_above(user) -> list[Unit]:
    """The units above those where `user` holds a role (a bloc's Giấy khen recorded by a grassroots
    officer): acceptable as the issuer of a decision, though the user may not see their records."""
    paths = user.role_assignments.values_list("unit__path", flat=True) if user.pk else []
    ids = {unit_id for path in paths for unit_id in path_ids(path)[:-1]}
    return list(Unit.objects.filter(pk__in=ids)) if ids else []


@dataclass
class Filter:
    unit: Unit | None = None
    year: int | None = None
    form: str = ""
    kind: str = ""
    start: datetime.date | None = None  # decision from
    end: datetime.date | None = None  # decision until


def filtered(qs: QuerySet[Commendation], wanted: Filter) -> QuerySet[Commendation]:
    if wanted.unit is not None:
        qs = in_subtree(qs, wanted.unit.path, field="unit__path")
    if wanted.year:
        qs = qs.filter(year=wanted.year)
    if wanted.form:
        qs = qs.filter(form=wanted.form)
    if wanted.kind:
        qs = qs.filter(kind=wanted.kind)
    if wanted.start:
        qs = qs.filter(decision_date__gte=wanted.start)
    if wanted.end:
        qs = qs.filter(decision_date__lte=wanted.end)
    return qs


def rows(user, wanted: Filter) -> QuerySet[Commendation]:
    """The commendations the user may see, newest year first, then by decision date."""
    return (
        filtered(commendations_for(user), wanted)
        .select_related("unit", "issuer_unit")
        .order_by("-year", "-decision_date", "unit__path", "id")
    )


@dataclass
class Totals:
    collectives: int
    individuals: int

    @property
    def total(self) -> int:
        return self.collectives + self.individuals


def totals(qs: QuerySet[Commendation]) -> Totals:
    row = qs.aggregate(
        collectives=Count("id", filter=Q(kind=Kind.COLLECTIVE)),
        individuals=Count("id", filter=Q(kind=Kind.INDIVIDUAL)),
    )
    return Totals(**row)


def per_form(qs: QuerySet[Commendation]) -> list[tuple[str, str, int, int]]:
    """(form, its label, collectives, individuals) for each form present, in the order of `Form`."""
    counted = {
        row["form"]: row
        for row in qs.values("form").annotate(
            collectives=Count("id", filter=Q(kind=Kind.COLLECTIVE)),
            individuals=Count("id", filter=Q(kind=Kind.INDIVIDUAL)),
        )
    }
    return [
        (form.value, str(form.label), counted[form.value]["collectives"], counted[form.value]["individuals"])
        for form in Form
        if form.value in counted
    ]


def card(user, year: int) -> list[Figure]:
    """The commendations card of the emulation overview: the year's figures (year of the movement) over
    what `user` may see, collectives and individuals, then per form."""
    if not policy.has_any(user, Perm.EMULATION_VIEW):
        return []
    qs = commendations_for(user).filter(year=year)
    count = totals(qs)
    figures = [
        Figure(
            str(gettext_lazy("Collectives commended")),
            number(count.collectives),
            list_url(year=year, kind=Kind.COLLECTIVE),
        ),
        Figure(
            str(gettext_lazy("Individuals commended")),
            number(count.individuals),
            list_url(year=year, kind=Kind.INDIVIDUAL),
        ),
    ]
    for form, label, collectives, individuals in per_form(qs):
        figures.append(Figure(label, number(collectives + individuals), list_url(year=year, form=form)))
    return figures


def query_of(wanted: Filter) -> str:
    """The filter as a query string (export links keep it)."""
    query = {
        "unit": wanted.unit.code if wanted.unit else "",
        "year": str(wanted.year or ""),
        "form": wanted.form,
        "kind": wanted.kind,
        "from": wanted.start.isoformat() if wanted.start else "",
        "to": wanted.end.isoformat() if wanted.end else "",
    }
    return urlencode({key: value for key, value in query.items() if value})


# ---------------------------------------------------------------- what a model or an evaluation earned


def _link_of(record) -> str:
    """The field of `Commendation` that links to `record` ("exemplar", "evaluation"), "" for another record."""
    return next((name for name, label in EARNED_BY_LINKS if label == record._meta.label), "")


def earned_by(user, record) -> list[Earned]:
    """The commendations `record` (a "Dân vận khéo" model, an evaluation) earned that `user` may see, the
    latest decision first, in words (`danvan.emulation.earned`). One query."""
    name = _link_of(record)
    if not name:
        return []
    qs = commendations_for(user).filter(**{name: record}).select_related("unit", "issuer_unit")
    result = []
    for item in qs.order_by("-decision_date", "-id"):
        recipient = item.recipient
        if item.kind == Kind.INDIVIDUAL:
            recipient = f"{recipient} ({item.unit.name})"
        words = {
            "form": item.title or item.get_form_display(),
            "issuer": item.issuer,
            "number": item.decision_number,
            "date": day_text(item.decision_date),
            "recipient": recipient,
        }
        result.append(
            Earned(
                text=_("%(form)s, %(issuer)s, decision %(number)s of %(date)s, to %(recipient)s") % words,
                url=reverse("commendations:detail", args=[item.pk]),
                form=words["form"],
                issuer=words["issuer"],
                decision_number=words["number"],
                decision_date=words["date"],
                recipient=recipient,
            )
        )
    return result


def record_linked_url(user, record) -> str:
    """The form to record a commendation earned by `record`, already linked to it: for a user holding
    EMULATION_RECORD at the record's unit (who may then name that unit as the recipient); "" otherwise."""
    name = _link_of(record)
    if not name or not policy.can(user, Perm.EMULATION_RECORD, record.unit):
        return ""
    return f"{reverse('commendations:create')}?{urlencode({name: record.pk})}"
