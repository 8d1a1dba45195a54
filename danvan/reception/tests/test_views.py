"""The register's pages: who may see, write, print and export; the XLSX; Vietnamese messages; the audit."""

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.reception import services
from danvan.reception.models import Entry, Handling, IdentityView
from danvan.voice.cases.models import Case, Kind

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
D = datetime.date
DENOUNCER = "Phạm Thị Kín"
COMPLAINANT = "Nguyễn Văn Công"


@pytest.fixture
def register(tree):
    """Two entries at STP last year (a complaint accepted, a denunciation transferred), one at SYT."""

    def entry(unit, name, kind, **more):
        return services.entry_record(
            spec=services.NewEntry(
                unit=unit,
                received_on=more.pop("received_on", D(LAST_YEAR, 3, 10)),
                kind=kind,
                content=more.pop("content", "Nội dung vụ việc thử nghiệm."),
                receiver="Trần Thị Tiếp",
                name=name,
                address="34 Phan Chu Trinh, Biên Hòa",
                id_number="075000111222",
                **more,
            ),
            by=SYSTEM,
        )

    return {
        "complaint": entry(tree.stp, COMPLAINANT, Kind.COMPLAINT_FIRST, handling=Handling.ACCEPT),
        "denunciation": entry(
            tree.stp,
            DENOUNCER,
            Kind.DENUNCIATION,
            received_on=D(LAST_YEAR, 5, 20),
            handling=Handling.TRANSFER,
            transfer_to="Thanh tra tỉnh",
        ),
        "syt": entry(tree.syt, "Lê Văn Khác", Kind.PETITION),
    }


def pages(code="STP"):
    query = f"?year={LAST_YEAR}"
    return {
        "register": reverse("reception:register", args=[code]) + query,
        "print": reverse("reception:print", args=[code]) + query,
        "xlsx": reverse("reception:xlsx", args=[code]) + query,
        "days": reverse("reception:days", args=[code]),
        "new": reverse("reception:entry_add", args=[code]),
    }


def exports():
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, model="reception.entry")


def test_a_user_of_syt_cannot_see_or_export_the_register_of_stp(register, personas, login):
    client = login(personas["outsider"])
    for name, url in pages().items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("reception:entry", args=[register["complaint"].pk])).status_code == 404
    assert not exports().exists()
    # Their own unit's register they may read.
    assert client.get(pages("SYT")["register"]).status_code == 200


@pytest.mark.parametrize("who", ["viewer", "reporter"])
def test_a_viewer_cannot_see_or_export_the_register(who, register, personas, login):
    client = login(personas[who])
    for name, url in pages().items():
        assert client.get(url).status_code == 403, name
    assert client.get(reverse("reception:entry", args=[register["complaint"].pk])).status_code == 404
    assert client.post(pages()["new"], {"received_on": "01/03/2025"}).status_code == 403
    assert client.get(reverse("reception:home")).status_code == 403
    assert not exports().exists() and Entry.objects.count() == 3


def test_the_navigation_offers_reception_to_case_viewers_only(personas, login):
    url = reverse("reception:home")
    assert url in login(personas["unit_head"]).get(reverse("orgs:tree")).content.decode()
    assert url not in login(personas["viewer"]).get(reverse("orgs:tree")).content.decode()


NEW_ENTRY = {
    "received_on": f"12/06/{LAST_YEAR}",
    "name": "Võ Thị Mới",
    "address": "5 Hà Huy Giáp, Biên Hòa",
    "id_number": "075999888777",
    "id_issued_on": "01/02/2022",
    "id_issued_by": "Cục Cảnh sát QLHC về TTXH",
    "people_count": "6",
    "representatives": "Đỗ Văn Hai\nĐỗ Văn Ba",
    "kind": "complaint_first",
    "content": "Khiếu nại việc bồi thường khi thu hồi đất.",
    "receiver": "Trần Thị Tiếp",
    "handling": "accept",
}


def test_a_case_handler_at_stp_writes_prints_and_exports_the_register(register, personas, login):
    client = login(personas["case_handler"])
    response = client.post(pages()["new"], NEW_ENTRY)
    assert response.status_code == 302
    entry = Entry.objects.get(unit__code="STP", received_on=D(LAST_YEAR, 6, 12))
    assert entry.number == 3 and entry.case.people_count == 6 and entry.case.channel == "desk"
    page = client.get(pages()["register"]).content.decode()
    assert "Võ Thị Mới" in page and "người đại diện khác: Đỗ Văn Hai, Đỗ Văn Ba" in page
    assert DENOUNCER in page  # the case handlers of the unit see the denouncer
    printed = client.get(pages()["print"]).content.decode()
    assert "SỔ TIẾP CÔNG DÂN" in printed and "ĐẢNG ỦY SỞ TƯ PHÁP" in printed and f"Năm {LAST_YEAR}" in printed
    assert (
        "Thụ lý để giải quyết" in printed
        and "Chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền" in printed
    )
    css = Path(finders.find("reception/register-print.css")).read_text(encoding="utf-8")
    assert "size: A4 landscape" in css and '"Times New Roman"' in css and "register-print.css" in printed
    assert client.get(pages()["xlsx"]).status_code == 200
    assert set(exports().values_list("changes__format", flat=True)) == {"print", "xlsx"}
    assert set(exports().values_list("unit_code", flat=True)) == {"STP"}
    # Each protected identity shown (register page, print, XLSX) is logged.
    assert sorted(IdentityView.objects.values_list("what", flat=True)) == ["print", "register", "xlsx"]


