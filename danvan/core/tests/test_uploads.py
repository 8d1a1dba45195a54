"""The uploads kit: one crafted file per rule, refused with its Vietnamese message; good files pass; storage."""

import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import translation

from danvan.core import uploads
from danvan.core.downloads import stored_content

MB = uploads.MB
ALL = uploads.Rules(uploads.CATALOGUE, max_file_bytes=10 * MB)

# ---------------------------------------------------------------- crafted files

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 64
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 32
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def pdf(catalog: bytes = b"", *, objects: bytes = b"") -> bytes:
    """A small PDF; `catalog` is added to the document catalog, `objects` before the trailer."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        + objects
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _stream(data: bytes, dictionary: bytes = b"") -> bytes:
    """A stream object (number 3) holding `data`, with `dictionary` added to its dictionary."""
    return b"3 0 obj\n<< /Length %d %s >>\nstream\n%s\nendstream\nendobj\n" % (len(data), dictionary, data)


def pdf_with_object_stream(action: bytes, *, hexed: bool = False) -> bytes:
    """A PDF 1.5 whose catalog and open action (object 2) are packed in a compressed object stream
    (object 3), found through a cross-reference stream (object 4), as Word and Acrobat write them."""
    packed = [
        (1, b"<< /Type /Catalog /Pages 5 0 R /OpenAction 2 0 R >>"),
        (2, action),
        (5, b"<< /Type /Pages >>"),
    ]
    body, offsets = b"", []
    for number, text in packed:
        offsets.append(b"%d %d " % (number, len(body)))
        body += text + b"\n"
    header = b"".join(offsets)
    data = header + body
    encoded, filters = (
        (data.hex().encode() + b">", b"/ASCIIHexDecode") if hexed else (zlib.compress(data), b"/FlateDecode")
    )
    out = b"%PDF-1.5\n"
    at_object_stream = len(out)
    out += b"3 0 obj\n<< /Type /ObjStm /N 3 /First %d /Length %d /Filter %s >>\nstream\n" % (
        len(header),
        len(encoded),
        filters,
    )
    out += encoded + b"\nendstream\nendobj\n"
    at_xref = len(out)
    rows = [(0, 0, 65535), (2, 3, 0), (2, 3, 1), (1, at_object_stream, 0), (1, at_xref, 0), (2, 3, 2)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"4 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    return out + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at_xref


def package(main: str, parts: dict | None = None, *, types: str = "<Types/>", deflate: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main, "<document/>")
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def macro_types(content_type: str) -> str:
    return f'<Types><Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>'


def a_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def real_docx() -> bytes:
    import docx

    document, buffer = docx.Document(), io.BytesIO()
    document.add_paragraph("Kế hoạch số 12-KH/ĐU")
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    import openpyxl

    workbook, buffer = openpyxl.Workbook(), io.BytesIO()
    workbook.active["A1"] = "Mã đơn vị"
    workbook.save(buffer)
    return buffer.getvalue()


def refusal(content: bytes, name: str, rules: uploads.Rules = ALL) -> ValidationError:
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check(SimpleUploadedFile(name, content), rules)
    return refused.value


# ---------------------------------------------------------------- good files


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Đơn khiếu nại.pdf", pdf(), uploads.PDF),
        ("ảnh.JPG", JPEG, uploads.JPEG),
        ("so-do.png", PNG, uploads.PNG),
        ("ke-hoach.docx", real_docx(), uploads.DOCX),
        ("danh-sach.xlsx", real_xlsx(), uploads.XLSX),
        ("ghi-chu.txt", "Biên bản họp chi bộ".encode(), uploads.TXT),
        ("bom.txt", "\ufeffBiên bản".encode(), uploads.TXT),
        ("utf16.txt", "Biên bản họp chi bộ".encode("utf-16"), uploads.TXT),
        ("don-vi.csv", "\ufeffMã;Tên\nBK;Ban Kinh tế\n".encode(), uploads.CSV),
        ("ghi-am.mp3", MP3, uploads.MP3),
        ("ghi-am.m4a", M4A, uploads.M4A),
        ("mo-trang.pdf", pdf(b" /OpenAction [2 0 R /Fit]"), uploads.PDF),  # opening on a page is fine
        ("nen.pdf", pdf_with_object_stream(b"[5 0 R /Fit]"), uploads.PDF),
        ("hex.pdf", pdf_with_object_stream(b"[5 0 R /Fit]", hexed=True), uploads.PDF),
    ],
)
def test_good_files_pass_with_the_type_read_from_their_content(name, content, kind):
    checked = uploads.check(SimpleUploadedFile(name, content, content_type="text/html"), ALL)
    assert (checked.name, checked.kind, checked.content) == (name, kind, content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest() and checked.size == len(content)


def test_an_office_file_whose_parts_come_in_another_order_is_still_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in (
            "mimetype",
            "docProps/app.xml",
            "docProps/core.xml",
            "_rels/.rels",
            "customXml/item1.xml",
        ):
            archive.writestr(name, "<x/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert uploads.check(buffer.getvalue(), ALL, name="bang.xlsx").kind == uploads.XLSX


def test_bytes_with_a_name_are_checked_the_same_way_as_the_spreadsheet_imports_need():
    tables = uploads.Rules((uploads.XLSX, uploads.CSV), max_file_bytes=MB)
    assert uploads.check(real_xlsx(), tables, name="don-vi.xlsx").content_type == uploads.XLSX.mime
    assert uploads.check(b"Ma;Ten\n", tables, name="don-vi.csv").content_type == "text/csv"
    with pytest.raises(ValidationError) as refused:
        uploads.check(package("xl/workbook.xml", {"xl/vbaProject.bin": b"\x00"}), tables, name="don-vi.xlsx")
    assert refused.value.code == "macros"


def test_compressed_image_bytes_that_happen_to_spell_a_short_name_are_not_a_script():
    image = b"\x00\x17/JS \x99\x03/XFA>" * 64  # inside stream data /JS is only bytes
    stream = b"3 0 obj\n<< /Length %d /Filter /DCTDecode >>\nstream\n%s\nendstream\nendobj\n" % (
        len(image),
        image,
    )
    assert uploads.check(pdf(objects=stream), ALL, name="scan.pdf").kind == uploads.PDF


def test_a_zip_signature_that_no_reader_could_use_is_not_an_archive():
    stray = b"PK\x05\x06" + b"\x00" * 8 + struct.pack("<II", 0xFFFF, 0xFFFFFF) + b"\x00\x00"
    assert uploads.check(PNG + stray, ALL, name="anh.png").kind == uploads.PNG


# ---------------------------------------------------------------- size, count, total


def test_an_empty_file_is_refused():
    error = refusal(b"", "rong.pdf")
    assert (error.code, error.messages) == ("empty", ["Tệp “rong.pdf” trống."])


class Unsized(io.BytesIO):
    """A file without a `size`, recording how much was asked of it."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name, self.asked = name, []

    def read(self, size=-1):
        self.asked.append(size)
        return super().read(size)


