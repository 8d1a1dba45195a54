"""Header and footer layouts as real files give them: a DOCX whose two-column header and footer tables list
either column first, and a PDF whose text layer draws either column first (pypdf then puts the two columns
of a row on one line, sometimes glued together)."""

import io

import docx
import pytest

from danvan.directives import extract, parsing

from .test_extract import pdf_document

PARTY_LEFT = ["ĐẢNG BỘ TỈNH ĐỒNG NAI", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "*", "Số 60-CTr/ĐUK"]
PARTY_RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Biên Hòa, ngày 29 tháng 5 năm 2014"]
STATE_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "", "Số: 45/KH-UBND"]
STATE_RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Đồng Nai, ngày 5 tháng 6 năm 2025",
]
RECIPIENTS = ["Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (b/c);", "- Các TCCS đảng trực thuộc;", "- Lưu VP."]
PARTY_SIGNATURE = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "", "", "Hoàng Văn Em"]
STATE_SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "K/T CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Đỗ Văn Hùng"]
BODY = [
    "Giao Ban Tuyên giáo Đảng ủy khối chủ trì, phối hợp với Văn phòng theo dõi việc thực hiện; báo cáo trước "
    "15 tháng 12 hằng năm."
]
PARTY = {
    "issuer": "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
    "parent_issuer": "ĐẢNG BỘ TỈNH ĐỒNG NAI",
    "number_symbol": "60-CTr/ĐUK",
    "place": "Biên Hòa",
    "issued_on": "2014-05-29",
    "type": "CTr",
    "subject": "thực hiện Kế hoạch số 164-KH/TU",
    "recipients": ["Ban Thường vụ Tỉnh ủy (b/c)", "Các TCCS đảng trực thuộc", "Lưu VP"],
    "signing_authority": "T/M BAN THƯỜNG VỤ",
    "signer_title": "PHÓ BÍ THƯ",
    "signer": "Hoàng Văn Em",
}
STATE = {
    "issuer": "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
    "parent_issuer": None,
    "number_symbol": "45/KH-UBND",
    "place": "Đồng Nai",
    "issued_on": "2025-06-05",
    "type": "KH",
    "subject": "thực hiện Kế hoạch số 164-KH/TU",
    "recipients": ["Ban Thường vụ Tỉnh ủy (b/c)", "Các TCCS đảng trực thuộc", "Lưu VP"],
    "signing_authority": "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer": "Đỗ Văn Hùng",
}
TITLE = {"CTr": "CHƯƠNG TRÌNH HÀNH ĐỘNG", "KH": "KẾ HOẠCH"}


def check(text: str, expected: dict) -> None:
    data = parsing.parse(text).as_dict()
    assert {key: data[key] for key in expected} == expected
    (task,) = data["tasks"]
    assert (task["lead"], task["recurrence"]) == (
        "Ban Tuyên giáo Đảng ủy khối",
        {"every": "annual", "day": 15, "month": 12},
    )


def make_docx(left, right, signature, doc_type, right_first) -> bytes:
    """Header and footer in two-column tables, the issuing (or recipients) column first or second."""
    document = docx.Document()

    def two_columns(first, second):
        table = document.add_table(rows=1, cols=2)
        columns = (second, first) if right_first else (first, second)
        for cell, lines in zip(table.rows[0].cells, columns, strict=True):
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)

    two_columns(left, right)
    document.add_paragraph(TITLE[doc_type])
    document.add_paragraph("về việc thực hiện Kế hoạch số 164-KH/TU")
    for line in BODY:
        document.add_paragraph(line)
    two_columns(RECIPIENTS, signature)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("right_first", [False, True], ids=["left-column-first", "right-column-first"])
@pytest.mark.parametrize(
    ("left", "right", "signature", "doc_type", "expected"),
    [
        (PARTY_LEFT, PARTY_RIGHT, PARTY_SIGNATURE, "CTr", PARTY),
        (STATE_LEFT, STATE_RIGHT, STATE_SIGNATURE, "KH", STATE),
    ],
    ids=["party", "state"],
)
def test_docx_tables_in_either_column_order(left, right, signature, doc_type, expected, right_first):
    check(extract.text_of("van-ban.docx", make_docx(left, right, signature, doc_type, right_first)), expected)


def make_pdf(items: list[tuple[int, int, str]]) -> bytes:
    """A one-page PDF drawing each (x, y, text) in the order given (Helvetica, Vietnamese letters named
    "uniXXXX" in the /Differences of the encoding, as in test_extract.make_pdf)."""
    letters = sorted({ch for _x, _y, text in items for ch in text if ord(ch) > 126})
    code = {ch: 128 + i for i, ch in enumerate(letters)}
    assert len(code) <= 128

    def encoded(text: str) -> bytes:
        out = bytearray()
        for ch in text:
            if ch in code:
                out.append(code[ch])
            else:
                out += (b"\\" if ch in "()\\" else b"") + ch.encode("ascii")
        return bytes(out)

    stream = b" ".join(
        b"BT /F1 10 Tf %d %d Td (" % (x, y) + encoded(text) + b") Tj ET" for x, y, text in items
    )
    return pdf_document(stream, letters)


def page(left, right, signature, doc_type, footer_shift=0):
    """The drawn items of a page: header columns side by side, the body, footer columns side by side
    (the signature column `footer_shift` rows above the recipients), each block as a list of rows, each row
    a list of (x, y, text) from left to right."""
    header = [
        [(x, 800 - 14 * row, text) for x, text in ((40, pair[0]), (320, pair[1])) if text]
        for row, pair in enumerate(zip(left, right + [""] * (len(left) - len(right)), strict=True))
    ]
    body = [[(200, 720, TITLE[doc_type])], [(60, 706, "về việc thực hiện Kế hoạch số 164-KH/TU")]]
    body += [[(40, 690 - 14 * i, line)] for i, line in enumerate(BODY)]
    rows = max(len(RECIPIENTS), len(signature) - footer_shift)
    footer = []
    for row in range(-footer_shift, rows):
        cells = []
        if 0 <= row < len(RECIPIENTS):
            cells.append((40, 600 - 14 * row, RECIPIENTS[row]))
        if 0 <= row + footer_shift < len(signature) and signature[row + footer_shift]:
            cells.append((320, 600 - 14 * row, signature[row + footer_shift]))
        footer.append(cells)
    return header, body, footer


def drawn(block, order):
    """The items of a block in the order a PDF producer drew them."""
    if order == "rows-left-first":
        return [item for row in block for item in row]
    if order == "rows-right-first":
        return [item for row in block for item in reversed(row)]
    left = [item for row in block for item in row if item[0] < 300]
    right = [item for row in block for item in row if item[0] >= 300]
    return left + right if order == "left-column-then-right" else right + left


@pytest.mark.parametrize(
    "order",
    ["rows-left-first", "rows-right-first", "left-column-then-right", "right-column-then-left"],
)
@pytest.mark.parametrize(
    ("left", "right", "signature", "doc_type", "expected"),
    [
        (PARTY_LEFT, PARTY_RIGHT, PARTY_SIGNATURE, "CTr", PARTY),
        (STATE_LEFT, STATE_RIGHT, STATE_SIGNATURE, "KH", STATE),
    ],
    ids=["party", "state"],
)
def test_pdf_text_layer_in_either_column_order(left, right, signature, doc_type, expected, order):
    for footer_shift in (0, 1):
        header, body, footer = page(left, right, signature, doc_type, footer_shift)
        items = drawn(header, order) + drawn(body, order) + drawn(footer, order)
        check(extract.text_of("van-ban.pdf", make_pdf(items)), expected)
