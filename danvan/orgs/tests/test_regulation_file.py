"""The coordination regulation document: one check (PDF or DOCX, by name and content, 10 MB) everywhere."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.orgs import regulation
from danvan.orgs.models import Unit
from danvan.orgs.regulation import validate_regulation_file

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
ONLY_TYPES = "Chỉ chấp nhận tệp PDF hoặc DOCX."
TOO_LARGE = "Tệp lớn hơn 10 MB."


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def refusal(name: str, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_regulation_file(SimpleUploadedFile(name, content))
    return caught.value.messages


# --- the validator ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"), [("quy-che.pdf", PDF), ("Quy-Che.PDF", PDF), ("quy-che.docx", None)]
)
def test_a_pdf_or_a_docx_is_accepted_and_left_ready_to_save(name, content):
    upload = SimpleUploadedFile(name, content or docx())
    validate_regulation_file(upload)
    assert upload.read(4) == (content or docx())[:4]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quy-che.png", PNG),
        ("quy-che.pdf", HTML),  # a web page renamed .pdf
        ("quy-che.docx", PDF),  # the right kinds, swapped
        ("quy-che.png", PDF),
        ("quy-che.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("quy-che.odt", b"PK\x03\x04"),
        ("quy-che", PDF),
        ("quy-che.pdf", b""),
    ],
)
def test_anything_else_is_refused_in_vietnamese(name, content):
    assert refusal(name, content) == [ONLY_TYPES]


def test_a_document_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(regulation, "REGULATION_MAX_BYTES", len(PDF) - 1)
    assert refusal("quy-che.pdf", PDF) == [TOO_LARGE]
    monkeypatch.setattr(regulation, "REGULATION_MAX_BYTES", len(PDF))
    validate_regulation_file(SimpleUploadedFile("quy-che.pdf", PDF))


# --- the form and the API use it -----------------------------------------------------------------


def form_post(client, name, content):
    data = {"number": "05-QC/ĐU", "signed_on": "08/03/2024", "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("orgs:regulation_set", args=["STP"]), data)


def api_post(client, name, content):
    body = {
        "regulation_number": "05-QC/ĐU",
        "regulation_signed_on": "2024-03-08",
        "regulation_file": SimpleUploadedFile(name, content),
    }
    return client.post("/api/v1/units/STP/regulation/", body, format="multipart")


@pytest.mark.parametrize(("name", "content"), [("quy-che.png", PNG), ("quy-che.pdf", HTML)])
def test_the_form_refuses_a_picture_or_a_renamed_web_page(personas, login, name, content):
    response = form_post(login(personas["unit_head"]), name, content)
    assert response.status_code == 200
    assert ONLY_TYPES in response.content.decode()
    assert Unit.objects.get(code="STP").regulation_number == ""


@pytest.mark.parametrize(("name", "content"), [("quy-che.png", PNG), ("quy-che.pdf", HTML)])
def test_the_api_refuses_a_picture_or_a_renamed_web_page(api, personas, name, content):
    response = api_post(api(personas["unit_head"]), name, content)
    assert response.status_code == 400
    assert response.json() == {"regulation_file": [ONLY_TYPES]}
    unit = Unit.objects.get(code="STP")
    assert (unit.regulation_number, unit.regulation_file.name) == ("", "")


def test_the_api_refuses_a_document_over_the_limit(api, personas, monkeypatch):
    monkeypatch.setattr(regulation, "REGULATION_MAX_BYTES", len(PDF) - 1)
    response = api_post(api(personas["unit_head"]), "quy-che.pdf", PDF)
    assert response.status_code == 400
    assert response.json() == {"regulation_file": [TOO_LARGE]}


def test_the_api_and_the_form_accept_a_docx(api, personas, login):
    assert api_post(api(personas["unit_head"]), "quy-che.docx", docx()).status_code == 200
    assert Unit.objects.get(code="STP").regulation_file.name.endswith(".docx")
    assert form_post(login(personas["unit_head"]), "quy-che-2.docx", docx()).status_code == 302
    assert Unit.objects.get(code="STP").regulation_file.name.endswith(".docx")


def test_the_api_does_not_let_an_outsider_upload_for_another_unit(api, personas):
    response = api_post(api(personas["outsider"]), "quy-che.pdf", PDF)
    assert response.status_code == 404  # as for a unit that does not exist
    assert Unit.objects.get(code="STP").regulation_file.name == ""
