"""Files sent with a case: type read from the content, names cleaned, limits, protected files encrypted."""

import datetime
import hashlib
import io
import zipfile

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.actors import System
from danvan.core import uploads
from danvan.voice.cases import attachments
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Attachment, Kind

SYSTEM = System("tests")

# ---------------------------------------------------------------- sample files (the smallest real ones)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 64
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 32
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)


def office(main_part: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr(main_part, "<document/>")
        if macros:
            package.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


DOCX = office("word/document.xml")
XLSX = office("xl/workbook.xml")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def case(tree, rules):
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.COMPLAINT_FIRST,
        channel="portal",
        subject="Khiếu nại",
        content="Nội dung",
        received_on=datetime.date(2026, 3, 2),
        identity={"name": "Nguyễn Văn An", "address": "Biên Hòa"},
    )
    return cases.case_receive(by=SYSTEM, spec=spec)[0]


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# ---------------------------------------------------------------- accepted files


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("Đơn khiếu nại.pdf", PDF, "application/pdf"),
        ("ảnh hiện trường.JPG", JPEG, "image/jpeg"),
        ("anh.jpeg", JPEG, "image/jpeg"),
        ("so-do.png", PNG, "image/png"),
        ("bien-ban.docx", DOCX, uploads.DOCX.mime),
        ("danh-sach.xlsx", XLSX, uploads.XLSX.mime),
        ("ghi-am.mp3", MP3, "audio/mpeg"),
        ("ghi-am.m4a", M4A, "audio/mp4"),
    ],
    ids=["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "mp3", "m4a"],
)
def test_each_accepted_type_is_stored_under_a_random_name_with_its_hash(case, settings, name, content, mime):
    attachment = attachments.store(case, upload(name, content, "text/plain"))  # the browser's type is ignored
    assert attachment.content_type == mime
    assert attachment.name == name
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.file.name == f"voice/{case.pk}/{attachment.token}"
    assert len(attachment.token) >= 32 and name.split(".")[0] not in attachment.file.name
    [on_disk] = stored_files(settings)
    assert on_disk.read_bytes() == content
    assert attachments.read(attachment) == content


# ---------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("don-khieu-nai.pdf", EXE, "không thuộc loại được chấp nhận"),  # an executable renamed .pdf
        ("chuong-trinh.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "không thuộc loại được chấp nhận"),
        ("ghi-chu.pdf", b"Just some text pretending to be a PDF", "không thuộc loại được chấp nhận"),
        ("tai-lieu.exe", PDF, "nhưng tên tệp không có đuôi “.pdf”"),  # a PDF renamed .exe
        ("anh.png", PDF, "nhưng tên tệp không có đuôi “.pdf”"),
        ("khong-duoi", PNG, "nhưng tên tệp không có đuôi “.png”"),
        ("nen.docx", b"PK\x03\x04" + b"\x00" * 64, "không thuộc loại được chấp nhận"),  # a bare ZIP
        ("macro.docx", office("word/document.xml", macros=True), "có macro"),
        ("rong.pdf", b"", "trống"),
    ],
    ids=[
        "exe-as-pdf",
        "elf-as-pdf",
        "text-as-pdf",
        "pdf-as-exe",
        "pdf-as-png",
        "no-extension",
        "zip-as-docx",
        "docx-with-macros",
        "empty",
    ],
)
def test_a_file_whose_content_is_not_what_is_accepted_is_refused_and_nothing_is_kept(
    case, settings, name, content, message
):
    with pytest.raises(ValidationError) as refused:
        attachments.store(case, upload(name, content, "application/pdf"))
    assert message in " ".join(refused.value.messages)
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_zip_whose_first_entry_says_word_but_holds_no_document_is_refused(case):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/evil.exe", EXE)
    with pytest.raises(ValidationError) as refused:
        attachments.store(case, upload("thu.docx", buffer.getvalue()))
    assert "bị hỏng hoặc không phải là tài liệu Word (DOCX) thật" in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_with_the_limit_in_megabytes(case, settings):
    settings.VOICE_MAX_ATTACHMENT_MB = 0.5
    big = PDF + b"0" * (512 * 1024)
    with pytest.raises(ValidationError) as refused:
        attachments.store(case, upload("lon.pdf", big))
    assert refused.value.messages == ["Tệp “lon.pdf” lớn hơn 0,5 MB: hãy gửi tệp nhỏ hơn."]
    assert attachments.check(upload("vua.pdf", PDF + b"0" * (500 * 1024))).size > 500 * 1024


def test_the_default_limits_are_ten_megabytes_a_file_five_files_and_twenty_five_megabytes(settings):
    for name in ("VOICE_MAX_ATTACHMENT_MB", "VOICE_MAX_ATTACHMENTS", "VOICE_MAX_SUBMISSION_MB"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert attachments.max_file_bytes() == 10 * 1024 * 1024
    assert attachments.max_files() == 5
    assert attachments.max_total_bytes() == 25 * 1024 * 1024


def test_a_submission_lists_every_problem_at_once(settings):
    settings.VOICE_MAX_ATTACHMENTS = 2
    settings.VOICE_MAX_SUBMISSION_MB = 0.001  # about 1 KB together
    files = [upload("a.pdf", PDF + b"0" * 600), upload("b.pdf", PDF + b"0" * 600), upload("c.exe", EXE)]
    with pytest.raises(ValidationError) as refused:
        attachments.check_all(files)
    messages = refused.value.messages
    assert "Chỉ gửi tối đa 2 tệp." in messages
    assert any("c.exe" in m for m in messages)
    assert any(m.startswith("Các tệp cộng lại lớn hơn") for m in messages)


# ---------------------------------------------------------------- protected files


def test_a_protected_file_is_encrypted_on_disk_and_read_back_decrypted(case, settings):
    content = PDF + "Chữ ký của người tố cáo: Trần Thị Bình".encode()
    attachment = attachments.store(case, upload("don-to-cao.pdf", content), protected=True)
    [on_disk] = stored_files(settings)
    raw = on_disk.read_bytes()
    assert b"%PDF" not in raw and "Trần Thị Bình".encode() not in raw
    assert attachment.protected and attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachments.read(attachment) == content
    settings.IDENTITY_KEYS = [Fernet.generate_key().decode()]  # someone without the identity key
    with pytest.raises(InvalidToken):
        attachments.read(attachment)


def test_a_file_changed_on_disk_is_detected_when_read(case, settings):
    attachment = attachments.store(case, upload("a.pdf", PDF))
    [on_disk] = stored_files(settings)
    on_disk.write_bytes(PDF.replace(b"Catalog", b"Catalug"))
    with pytest.raises(attachments.DamagedAttachment):
        attachments.read(attachment)


def test_discard_removes_the_files_of_rolled_back_attachments(case, settings):
    attachment = attachments.store(case, upload("a.pdf", PDF))
    attachments.discard([attachment])
    assert stored_files(settings) == []
