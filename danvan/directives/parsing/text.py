"""Text clean-up shared by every reader of the parser: normalisation, markdown, dates, items, sentences.

`clean_text` turns any text (a PDF text layer, a DOCX converted to markdown) into NFC lines with one kind
of space and newline, no markdown emphasis or escapes, and the paragraphs a page break cut in two joined
again. The rest are the small pieces every reader uses: upper-case lines (`is_upper`), "ngày … tháng …
năm …" dates (`DATE_RE`, `date_from`), list items (`strip_item`), sentences and clauses
(`split_sentences`, `clause_text`)."""

from __future__ import annotations

import datetime
import re
import unicodedata

UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
DATE_WORDS = r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})"
DATE_DIGITS = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
DATE_RE = re.compile(rf"ngày\s*(?:{DATE_WORDS}|{DATE_DIGITS})", re.IGNORECASE)
BULLET_RE = re.compile(r"^(?:[-+•–—]|\d{1,2}\s*[-.)]|[a-zđ]\))\s*")
SEPARATOR_RE = re.compile(r"^[\s\-_=*.·…~]*$")
# Marks an escaped character while markdown is removed (a private-use character, removed from any input).
_ESCAPED = "\ue000"
_MD_ESCAPE_RE = re.compile(r"\\([-\\`*_{}\[\]()#+.!<>|~\"'=^$:;,/@&%])")
_MD_HARD_BREAK_RE = re.compile(r"(?m)\\$")
_MD_SPAN_RE = re.compile(
    rf"(?<!{_ESCAPED})\[([^\[\]\n]{{0,500}}?)(?<!{_ESCAPED})\]\{{[.#][^{{}}\n]{{0,100}}\}}"
)  # pandoc's "[Biên Hòa]{.underline}"
_MD_BULLET_RE = re.compile(rf"(?m)^([ ]*)(?<!{_ESCAPED})\*[ ]+(?=\S)")
_MD_STARS_RE = re.compile(rf"(?<!{_ESCAPED})\*+")
_MD_UNDERSCORE_OPEN_RE = re.compile(rf"(?<![\w{_ESCAPED}])_{{1,3}}(?=[^\s_])")
_MD_UNDERSCORE_CLOSE_RE = re.compile(rf"(?<=[^\s_{_ESCAPED}])_{{1,3}}(?!\w)")
_ABBREVIATIONS = ("TP.", "Tp.", "TX.", "KT.", "TL.", "TM.", "TS.", "ThS.", "PGS.", "GS.", "Q.", "P.", "đ/c.")


def _strip_markdown(text: str) -> str:
    """Emphasis (``*x*``, ``**x**``, ``***x***``, ``_x_``, ``__x__``), pandoc spans (``[x]{.underline}``),
    hard line breaks and escapes (``\\-``, ``\\*``, ``1\\.``) removed; an escaped character stays as itself."""
    text = text.replace(_ESCAPED, "")
    if "\\" in text:
        # An escaped character is marked first, so that "\*" survives as "*" and "\_" as "_".
        text = _MD_ESCAPE_RE.sub(_ESCAPED + r"\1", text)
        text = _MD_HARD_BREAK_RE.sub("", text)
    if "]{" in text:
        text = _MD_SPAN_RE.sub(r"\1", text)
    if "*" in text:
        text = _MD_BULLET_RE.sub(r"\1- ", text)  # "* item" is a bullet
        text = _MD_STARS_RE.sub("", text)
    if "_" in text:
        # Underscores at the edge of a word are emphasis; inside a word ("a_b") or a rule ("____") they stay.
        text = _MD_UNDERSCORE_OPEN_RE.sub("", text)
        text = _MD_UNDERSCORE_CLOSE_RE.sub("", text)
    return text.replace(_ESCAPED, "")


def clean_text(text: str) -> str:
    """NFC, one kind of newline and space, no markdown emphasis or escapes, paragraphs split by a page
    break joined again."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", text)
    text = re.sub(r"[\u200b-\u200d\ufeff\x00]", "", text)
    text = text.replace("–", "-").replace("—", "-")
    text = _strip_markdown(text)
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)  # markdown headings
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    # A paragraph cut by a page break: "…; định" / "" / "kỳ báo cáo …" becomes one line again.
    joined: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            line
            and len(line) > 60
            and not re.search(r"[.;:!?,)]$", line)
            and i + 2 < len(lines)
            and lines[i + 1] == ""
            and lines[i + 2][:1].islower()
        ):
            lines[i + 2] = f"{line} {lines[i + 2]}"
            i += 2
            continue
        joined.append(line)
        i += 1
    return "\n".join(joined)


def is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= 0.85


def date_of(day: str | None, month: str | None, year: str | None) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError, OverflowError):
        return None


def date_from(match: re.Match) -> datetime.date | None:
    groups = [g for g in match.groups() if g is not None]
    # The last three captured groups are day, month, year whichever alternative matched.
    if len(groups) < 3:
        return None
    return date_of(*groups[-3:])


def strip_item(text: str) -> str:
    text = BULLET_RE.sub("", text.strip(), count=1) if re.match(r"^[-+•–—]", text.strip()) else text.strip()
    return text.strip().rstrip(";,.").strip()


_SENTENCE_END_RE = re.compile(rf"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘(]?[{UPPER}0-9])")
_ITEM_NUMBER_RE = re.compile(r"\s*(?:\d{1,3}|[IVXLC]{1,5}|[a-zđ])\.")
_CLAUSE_BULLET_RE = re.compile(r"^(?:[-+•]|\d{1,2}\s*[-.)]|[a-zđ]\))\s*")


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _SENTENCE_END_RE.finditer(paragraph):
            piece = paragraph[start : match.start()]
            if piece.endswith(_ABBREVIATIONS) or _ITEM_NUMBER_RE.fullmatch(piece):
                continue  # "TP. Biên Hòa", or the number of an item ("1. Các chi bộ …")
            sentences.append(piece.strip())
            start = match.end()
        sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def clause_text(text: str) -> str:
    text = _CLAUSE_BULLET_RE.sub("", text.strip(), count=1)
    return text.strip().rstrip(";,").strip()
