"""Pages, API, work home and overview of the People's Inspection Board register, scoped by the policy."""

import datetime

import pytest
from django.urls import reverse

from danvan.activities.boards import services
from danvan.activities.boards.models import Board, Recommendation
from danvan.activities.registers import REGISTERS
from danvan.core import worklist

from .helpers import SYSTEM, make_board, start, today

pytestmark = pytest.mark.django_db


def _overdue(board, content="Công khai quỹ phúc lợi"):
    return services.recommendation_record(
        board=board,
        content=content,
        sent_on=today() - datetime.timedelta(days=30),
        due_on=today() - datetime.timedelta(days=2),
        by=SYSTEM,
    )


def test_the_list_shows_only_the_boards_in_scope(tree, personas, login):
    make_board(tree.stp, decision_number="STP-QĐ-1")
    make_board(tree.syt, decision_number="SYT-QĐ-9")
    page = login(personas["viewer"]).get(reverse("boards:home")).content.decode()
    assert "STP-QĐ-1" in page and "SYT-QĐ-9" not in page
    page = login(personas["admin"]).get(reverse("boards:home") + "?state=in_term").content.decode()
    assert "STP-QĐ-1" in page and "SYT-QĐ-9" in page
    assert login(personas["case_handler"]).get(reverse("boards:home")).status_code == 403


def test_a_board_of_another_unit_answers_404(tree, personas, login):
    board = make_board(tree.syt)
    assert (
        login(personas["mobilisation_officer"]).get(reverse("boards:board", args=[board.pk])).status_code
        == 404
    )
    assert login(personas["outsider"]).get(reverse("boards:board", args=[board.pk])).status_code == 200


