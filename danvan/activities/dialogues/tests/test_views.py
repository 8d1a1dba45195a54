"""Pages: the list and its filters, scope, recording through the forms, coverage, export."""

import io

import pytest
from openpyxl import load_workbook

from danvan.activities.dialogues import services
from danvan.activities.dialogues.models import Audience, Dialogue, Issue

from .conftest import SYSTEM, D, spec

pytestmark = pytest.mark.django_db
HOME = "/activities/dialogues/"


@pytest.fixture
def held(tree, today):
    stp = services.dialogue_record(
        spec=spec(tree.stp, D(2026, 3, 2), leader_name="Lãnh đạo Sở Tư pháp"), by=SYSTEM
    )
    services.issue_add(dialogue=stp, content="Kiến nghị về phòng họp", due_on=D(2026, 4, 1), by=SYSTEM)
    services.dialogue_record(
        spec=spec(tree.stp_cb1, D(2025, 10, 1), leader_name="Bí thư Chi bộ 1"), by=SYSTEM
    )
    syt = services.dialogue_record(
        spec=spec(tree.syt, D(2026, 3, 5), leader_name="Lãnh đạo Sở Y tế"), by=SYSTEM
    )
    return stp, syt


def test_the_list_shows_the_scope_only_with_counts_and_filters(held, personas, login):
    client = login(personas["viewer"])
    html = client.get(HOME).content.decode()
    assert "Lãnh đạo Sở Tư pháp" in html and "Bí thư Chi bộ 1" in html and "Lãnh đạo Sở Y tế" not in html
    assert "2 cuộc đối thoại; 1 kiến nghị, 1 chờ trả lời, trong đó 1 quá hạn." in html
    html = client.get(HOME, {"year": "2025"}).content.decode()
    assert "Bí thư Chi bộ 1" in html and "Lãnh đạo Sở Tư pháp" not in html
    html = client.get(HOME, {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert "Lãnh đạo Sở Tư pháp" in html and "Bí thư Chi bộ 1" not in html
    html = client.get(HOME, {"unit": "STP-CB1"}).content.decode()
    assert "Bí thư Chi bộ 1" in html and "Lãnh đạo Sở Tư pháp" not in html
    html = client.get(HOME, {"unit": "SYT"}).content.decode()  # out of reach: like an unknown unit
    assert "Lãnh đạo Sở Y tế" not in html and "Không tìm thấy đơn vị nào khớp" in html
    html = client.get(HOME, {"from": "01/03/2026", "to": "31/03/2026"}).content.decode()  # as typed
    assert "Lãnh đạo Sở Tư pháp" in html and "Bí thư Chi bộ 1" not in html and 'value="01/03/2026"' in html
    html = client.get(HOME, {"from": "2026-13-01"}).content.decode()
    assert "dd/mm/yyyy, ví dụ" in html and "Lãnh đạo Sở Tư pháp" not in html


def test_a_user_of_another_unit_cannot_see_or_change_a_dialogue(held, personas, login):
    stp, syt = held
    outsider = login(personas["outsider"])
    assert outsider.get(f"{HOME}{stp.pk}/").status_code == 404
    assert outsider.post(f"{HOME}{stp.pk}/delete/").status_code == 404
    assert outsider.get(f"{HOME}{syt.pk}/").status_code == 200
    assert login(personas["viewer"]).get(f"{HOME}{stp.pk}/edit/").status_code == 403
    assert login(personas["case_handler"]).get(HOME).status_code == 403
    assert Dialogue.objects.count() == 3


def test_recording_through_the_pages(tree, personas, login, today):
    client = login(personas["mobilisation_officer"])
    data = {
        "unit": "STP",
        "held_on": "16/06/2026",
        "leader_name": "Nguyễn Văn An",
        "leader_position": "Giám đốc",
        "audience": Audience.CITIZENS,
        "participants": "35",
        "format": "direct",
        "place": "Hội trường",
        "note": "",
    }
    refused = client.post(f"{HOME}new/", data)
    assert refused.status_code == 200 and "tương lai" in refused.content.decode()
    assert client.post(f"{HOME}new/", {**data, "unit": "SYT", "held_on": "10/06/2026"}).status_code == 200
    assert not Dialogue.objects.exists()
    response = client.post(f"{HOME}new/", {**data, "held_on": "10/06/2026"})
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302 and dialogue.audience == Audience.CITIZENS
    bad = client.post(f"{HOME}{dialogue.pk}/issues/", {"content": "", "answerer": "", "due_on": ""})
    assert bad.status_code == 400
    client.post(
        f"{HOME}{dialogue.pk}/issues/",
        {"content": "Lắp đèn", "answerer": "UBND phường", "due_on": "30/06/2026"},
    )
    issue = Issue.objects.get()
    client.post(
        f"{HOME}issues/{issue.pk}/",
        {
            "content": "Lắp đèn",
            "answerer": "UBND phường",
            "due_on": "30/06/2026",
            "state": "answered",
            "answer": "Đã lắp",
            "answered_on": "12/06/2026",
        },
    )
    issue.refresh_from_db()
    assert issue.state == "answered"
    html = client.get(f"{HOME}{dialogue.pk}/").content.decode()
    assert "Lắp đèn" in html and "Đã trả lời" in html
    client.post(f"{HOME}{dialogue.pk}/delete/")
    assert not Dialogue.objects.exists() and not Issue.objects.exists()


def test_the_export_holds_the_filtered_list(held, personas, login):
    response = login(personas["viewer"]).get(f"{HOME}export.xlsx", {"year": "2026"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][1] == "Đảng ủy Sở Tư pháp"


def test_coverage_lists_enterprises_with_and_without_a_workplace_dialogue(tree, personas, login, today):
    from conftest import make_unit

    water = make_unit(tree.catalogue, "CTCN", "Công ty Cấp nước", "grassroots", tree.stp, ["enterprise"])
    make_unit(tree.catalogue, "MTDT", "Công ty Môi trường", "grassroots", tree.stp, ["enterprise"])
    make_unit(tree.catalogue, "XSKT", "Công ty Xổ số", "grassroots", tree.syt, ["enterprise"])
    services.dialogue_record(spec=spec(water, D(2026, 2, 1), audience=Audience.WORKERS), by=SYSTEM)
    html = login(personas["viewer"]).get(f"{HOME}coverage/", {"year": "2026"}).content.decode()
    assert "Điều 63 khoản 2 điểm a" in html
    with_part, without_part = (
        html.split('class="with"')[1],
        html.split('class="without"')[1].split("</ul>")[0],
    )
    assert 'data-unit="CTCN"' in with_part and 'data-unit="MTDT"' in without_part
    assert "Công ty Xổ số" not in html  # another unit's enterprise
    html = login(personas["viewer"]).get(f"{HOME}coverage/", {"year": "2025"}).content.decode()
    assert 'data-unit="CTCN"' in html.split('class="without"')[1].split("</ul>")[0]
