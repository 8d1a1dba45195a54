"""A review report as an HTML page fragment: the document's header, sections and annex, each figure a link
to the records it counts (`selectors.figure_links`). The same fragment is kept with a finished report."""

from dataclasses import dataclass

from django.template.loader import render_to_string

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


def html(review: Review, links: dict[Piece, str]) -> str:
    """The report as the preview page draws it (without the page around it)."""
    return render_to_string("reviews/_report.html", {"review": review, "parts": parts(review, links), "w": w})
