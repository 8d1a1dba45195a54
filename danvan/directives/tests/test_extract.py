"""Text of .txt, .docx and .pdf files, and clear Vietnamese errors for everything else.

The DOCX files are built with python-docx (header in a two-column table, as offices write them); the
PDFs are written by hand: a Helvetica text object whose /Differences encoding names each Vietnamese
letter by its "uniXXXX" glyph, which pypdf maps back to Unicode.
"""

import io
import os
import unicodedata
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.core import uploads
from danvan.core.uploads import packages
from danvan.directives import extract, parsing

SEED_HEAD = [
    "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
    "ĐẢNG ỦY SỞ TƯ PHÁP",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Biên Hòa, ngày 6 tháng 6 năm 2014",
    "Số: 84 - CV/ĐU",
    "V/v triển khai Chương trình số 60-CTr/ĐUK",
    "Kính gửi:",
    "- Chi bộ 1, 2, 3 và 4;",
    "- Các phòng chuyên môn.",
    "Đảm bảo 100% chi bộ quán triệt Nghị quyết số 25-NQ/TW, ngày 03/6/2013.",
    "Giao Văn phòng chủ trì, phối hợp với Chi bộ 1 báo cáo trước ngày 15/12/2014.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT, ĐU.",
    "T/M ĐẢNG ỦY",
    "PHÓ BÍ THƯ",
    "Phan Văn Châu",
]


def pdf_document(stream: bytes, letters) -> bytes:
    """A one-page PDF drawing `stream` in Helvetica, with `letters` (beyond ASCII) encoded by their
    "uniXXXX" glyph names from code 128 on, which pypdf maps back to Unicode."""
    differences = b" ".join(f"/uni{ord(ch):04X}".encode() for ch in letters)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding"
        b" /BaseEncoding /WinAnsiEncoding /Differences [128 " + differences + b"] >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_pdf(lines: list[str], with_text: bool = True) -> bytes:
    """A one-page PDF whose text layer holds `lines` (at most 128 distinct non-ASCII letters)."""
    letters = sorted({ch for line in lines for ch in line if ord(ch) > 126})
    code = {ch: 128 + i for i, ch in enumerate(letters)}

    def encoded(line: str) -> bytes:
        out = bytearray()
        for ch in line:
            if ch in code:
                out.append(code[ch])
            else:
                out += (b"\\" if ch in "()\\" else b"") + ch.encode("ascii")
        return bytes(out)

    shows = b" ".join(b"(" + encoded(line) + b") Tj T*" for line in lines)
    stream = b"BT /F1 11 Tf 14 TL 50 800 Td " + shows + b" ET" if with_text else b"0 0 1 rg 10 10 50 50 re f"
    return pdf_document(stream, letters)