def test_a_file_over_the_limit_is_refused_reading_at_most_one_byte_more_without_a_size():
    rules = uploads.Rules((uploads.TXT,), max_file_bytes=1000)
    big = Unsized("lon.txt", b"x" * 50_000)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check(big, rules)
    assert refused.value.code == "too_big" and big.asked == [1001] and big.tell() == 0
    assert refused.value.messages == ["Tệp “lon.txt” lớn hơn 0 MB: hãy gửi tệp nhỏ hơn."]


def test_a_file_that_lies_about_its_size_is_measured():
    liar = SimpleUploadedFile("lon.txt", b"x" * (MB + 1))
    liar.size = 10
    rules = uploads.Rules((uploads.TXT,), max_file_bytes=MB)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check(liar, rules)
    assert refused.value.messages == ["Tệp “lon.txt” lớn hơn 1 MB: hãy gửi tệp nhỏ hơn."]


def test_a_file_announced_too_big_is_not_read():
    announced = Unsized("lon.txt", b"x")
    announced.size = 2 * MB
    with pytest.raises(ValidationError):
        uploads.check(announced, uploads.Rules((uploads.TXT,), max_file_bytes=MB))
    assert announced.asked == []


def test_too_many_files_too_big_together_and_a_bad_one_are_all_listed_at_once():
    rules = uploads.Rules((uploads.PDF,), max_file_bytes=MB, max_files=2, max_total_bytes=1000)
    files = [SimpleUploadedFile(n, pdf() + b"0" * 600) for n in ("a.pdf", "b.pdf")] + [
        SimpleUploadedFile("c.pdf", EXE)
    ]
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.check_all(files, rules)
    assert [error.code for error in refused.value.error_list] == ["too_many", "type", "total_too_big"]
    messages = refused.value.messages
    assert messages[0] == "Chỉ gửi tối đa 2 tệp."
    assert messages[2] == "Các tệp cộng lại lớn hơn 0 MB: hãy gửi ít tệp hơn hoặc tệp nhỏ hơn."


