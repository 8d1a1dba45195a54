"""A review report as an HTML page fragment: the document's header, sections and annex, each figure a link
to the records it counts (`selectors.figure_links`). The same fragment is kept with a finished report."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from . import document
from . import wording as w
from .content import Piece, Review, pieces_of


@dataclass
class Paragraph:
    pieces: list[tuple[str, str]]  # (words, address of the records they count or "")
    placeholder: bool = False  # a bracketed part the official has not written yet


@dataclass
class Part:
    heading: str
    paragraphs: list[Paragraph]


def parts(review: Review, links: dict[Piece, str]) -> list[Part]:
    return [
        Part(
            section.heading,
            [
                Paragraph([(p.text, links.get(p, "")) for p in pieces_of(text)], str(text).startswith("["))
                for text in section.paragraphs
            ],
        )
        for section in review.parts
    ]


@dataclass
class Line:
    unit: str
    cells: list[str]  # "73,5 % ✗" (with the unit's own target in brackets when targets differ)
    count: str  # targets met / targeted


def matrix_lines(review: Review) -> list[Line]:
    """The annex's lines as the DOCX prints them."""
    matrix = review.matrix
    if matrix is None:
        return []
    lines = []
    for line in matrix.lines:
        cells = []
        for position, cell in enumerate(line.cells):
            shown = document.cell_text(cell)
            if cell.target and not matrix.columns[position].target:
                shown += f" ({cell.target})"
            cells.append(shown)
        count = f"{line.met}/{line.targeted}" if line.targeted else w.NO_FIGURE_MARK
        lines.append(Line(line.unit, cells, count))
    return lines


def html(review: Review, links: dict[Piece, str]) -> str:
    """The report as the preview page draws it (without the page around it)."""
    context = {"review": review, "parts": parts(review, links), "matrix_lines": matrix_lines(review), "w": w}
    return render_to_string("reviews/_report.html", context)
