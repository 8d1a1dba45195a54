"""Attachments of a registered document: added and removed from its page, checked by content and size."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.directives.models import DocumentAttachment

from .register_helpers import register

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Danh sách chi bộ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def document(tree):
    return register(tree.stp)


def _add(client, document, name, content):
    return client.post(
        reverse("directives:attachment_add", args=[document.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_an_officer_attaches_a_spreadsheet_and_an_image_and_downloads_them(document, personas, login):
    client = login(personas["mobilisation_officer"])
    page = _add(client, document, "danh-sach.xlsx", _xlsx()).content.decode()
    assert "Đã thêm tệp đính kèm “danh-sach.xlsx”" in page
    _add(client, document, "anh.png", PNG)
    items = list(document.attachments.order_by("id"))
    assert [(item.name, item.content_type) for item in items] == [
        ("danh-sach.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("anh.png", "image/png"),
    ]
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert 'data-attachment="danh-sach.xlsx"' in page and 'data-attachment="anh.png"' in page
    response = client.get(reverse("directives:attachment", args=[items[1].pk]))
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "chay.exe",
            b"MZ\x90\x00" + b"\x00" * 100,
            "không thuộc loại được chấp nhận (.pdf, .docx, .xlsx, .txt, .jpg, .jpeg, .png)",
        ),
        ("anh.pdf", PNG, "không khớp với tên"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_a_wrong_file_is_refused_in_vietnamese_and_nothing_is_saved(
    document, personas, login, name, content, message
):
    page = _add(login(personas["mobilisation_officer"]), document, name, content).content.decode()
    assert message in page
    assert not DocumentAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(document, personas, login, settings):
    settings.DIRECTIVES_MAX_FILE_MB = 0.001  # about 1 kB
    page = _add(
        login(personas["mobilisation_officer"]), document, "lon.png", PNG + b"\x00" * 2048
    ).content.decode()
    assert "lớn hơn" in page
    assert not DocumentAttachment.objects.exists()


def test_only_a_manager_of_the_register_attaches_or_removes(document, personas, login):
    assert _add(login(personas["viewer"]), document, "anh.png", PNG).status_code == 403
    assert _add(login(personas["outsider"]), document, "anh.png", PNG).status_code == 404
    assert not DocumentAttachment.objects.exists()
    _add(login(personas["mobilisation_officer"]), document, "anh.png", PNG)
    item = document.attachments.get()
    remove = reverse("directives:attachment_remove", args=[document.pk, item.pk])
    assert login(personas["viewer"]).post(remove).status_code == 403
    assert login(personas["outsider"]).post(remove).status_code == 404
    assert DocumentAttachment.objects.filter(pk=item.pk).exists()


def test_removing_an_attachment_deletes_its_file(
    document, personas, login, django_capture_on_commit_callbacks
):
    client = login(personas["mobilisation_officer"])
    _add(client, document, "anh.png", PNG)
    item = document.attachments.get()
    storage, name = item.file.storage, item.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("directives:attachment_remove", args=[document.pk, item.pk]), follow=True
        ).content.decode()
    assert "Đã gỡ tệp đính kèm “anh.png”" in page
    assert not DocumentAttachment.objects.exists() and not storage.exists(name)


def test_a_document_holds_at_most_fifty_attachments(document, personas, login, monkeypatch):
    from danvan.directives import services

    monkeypatch.setattr(services, "ATTACHMENTS_MAX", 2)
    client = login(personas["mobilisation_officer"])
    for index in range(3):
        page = _add(client, document, f"anh-{index}.png", PNG).content.decode()
    assert "tối đa 2 tệp đính kèm" in page
    assert document.attachments.count() == 2