def test_files_within_every_limit_pass_together():
    rules = uploads.Rules((uploads.PDF, uploads.PNG), max_file_bytes=MB, max_files=2, max_total_bytes=MB)
    checked = uploads.check_all([SimpleUploadedFile("a.pdf", pdf()), SimpleUploadedFile("b.png", PNG)], rules)
    assert [item.kind for item in checked] == [uploads.PDF, uploads.PNG]


# ---------------------------------------------------------------- type by content, name agreeing


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("don.pdf", EXE),  # an executable renamed .pdf
        ("anh.png", PNG),  # a kind the catalogue knows, not accepted here
        ("ghi-chu.txt", b"Bien ban\x00\x00\x01\x02 hop"),  # binary bytes in ASCII text
        ("ghi-chu.txt", "Bien ban hop".encode("utf-16-le")),  # UTF-16 without its byte order mark: NULs
        ("ghi-chu.txt", b"MZ\x00\x00binary\x00\x01"),  # binary disguised as text
        ("ghi-chu.txt", b"Bi\xean b\xe1n h\xf4p"),  # Windows-1258 bytes: not UTF-8, no byte order mark
        ("nen.docx", b"PK\x03\x04" + b"\x00" * 64),  # a bare ZIP
    ],
)
def test_a_content_that_is_no_accepted_kind_is_refused(name, content):
    error = refusal(content, name, uploads.Rules((uploads.PDF, uploads.TXT, uploads.DOCX), max_file_bytes=MB))
    assert error.code == "type"
    assert error.messages == [f"Nội dung tệp “{name}” không thuộc loại được chấp nhận (.pdf, .txt, .docx)."]


def test_a_name_that_disagrees_with_the_content_is_refused():
    error = refusal(PNG, "anh.pdf")
    assert error.code == "extension"
    assert error.messages == [
        "Tệp “anh.pdf” là tài liệu PNG nhưng tên tệp không có đuôi “.png” (nội dung không khớp với tên tệp): "
        "hãy đổi tên tệp rồi gửi lại."
    ]
    assert (
        refusal(b"Ma;Ten\n", "don-vi.csv", uploads.Rules((uploads.TXT,), max_file_bytes=MB)).code
        == "extension"
    )


# ---------------------------------------------------------------- Office files


def test_an_office_file_that_is_not_a_real_package_of_its_kind_is_refused():
    error = refusal(package("word/other.xml"), "thu.docx")  # no word/document.xml
    assert (error.code, error.messages) == (
        "damaged",
        ["Tệp “thu.docx” bị hỏng hoặc không phải là tài liệu Word (DOCX) thật."],
    )
    assert refusal(_word_without_document(), "thu.docx").code == "damaged"


def _word_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/evil.exe", EXE)
    return buffer.getvalue()


MACROS = "Tệp “{}” có macro, loại tệp này không được chấp nhận: hãy lưu lại thành tài liệu thông thường rồi gửi lại."


