"""Vietnamese text helpers: diacritic-free search keys and Vietnamese alphabetical order.

Both are computed in Python and stored beside the text, so the database compares plain
ASCII strings byte by byte on SQLite and PostgreSQL alike (the columns use the C collation
on PostgreSQL, see the migrations).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z for loanwords).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone marks are the secondary key, in the order dictionaries use: none, huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# Combining marks that make a different letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def search_key(text: str) -> str:
    """Lowercase ASCII form for matching: "Đảng ủy Sở Tư pháp" -> "dang uy so tu phap"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_terms(query: str) -> list[str]:
    """The words of a search query as search keys; empty words dropped."""
    return [term for term in search_key(query).split(" ") if term]


def _letters(word: str) -> tuple[str, str]:
    """Primary (letters) and secondary (tones) keys of one word."""
    primary, tones = [], []
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
