"""Entries of the reception register in the one search (danvan.search): found by what the matter is, how
it was handled and followed up, by whoever may open the register (CASE_VIEW at its unit, as its pages).

Who came is never indexed, whoever they are: the register seals the person and shows them only to those
the voice rule allows (`privacy.shown_identity`), and an entry whose case becomes a denunciation later is
protected from then on without the register being written to, so an identity indexed today could be one
the search must not give tomorrow. The services put an entry when they write it (entries are never deleted).
"""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.text import shorten
from danvan.search import registry
from danvan.search import services as search

from .models import Entry

KIND = "reception"
TITLE_CHARS = 160  # the start of the matter, after the entry's number


def doc(entry: Entry) -> search.Doc:
    """`entry` as the search sees it (reads its unit, its case and its leader's day; never its person)."""
    with translation.override(settings.LANGUAGE_CODE):  # stored once, read by everyone: the interface's words
        title = _("Entry no. %(number)s/%(year)s") % {"number": entry.number, "year": entry.year}
        handling = entry.get_handling_display() if entry.handling else _("Not decided yet")
        kind = str(entry.get_kind_display())
    day = entry.leader_day
    text = [
        entry.content,
        entry.previous_authority,
        entry.transfer_to,
        entry.guidance,
        entry.case.reference if entry.case else "",
        entry.result,
        entry.note,
        entry.receiver,
        f"{day.leader_name} {day.leader_position}" if day else "",
    ]
    return search.Doc(
        kind=KIND,
        object_id=entry.pk,
        perm=Perm.CASE_VIEW,
        unit_path=entry.unit.path,
        title=f"{title}: {shorten(entry.content, TITLE_CHARS)}",
        context=" · ".join((entry.unit.name, day_text(entry.received_on), kind, str(handling))),
        text="\n".join(part for part in text if part),
        url=reverse("reception:entry", args=[entry.pk]),
    )


def _entries():
    return Entry.objects.select_related("unit", "case", "leader_day").defer("ciphertext")


def put(entry: Entry) -> None:
    """Put `entry`'s entry again, read afresh (inside the transaction that wrote it)."""
    search.put(doc=doc(_entries().get(pk=entry.pk)))


def documents() -> Iterable[search.Doc]:
    for entry in _entries().order_by("pk").iterator(chunk_size=2000):
        yield doc(entry)


def register() -> None:
    registry.register(KIND, gettext_lazy("Reception register entry"), Perm.CASE_VIEW, documents, order=40)
