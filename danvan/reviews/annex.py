"""The review's annex as XLSX (`danvan.core.tables`): indicators per unit below with their target, the
figures they come from (numerator and denominator), the value as a number and whether it is met."""

from danvan.core import tables

from . import wording as w
from .content import Review

COLUMNS = [
    tables.Column(w.ANNEX_HEADINGS[0], "count", 6),
    tables.Column(w.ANNEX_HEADINGS[1], "text", 32),
    tables.Column(w.ANNEX_HEADINGS[2], "text", 48),
    tables.Column(w.ANNEX_HEADINGS[3], "text", 14),
    tables.Column(w.ANNEX_NUMERATOR, "count", 12),
    tables.Column(w.ANNEX_DENOMINATOR, "count", 12),
    tables.Column(w.ANNEX_HEADINGS[4], "number", 12),
    tables.Column(w.ANNEX_UNIT, "text", 10),
    tables.Column(w.ANNEX_HEADINGS[5], "text", 16),
]


def rows(review: Review):
    for index, row in enumerate(review.annex, start=1):
        yield [
            index,
            row.unit,
            row.indicator,
            row.target,
            row.numerator,
            row.denominator,
            row.amount,
            row.unit_label,
            row.met,
        ]


def write(review: Review, out) -> None:
    """Write the annex of `review` as XLSX to `out` (a path or a binary file); a review without
    figures gets the sheet with its title and headings and one line saying so."""
    title = f"{w.ANNEX_SUBJECT} — {review.issuer_name}, {review.period_words}"
    body = list(rows(review)) or [[None, w.ANNEX_EMPTY]]
    book = tables.workbook([tables.Sheet(name=w.ANNEX_TITLE, rows=body, columns=COLUMNS, title=title)])
    book.save(out)
