"""The unit page: its details as of a date, its history timeline, and who may open it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.orgs import services
from danvan.orgs.models import RestructuringEvent, Unit
from danvan.orgs.services import NewUnit

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db


def unit_page(client, code, **params):
    response = client.get(reverse("orgs:unit_detail", args=[code]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_unit_as_of_today(personas, login):
    html = unit_page(login(personas["viewer"]), "STP")
    for text in ("Đảng ủy Sở Tư pháp", "STP", "Tổ chức cơ sở đảng", "Cơ quan hành chính", "01/01/2020"):
        assert text in html
    assert "Đang hoạt động" in html
    assert "Chi bộ 1" in html and "Chi bộ 2" in html


def test_it_shows_the_ancestors_as_a_breadcrumb(personas, login):
    html = unit_page(login(personas["admin"]), "STP-CB1")
    assert reverse("orgs:unit_detail", args=["DUK"]) in html
    assert reverse("orgs:unit_detail", args=["STP"]) in html


def test_the_viewer_reads_stp_pages_but_not_syt_pages(personas, login):
    client = login(personas["viewer"])
    assert client.get(reverse("orgs:unit_detail", args=["STP-CB1"])).status_code == 200
    assert client.get(reverse("orgs:unit_detail", args=["SYT"])).status_code == 404
    assert client.get(reverse("orgs:unit_detail", args=["SYT-CB1"])).status_code == 404
    assert client.get(reverse("orgs:unit_detail", args=["DUK"])).status_code == 404


@pytest.mark.parametrize(
    "role", ["bloc_admin", "mobilisation_officer", "unit_head", "reporter", "case_handler"]
)
def test_no_role_at_stp_opens_a_syt_page(role, personas, login):
    assert login(personas[role]).get(reverse("orgs:unit_detail", args=["SYT"])).status_code == 404


def test_the_outsider_cannot_open_stp(personas, login):
    assert login(personas["outsider"]).get(reverse("orgs:unit_detail", args=["STP"])).status_code == 404


def test_an_unknown_code_is_not_found(personas, login):
    assert login(personas["admin"]).get(reverse("orgs:unit_detail", args=["NOPE"])).status_code == 404


def test_the_timeline_tells_a_rename(tree, personas, login):
    services.unit_change(
        unit=tree.stp, name="Đảng bộ Sở Tư pháp", effective_on=D(2025, 7, 1), decision="12-QĐ/ĐUK", by=SYSTEM
    )
    html = unit_page(login(personas["viewer"]), "STP")
    assert "01/07/2025" in html
    assert "Đổi tên từ “Đảng ủy Sở Tư pháp” thành “Đảng bộ Sở Tư pháp”" in html
    assert "12-QĐ/ĐUK" in html


def test_the_page_as_of_a_date_before_the_rename_shows_the_old_name(tree, personas, login):
    services.unit_change(unit=tree.stp, name="Đảng bộ Sở Tư pháp", effective_on=D(2025, 7, 1), by=SYSTEM)
    html = unit_page(login(personas["viewer"]), "STP", as_of="30/06/2025")
    assert "<h1>Đảng ủy Sở Tư pháp" in html


def test_the_timeline_tells_a_move(tree, personas, login):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1), by=SYSTEM)
    html = unit_page(login(personas["admin"]), "STP-CB2")
    assert "01/05/2024" in html
    assert "Chuyển từ Đảng ủy Sở Tư pháp sang Đảng ủy Sở Y tế" in html


def test_the_timeline_tells_a_merge_on_both_sides(tree, personas, login):
    services.unit_merge(
        units=[tree.stp, tree.syt],
        effective_on=D(2025, 3, 1),
        new=NewUnit(
            code="STP-SYT", name="Đảng ủy Sở Tư pháp – Y tế", unit_type=tree.catalogue.types["grassroots"]
        ),
        by=SYSTEM,
    )
    client = login(personas["admin"])
    successor = unit_page(client, "STP-SYT")
    assert "Đảng ủy Sở Tư pháp, Đảng ủy Sở Y tế sáp nhập vào đơn vị này" in successor
    assert reverse("orgs:unit_detail", args=["STP"]) in successor
    predecessor = unit_page(client, "STP")
    assert "Sáp nhập vào Đảng ủy Sở Tư pháp – Y tế" in predecessor
    assert reverse("orgs:unit_detail", args=["STP-SYT"]) in predecessor
    assert "Không còn tồn tại" in predecessor


def test_the_timeline_tells_a_split(tree, personas, login):
    cell = tree.catalogue.types["cell"]
    services.unit_split(
        unit=tree.stp_cb1,
        effective_on=D(2025, 3, 1),
        into=[
            NewUnit(code="CB1A", name="Chi bộ 1A", unit_type=cell),
            NewUnit(code="CB1B", name="Chi bộ 1B", unit_type=cell),
        ],
        by=SYSTEM,
    )
    client = login(personas["viewer"])
    assert "Chia tách thành Chi bộ 1A, Chi bộ 1B" in unit_page(client, "STP-CB1")
    assert "Thành lập do chia tách Chi bộ 1" in unit_page(client, "CB1A")


def test_history_without_events_is_told_from_the_versions(tree, personas, login):
    services.unit_change(unit=tree.stp_cb1, name="Chi bộ Một", effective_on=D(2024, 1, 1), by=SYSTEM)
    services.unit_move(unit=tree.stp_cb1, new_parent=tree.syt, effective_on=D(2024, 6, 1), by=SYSTEM)
    services.unit_link_predecessors(
        successor=tree.stp_cb1, predecessors=[tree.stp_cb2], effective_on=D(2024, 7, 1), by=SYSTEM
    )
    RestructuringEvent.objects.filter(unit=tree.stp_cb1).delete()
    html = unit_page(login(personas["admin"]), "STP-CB1")
    assert "Đổi tên từ “Chi bộ 1” thành “Chi bộ Một”" in html
    assert "Chuyển từ Đảng ủy Sở Tư pháp sang Đảng ủy Sở Y tế" in html
    assert "Kế thừa Chi bộ 2" in html


def test_a_unit_not_yet_established_on_the_date_says_so(personas, login):
    html = unit_page(login(personas["viewer"]), "STP", as_of="01/01/2019")
    assert "Chưa thành lập" in html


def test_restructuring_buttons_show_only_to_those_allowed(personas, login):
    merge_url = reverse("orgs:unit_merge", args=["STP"])
    lead_url = reverse("orgs:lead_assign", args=["STP"])
    assert merge_url in unit_page(login(personas["bloc_admin"]), "STP")
    officer = unit_page(login(personas["mobilisation_officer"]), "STP")
    assert merge_url not in officer and lead_url in officer
    viewer = unit_page(login(personas["viewer"]), "STP")
    assert merge_url not in viewer and lead_url not in viewer


def test_it_shows_the_current_lead_and_the_previous_ones(tree, personas, login):
    services.lead_assign(
        unit=tree.stp, full_name="Nguyễn Văn An", position="Phó Bí thư", assigned_on=D(2023, 1, 1), by=SYSTEM
    )
    services.lead_assign(unit=tree.stp, full_name="Trần Thị Bình", assigned_on=D(2025, 2, 1), by=SYSTEM)
    html = unit_page(login(personas["viewer"]), "STP")
    assert "Trần Thị Bình" in html and "01/02/2025" in html
    assert "Nguyễn Văn An" in html and "01/01/2023 – 01/02/2025" in html


def test_it_flags_a_missing_lead_and_regulation(personas, login):
    html = unit_page(login(personas["viewer"]), "STP")
    assert "Chưa phân công cấp ủy viên phụ trách" in html
    assert "Chưa có quy chế phối hợp" in html


def test_the_regulation_document_is_downloadable_only_in_scope(tree, personas, login):
    document = SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4 quy che", content_type="application/pdf")
    services.regulation_set(
        unit=tree.stp, number="05-QC/ĐU", signed_on=D(2024, 3, 8), file=document, by=SYSTEM
    )
    html = unit_page(login(personas["viewer"]), "STP")
    assert "05-QC/ĐU" in html and "08/03/2024" in html
    url = reverse("orgs:regulation_file", args=["STP"])
    response = login(personas["viewer"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(personas["outsider"]).get(url).status_code == 404


def test_a_unit_without_a_regulation_document_has_nothing_to_download(personas, login):
    assert login(personas["viewer"]).get(reverse("orgs:regulation_file", args=["STP"])).status_code == 404


def test_the_timeline_tells_a_change_of_type_and_groups(tree, catalogue, personas, login):
    services.unit_change(
        unit=tree.stp,
        unit_type=catalogue.types["committee"],
        groups=[catalogue.groups["public_service_unit"]],
        effective_on=D(2025, 1, 1),
        by=SYSTEM,
    )
    html = unit_page(login(personas["viewer"]), "STP")
    assert "Đổi loại từ Tổ chức cơ sở đảng thành Đảng bộ trực thuộc." in html
    assert "Nhóm đơn vị đổi thành: Đơn vị sự nghiệp." in html


def test_versions_tell_type_group_and_ancestor_changes_no_event_describes(tree, catalogue, personas, login):
    services.unit_change(
        unit=tree.stp_cb1,
        unit_type=catalogue.types["agency"],
        groups=[catalogue.groups["enterprise"]],
        effective_on=D(2023, 1, 1),
        by=SYSTEM,
    )
    services.unit_move(unit=tree.stp, new_parent=tree.syt, effective_on=D(2024, 1, 1), by=SYSTEM)
    RestructuringEvent.objects.filter(unit=tree.stp_cb1).delete()
    html = unit_page(login(personas["admin"]), "STP-CB1")
    assert "Đổi loại từ Chi bộ thành Cơ quan, đơn vị." in html
    assert "Nhóm đơn vị đổi thành: Doanh nghiệp." in html
    assert "Vị trí trong cây tổ chức thay đổi theo đơn vị cấp trên." in html


def test_a_regulation_document_missing_from_storage_is_not_found(tree, personas, login):
    Unit.objects.filter(pk=tree.stp.pk).update(regulation_file="regulations/2024/mat-tich.pdf")
    assert login(personas["viewer"]).get(reverse("orgs:regulation_file", args=["STP"])).status_code == 404


def test_a_unit_established_later_is_announced_not_reported_in_force(tree, personas, login):
    start = datetime.date.today() + datetime.timedelta(days=30)
    make_unit(tree.catalogue, "STP-CB9", "Chi bộ 9", "cell", tree.stp, day=start)
    page = login(personas["viewer"]).get(reverse("orgs:unit_detail", args=["STP-CB9"])).content.decode()
    assert f"Có hiệu lực từ ngày {start:%d/%m/%Y}" in page
    assert "Chưa thành lập vào ngày này" in page
    assert "Đang hoạt động" not in page and "msg-error" not in page
