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
- The annex: a section of its own in landscape A4 (the portrait margins turned, the binding one on
  top), a matrix of the units below by indicators in bordered tables (the only bordered ones: the
  header block is a two-column table without borders), Times New Roman 11 pt (header, repeated on
  each page) and 12 pt (cells), at most six indicators a table, then a legend of the marks.
"""

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from . import wording as w
from .content import Matrix, MatrixCell, Review

FONT = "Times New Roman"
BODY_PT = 14
PAPER = (Mm(210), Mm(297))
# Inside the ranges even once Word rounds them to twentieths of a point (15 mm would read 14,99).
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(17)}
# The annex: a landscape matrix, at most this many indicator columns a table; header 11 pt, cells 12 pt.
ANNEX_COLUMNS = 6
HEADER_PT = 11
CELL_PT = 12


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
    _flag(table.rows[0], "w:cantSplit")  # the signer's name never ends up alone on the next page
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
    """The annex in a section of its own, landscape: the matrix of units by indicators, cut into
    tables of at most `ANNEX_COLUMNS` indicators (the unit columns repeated in each), then the legend."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAPER[1], PAPER[0]
    # The portrait page turned: the binding margin (left) comes on top.
    section.top_margin, section.bottom_margin = MARGINS["left"], MARGINS["right"]
    section.left_margin = section.right_margin = MARGINS["top"]
    section.different_first_page_header_footer = False  # the annex's pages are all numbered
    _line(document, w.ANNEX_TITLE, BODY_PT, bold=True)
    _line(document, w.ANNEX_SUBJECT, BODY_PT, bold=True)
    attached = {"symbol": review.symbol.replace("Số ", "số "), "day": review.day.strftime("%d/%m/%Y")}
    _line(document, w.ANNEX_ATTACHED % {**attached, "issuer": review.issuer_name}, BODY_PT, italic=True)
    _line(document, "")
    matrix = review.matrix
    if matrix is None:
        _line(document, w.ANNEX_EMPTY, BODY_PT, italic=True)
        return
    width = section.page_width - section.left_margin - section.right_margin
    total = len(matrix.columns)
    tables = -(-total // ANNEX_COLUMNS)
    base, extra = divmod(total, tables)  # balanced: 7 indicators make 4 + 3, 13 make 5 + 4 + 4
    start = 0
    for number in range(tables):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        positions = range(start, start + base + (number < extra))
        start = positions.stop
        _matrix_table(document, matrix, positions, width, with_count=start == total)
    legend = _line(document, w.ANNEX_LEGEND, CELL_PT, align=WD_ALIGN_PARAGRAPH.LEFT, italic=True)
    legend.paragraph_format.space_before = Pt(6)


def _matrix_table(document, matrix: Matrix, positions: range, width: int, with_count: bool) -> None:
    """One table of the annex: STT, unit, the indicators at `positions`, and with `with_count` the
    count of targets met over every indicator; the header row repeats on each page."""
    count = [w.ANNEX_MET_COUNT] if with_count else []
    table = document.add_table(rows=1, cols=2 + len(positions) + len(count))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fixed = [Mm(12), Mm(65)] + ([Mm(22)] if with_count else [])
    share = int((width - sum(fixed)) / len(positions))
    widths = fixed[:2] + [share] * len(positions) + fixed[2:]
    header = table.rows[0]
    _flag(header, "w:cantSplit")  # before w:tblHeader, as the schema orders them
    _flag(header, "w:tblHeader")  # repeated at the top of each page
    headings = w.ANNEX_HEADINGS[:2]
    for cell, text in zip(header.cells, headings, strict=False):
        _first_paragraph(cell, text, HEADER_PT, bold=True)
    for cell, position in zip(header.cells[2:], positions, strict=False):
        column = matrix.columns[position]
        _first_paragraph(cell, column.indicator, HEADER_PT, bold=True)
        if column.target:
            _line(cell, column.target, HEADER_PT)
    if with_count:
        _first_paragraph(header.cells[-1], w.ANNEX_MET_COUNT, HEADER_PT, bold=True)
    for index, line in enumerate(matrix.lines, start=1):
        row = table.add_row()
        _flag(row, "w:cantSplit")  # a unit's row stays on one page
        cells = row.cells
        _first_paragraph(cells[0], str(index), CELL_PT)
        _first_paragraph(cells[1], line.unit, CELL_PT).alignment = WD_ALIGN_PARAGRAPH.LEFT
        for cell, position in zip(cells[2:], positions, strict=False):
            figure = line.cells[position]
            _first_paragraph(cell, cell_text(figure), CELL_PT)
            if figure.target and not matrix.columns[position].target:
                _line(cell, f"({figure.target})", HEADER_PT, italic=True)  # targets differ by unit
        if with_count:
            shown = f"{line.met}/{line.targeted}" if line.targeted else w.NO_FIGURE_MARK
            _first_paragraph(cells[-1], shown, CELL_PT)
    for column, size in zip(table.columns, widths, strict=True):
        column.width = size
        for cell in column.cells:
            cell.width = size


def cell_text(cell: MatrixCell) -> str:
    """A figure with its mark: "73,5 % ✗"; "—" without a figure; the value alone without a target."""
    if not cell.value:
        return w.NO_FIGURE_MARK
    if cell.met is None:
        return cell.value
    return f"{cell.value} {w.MARK_MET if cell.met else w.MARK_MISSED}"


def _flag(row, name: str) -> None:
    """Set the on/off row property `name` (w:tblHeader, w:cantSplit) on `row`."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    properties.append(flag)