@pytest.mark.parametrize(
    "content",
    [
        package("word/document.xml", {"word/vbaProject.bin": b"\x00" * 16}),
        package("word/document.xml", {"customXml/VBAPROJECT.BIN": b"\x00" * 16}),  # anywhere, any case
        package("word/document.xml", types=macro_types(MACRO_MAIN)),  # a .docm renamed .docx
        package(
            "word/document.xml",
            types=macro_types(MACRO_MAIN.replace("macroEnabled", "&#109;acro&#x45;nabled")),
        ),
        package("word/document.xml", {"word/activeX/activeX1.xml": "<ax:ocx/>"}),
        package("xl/workbook.xml", {"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}),
    ],
    ids=["vba-project", "vba-project-anywhere", "docm-renamed", "docm-escaped", "activex", "excel4-macros"],
)
def test_an_office_file_with_macros_is_refused(content):
    name = "bang.xlsx" if b"xl/workbook.xml" in content else "thu.docx"
    error = refusal(content, name)
    assert (error.code, error.messages) == ("macros", [MACROS.format(name)])


UNPACKS = "Tệp “{}” khi giải nén lớn hơn rất nhiều so với kích thước của nó: tệp bị từ chối vì có thể là một “bom nén”."


def test_a_zip_bomb_is_refused_from_its_central_directory():
    bomb = package("word/document.xml", {"word/media/zeros.bin": b"\x00" * (4 * MB)})
    assert len(bomb) < 20_000
    error = refusal(bomb, "bom.docx")
    assert (error.code, error.messages) == ("unpacks", [UNPACKS.format("bom.docx")])


def test_the_zip_inspection_lists_the_central_directory_and_nothing_else():
    entries = uploads.zip_entries(package("word/document.xml", {"word/big.xml": b" " * MB}))
    sizes = {entry.filename: entry.file_size for entry in entries}
    assert sizes["word/big.xml"] == MB and "[Content_Types].xml" in sizes
    for not_a_zip in (b"", b"PK\x03\x04 broken", pdf()):
        assert uploads.zip_entries(not_a_zip) is None


def test_a_package_of_too_many_entries_or_over_the_cap_is_refused():
    many = package("word/document.xml", {f"word/media/{index}.xml": "<x/>" for index in range(2001)})
    assert refusal(many, "nhieu.docx").code == "unpacks"
    noise = package("word/document.xml", {"word/media/noise.bin": os.urandom(300_000)}, deflate=False)
    capped = uploads.Rules((uploads.DOCX,), max_file_bytes=MB, max_unpacked_bytes=200_000)
    assert refusal(noise, "anh.docx", capped).code == "unpacks"
    assert uploads.check(noise, ALL, name="anh.docx").kind == uploads.DOCX  # within the default cap


# ---------------------------------------------------------------- PDF files

ACTIVE = (
    "Tệp PDF “{}” có chứa mã lệnh (script), lệnh chạy chương trình hoặc tệp nhúng, loại tệp này không được "
    "chấp nhận: hãy in ra một tệp PDF mới rồi gửi lại."
)


@pytest.mark.parametrize(
    "content",
    [
        pdf(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        pdf(b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),  # names written with #xx
        pdf(b" /OpenAction << /S /Launch /F (cmd.exe) >>"),
        pdf(b" /AA << /O << /JS (app.alert(1)) >> >>"),  # a script without /S /JavaScript
        pdf(b" /Names << /EmbeddedFiles 3 0 R >>"),
        pdf(b" /AcroForm << /XFA 3 0 R >>"),
        pdf(
            objects=b"3 0 obj\n<< /Length 44 >>\nstream\n4 0 obj << /S /JavaScript /JS (x) >> endobj\nendstream\nendobj\n"
        ),
        pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),  # hidden in a compressed stream
        pdf_with_object_stream(b"<< /JS (app.alert(1)) >>", hexed=True),  # another filter: read by pypdf
    ],
    ids=[
        "open-action-js",
        "hex-escaped",
        "launch",
        "additional-action",
        "embedded",
        "xfa",
        "inside-stream-data",  # an object the cross-reference table may point at, inside another's data
        "object-stream",
        "pypdf",
    ],
)
def test_a_pdf_with_scripts_launch_actions_or_embedded_files_is_refused(content):
    error = refusal(content, "don.pdf")
    assert (error.code, error.messages) == ("active", [ACTIVE.format("don.pdf")])


def test_pdf_object_streams_that_inflate_too_far_or_cannot_be_read_are_refused():
    bomb = pdf_with_object_stream(b"<< /S /GoTo >>" + b" " * (5 * MB))
    assert refusal(bomb, "bom.pdf").code == "unpacks"
    broken = pdf_with_object_stream(b"<< /S /GoTo >>", hexed=True).replace(b"/W [1 4 2]", b"/W [9 9 9]")
    error = refusal(broken, "hong.pdf")
    assert (error.code, error.messages) == (
        "damaged",
        ["Tệp “hong.pdf” bị hỏng hoặc không phải là tài liệu PDF thật."],
    )


# ---------------------------------------------------------------- files valid as two types

POLYGLOT = (
    "Tệp “{name}” là tài liệu {type} nhưng đồng thời cũng đọc được như tệp {other}, loại tệp này không được "
    "chấp nhận: hãy lưu lại thành tài liệu {type} thông thường rồi gửi lại."
)


@pytest.mark.parametrize(
    ("name", "content", "kind", "other"),
    [
        ("anh.png", PNG + a_zip(), "PNG", "ZIP"),
        ("don.pdf", pdf() + a_zip(), "PDF", "ZIP"),
        ("anh.jpg", JPEG[:20] + b"%PDF-1.4 1 0 obj" + JPEG[20:], "JPEG", "PDF"),
        ("ghi-chu.txt", b"Xem tep: %PDF-1.4\n1 0 obj\n", "TXT", "PDF"),
        ("anh.png", PNG + b"<script>fetch('/')</script>", "PNG", "HTML"),
        ("ghi-am.mp3", MP3 + b"<HTML><body onload=x>", "MP3", "HTML"),
        ("anh.jpg", JPEG + a_zip(), "JPEG", "ZIP"),
        ("don.pdf", pdf(objects=b"%<html><body onload='fetch(1)'>\n"), "PDF", "HTML"),  # in a comment
        ("don.pdf", pdf(objects=_stream(b"<BODY onload=x>")), "PDF", "HTML"),  # a stream kept as written
        ("don.pdf", pdf(objects=_stream(b"<script>fetch('/')</script>", b"/Filter /FlateDecode")), "PDF", "HTML"),
    ],
    ids=["png-zip", "pdf-zip", "jpeg-pdf", "txt-pdf", "png-html", "mp3-html", "jpeg-zip", "pdf-html-comment",
         "pdf-html-stream", "pdf-script-in-filtered-stream"],
)  # fmt: skip
def test_a_file_valid_as_two_types_is_refused(name, content, kind, other):
    error = refusal(content, name)
    assert (error.code, error.messages) == ("polyglot", [POLYGLOT.format(name=name, type=kind, other=other)])


def test_a_pdf_that_quotes_no_markup_where_a_browser_would_find_it_is_a_plain_pdf():
    """Text in a page, compressed page content whose bytes spell a short tag by chance: a plain PDF."""
    text = _stream(b"BT /F1 12 Tf (Bao cao so 12 <b> ve cong tac dan van) Tj ET\n" * 24)  # past 1024 bytes
    noise = _stream(b"\x78\x9c<body \x03<html>\x17" * 16, b"/Filter /FlateDecode")
    assert uploads.check(pdf(objects=text + noise), ALL, name="bao-cao.pdf").kind == uploads.PDF


def test_a_web_page_with_a_pdf_after_it_is_no_pdf():
    """PDF readers look for the header in the first 1024 bytes: before it, a web page. Never accepted: as
    a .pdf it is no PDF (the content is text), as a .txt it is text that also reads as a PDF."""
    page = b"<html><script>fetch('/')</script></html>\n" + pdf()
    assert refusal(page, "don.pdf").code == "extension"
    assert refusal(page, "don.txt").code == "polyglot"


def test_an_office_file_is_refused_by_its_unpacking_ratio_well_under_the_absolute_cap():
    """3 MB of one repeated byte packs to a few KB: far beyond the ratio (100), far under the 200 MB cap;
    the same 3 MB stored unpacked (ratio 1) passes."""
    zeros = {"word/media/zeros.bin": b"\x00" * (3 * MB)}
    bomb, plain = package("word/document.xml", zeros), package("word/document.xml", zeros, deflate=False)
    assert len(bomb) * 100 < 3 * MB < ALL.max_unpacked_bytes
    error = refusal(bomb, "bom.docx")
    assert (error.code, error.messages) == ("unpacks", [UNPACKS.format("bom.docx")])
    assert uploads.check(plain, ALL, name="thuong.docx").kind == uploads.DOCX


# ---------------------------------------------------------------- rules and names


def test_the_accepted_files_text_is_derived_from_the_rules():
    one = uploads.Rules((uploads.PDF, uploads.DOCX), max_file_bytes=10 * MB)
    several = uploads.Rules(
        (uploads.PDF, uploads.JPEG), max_file_bytes=MB // 2, max_files=5, max_total_bytes=25 * MB
    )
    with translation.override("vi"):
        assert one.accepted_text() == "Tệp được chấp nhận: PDF, Word (DOCX); không quá 10 MB."
        assert several.accepted_text() == (
            "Tệp được chấp nhận: PDF, JPEG; tối đa 5 tệp, mỗi tệp không quá 0,5 MB, tổng cộng không quá 25 MB."
        )
    assert several.accept == ".pdf,.jpg,.jpeg" and several.extensions_text() == ".pdf, .jpg, .jpeg"


def test_limits_set_in_megabytes_are_read_when_asked(settings):
    settings.SOME_UPLOAD_MB = 0.5
    assert uploads.setting_bytes("SOME_UPLOAD_MB", 10) == MB // 2
    assert uploads.setting_bytes("NO_SUCH_UPLOAD_MB", 10) == 10 * MB


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\An\\Đơn tố cáo.pdf", "Đơn tố cáo.pdf"),
        ("<script>alert(1)<\\script>.pdf", "script_.pdf"),
        ("bao\x00cao\r\n.pdf", "baocao.pdf"),
        ("  ..hidden.pdf", "hidden.pdf"),
        ("a;rm -rf $HOME|.pdf", "a_rm -rf _HOME_.pdf"),
        ("", "tep-dinh-kem"),
    ],
)
def test_file_names_are_cleaned_and_vietnamese_letters_stay(sent, kept):
    assert uploads.sanitise_name(sent) == kept


