"""Document numbers and issuers as the register keys them: below the models and the services.

A unit's register holds a number and symbol once per issuer and year (constraint
`directive_document_once`); issuer and symbol are compared by these diacritic-free, lowercase keys
without regard to spaces ("Đảng ủy Sở Tư pháp" = "ĐẢNG UỶ SỞ TƯ PHÁP"). The types of document are
those the parser knows (Nghị định 30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW).
"""

import re

from danvan.core.text import search_key

from . import parsing


def document_types() -> dict[str, str]:
    """Abbreviation → name of every type of document ("CV" → "Công văn")."""
    return parsing.DOCUMENT_TYPES


def normalise_number_symbol(text: str) -> str:
    return parsing.normalise_number_symbol(str(text or ""))


def symbol_key(number_symbol: str) -> str:
    return search_key(normalise_number_symbol(number_symbol)).replace(" ", "")[:100]


def issuer_key(issuer: str) -> str:
    return search_key(re.sub(r"[.,;:]+$", "", str(issuer or "").strip()))[:300]


def number_of(number_symbol: str) -> int | None:
    """The number of a number and symbol ("84-CV/ĐU" → 84), when it has one that fits."""
    match = re.match(r"\d+", number_symbol or "")
    return int(match.group()) if match and len(match.group()) <= 9 else None
