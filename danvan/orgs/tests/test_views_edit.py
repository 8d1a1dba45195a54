"""Mobilisation lead and coordination regulation through the interface."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.orgs import services
from danvan.orgs.models import MobilisationLead, Unit
from danvan.orgs.regulation import REGULATION_MAX_BYTES

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db

LEAD = {
    "full_name": "Nguyễn Thị Hoa",
    "position": "Phó Bí thư",
    "phone": "0912 345 678",
    "assigned_on": "15/01/2025",
}


def lead_url(code="STP"):
    return reverse("orgs:lead_assign", args=[code])


def regulation_url(code="STP"):
    return reverse("orgs:regulation_set", args=[code])


def docx() -> bytes:
    """The smallest real Word package (the uploads kit reads the package, not its first bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("role", ["mobilisation_officer", "unit_head", "bloc_admin"])
def test_roles_with_the_edit_permission_assign_the_lead(role, personas, login):
    response = login(personas[role]).post(lead_url(), LEAD)
    assert response.status_code == 302
    lead = MobilisationLead.objects.get(unit__code="STP")
    assert (lead.full_name, lead.assigned_on) == ("Nguyễn Thị Hoa", D(2025, 1, 15))


@pytest.mark.parametrize("role", ["reporter", "case_handler", "viewer"])
def test_roles_without_the_edit_permission_are_refused(role, personas, login):
    client = login(personas[role])
    assert client.get(lead_url()).status_code == 403
    assert client.post(lead_url(), LEAD).status_code == 403
    assert client.post(regulation_url(), {"number": "1-QC", "signed_on": "01/01/2025"}).status_code == 403
    assert not MobilisationLead.objects.exists()


def test_the_outsider_cannot_assign_a_lead_at_stp(personas, login):
    assert login(personas["outsider"]).post(lead_url(), LEAD).status_code == 404
    assert not MobilisationLead.objects.exists()


def test_a_new_lead_must_start_after_the_current_one(tree, personas, login):
    services.lead_assign(unit=tree.stp, full_name="Trần Văn Nam", assigned_on=D(2025, 6, 1), by=SYSTEM)
    response = login(personas["mobilisation_officer"]).post(lead_url(), LEAD)
    assert "phải bắt đầu sau" in response.content.decode()
    assert MobilisationLead.objects.count() == 1


def test_a_lead_needs_a_name_and_a_valid_email(personas, login):
    response = login(personas["mobilisation_officer"]).post(
        lead_url(), {**LEAD, "full_name": "", "email": "x@"}
    )
    html = response.content.decode()
    assert "Trường này là bắt buộc" in html and "Nhập một địa chỉ email hợp lệ" in html
    assert not MobilisationLead.objects.exists()


def test_the_regulation_is_recorded_with_a_pdf(personas, login):
    data = {"number": "05-QC/ĐU", "signed_on": "08/03/2024", "file": upload("quy-che.pdf", b"%PDF-1.7 ...")}
    assert login(personas["unit_head"]).post(regulation_url(), data).status_code == 302
    unit = Unit.objects.get(code="STP")
    assert (unit.regulation_number, unit.regulation_signed_on) == ("05-QC/ĐU", D(2024, 3, 8))
    assert unit.regulation_file.name.endswith(".pdf")


def test_a_docx_is_accepted_and_no_file_is_fine(personas, login):
    client = login(personas["unit_head"])
    data = {
        "number": "05-QC/ĐU",
        "signed_on": "08/03/2024",
        "file": upload("quy-che.docx", docx()),
    }
    assert client.post(regulation_url(), data).status_code == 302
    assert client.post(regulation_url(), {"number": "06-QC/ĐU", "signed_on": "01/04/2024"}).status_code == 302
    unit = Unit.objects.get(code="STP")
    assert unit.regulation_number == "06-QC/ĐU" and unit.regulation_file.name.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "content"),
    [("quy-che.txt", b"plain text"), ("quy-che.pdf", b"MZ not a pdf"), ("quy-che", b"%PDF-1.7")],
)
def test_a_file_of_another_type_is_refused(name, content, personas, login):
    data = {"number": "05-QC/ĐU", "signed_on": "08/03/2024", "file": upload(name, content)}
    response = login(personas["unit_head"]).post(regulation_url(), data)
    assert "Chỉ chấp nhận tệp PDF hoặc DOCX" in response.content.decode()
    assert Unit.objects.get(code="STP").regulation_number == ""


def test_a_file_over_10_mb_is_refused(personas, login):
    big = upload("quy-che.pdf", b"%PDF" + b"0" * (REGULATION_MAX_BYTES - 3))
    data = {"number": "05-QC/ĐU", "signed_on": "08/03/2024", "file": big}
    response = login(personas["unit_head"]).post(regulation_url(), data)
    assert "lớn hơn 10 MB" in response.content.decode()
    assert Unit.objects.get(code="STP").regulation_number == ""


def test_a_regulation_needs_a_valid_signing_date(personas, login):
    response = login(personas["unit_head"]).post(
        regulation_url(), {"number": "05-QC/ĐU", "signed_on": "hôm qua"}
    )
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    assert Unit.objects.get(code="STP").regulation_number == ""
