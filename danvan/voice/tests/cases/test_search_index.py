"""Cases in the one search: found by their reference, subject and content where the case may be seen,
following every state change and transfer; who sent a denunciation is never found, by anyone."""

import datetime

import pytest

from danvan.accounts.actors import System
from danvan.accounts.models import User
from danvan.search import selectors, services
from danvan.search.models import Entry
from danvan.voice.cases import indexing
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Kind

SYSTEM = System("tests")
MARCH_2 = datetime.date(2026, 3, 2)
DENOUNCER = {
    "name": "Hoàng Thị Quyên",
    "address": "45 Phan Chu Trinh, Long Khánh",
    "phone": "0987 654 321",
    "email": "quyen.hoang@example.vn",
    "id_number": "075123456789",
}


def titles(user, query):
    return [r.title for r in selectors.search(user, query).results if r.kind == indexing.KIND]


def api_titles(api, user, query):
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    return [r["title"] for r in response.json()["results"] if r["type"] == indexing.KIND]


@pytest.fixture
def receive(tree, rules):
    def _receive(kind=Kind.DENUNCIATION, subject="Tố cáo sai phạm trong đấu thầu thiết bị", **more):
        spec = cases.NewCase(
            unit=more.pop("unit", tree.stp),
            kind=kind,
            channel="desk",
            subject=subject,
            content=more.pop("content", "Gói thầu mua máy tính bị chia nhỏ để chỉ định thầu."),
            received_on=MARCH_2,
            identity=more.pop("identity", DENOUNCER),
            **more,
        )
        return cases.case_receive(by=SYSTEM, spec=spec)[0]

    return _receive


@pytest.fixture
def root():
    return User.objects.create_superuser(username="root", password="x-mat-khau-9")


@pytest.mark.django_db
def test_a_case_is_found_by_its_subject_and_content_with_or_without_accents(receive, personas, root):
    case = receive()
    title = f"{case.reference} Tố cáo sai phạm trong đấu thầu thiết bị"
    handler = personas["case_handler"]
    assert titles(handler, "dau thau thiet bi") == [title]
    assert titles(handler, "đấu thầu") == [title]
    assert titles(handler, "chi dinh thau") == [title]  # the content
    assert titles(handler, case.reference) == [title]
    assert titles(root, "sai phạm") == [title]
    [entry] = Entry.objects.filter(kind="case")
    assert entry.context == "Tố cáo · Nhận đơn · 02/03/2026"  # words, never codes


@pytest.mark.django_db
def test_a_denouncers_identity_is_found_by_nobody_not_even_a_superuser(receive, personas, root, api):
    receive()
    words = ["Hoàng Thị Quyên", "hoang thi quyen", "Quyên", "Phan Chu Trinh", "Long Khánh", "0987", "654 321"]
    words += ["quyen.hoang", "075123456789"]
    for user in (root, personas["case_handler"], personas["admin"]):
        for word in words:
            assert selectors.search(user, word).results == [], word
    assert api_titles(api, root, "Hoàng Thị Quyên") == []
    assert not Entry.objects.filter(text__icontains="Quyên").exists()
    assert not Entry.objects.filter(body_tokens__contains="quyen").exists()
    assert titles(root, "đấu thầu") != []  # the case itself is found


@pytest.mark.django_db
def test_a_complaints_sender_is_not_indexed_either(receive, personas):
    receive(kind=Kind.COMPLAINT_FIRST, subject="Khiếu nại quyết định thu hồi đất")
    assert titles(personas["case_handler"], "thu hoi dat") != []
    assert selectors.search(personas["case_handler"], "hoang thi quyen").results == []


@pytest.mark.django_db
def test_another_unit_does_not_find_it_until_it_is_transferred_there(receive, personas, tree, api):
    case = receive()
    outsider, officer = personas["outsider"], personas["mobilisation_officer"]
    assert titles(outsider, "dau thau") == []
    assert api_titles(api, outsider, "dau thau") == []
    assert titles(officer, "dau thau") != []
    cases.case_transfer(
        case=case,
        to_unit=tree.syt,
        day=MARCH_2,
        reason="Thuộc thẩm quyền Sở Y tế",
        by=personas["case_handler"],
    )
    assert titles(outsider, "dau thau") != []
    assert api_titles(api, outsider, "dau thau") != []
    assert titles(officer, "dau thau") == []
    assert Entry.objects.get(kind="case").unit_path == tree.syt.path


@pytest.mark.django_db
def test_every_state_change_is_followed(receive, personas):
    case = receive(kind=Kind.COMPLAINT_FIRST, subject="Khiếu nại quyết định thu hồi đất")
    by = personas["case_handler"]
    cases.case_classify(case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST), by=by)
    cases.case_accept(case=case, day=MARCH_2, by=by)
    assert Entry.objects.get(kind="case").context == "Khiếu nại lần đầu · Thụ lý · 02/03/2026"
    cases.case_withdraw(case=case, day=MARCH_2, reason="Người khiếu nại rút đơn", by=by)
    assert Entry.objects.get(kind="case").context.split(" · ")[1] == "Đã rút"


@pytest.mark.django_db
def test_reindex_gives_the_entries_the_services_gave(receive, tree):
    receive()
    receive(
        kind=Kind.PETITION,
        subject="Kiến nghị sửa đường",
        unit=tree.syt,
        identity={"name": "Lê Văn Tám", "address": "3 Hùng Vương"},
    )
    kept = {
        (e.object_id, e.title, e.context, e.text, e.unit_path, e.body_tokens)
        for e in Entry.objects.filter(kind="case")
    }
    assert services.reindex(kind="case") == {"case": 2}
    again = {
        (e.object_id, e.title, e.context, e.text, e.unit_path, e.body_tokens)
        for e in Entry.objects.filter(kind="case")
    }
    assert again == kept