def test_a_board_is_recorded_from_its_page_with_its_members(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    data = {
        "unit": "STP",
        "starts_on": start().strftime("%d/%m/%Y"),
        "ends_on": "",
        "staff_count": "30",
        "members-TOTAL_FORMS": "9",
        "members-INITIAL_FORMS": "0",
    }
    for index, (name, role) in enumerate(
        [("Nguyễn An", "chair"), ("Trần Bình", "deputy"), ("Lê Cường", "member")]
    ):
        data.update(
            {
                f"members-{index}-full_name": name,
                f"members-{index}-role": role,
                f"members-{index}-office": "none",
            }
        )
    bad = {**data, "members-2-office": "chief_accountant"}
    response = client.post(reverse("boards:board_add"), bad)
    assert response.status_code == 200 and "kế toán trưởng" in response.content.decode()
    assert not Board.objects.exists()
    response = client.post(reverse("boards:board_add"), data)
    board = Board.objects.get()
    assert response.status_code == 302 and board.members.count() == 3
    assert board.ends_on == datetime.date(start().year + 2, start().month, start().day) - datetime.timedelta(
        days=1
    )


def test_out_of_scope_unit_is_refused_on_the_page(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    response = client.post(
        reverse("boards:board_add"),
        {
            "unit": "SYT",
            "starts_on": start().strftime("%d/%m/%Y"),
            "staff_count": "30",
            "members-TOTAL_FORMS": "9",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and not Board.objects.exists()


def test_a_future_supervision_is_refused_on_the_page(tree, personas, login):
    board = make_board(tree.stp)
    client = login(personas["mobilisation_officer"])
    tomorrow = (today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("boards:activity_add", args=[board.pk]), {"held_on": tomorrow, "subject": "Tài chính"}
    )
    assert response.status_code == 200 and "tương lai" in response.content.decode()
    assert not board.activities.exists()


def test_the_xlsx_lists_the_boards_in_scope(tree, personas, login):
    import io

    from openpyxl import load_workbook

    make_board(tree.stp)
    make_board(tree.syt)
    response = login(personas["viewer"]).get(reverse("boards:xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell]
    assert "Đảng ủy Sở Tư pháp" in values and "Đảng ủy Sở Y tế" not in values


def test_missing_page_lists_agencies_without_a_board(tree, personas, login):
    make_board(tree.stp)
    page = login(personas["admin"]).get(reverse("boards:missing")).content.decode()
    assert 'data-unit="SYT"' in page and 'data-unit="STP"' not in page


def test_overdue_recommendations_are_on_the_work_home_of_their_unit_only(tree, personas):
    board = make_board(tree.stp)
    late = _overdue(board)
    services.recommendation_record(
        board=board,
        content="Chưa đến hạn",
        sent_on=today(),
        due_on=today() + datetime.timedelta(days=3),
        by=SYSTEM,
    )
    source = {item.key: item for item in worklist.sources()}["boards"]
    found = source.collect(personas["mobilisation_officer"], today(), 20)
    assert found.total == 1 and found.items[0].title == late.content and found.items[0].due < today()
    assert source.collect(personas["outsider"], today(), 20).total == 0
    services.recommendation_answer(recommendation=late, answer="Đã công khai", answered_on=today(), by=SYSTEM)
    assert source.collect(personas["mobilisation_officer"], today(), 20).total == 0


def test_the_register_gives_its_overview_figures(tree, personas):
    board = make_board(tree.stp)
    _overdue(board)
    make_board(tree.syt)
    figures = REGISTERS["inspection_board"].overview(personas["viewer"], today().year)
    assert [figure.value for figure in figures] == ["1", "1", "1"]


def test_the_api_creates_a_board_and_refuses_the_rules(tree, personas, api):
    client = api(personas["mobilisation_officer"])
    body = {
        "unit": "STP",
        "starts_on": start().isoformat(),
        "staff_count": 20,
        "members": [
            {"full_name": "Nguyễn An", "role": "chair"},
            {"full_name": "Trần Bình", "role": "deputy"},
            {"full_name": "Lê Cường", "office": "head"},
        ],
    }
    response = client.post("/api/v1/activities/inspection-boards/", body, format="json")
    assert response.status_code == 400 and "members.2.office" in response.json()
    response = client.post("/api/v1/activities/inspection-boards/", {**body, "unit": "SYT"}, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    body["members"][2]["office"] = "none"
    response = client.post("/api/v1/activities/inspection-boards/", {**body, "staff_count": 5}, format="json")
    assert response.status_code == 400 and "staff_count" in response.json()
    response = client.post("/api/v1/activities/inspection-boards/", body, format="json")
    assert response.status_code == 201, response.json()
    board_id = response.json()["id"]
    assert len(response.json()["members"]) == 3

    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    url = f"/api/v1/activities/inspection-boards/{board_id}/recommendations/"
    sent = (today() - datetime.timedelta(days=9)).isoformat()
    response = client.post(url, {"content": "Công khai", "sent_on": sent, "due_on": sent}, format="json")
    assert response.status_code == 201
    recommendation = Recommendation.objects.get()
    answer_url = f"/api/v1/activities/inspection-board-recommendations/{recommendation.pk}/answer/"
    response = client.post(answer_url, {"answer": "Đã làm", "answered_on": tomorrow}, format="json")
    assert response.status_code == 400 and "answered_on" in response.json()
    listed = client.get("/api/v1/activities/inspection-board-recommendations/?overdue=true").json()
    assert [item["id"] for item in listed["results"]] == [recommendation.pk]


def test_the_api_is_scoped(tree, personas, api):
    make_board(tree.stp)
    other = make_board(tree.syt)
    client = api(personas["mobilisation_officer"])
    listed = client.get("/api/v1/activities/inspection-boards/").json()
    assert [item["unit"] for item in listed["results"]] == ["STP"]
    assert client.get(f"/api/v1/activities/inspection-boards/{other.pk}/").status_code == 404
    viewer = api(personas["viewer"])
    board = Board.objects.get(unit=tree.stp)
    response = viewer.post(
        f"/api/v1/activities/inspection-boards/{board.pk}/activities/",
        {"held_on": today().isoformat(), "subject": "Tài chính"},
        format="json",
    )
    assert response.status_code == 403
