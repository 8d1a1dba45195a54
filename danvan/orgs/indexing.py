"""Units in the one search (danvan.search): a unit is found by its name, by whoever may see the unit.

A unit's entry follows its mirror row (`services._refresh_mirror`, the one place a unit's path and name
change), and when a unit's path changes every entry of the records under it follows (`search.services.repath`).
"""

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.search import registry
from danvan.search import services as search

from .models import Unit

KIND = "unit"


def doc(unit: Unit, url: Callable[[str], str] | None = None) -> search.Doc:
    return search.Doc(
        kind=KIND,
        object_id=unit.pk,
        perm=Perm.UNIT_VIEW,
        unit_path=unit.path,
        title=unit.name,
        url=url(unit.code) if url is not None else reverse("orgs:unit_detail", args=[unit.code]),
    )


def _detail_urls() -> Callable[[str], str]:
    """The address of a unit's page by its code, as `reverse` gives it, without resolving it each time
    (an import indexes many units at once). A code holds only characters an address keeps as they are
    (services.CODE_RE)."""
    marker = "0unit0code0"
    before, after = reverse("orgs:unit_detail", args=[marker]).split(marker)
    return lambda code: f"{before}{code}{after}"


def documents() -> Iterable[search.Doc]:
    for unit in Unit.objects.order_by("pk").iterator(chunk_size=2000):
        yield doc(unit)


def changed(units: list[Unit], old_paths: dict[int, str]) -> None:
    """Units whose mirror row changed: their own entries, and the entries of records under a new path."""
    search.repath(
        moved={old_paths[unit.pk]: unit.path for unit in units if old_paths.get(unit.pk) != unit.path}
    )
    url = _detail_urls()
    search.put_many(docs=(doc(unit, url) for unit in units))


def register() -> None:
    registry.register(KIND, _("Unit"), Perm.UNIT_VIEW, documents, order=10)
