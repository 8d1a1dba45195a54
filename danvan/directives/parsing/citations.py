"""References to other documents: every number and symbol the text cites, with its type and date (`references`)."""

from __future__ import annotations

import re

from danvan.core.text import search_key

from .kinds import NUMBER_RE, TYPE_WORDS, normalise_number_symbol, type_of_number
from .text import DATE_DIGITS, DATE_WORDS, clean_text, date_from

_REF_DATE_RE = re.compile(
    rf"^\s*[,(]?\s*(?:ban hành\s*)?(?:ngày\s*)?(?:{DATE_WORDS}|{DATE_DIGITS})",
    re.IGNORECASE,
)


def references(text: str, exclude: str | None = None, *, cleaned: bool = False) -> list[dict]:
    """Every cited document: [{number_symbol, type, date (ISO or None)}], in order of first mention.

    A number mentioned several times appears once, with the first date given for it anywhere.
    `exclude` (a number) is left out: a document does not cite itself.
    """
    text = text if cleaned else clean_text(text)
    found: dict[str, dict] = {}
    normalised: dict[str, str] = {}
    for match in NUMBER_RE.finditer(text):
        written = match.group(0)
        number = normalised.get(written) or normalised.setdefault(written, normalise_number_symbol(written))
        if exclude and number == exclude:
            continue
        if re.search(r"(?:^|\n)\s*Số\s*:?\s*$", text[max(0, match.start() - 8) : match.start()]):
            # A "Số: …" line is a document's own number (the second document of a file), not a citation.
            continue
        entry = found.get(number)
        if entry is not None and entry["date"] is not None:
            continue  # known, with its date
        date_match = _REF_DATE_RE.match(text[match.end() : match.end() + 40])
        date = date_from(date_match) if date_match else None
        if entry is not None:
            if date:
                entry["date"] = date.isoformat()
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        before = re.sub(r"\s*số\s*:?\s*$", "", before, flags=re.IGNORECASE).strip()
        before_key = search_key(before)
        word_type = next(
            (abbreviation for words, abbreviation in TYPE_WORDS if before_key.endswith(words)), None
        )
        found[number] = {
            "number_symbol": number,
            "type": type_of_number(number) or word_type,
            "date": date.isoformat() if date else None,
        }
    return list(found.values())
