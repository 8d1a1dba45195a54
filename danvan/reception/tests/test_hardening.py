"""The register's XLSX runs no formula, error reports carry no identity, a refused setting is no 500,
and the legal minimum cites its article."""

import datetime
import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter
from openpyxl import load_workbook

from danvan.accounts.actors import System
from danvan.orgs.models import Unit
from danvan.reception import services
from danvan.reception.models import Entry, Handling, UnitSetting
from danvan.voice.cases.models import Kind

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
D = datetime.date


# ---------------------------------------------------------------- formulas in the XLSX

HYPERLINK = '=HYPERLINK("http://x","y")'


def _xlsx_rows(client):
    response = client.get(reverse("reception:xlsx", args=["STP"]) + f"?year={LAST_YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [list(row) for row in sheet.iter_rows(min_row=8)]


def test_text_that_looks_like_a_formula_comes_back_as_text_in_the_xlsx(tree, personas, login):
    services.entry_record(
        spec=services.NewEntry(
            unit=tree.stp,
            received_on=D(LAST_YEAR, 3, 1),
            kind=Kind.PETITION,
            content=HYPERLINK,
            receiver="+84 251 000",
            name="=1+2",
            address="@SUM(A1:A9)",
            previous_authority="-2+3",
            handling=Handling.TRANSFER,
            transfer_to="=1+2",
            note="=cmd|' /C calc'!A0",
        ),
        by=SYSTEM,
    )
    (cells,) = _xlsx_rows(login(personas["case_handler"]))
    person, content, authority, receiver, note = cells[2], cells[3], cells[5], cells[10], cells[11]
    assert content.value == HYPERLINK and content.data_type == "s"
    assert person.value.startswith("=1+2 – @SUM(A1:A9)") and person.data_type == "s"
    assert authority.value == "-2+3" and authority.data_type == "s"
    assert receiver.value == "+84 251 000" and receiver.data_type == "s"
    assert note.value == "=cmd|' /C calc'!A0" and note.data_type == "s"
    assert all(cell.data_type != "f" for cell in cells)
    # Excel keeps them as text when the cell is edited too.
    assert content.quotePrefix and person.quotePrefix and authority.quotePrefix


def test_a_control_character_in_the_content_is_refused_and_never_breaks_the_xlsx(tree, personas, login):
    spec = services.NewEntry(
        unit=tree.stp,
        received_on=D(LAST_YEAR, 3, 2),
        kind=Kind.FEEDBACK,
        content="Phản ánh\x1fđèn đường hỏng",
        receiver="Trần Thị Tiếp",
        anonymous=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.entry_record(spec=spec, by=SYSTEM)
    assert "content" in refused.value.message_dict
    spec.content = "Phản ánh đèn đường hỏng"
    entry = services.entry_record(spec=spec, by=SYSTEM)
    # A row written before the check existed still exports: the cell drops what a worksheet cannot hold.
    type(entry).objects.filter(pk=entry.pk).update(content="Phản ánh\x0bđèn đường\x1fhỏng")
    (cells,) = _xlsx_rows(login(personas["case_handler"]))
    assert cells[3].value == "Phản ánhđèn đườnghỏng"


# ---------------------------------------------------------------- error reports

SECRETS = ("Võ Thị Kín Đáo", "18 Hà Huy Giáp", "075999000111", "Cục Cảnh sát QLHC", "Đỗ Văn Đại Diện")
POSTED = {
    "received_on": f"12/06/{LAST_YEAR}",
    "name": SECRETS[0],
    "address": SECRETS[1],
    "id_number": SECRETS[2],
    "id_issued_on": "01/02/2022",
    "id_issued_by": SECRETS[3],
    "people_count": "2",
    "representatives": SECRETS[4],
    "kind": "complaint_first",
    "content": "Khiếu nại việc bồi thường khi thu hồi đất.",
    "receiver": "Trần Thị Tiếp",
    "handling": "accept",
}


def _failure(caplog, client, url, data):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(url, data)
    assert response.status_code == 500
    (failure,) = [record for record in caplog.records if record.name == "django.request"]
    return failure


def test_an_error_while_writing_an_entry_is_reported_without_the_identity(tree, personas, settings, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(personas["case_handler"])
    settings.IDENTITY_KEYS = ["not-a-fernet-key"]  # a broken configuration: sealing the person fails
    failure = _failure(caplog, client, reverse("reception:entry_add", args=["STP"]), POSTED)
    assert SECRETS[2] in failure.request.POST["id_number"]  # the request did carry it...
    # ...what Django's error page and error e-mail show (request data, every frame's variables) does not.
    report = ExceptionReporter(failure.request, *failure.exc_info, is_email=True)
    text, html = report.get_traceback_text(), report.get_traceback_html()
    for secret in SECRETS:
        assert secret not in text and secret not in html, secret
    assert "********************" in text  # the fields are there, masked
    assert "Khiếu nại việc bồi thường" in text  # what is not identity still helps whoever debugs
    assert not Entry.objects.exists()


# ---------------------------------------------------------------- the unit's setting


def test_a_refused_setting_shows_the_reason_in_vietnamese_instead_of_an_error(tree, personas, login):
    client = login(personas["case_handler"])
    Unit.objects.filter(pk=tree.stp.pk).update(valid_to=timezone.localdate())  # STP has ended today
    url = reverse("reception:setting", args=["STP"]) + f"?year={LAST_YEAR}"
    response = client.post(url, {"commune_level": "on"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].endswith(
        reverse("reception:days", args=["STP"]) + f"?year={LAST_YEAR}"
    )
    assert "Đơn vị STP đã chấm dứt hoạt động" in response.content.decode()
    assert "Đã lưu thiết lập" not in response.content.decode()
    assert not UnitSetting.objects.exists()


# ---------------------------------------------------------------- the legal minimum


def test_the_legal_minimum_cites_its_article(tree, personas, login):
    client = login(personas["case_handler"])
    url = reverse("reception:days", args=["STP"]) + f"?year={LAST_YEAR}"
    assert "Luật Tiếp công dân 2013, khoản 2 Điều 18" in client.get(url).content.decode()
    services.setting_save(unit=tree.stp, commune_level=True, by=SYSTEM)
    assert "Luật Tiếp công dân 2013, điểm d khoản 2 Điều 15" in client.get(url).content.decode()


def test_more_than_five_representatives_is_refused_citing_the_article_that_says_so(tree):
    with pytest.raises(ValidationError) as refused:
        services.entry_record(
            spec=services.NewEntry(
                unit=tree.stp,
                received_on=D(LAST_YEAR, 3, 3),
                kind=Kind.COMPLAINT_FIRST,
                content="Khiếu nại đông người.",
                receiver="Trần Thị Tiếp",
                name="Người Thứ Nhất",
                address="1 Đồng Khởi",
                people_count=30,
                representatives=[f"Người {n}" for n in range(2, 7)],
            ),
            by=SYSTEM,
        )
    (message,) = refused.value.message_dict["representatives"]
    assert "không quá 5 người đại diện (Luật Tiếp công dân 2013, Điều 29)" in message
    assert not Entry.objects.exists()


def test_a_representative_named_with_a_control_character_is_refused_and_nothing_is_written(tree):
    with pytest.raises(ValidationError) as refused:
        services.entry_record(
            spec=services.NewEntry(
                unit=tree.stp,
                received_on=D(LAST_YEAR, 3, 3),
                kind=Kind.COMPLAINT_FIRST,
                content="Khiếu nại đông người.",
                receiver="Trần Thị Tiếp",
                name="Người Thứ Nhất",
                address="1 Đồng Khởi",
                people_count=3,
                representatives=["Người Thứ Hai", "Người\x07 Thứ Ba"],
            ),
            by=SYSTEM,
        )
    assert refused.value.message_dict["representatives"] == [
        "Tên người đại diện quá dài hoặc chứa ký tự không được phép."
    ]
    assert not Entry.objects.exists()
