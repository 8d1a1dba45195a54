"""A review report written as a DOCX party document, or a state body's (`Review.layout`), with python-docx.

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
- A state body's document (`Review.layout` "state") — Nghị định 30/2020/NĐ-CP, Phụ lục I "Thể thức,
  kỹ thuật trình bày văn bản hành chính", phần I, mục II (the main elements) and mục IV (the table "Mẫu
  chữ và chi tiết trình bày thể thức văn bản hành chính"); the paper, margins, font and page numbers
  (mục I.1–I.7: numbers centred in the top margin, none on page 1) are the party document's above:
    1. quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": capitals, 12–13, upright bold — 13 here; tiêu ngữ
       "Độc lập - Tự do - Hạnh phúc": lower case, 13–14 (one point above the quốc hiệu), upright bold,
       centred below it, with a solid line below as long as the words (we underline the whole line,
       spaces included, so the line is exactly its length) — mục II.1;
    2. governing body (cơ quan, tổ chức chủ quản trực tiếp): capitals, 12–13, upright; issuing body:
       capitals, 12–13, upright bold, a solid line below it a third to a half of its length — 13 here
       (mục II.2);
    3. "Số: 12/BC-UBND": "Số" then a colon, a number below 10 with a leading 0, the kind of document
       before the body's abbreviation, 13, upright, centred below the body's name (mục II.3);
    4. place and date: lower case, 13–14, italic, centred below the tiêu ngữ — 14 here; the day below 10
       and the months 1 and 2 with a leading 0, as the party's (mục II.4);
    5. "BÁO CÁO": capitals, 13–14, upright bold — 14 here; subject: lower case, 13–14, upright bold, a
       short solid line below (mục II.5); body 13–14 — 14 here (mục II.6);
    6. signature: the authority without a slash ("TM." for a collective, "KT.", "TL.", "TUQ.", "Q."),
       the title and the name: capitals / lower case, 13–14, upright bold — 14 here (mục II.7);
    7. "Nơi nhận:": lower case, 12, italic bold; the list 11, upright, each line from "-", the last
       "- Lưu: VT." (mục II.9).
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
# A state body's document (Nghị định 30/2020/NĐ-CP, Phụ lục I): header 13, quốc hiệu 13 with its tiêu ngữ 14.
STATE_HEADER_PT = 13
NATION_PT = 13
MOTTO_PT = 14


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

    if review.state:
        _state_header(document, review)
        _line(document, "")
        _line(document, w.DOCUMENT_KIND, BODY_PT, bold=True)
        _line(document, review.subject, BODY_PT, bold=True)
        _rule(document, Cm(4), Mm(163))  # the text's width: 210 − 30 − 17 mm
    else:
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
    (_state_signature if review.state else _signature)(document, review)
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


def _state_header(document, review: Review) -> None:
    """Nghị định 30/2020's header: the bodies and the number on the left, quốc hiệu, tiêu ngữ and the
    date on the right (Phụ lục I, phần I, mục II.1–II.4)."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    # The quốc hiệu (bold 13) holds on one line in 10 cm; the grid's widths too, which LibreOffice reads.
    for column, cell, width in zip(table.columns, (left, right), (Cm(6.3), Cm(10)), strict=True):
        column.width = cell.width = width
    _first_paragraph(left, review.superior, STATE_HEADER_PT)
    _line(left, review.issuer, STATE_HEADER_PT, bold=True)
    _rule(left, Cm(2), Cm(6.3))
    _line(left, review.symbol, STATE_HEADER_PT)
    _first_paragraph(right, w.NATION, NATION_PT, bold=True)
    _line(right, w.MOTTO, MOTTO_PT, bold=True, underline=True)
    _line(right, "")
    _line(right, review.dated, BODY_PT, italic=True)


def _rule(container, length: int, width: int) -> None:
    """A short solid line `length` long centred in `width`: a blank paragraph whose bottom border runs
    between its indents."""
    paragraph = _line(container, "", 4)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = (width - length) // 2
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    # Where the schema puts w:pBdr: after w:pStyle … w:numPr, before w:shd … w:spacing, w:ind, w:jc.
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


def _state_signature(document, review: Review) -> None:
    """Nghị định 30/2020's signature block and recipients (Phụ lục I, phần I, mục II.7 and II.9)."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _flag(table.rows[0], "w:cantSplit")
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _font(first.add_run(w.RECIPIENTS), 12, bold=True, italic=True)
    for recipient in review.recipients:
        _line(left, recipient, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _first_paragraph(right, review.on_behalf, BODY_PT, bold=True)
    _line(right, review.signer_title, BODY_PT, bold=True)
    for _blank in range(4):
        _line(right, "")
    _line(right, review.signer, BODY_PT, bold=True)


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
    attached = {"symbol": review.cited, "day": review.day.strftime("%d/%m/%Y")}
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
