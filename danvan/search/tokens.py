"""Vietnamese words as search tokens: one code for what is indexed and what is asked, on both engines.

Every word of a text gives its *folded* token: lower case, accents dropped, đ read as d ("Sở" -> "so",
"Đảng" -> "dang"). A word written with marks also gives an *exact* token that keeps them, spelled in
ASCII so that PostgreSQL's "simple" parser and SQLite's FTS5 tokenizer both keep it whole: the folded
word, "9", one digit per letter for its mark (0 none, 6 circumflex, 7 horn, 8 breve, 9 đ) and the tone
(0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng): "Sở" -> "so" + "9" + "07" + "3" = "so9073".

A stream is the folded tokens in the order of the text (so a phrase is consecutive tokens) followed by
the exact tokens and by a token for each pair of neighbouring words ("so0z0tu"), which lets the full-text
index itself find a phrase: a phrase of common words is a few rare pairs, where checking the positions of
the words would read every record that holds them. A query word typed without marks asks for its folded token, so "so tu phap" finds
"Sở Tư pháp"; a word typed with marks asks for its exact token, so "dân" finds neither "Đảng" (another
syllable) nor "dẫn" (other marks). Matching is by whole syllables, never inside one.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from danvan.core.text import search_key

_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_MARKS = {"\u0302": "6", "\u031b": "7", "\u0306": "8"}
_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
MAX_TITLE_WORDS = 200
MAX_BODY_WORDS = 8000  # PostgreSQL keeps positions up to 16.383; a body this long is well past any phrase
MAX_QUERY_WORDS = 12
PAIR = "0z0"  # joins two neighbouring words in one token: no word of any language holds it


def _exact(word: str, folded: str) -> str | None:
    """The exact token of one word (already NFC and lower case), or None when it carries no mark."""
    if word == folded:
        return None
    marks: list[str] = []
    tone = "0"
    for ch in unicodedata.normalize("NFD", word):
        if ch == "đ":
            marks.append("9")
        elif unicodedata.combining(ch):
            if ch in _TONES:
                tone = _TONES[ch]
            elif ch in _MARKS and marks:
                marks[-1] = _MARKS[ch]
        elif ch.isalnum():
            marks.append("0")
    if len(marks) != len(folded):  # a letter outside the Latin script: no exact form
        return None
    return f"{folded}9{''.join(marks)}{tone}"


@dataclass(frozen=True)
class Word:
    """One word of a query: its folded token and, when it was typed with marks, its exact token."""

    folded: str
    exact: str | None

    @property
    def token(self) -> str:
        """The token a record must hold to match this word."""
        return self.exact or self.folded


@lru_cache(maxsize=65536)
def word(raw: str) -> Word | None:
    """One word (a run of letters and digits) as tokens; None for a word of another script, on which the
    two engines would not agree."""
    raw = unicodedata.normalize("NFC", raw).lower()
    folded = search_key(raw)
    if not _ASCII_WORD.fullmatch(folded):
        return None
    return Word(folded, _exact(raw, folded))


def words(text: str, limit: int | None = None) -> list[Word]:
    """The words of `text` as tokens, in order (at most `limit`)."""
    found: list[Word] = []
    for raw in _WORD.findall(unicodedata.normalize("NFC", text or "")):
        tokens = word(raw)
        if tokens is None:
            continue
        found.append(tokens)
        if limit is not None and len(found) >= limit:
            break
    return found


def pair(first: str, second: str) -> str:
    """The token of two folded words that follow each other ("so tu" -> "so0z0tu")."""
    return f"{first}{PAIR}{second}"


def stream(text: str, limit: int) -> str:
    """What the index holds for `text`: folded tokens in order, then the distinct exact tokens, then the
    distinct pairs of neighbouring words."""
    found = words(text, limit)
    exact = dict.fromkeys(word.exact for word in found if word.exact)
    pairs = dict.fromkeys(pair(a.folded, b.folded) for a, b in itertools.pairwise(found))
    return " ".join([word.folded for word in found] + list(exact) + list(pairs))


def matches(asked: Word, text_word: str) -> bool:
    """Does a word of a shown text match a query word? (Marking the words of a snippet.)"""
    found = word(text_word)
    if found is None:
        return False
    return found.exact == asked.exact if asked.exact else found.folded == asked.folded