def test_a_long_name_is_cut_but_keeps_its_extension():
    name = uploads.sanitise_name("rất dài " * 40 + ".pdf")
    assert len(name) <= uploads.NAME_MAX and name.endswith(".pdf")


# ---------------------------------------------------------------- storage


def field_file(upload_to: str = "kit/") -> FieldFile:
    """A row's file field, without a table."""
    field = models.FileField(upload_to=upload_to)
    field.set_attributes_from_name("file")
    return FieldFile(SimpleNamespace(), field, None)


def checked(name: str = "Quy chế.pdf", content: bytes = pdf()) -> uploads.Checked:
    return uploads.check(content, ALL, name=name)


def test_a_file_is_stored_under_a_random_token_with_its_hash_and_size():
    file = field_file()
    stored = uploads.store(file, checked())
    assert re.fullmatch(r"kit/[\w-]{32}", stored.path) and file.name == stored.path
    assert (stored.name, stored.content_type, stored.size) == ("Quy chế.pdf", "application/pdf", len(pdf()))
    assert stored.sha256 == hashlib.sha256(pdf()).hexdigest()
    assert default_storage.open(stored.path).read() == pdf()
    assert uploads.read(file, sha256=stored.sha256) == pdf()


def test_a_row_without_a_name_column_keeps_the_clean_name_under_a_random_folder():
    stored = uploads.store(field_file(), checked("quy-che.pdf"), keep_name=True)
    assert re.fullmatch(r"kit/[\w-]{32}/quy-che\.pdf", stored.path)


