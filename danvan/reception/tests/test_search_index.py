"""Entries of the reception register in the one search: found by the matter, its handling and follow-up,
by those who may open the register (CASE_VIEW at its unit); who came is never in the index."""

import datetime

import pytest
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.accounts.models import User
from danvan.reception import indexing, services
from danvan.reception.models import Handling
from danvan.search import selectors
from danvan.search import services as search
from danvan.search.models import Entry
from danvan.voice.cases.models import Kind

pytestmark = pytest.mark.django_db

SYSTEM = System("tests")
DAY = datetime.date(timezone.localdate().year - 1, 3, 10)
NAME = "Phạm Thị Tố Giác"
CONTENT = "Tố cáo cán bộ địa chính nhận tiền khi cấp giấy chứng nhận quyền sử dụng đất."


@pytest.fixture
def rules(db):
    """The statutory rules a case accepted at the desk is given its deadlines by."""
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)


def record(unit, **more):
    values = {
        "unit": unit,
        "received_on": DAY,
        "kind": Kind.DENUNCIATION,
        "content": CONTENT,
        "receiver": "Trần Thị Tiếp",
        "name": NAME,
        "address": "45 Hàng Bạc, Biên Hòa",
        "id_number": "075111222333",
    }
    values.update(more)
    return services.entry_record(spec=services.NewEntry(**values), by=SYSTEM)


def titles(user, query):
    return [result.title for result in selectors.search(user, query).results if result.kind == indexing.KIND]


def api_titles(api, user, query):
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    return [result["title"] for result in response.json()["results"] if result["type"] == indexing.KIND]


def root():
    return User.objects.create_superuser(username="root", password="x-mat-khau-9")


def test_found_by_the_matter_with_or_without_accents_where_the_register_is_seen(tree, personas, api):
    entry = record(tree.stp)
    title = f"Lượt tiếp số 1/{DAY.year}: {CONTENT}"
    handler = personas["case_handler"]
    assert titles(handler, "can bo dia chinh nhan tien") == [title]
    assert titles(handler, "cán bộ địa chính") == [title]
    assert api_titles(api, handler, "dia chinh") == [title]
    assert titles(personas["mobilisation_officer"], "dia chinh") == [title]  # CASE_VIEW: the register's page
    assert titles(personas["viewer"], "dia chinh") == []  # no CASE_VIEW, no register
    assert titles(personas["outsider"], "dia chinh") == []
    assert api_titles(api, personas["outsider"], "dia chinh") == []
    [result] = [r for r in selectors.search(handler, "dia chinh").results if r.kind == indexing.KIND]
    assert result.context == f"Đảng ủy Sở Tư pháp · 10/03/{DAY.year} · Tố cáo · Chưa quyết định"
    assert result.url == f"/reception/entries/{entry.pk}/" and result.label == "Lượt tiếp công dân"


def test_who_came_is_never_found_not_even_by_a_root_user(tree, personas, api):
    record(tree.stp)
    record(tree.stp, kind=Kind.COMPLAINT_FIRST, name="Lê Văn Khiếu", content="Khiếu nại về thu phí.")
    everyone = [root(), personas["admin"], personas["case_handler"]]
    for user in everyone:
        for query in ("Phạm Thị Tố Giác", "pham thi to giac", "Hàng Bạc", "075111222333", "Lê Văn Khiếu"):
            assert titles(user, query) == []
    assert api_titles(api, everyone[0], "pham thi to giac") == []
    assert not Entry.objects.filter(text__icontains="Tố Giác").exists()
    assert not Entry.objects.filter(body_tokens__contains="giac").exists()


def test_handling_and_follow_up_are_found_by_their_new_words_not_the_old(tree, personas, rules):
    entry = record(
        tree.stp, kind=Kind.COMPLAINT_FIRST, content="Khiếu nại việc thu phí.", note="Chờ hồ sơ bổ sung"
    )
    handler = personas["case_handler"]
    services.entry_handle(entry=entry, handling=Handling.ACCEPT, by=handler)
    entry.refresh_from_db()
    assert titles(handler, entry.case.reference) == [f"Lượt tiếp số 1/{DAY.year}: Khiếu nại việc thu phí."]
    assert titles(handler, "ho so bo sung") != []
    services.entry_follow_up(entry=entry, result="Đã trả lời bằng văn bản", note="Hẹn gặp lại", by=handler)
    assert titles(handler, "tra loi bang van ban") == [f"Lượt tiếp số 1/{DAY.year}: Khiếu nại việc thu phí."]
    assert titles(handler, "ho so bo sung") == []
    [result] = [r for r in selectors.search(handler, "hen gap lai").results if r.kind == indexing.KIND]
    assert result.context.endswith("Thụ lý để giải quyết (nhận đơn)")


def _entries() -> list[tuple]:
    return sorted(
        (
            entry.object_id,
            entry.perm,
            entry.unit_path,
            entry.title,
            entry.context,
            entry.text,
            entry.url,
            entry.title_tokens,
            entry.body_tokens,
        )
        for entry in Entry.objects.filter(kind=indexing.KIND)
    )


def test_reindex_gives_the_entries_the_services_made(tree):
    record(tree.stp)
    record(
        tree.syt,
        kind=Kind.PETITION,
        content="Kiến nghị sửa đường.",
        handling=Handling.TRANSFER,
        transfer_to="Ủy ban nhân dân phường",
    )
    made = _entries()
    assert len(made) == 2
    Entry.objects.filter(kind=indexing.KIND).delete()
    assert search.reindex(kind=indexing.KIND) == {indexing.KIND: 2}
    assert _entries() == made
