"""Cases in the one search (danvan.search): a case is found by its reference, subject and content, by
whoever may see the case (CASE_VIEW at its unit, as on the case's own pages).

What is indexed is the case file every holder of CASE_VIEW sees on the case page: never who sent it
(name, address, contacts, identity papers — the identity lives encrypted apart, `identity`), never the
names of files. Every change of a case writes one of its events (`services._event`), and the case's
entry follows there, a transfer's new unit included.
"""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.search import registry
from danvan.search import services as search

from .models import Case, Kind, State

KIND = "case"


def doc(case: Case) -> search.Doc:
    with translation.override(settings.LANGUAGE_CODE):  # what is stored is read in the interface's words
        context = " · ".join(
            [str(Kind(case.kind).label), str(State(case.state).label), day_text(case.received_on)]
        )
    decision = [case.decision_number, case.decision_summary] if case.decision_date else []
    return search.Doc(
        kind=KIND,
        object_id=case.pk,
        perm=Perm.CASE_VIEW,
        unit_path=case.unit.path,
        title=f"{case.reference} {case.subject}",
        url=reverse("voice:case_detail", args=[case.pk]),
        context=context,
        text="\n".join(part for part in [case.content, *decision, case.public_note] if part),
    )


def documents() -> Iterable[search.Doc]:
    for case in Case.objects.select_related("unit").order_by("pk").iterator(chunk_size=2000):
        yield doc(case)


def changed(case: Case) -> None:
    search.put(doc=doc(case))


def register() -> None:
    registry.register(KIND, _("Case"), Perm.CASE_VIEW, documents, order=30)