def _sheet(response):
    book = load_workbook(io.BytesIO(response.getvalue()))
    return book.active


def test_the_xlsx_has_the_forms_headings_and_the_rows(register, personas, login):
    response = login(personas["case_handler"]).get(pages()["xlsx"])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet["A1"].value == "ĐẢNG ỦY SỞ TƯ PHÁP" and sheet["A2"].value == "SỔ TIẾP CÔNG DÂN"
    assert sheet["A3"].value == f"Năm {LAST_YEAR}"
    headings = [cell.value for cell in sheet[5]] + [cell.value for cell in sheet[6]]
    for heading in (
        "STT",
        "Ngày tiếp",
        "Họ tên – Địa chỉ – Giấy tờ tùy thân của công dân",
        "Nội dung vụ việc",
        "Phân loại đơn / Số người",
        "Cơ quan đã giải quyết",
        "Hướng xử lý",
        "Thụ lý để giải quyết",
        "Trả lại đơn và hướng dẫn",
        "Chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền",
        "Theo dõi kết quả giải quyết",
        "Người tiếp",
        "Ghi chú",
    ):
        assert heading in headings, heading
    assert [cell.value for cell in sheet[7]][:3] == ["(1)", "(2)", "(3)"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=8)]
    assert [row[0] for row in rows] == [1, 2]
    first, second = rows
    assert first[1] == datetime.datetime(LAST_YEAR, 3, 10) and sheet["B8"].number_format == "dd/mm/yyyy"
    assert COMPLAINANT in first[2] and first[4] == "Khiếu nại lần đầu / 1 người"
    assert first[6].startswith("X") and register["complaint"].case.reference in first[9]
    assert DENOUNCER in second[2] and second[8] == "X\nThanh tra tỉnh"
    assert "Lê Văn Khác" not in repr(rows)  # SYT's entry is not in STP's register


@pytest.mark.parametrize("who", ["unit_head", "mobilisation_officer", "admin"])
def test_a_denouncer_is_masked_in_the_page_the_print_and_the_xlsx_for_everyone_else(
    who, register, personas, login
):
    client = login(personas[who])
    for name in ("register", "print"):
        page = client.get(pages()[name]).content.decode()
        assert DENOUNCER not in page and COMPLAINANT in page and "(được bảo vệ)" in page, name
    entry_page = client.get(reverse("reception:entry", args=[register["denunciation"].pk])).content.decode()
    assert DENOUNCER not in entry_page and "075000111222" not in entry_page
    cells = repr([[c.value for c in row] for row in _sheet(client.get(pages()["xlsx"])).iter_rows()])
    assert DENOUNCER not in cells
    assert "(được bảo vệ)" in cells
    assert not IdentityView.objects.exists()
    assert exports().filter(changes__format="xlsx").count() == 1


def test_a_unit_head_reads_but_cannot_write(register, personas, login):
    client = login(personas["unit_head"])
    assert client.get(pages()["register"]).status_code == 200
    assert client.get(pages()["new"]).status_code == 403
    assert client.post(pages()["new"], NEW_ENTRY).status_code == 403
    entry = register["denunciation"]
    url = reverse("reception:entry_follow_up", args=[entry.pk])
    assert client.post(url, {"result": "Đã có kết luận"}).status_code == 403
    assert Entry.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Hãy ghi họ và tên của công dân"),
        (
            {"received_on": (timezone.localdate() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")},
            "tương lai",
        ),
        ({"handling": "transfer", "transfer_to": ""}, "mà đơn được chuyển đến"),
        ({"people_count": "-2"}, "Số người phải từ 1 đến"),
    ],
)
def test_bad_input_re_renders_in_vietnamese_and_saves_nothing(register, personas, login, changes, message):
    client = login(personas["case_handler"])
    response = client.post(pages()["new"], {**NEW_ENTRY, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Entry.objects.count() == 3 and Case.objects.count() == 1


def test_a_pending_entry_is_handled_and_followed_up_from_its_page(tree, personas, login):
    entry = services.entry_record(
        spec=services.NewEntry(
            unit=tree.stp,
            received_on=D(LAST_YEAR, 2, 2),
            kind=Kind.PETITION,
            content="Kiến nghị sửa đường.",
            receiver="Trần Thị Tiếp",
            name="Hồ Văn Chờ",
            address="1 Đồng Khởi",
        ),
        by=SYSTEM,
    )
    client = login(personas["case_handler"])
    url = reverse("reception:entry_handle", args=[entry.pk])
    refused = client.post(url, {"handling": "return", "guidance": ""})
    assert refused.status_code == 200 and "Hãy ghi nội dung đã hướng dẫn công dân" in refused.content.decode()
    assert client.post(url, {"handling": "accept"}).status_code == 302
    follow = reverse("reception:entry_follow_up", args=[entry.pk])
    assert client.post(follow, {"result": "Đã trả lời bằng văn bản", "note": ""}).status_code == 302
    entry.refresh_from_db()
    assert entry.handling == "accept" and entry.case is not None and entry.result == "Đã trả lời bằng văn bản"


def test_a_date_range_is_shown_in_the_header(register, personas, login):
    url = reverse("reception:print", args=["STP"]) + f"?start=01/05/{LAST_YEAR}&end=31/05/{LAST_YEAR}"
    page = login(personas["case_handler"]).get(url).content.decode()
    assert f"Từ ngày 01/05/{LAST_YEAR} đến ngày 31/05/{LAST_YEAR}" in page
    assert DENOUNCER in page and COMPLAINANT not in page
