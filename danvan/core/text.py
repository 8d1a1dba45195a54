"""Vietnamese text helpers: the one check on typed text, diacritic-free search keys and Vietnamese
alphabetical order.

- `check_text` / `clean_text` / `validate_text`: what every form, API field and service accepts as text.
  Refused: NUL bytes and other control characters (a tab or a line break only in multi-line text),
  lone surrogates and non-characters (PostgreSQL cannot store them and a spreadsheet or an XML export
  would break on them), text over its limit, and empty text where it is required. Single-line text
  has its runs of white space folded to one space; every text is stripped.
- `whole`: a whole number typed in an address, a form or a command (ASCII digits only, a bounded length),
  or None: "²" or "１２" pass `str.isdigit()` yet are not what anyone typed, and `int()` refuses the first
  and a 5,000-digit string with a ValueError (a 500 on a page).
- `shorten`: a text as a one-line title (a search result, a case's subject), cut at a word.
- `search_key` and `sort_key` are computed in Python and stored beside the text, so the database
  compares plain ASCII strings byte by byte on SQLite and PostgreSQL alike (the columns use the C
  collation on PostgreSQL, see the migrations).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .templatetags.vn import number

_SPACES = re.compile(r"\s+")
WHOLE_DIGITS = 18  # the most digits `whole` reads (a 64-bit id has 19)
_BREAKS = "\t\n\r\x0b\x0c"
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c]")

# Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z for loanwords).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone marks are the secondary key, in the order dictionaries use: none, huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# Combining marks that make a different letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def shorten(text: str, limit: int) -> str:
    """`text` on one line (its white space folded), cut at a word with "…" when longer than `limit`."""
    line = " ".join((text or "").split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


def search_key(text: str) -> str:
    """Lowercase ASCII form for matching: "Đảng ủy Sở Tư pháp" -> "dang uy so tu phap"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_terms(query: str) -> list[str]:
    """The words of a search query as search keys; empty words dropped."""
    return [term for term in search_key(query).split(" ") if term]


def search_suffixes(text: str, *, limit: int = 120) -> list[str]:
    """The search key of `text` from each of its words on, for word-prefix lookups by index range:
    "Đảng bộ Sở Tư pháp" -> ["dang bo so tu phap", "bo so tu phap", "so tu phap", "tu phap", "phap"]."""
    words = search_key(text).split(" ")
    return [" ".join(words[i:])[:limit] for i in range(len(words)) if words[i]]


def _letters(word: str) -> tuple[str, str]:
    """Primary (letters) and secondary (tones) keys of one word."""
    primary: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tones.append(_TONES[ch])
            continue
        if unicodedata.combining(ch) and ch in _LETTER_MARKS and primary:
            base = unicodedata.normalize("NFC", primary.pop() + ch)
            primary.append(base)
            continue
        if unicodedata.combining(ch):
            continue
        primary.append(ch)
    if len(tones) == 0:
        tones.append("0")
    return "".join(primary), "".join(tones)


def sort_key(text: str) -> str:
    """An ASCII string whose byte order is Vietnamese alphabetical order.

    Letters are compared first (a < ă < â < b … d < đ …), then tone marks word by word,
    as a Vietnamese dictionary orders "Ba", "Bà", "Bá".
    """
    primary_parts, tone_parts = [], []
    for word in _SPACES.split(text.strip()):
        letters, tones = _letters(word)
        encoded = []
        for ch in letters:
            index = _ALPHABET.find(ch)
            if index >= 0:
                encoded.append(chr(ord("A") + index))  # A.. for letters, above digits
            elif ch.isdigit():
                encoded.append(ch)
            else:
                encoded.append("!")
        primary_parts.append("".join(encoded))
        tone_parts.append(tones)
    # " " sorts before every encoded character, so "Chi bộ" comes before "Chi bộ 1".
    return (" ".join(primary_parts) + "~" + " ".join(tone_parts))[:255]


def _disallowed(text: str) -> bool:
    """Does `text` hold a character no typed text may hold? Tabs and line breaks are allowed (a line
    break pasted from Word may be a vertical tab or a form feed); other control characters, lone
    surrogates and non-characters are not."""
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _BREAKS:
            return True
        if category == "Cs" or (
            category == "Cn" and ((ord(ch) & 0xFFFE) == 0xFFFE or 0xFDD0 <= ord(ch) <= 0xFDEF)
        ):
            return True
    return False


def check_text(value: object, *, limit: int, required: str = "", multiline: bool = False) -> str:
    """`value` as clean text, or a ValidationError with one Vietnamese message.

    Stripped; in multi-line text every line break becomes "\\n"; single-line text (`multiline=False`)
    has every run of white space, tabs and line breaks included, folded to one space. `required`, when
    given, is the message for empty text.
    """
    raw = "" if value is None else str(value)
    if _disallowed(raw):
        raise ValidationError(_("The text holds a character that is not allowed."), code="character")
    text = _NEWLINES.sub("\n", raw).strip() if multiline else _SPACES.sub(" ", raw).strip()
    if required and not text:
        raise ValidationError(required, code="required")
    if len(text) > limit:
        raise ValidationError(
            _("At most %(limit)s characters.") % {"limit": number(limit)}, code="max_length"
        )
    return text


def clean_text(
    value: object, field: str, errors: dict, *, limit: int, required: str = "", multiline: bool = False
) -> str:
    """`check_text` for services that gather every field's problem before refusing: the message goes
    to `errors[field]` and the text is returned as typed (stripped) so the caller can carry on."""
    try:
        return check_text(value, limit=limit, required=required, multiline=multiline)
    except ValidationError as error:
        errors[field] = error.messages[0]
        return "" if value is None else str(value).strip()


def validate_text(value: str) -> None:
    """The character check of `check_text` as a field validator (forms and API serializers)."""
    if _disallowed(value):
        raise ValidationError(_("The text holds a character that is not allowed."), code="character")


def whole(text: str | None, *, digits: int = WHOLE_DIGITS) -> int | None:
    """The whole number from 0 written in `text` (surrounding spaces ignored) with ASCII digits only and at
    most `digits` of them; None for anything else."""
    text = (text or "").strip()
    if 0 < len(text) <= digits and text.isascii() and text.isdecimal():
        return int(text)
    return None
