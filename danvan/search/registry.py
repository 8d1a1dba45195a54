"""The kinds of records the search covers, registered by the modules that hold them (in their AppConfig.ready).

A kind names its label (what a result says it is) and a function giving every record of the kind as a
`services.Doc`, which `danvan search-reindex` uses to rebuild the index from the records themselves.
The search knows the modules only through this registry, as the layers require.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_KINDS: dict[str, "Kind"] = {}


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any  # a lazy translation: "Văn bản", "Đơn vị" …
    perm: str  # the accounts.policy.Perm its records' pages ask for (also stored on each entry)
    documents: Callable[[], Iterable[Any]]  # every record of the kind, as services.Doc
    order: int = 50


def register(
    key: str, label: Any, perm: str, documents: Callable[[], Iterable[Any]], *, order: int = 50
) -> None:
    _KINDS[key] = Kind(key, label, str(perm), documents, order)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def label(key: str) -> Any:
    kind = _KINDS.get(key)
    return kind.label if kind else key
