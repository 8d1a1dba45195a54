"""A review report written as a DOCX party document (python-docx).

Layout, as the two texts prescribe it:

- Paper and margins — Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.1 (and Hướng dẫn 36-HD/VPTW,
  the same for party documents): A4 210 × 297 mm, portrait; top and bottom margins 20–25 mm, left
  30–35 mm, right 15–20 mm. We use 20, 20, 30, 17 mm. Font Times New Roman (Unicode, TCVN 6909:2001).
- Element sizes and styles — Hướng dẫn 36-HD/VPTW (03/4/2018) of the Central Party Office,
  Phụ lục 3 "Mẫu trình bày thể thức văn bản và bản sao văn bản của Đảng", table rows:
    1. "ĐẢNG CỘNG SẢN VIỆT NAM": capitals, 15, upright bold (a line below it: we underline it);
    2. superior body: capitals, 14, upright; issuing body: capitals, 14, upright bold (then "*");
    3. number and symbol ("Số 127-QĐ/TW"): lower case, 14, upright;
    4. place and date: lower case, 14, italic ("Hạ Long, ngày 20 tháng 02 năm 2018": a day below 10
       and months 1–2 take a leading 0);
    5. document kind ("BÁO CÁO"): capitals, 15–16, upright bold — 16 here; subject: lower case,
       14–15, upright bold — 14 here;
    6. body: lower case, 14–15, upright — 14 here (also within Nghị định 30's 13–14); part headings
       ("I. KẾT QUẢ THỰC HIỆN") capitals, 14, upright bold.
  The signature block (authority "T/M BAN THƯỜNG VỤ", title, name: 14 bold), "Nơi nhận:" (14,
  underlined) with its list (12) and the page number (14, centred in the header, not on page 1)
  follow the rest of that table as published.
- The annex table: 13 pt in a bordered table, the only bordered table (the header block is a
  two-column table without borders).
"""

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from . import wording as w
from .content import Review

FONT = "Times New Roman"
BODY_PT = 14
PAPER = (Mm(210), Mm(297))
# Inside the ranges even once Word rounds them to twentieths of a point (15 mm would read 14,99).
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(17)}


def _font(run, size: float, *, bold=False, italic=False, underline=False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _line(container, text: str, size: float = BODY_PT, *, align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _font(paragraph.add_run(text), size, **style)
    return paragraph


def _first_paragraph(cell, text: str, size: float, **style):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), size, **style)
    return paragraph


def _page_number(section) -> None:
    """The page number centred in the header from page 2: a PAGE field, and page 1's header empty."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # page 1 has a header of its own, empty
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        _font(run, BODY_PT)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._element.append(instruction)
        else:
            run.text = text


def write(review: Review, out) -> None:
    """Write `review` as DOCX to `out` (a path or a binary file)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAPER
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    _page_number(section)

    _header(document, review)
    _line(document, "")
    _line(document, w.DOCUMENT_KIND, 16, bold=True)
    _line(document, review.subject, BODY_PT, bold=True)
    _line(document, "-----", BODY_PT)
    _body(document, review.intro)
    for part in review.parts:
        heading = _line(document, part.heading, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=True)
        heading.paragraph_format.first_line_indent = Cm(1)
        for text in part.paragraphs:
            _body(document, text, italic=text.startswith("["))
    _body(document, review.closing)
    _signature(document, review)
    _annex(document, review)
    document.save(out)


def _body(document, text: str, *, italic=False) -> None:
    paragraph = _line(document, text, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, italic=italic)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)


def _header(document, review: Review) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    _first_paragraph(left, review.superior, 14)
    _line(left, review.issuer, 14, bold=True)
    _line(left, w.STAR, 14)
    _line(left, review.symbol, 14)
    _first_paragraph(right, w.PARTY, 15, bold=True, underline=True)
    _line(right, "")
    _line(right, review.dated, 14, italic=True)


def _signature(document, review: Review) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    first = left.paragraphs[0]
    _font(first.add_run(w.RECIPIENTS), BODY_PT, underline=True)
    for recipient in review.recipients:
        _line(left, recipient, 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _first_paragraph(right, review.on_behalf, BODY_PT, bold=True)
    _line(right, review.signer_title, BODY_PT, bold=True)
    for _blank in range(4):
        _line(right, "")
    _line(right, review.signer, BODY_PT, bold=True)


def _annex(document, review: Review) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _line(document, w.ANNEX_TITLE, BODY_PT, bold=True)
    _line(document, w.ANNEX_SUBJECT, BODY_PT, bold=True)
    attached = {"symbol": review.symbol.replace("Số ", "số "), "day": review.day.strftime("%d/%m/%Y")}
    _line(document, w.ANNEX_ATTACHED % {**attached, "issuer": review.issuer_name}, BODY_PT, italic=True)
    _line(document, "")
    if not review.annex:
        _line(document, w.ANNEX_EMPTY, BODY_PT, italic=True)
        return
    table = document.add_table(rows=1, cols=len(w.ANNEX_HEADINGS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, w.ANNEX_HEADINGS, strict=True):
        _first_paragraph(cell, heading, 13, bold=True)
    for index, row in enumerate(review.annex, start=1):
        values = [str(index), row.unit, row.indicator, row.target, row.value, row.met]
        cells = table.add_row().cells
        for position, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = _first_paragraph(cell, value, 13)
            if position in (1, 2):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