def make_docx() -> bytes:
    """Header in a 2×2 table (issuer | motto; number and subject | place and date), body, footer table."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\nĐẢNG ỦY SỞ TƯ PHÁP\n*"
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    number = table.cell(1, 0)
    number.text = "Số: 84 - CV/ĐU"
    number.add_paragraph("V/v triển khai thực hiện Chương trình hành động")
    number.add_paragraph("của Đảng ủy Khối")
    table.cell(1, 1).text = "Biên Hòa, ngày 6 tháng 6 năm 2014"
    document.add_paragraph("Kính gửi:")
    document.add_paragraph("- Các đồng chí UVBCH Đảng ủy Sở;")
    document.add_paragraph("- Chi bộ 1, 2, 3 và 4.")
    paragraph = document.add_paragraph("Đảng ủy Sở triển khai ")
    paragraph.add_run("Chương trình số 60-CTr/ĐUK ngày 29/5/2014").bold = True
    paragraph.add_run(" đến các chi bộ.")
    document.add_paragraph("Giao Văn phòng Sở chủ trì, phối hợp với Chi bộ 1 báo cáo trước ngày 15/12/2014.")
    footer = document.add_table(rows=1, cols=2)
    footer.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT, ĐU."
    footer.cell(0, 1).text = "T/M ĐẢNG ỦY\nPHÓ BÍ THƯ\n\n\nPhan Văn Châu"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_header_table_and_paragraphs_are_read_in_order():
    data = parsing.parse(extract.text_of("cong-van.DOCX", make_docx())).as_dict()
    assert data["type"] == "CV"
    assert data["number_symbol"] == "84-CV/ĐU"
    assert (data["issuer"], data["parent_issuer"]) == ("ĐẢNG ỦY SỞ TƯ PHÁP", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH")
    assert (data["place"], data["issued_on"]) == ("Biên Hòa", "2014-06-06")
    assert data["subject"] == "triển khai thực hiện Chương trình hành động của Đảng ủy Khối"
    assert data["addressees"] == ["Các đồng chí UVBCH Đảng ủy Sở", "Chi bộ 1, 2, 3 và 4"]
    assert data["recipients"] == ["Như trên", "Lưu: VT, ĐU"]
    assert (data["signing_authority"], data["signer_title"], data["signer"]) == (
        "T/M ĐẢNG ỦY",
        "PHÓ BÍ THƯ",
        "Phan Văn Châu",
    )
    assert data["references"] == [{"number_symbol": "60-CTr/ĐUK", "type": "CTr", "date": "2014-05-29"}]
    assert data["tasks"][0]["lead"] == "Văn phòng Sở"
    assert data["tasks"][0]["due"] == "2014-12-15"


def test_pdf_text_layer_is_read():
    text = extract.text_of("cong-van.pdf", make_pdf(SEED_HEAD))
    data = parsing.parse(text).as_dict()
    assert data["number_symbol"] == "84-CV/ĐU"
    assert (data["issuer"], data["parent_issuer"]) == ("ĐẢNG ỦY SỞ TƯ PHÁP", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH")
    assert data["issued_on"] == "2014-06-06"
    assert data["subject"] == "triển khai Chương trình số 60-CTr/ĐUK"
    assert data["addressees"] == ["Chi bộ 1, 2, 3 và 4", "Các phòng chuyên môn"]
    assert data["recipients"] == ["Như trên", "Lưu: VT, ĐU"]
    assert data["signer"] == "Phan Văn Châu"
    assert [ref["number_symbol"] for ref in data["references"]] == ["60-CTr/ĐUK", "25-NQ/TW"]
    assert data["targets"][0]["percent"] == 100
    assert data["tasks"][0]["coordinating"] == ["Chi bộ 1"]


def test_pdf_without_text_layer_says_so():
    with pytest.raises(ValidationError) as error:
        extract.text_of("scan.pdf", make_pdf([], with_text=False))
    assert error.value.messages == [
        "Tệp PDF không có lớp văn bản (có thể là ảnh quét); hãy nhận dạng ký tự (OCR) trước khi nhập."
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("van-ban.docx", b"PK\x03\x04 not really a zip", "Tệp DOCX bị hỏng hoặc không phải là văn bản Word."),
        ("van-ban.docx", make_pdf(["x"]), "Tệp DOCX bị hỏng hoặc không phải là văn bản Word."),
        ("van-ban.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "Tệp PDF bị hỏng hoặc không đọc được."),
        ("van-ban.pdf", make_pdf(["x"])[:200], "Tệp PDF bị hỏng hoặc không đọc được."),
        (
            "van-ban.doc",
            b"\xd0\xcf\x11\xe0",
            "Không hỗ trợ loại tệp “.doc”: hãy tải lên tệp .txt, .docx hoặc .pdf.",
        ),
        ("van-ban", b"abc", "Không hỗ trợ loại tệp “van-ban”: hãy tải lên tệp .txt, .docx hoặc .pdf."),
        ("van-ban.txt", b"", "Tệp rỗng."),
        ("van-ban.txt", b" \n\t ", "Tệp rỗng."),
        ("van-ban.pdf", b"", "Tệp rỗng."),
    ],
)
def test_bad_files_get_a_vietnamese_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        extract.text_of(name, content)
    assert error.value.messages == [message]


def test_damaged_docx_zip_without_document_part():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValidationError, match="Tệp DOCX bị hỏng"):
        extract.text_of("x.docx", out.getvalue())


def repacked_docx(padding: int, compression: int) -> bytes:
    """make_docx() with `padding` bytes of an XML comment in word/document.xml (a valid document that
    unpacks to that size), stored or deflated."""
    with zipfile.ZipFile(io.BytesIO(make_docx())) as original:
        members = [(info, original.read(info)) for info in original.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, data)
                continue
            declaration_end = data.index(b"?>") + 2
            part = zipfile.ZipInfo("word/document.xml")
            part.compress_type = compression
            with archive.open(part, "w") as member:
                member.write(data[:declaration_end] + b"<!--")
                chunk = b" " * 2**20
                for _ in range(padding // len(chunk)):
                    member.write(chunk)
                member.write(b"-->" + data[declaration_end:])
    return out.getvalue()


def test_docx_that_unpacks_far_beyond_its_size_is_refused():
    # 30 MB of text packed into about 30 KB: a (small) zip bomb. python-docx would unpack and read it.
    bomb = repacked_docx(30 * 2**20, zipfile.ZIP_DEFLATED)
    assert len(bomb) < 200_000
    with pytest.raises(ValidationError) as error:
        extract.text_of("bomb.docx", bomb)
    assert error.value.code == "docx_too_large"
    assert error.value.messages == [
        "Tệp DOCX khi giải nén lớn hơn rất nhiều so với kích thước của nó (hơn 50 MB văn bản, hoặc nén bất "
        "thường): tệp bị từ chối vì có thể là một “bom nén”."
    ]


def test_docx_whose_text_part_is_over_the_limit_is_refused_even_stored():
    big = repacked_docx(51 * 2**20, zipfile.ZIP_STORED)  # no compression at all: only the size counts
    with pytest.raises(ValidationError) as error:
        extract.text_of("big.docx", big)
    assert error.value.code == "docx_too_large"


def test_the_kits_package_bounds_hold_for_the_text_reader(monkeypatch):
    # The archive is read by the uploads kit (uploads.zip_entries, uploads.unpacks_too_far): its bounds apply.
    monkeypatch.setattr(packages, "MAX_ENTRIES", 3)
    with pytest.raises(ValidationError) as error:
        extract.text_of("van-ban.docx", make_docx())
    assert error.value.code == "docx_too_large"


def test_an_entry_packed_abnormally_tight_is_refused_even_beside_incompressible_padding():
    # 3 MB of random bytes keep the whole file's ratio low; the 4 MB entry of spaces is still a bomb.
    out = io.BytesIO(make_docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.bin", os.urandom(3 * 2**20))
        archive.writestr("customXml/item9.xml", b" " * (4 * 2**20))
    entries = uploads.zip_entries(out.getvalue())
    assert not uploads.unpacks_too_far(entries, len(out.getvalue()), uploads.UNPACKED_MAX_BYTES)
    with pytest.raises(ValidationError) as error:
        extract.text_of("van-ban.docx", out.getvalue())
    assert error.value.code == "docx_too_large"


def test_docx_with_some_padding_is_still_read():
    text = extract.text_of("padded.docx", repacked_docx(2 * 2**20, zipfile.ZIP_STORED))
    assert parsing.parse(text).number_symbol == "84-CV/ĐU"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese editors wrote it: base letters precomposed, tones as combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            out += (base + "".join(c for c in decomposed if c in TONES)).encode("cp1258")
    return out


TONES = "\u0300\u0301\u0303\u0309\u0323"


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"],
)
def test_text_files_in_common_encodings(encoding):
    text = "Số: 84 - CV/ĐU\nBiên Hòa, ngày 6 tháng 6 năm 2014\nĐảng ủy Sở Tư pháp"
    content = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    assert extract.text_of("a.TXT", content) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.doc", "a", "A.PDF"]),
    content=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=200).map(lambda tail: b"%PDF-1.4\n" + tail),
        st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
    ),
)
def test_arbitrary_bytes_only_ever_raise_validation_error(name, content):
    try:
        text = extract.text_of(name, content)
    except ValidationError as error:
        assert error.messages
    else:
        assert isinstance(text, str)
        parsing.parse(text)
