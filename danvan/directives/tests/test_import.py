"""Import: a file is checked by content, read, parsed, shown for review, then saved with its original."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.directives.models import Document

from .register_helpers import SEED_004_TEXT

pytestmark = pytest.mark.django_db


def _upload(client, unit, name, content, direction="in"):
    return client.post(
        reverse("directives:import"),
        {"file": SimpleUploadedFile(name, content), "unit": unit.code, "direction": direction},
    )


def _review_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "unit":
            value = value.code
        elif name == "issued_on" and value:
            value = value.strftime("%d/%m/%Y")
        data[name] = "" if value is None else value
    return data


def test_seed_004_round_trip_keeps_the_original_and_links_its_references(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    content = SEED_004_TEXT.encode("utf-8")
    response = _upload(client, tree.stp, "84-CV-DU.txt", content, direction="out")
    assert response.status_code == 200
    data = _review_data(response)
    assert data["number_symbol"] == "84-CV/ĐU" and data["doc_type"] == "CV"
    assert data["issued_on"] == "06/06/2014" and data["signer"] == "Phan Văn Châu"
    assert data["signing_authority"] == "T/M" and data["signing_for"] == "ĐẢNG ỦY"
    assert "Đảng ủy Sở Tư pháp".lower() in data["issuer"].lower()
    data["subject"] = (
        data["subject"] or "Triển khai Chương trình hành động"
    )  # the person corrects what is missing
    saved = client.post(reverse("directives:import_save"), data)
    document = Document.objects.get()
    assert saved.status_code == 302 and document.direction == "out"
    assert {r.cited_number_symbol for r in document.relations.all()} >= {
        "60-CTr/ĐUK",
        "164-KH/TU",
        "25-NQ/TW",
    }
    original = client.get(reverse("directives:original", args=[document.pk]))
    assert b"".join(original.streaming_content) == content
    assert (
        login(personas["outsider"]).get(reverse("directives:original", args=[document.pk])).status_code == 404
    )
    # The same file again: refused as a duplicate on review, nothing saved.
    again = client.post(
        reverse("directives:import_save"), _review_data(_upload(client, tree.stp, "x.txt", content))
    )
    assert again.status_code == 200 and "đã có trong sổ văn bản" in again.content.decode()
    assert Document.objects.count() == 1


def test_a_docx_is_read(tree, personas, login):
    import docx

    word = docx.Document()
    for line in SEED_004_TEXT.replace("*", "").splitlines()[:40]:
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    response = _upload(login(personas["unit_head"]), tree.stp, "cong-van.docx", buffer.getvalue())
    assert response.status_code == 200 and _review_data(response)["number_symbol"] == "84-CV/ĐU"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("van-ban.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "không thuộc loại được chấp nhận"),
        ("van-ban.docx", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "không khớp với tên tệp"),
        ("van-ban.pdf", b"%PDF-1.4\nnot really a pdf", "PDF"),
    ],
)
def test_a_wrong_or_damaged_file_is_refused_in_vietnamese(tree, personas, login, name, content, expected):
    response = _upload(login(personas["mobilisation_officer"]), tree.stp, name, content)
    assert response.status_code == 200 and "review" not in response.templates[0].name
    assert expected in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(tree, personas, login, settings):
    settings.DIRECTIVES_MAX_FILE_MB = 0.001
    response = _upload(login(personas["mobilisation_officer"]), tree.stp, "a.txt", b"x" * 5000)
    assert "lớn hơn" in response.content.decode()


def test_a_forged_or_foreign_pending_file_is_refused(tree, personas, login):
    officer = login(personas["mobilisation_officer"])
    data = _review_data(_upload(officer, tree.stp, "a.txt", SEED_004_TEXT.encode()))
    data["subject"] = data["subject"] or "x"
    other = login(personas["unit_head"])  # another user cannot save someone else's upload
    assert other.post(reverse("directives:import_save"), data).status_code == 302
    data["pending"] = data["pending"] + "x"
    assert officer.post(reverse("directives:import_save"), data).status_code == 302
    assert not Document.objects.exists()
    assert login(personas["viewer"]).get(reverse("directives:import")).status_code == 403


def test_an_upload_never_saved_is_deleted_once_its_review_has_expired(tree, personas, login):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from danvan.directives import views
    from danvan.directives.tasks import remove_abandoned_imports

    client = login(personas["mobilisation_officer"])
    _upload(client, tree.stp, "84-CV-DU.txt", SEED_004_TEXT.encode("utf-8"))
    _folders, names = default_storage.listdir(views.PENDING_FOLDER)
    assert len(names) == 1
    path = f"{views.PENDING_FOLDER}/{names[0]}"
    assert remove_abandoned_imports.delay().get() == 0  # still under review: kept
    assert default_storage.exists(path)
    later = timezone.now() + datetime.timedelta(seconds=views.PENDING_MAX_AGE + 60)
    assert views.remove_abandoned_imports(now=later) == 1
    assert not default_storage.exists(path) and not Document.objects.exists()


def test_the_reviewer_corrects_extracted_fields_before_saving(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    response = _upload(client, tree.stp, "84-CV-DU.txt", SEED_004_TEXT.encode("utf-8"), direction="out")
    data = _review_data(response)
    assert data["signer"] == "Phan Văn Châu"  # what the parser read, shown for review
    data.update(
        subject="Triển khai Chương trình hành động số 60-CTr/ĐUK (đã sửa)",
        signer="Phan Văn Chấu",
        issued_on="07/06/2014",
        recipients="Đảng ủy Khối (b/c)\nLưu VP",
    )
    assert client.post(reverse("directives:import_save"), data).status_code == 302
    document = Document.objects.get()
    assert document.subject == "Triển khai Chương trình hành động số 60-CTr/ĐUK (đã sửa)"
    assert document.signer == "Phan Văn Chấu" and document.issued_on.isoformat() == "2014-06-07"
    assert document.recipients == ["Đảng ủy Khối (b/c)", "Lưu VP"]
    assert document.original_name == "84-CV-DU.txt"


def test_a_correction_that_breaks_a_rule_is_shown_again_and_nothing_is_saved(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    data = _review_data(_upload(client, tree.stp, "84-CV-DU.txt", SEED_004_TEXT.encode("utf-8")))
    data["issued_on"] = "31/02/2014"
    response = client.post(reverse("directives:import_save"), data)
    assert response.status_code == 200 and not Document.objects.exists()
    assert response.context["form"].errors["issued_on"]