def test_stored_content_may_be_transformed_and_is_read_back_through_its_decoder():
    file = field_file()
    stored = uploads.store(file, checked(), content=pdf()[::-1])
    assert default_storage.open(stored.path).read() == pdf()[::-1]
    assert uploads.read(file, sha256=stored.sha256, decode=lambda data: data[::-1]) == pdf()


def test_a_stored_file_changed_since_is_detected_when_read():
    stored = uploads.store_in("kit/pending", checked())
    with default_storage.open(stored.path, "wb") as handle:
        handle.write(pdf().replace(b"Catalog", b"Catalug"))
    with pytest.raises(uploads.DamagedFile):
        uploads.read(stored.path, sha256=stored.sha256)


def test_files_of_rolled_back_rows_are_discarded_now():
    first, second = uploads.store(field_file(), checked()), field_file()
    uploads.store(second, checked())
    uploads.discard([first, second, "kit/never-written", None, field_file()])
    assert not default_storage.exists(first.path) and not default_storage.exists(second.name)


@pytest.mark.django_db
def test_files_of_deleted_rows_go_only_once_the_deletion_commits(django_capture_on_commit_callbacks):
    stored = uploads.store(field_file(), checked())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        uploads.discard_after_commit([stored.path])
        assert default_storage.exists(stored.path)
    assert not default_storage.exists(stored.path)


def test_content_read_back_is_served_as_a_sandboxed_download_never_cached():
    response = stored_content(b"%PDF-1.4", "Đơn.pdf", "application/pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    )
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
