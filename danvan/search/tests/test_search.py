"""The one search: Vietnamese-aware whole-syllable matching on both engines, ranking, scoping, the page
and the API, bad queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.policy import Perm
from danvan.search import registry, selectors, services, tokens
from danvan.search.models import Entry


@pytest.fixture
def note_kind():
    """A kind of record seen with ACTIVITY_VIEW, as the modules register theirs."""
    registry.register("note", "Ghi chép", Perm.ACTIVITY_VIEW, lambda: [])
    yield "note"
    registry._KINDS.pop("note", None)


def note(number, unit, title, text="", **extra):
    services.put(
        doc=services.Doc(
            kind="note",
            object_id=number,
            perm=Perm.ACTIVITY_VIEW,
            unit_path=unit.path if unit else "",
            title=title,
            url=f"/notes/{number}/",
            text=text,
            **extra,
        )
    )


def titles(user, query, kind="note", **options):
    found = selectors.search(user, query, **options).results
    return [result.title for result in found if kind is None or result.kind == kind]


def test_tokens_fold_accents_and_keep_an_exact_form():
    [so, tu, phap] = tokens.words("Sở Tư pháp")
    assert (so.folded, tu.folded, phap.folded) == ("so", "tu", "phap")
    assert so.exact != tu.exact and so.exact.startswith("so9")
    assert tokens.words("so")[0].exact is None
    assert tokens.words("Đảng")[0].folded == "dang"
    # "dân", "dẫn", "đàn" fold alike but each keeps its own exact form
    exact = {tokens.words(word)[0].exact for word in ("dân", "dẫn", "đàn", "dán", "DÂN")}
    assert len(exact) == 4


@pytest.mark.django_db
def test_accents_optional_whole_syllables_and_exact_accents(tree, note_kind):
    admin = _superuser()
    note(1, tree.stp, "Hội nghị dân vận khéo", "Tuyên truyền cho nhân dân về Sở Tư pháp")
    note(2, tree.stp, "Đảng ủy họp chi bộ", "Triển khai nghị quyết của Đảng")
    note(3, tree.stp, "Hướng dẫn đối thoại", "Văn bản hướng dẫn")
    note(4, tree.stp, "Sơ kết công tác", "Trích dẫn số liệu")
    # "dân" finds the syllable dân only: not Đảng (another syllable), not dẫn (other marks)
    assert set(titles(admin, "dân")) == {"Hội nghị dân vận khéo"}
    # typed without accents, every dan/dân/dẫn/đàn is found; never "dang"
    assert set(titles(admin, "dan")) == {"Hội nghị dân vận khéo", "Hướng dẫn đối thoại", "Sơ kết công tác"}
    assert set(titles(admin, "dang")) == {"Đảng ủy họp chi bộ"}
    assert titles(admin, "so tu phap") == ["Hội nghị dân vận khéo"]
    assert titles(admin, "SỞ TƯ PHÁP") == ["Hội nghị dân vận khéo"]
    assert titles(admin, "Sở Tư phap") == ["Hội nghị dân vận khéo"]
    assert titles(admin, "sở tứ pháp") == []  # the accents typed are the accents meant
    # never inside a syllable
    assert titles(admin, "ngh") == []


@pytest.mark.django_db
def test_phrase_ranks_before_scattered_words_and_document_numbers_exactly(tree, note_kind):
    admin = _superuser()
    note(1, tree.stp, "Kế hoạch công tác", "Dân vận chính quyền gắn với công tác khéo léo")
    note(2, tree.stp, "Công văn gửi các chi bộ", "Về việc thực hiện dân vận khéo năm 2026")
    note(3, tree.stp, "Công văn số 84-CV/ĐU", "Về việc tổ chức đối thoại")
    note(4, tree.stp, "Công văn số 184-CV/ĐU", "Về việc khác")
    note(5, tree.stp, "Tờ trình 84-TTr/ĐU", "CV gửi lên")
    assert titles(admin, "dân vận khéo")[0] == "Công văn gửi các chi bộ"
    assert set(titles(admin, "dân vận khéo")) == {"Công văn gửi các chi bộ", "Kế hoạch công tác"}
    assert titles(admin, "84-CV/ĐU")[0] == "Công văn số 84-CV/ĐU"
    assert "Công văn số 184-CV/ĐU" not in titles(admin, "84-CV/ĐU")
    assert titles(admin, "84/CV")[0] == "Công văn số 84-CV/ĐU"
    assert titles(admin, "84 cv du")[0] == "Công văn số 84-CV/ĐU"


@pytest.mark.django_db
def test_a_long_text_does_not_sink_the_record_its_number_is_the_title_of(tree, note_kind):
    admin = _superuser()
    filler = " ".join(["Các chi bộ tổ chức quán triệt đến toàn thể đảng viên."] * 400)
    note(1, tree.stp, "84-CV/ĐU Về việc tổ chức đối thoại", f"Số 84-CV/ĐU. {filler}")
    note(2, tree.stp, "Chương trình hành động thực hiện 84-CV/ĐU Về việc tổ chức đối thoại")
    note(3, tree.stp, "Kế hoạch", "Thực hiện 84-CV/ĐU")
    for query in ("84-CV/ĐU", "84/CV"):
        assert titles(admin, query) == [
            "84-CV/ĐU Về việc tổ chức đối thoại",
            "Chương trình hành động thực hiện 84-CV/ĐU Về việc tổ chức đối thoại",
            "Kế hoạch",
        ]


@pytest.mark.django_db
def test_a_match_is_found_past_the_first_candidates_in_scope(tree, personas, note_kind, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    for number in range(1, 6):
        note(number, tree.stp, f"Ghi chép số {number}")
    note(6, tree.stp, "Đối thoại với thanh niên")
    assert titles(personas["mobilisation_officer"], "thanh nien") == ["Đối thoại với thanh niên"]
    assert titles(_superuser(), "thanh nien") == ["Đối thoại với thanh niên"]


@pytest.mark.django_db
def test_snippet_marks_the_matched_words_and_escapes_the_rest(tree, note_kind):
    admin = _superuser()
    filler = " ".join(["lời"] * 80)
    note(1, tree.stp, "Tiếp dân <b>định kỳ</b>", f"{filler} Đối thoại với nhân dân & doanh nghiệp {filler}")
    [result] = selectors.search(admin, "nhan dan").results
    assert "<mark>nhân</mark> <mark>dân</mark> &amp; doanh" in result.snippet
    assert result.snippet.startswith("… ") and result.snippet.endswith(" …")
    assert "&lt;b&gt;" in result.title_marked and "<b>" not in result.title_marked
    assert "<mark>dân</mark>" in result.title_marked


@pytest.mark.django_db
def test_scoped_by_the_policy_unit_reach_and_permission(tree, personas, note_kind):
    note(1, tree.stp_cb1, "Đối thoại chi bộ một")
    note(2, tree.syt, "Đối thoại Sở Y tế")
    note(3, tree.syt_cb1, "Đối thoại được gửi tới Sở Tư pháp", reach=(tree.stp.path,))
    note(4, None, "Đối thoại của cả khối")
    stp_officer = personas["mobilisation_officer"]
    assert set(titles(stp_officer, "doi thoai")) == {
        "Đối thoại chi bộ một",
        "Đối thoại được gửi tới Sở Tư pháp",
    }
    assert set(titles(personas["outsider"], "doi thoai")) == {
        "Đối thoại Sở Y tế",
        "Đối thoại được gửi tới Sở Tư pháp",
    }
    assert len(titles(personas["admin"], "doi thoai")) == 4  # at the root: records of no unit too
    assert titles(personas["nobody"], "doi thoai") == []
    # the same words from another kind need that kind's permission: units need UNIT_VIEW
    assert titles(personas["nobody"], "Sở Tư pháp", kind=None) == []
    assert "Đảng ủy Sở Tư pháp" in titles(stp_officer, "Sở Tư pháp", kind="unit")
    assert "Đảng ủy Sở Y tế" not in titles(stp_officer, "Đảng ủy Sở", kind="unit")


@pytest.mark.django_db
def test_units_follow_restructuring(tree, personas, note_kind):
    from danvan.accounts.actors import System
    from danvan.orgs import services as orgs_services
    from danvan.search.models import Reach

    entry = Entry.objects.get(kind="unit", object_id=tree.stp_cb1.pk)
    assert entry.unit_path == tree.stp_cb1.path
    note(1, tree.syt_cb1, "Văn bản gửi chi bộ 1", reach=(tree.stp_cb1.path,))
    orgs_services.unit_move(
        unit=tree.stp_cb1, new_parent=tree.syt, effective_on=tree.stp_cb1.valid_from, by=System("tests")
    )
    tree.stp_cb1.refresh_from_db()
    entry = Entry.objects.get(kind="unit", object_id=tree.stp_cb1.pk)
    assert entry.unit_path == tree.stp_cb1.path and entry.unit_path.startswith(tree.syt.path)
    assert Reach.objects.get(entry__kind="note").path == tree.stp_cb1.path
    assert "Chi bộ 1" in titles(personas["outsider"], "chi bo 1", kind="unit")


@pytest.mark.django_db
def test_reindex_rebuilds_from_the_records(tree):
    from django.core.management import call_command

    Entry.objects.all().delete()
    call_command("search-reindex", "--kind", "unit", stdout=io.StringIO())
    assert Entry.objects.filter(kind="unit").count() == 6
    assert titles(_superuser(), "chi bo van phong", kind="unit") == ["Chi bộ Văn phòng"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Nhập"),
        ("   ", "Nhập"),
        ("x" * 10_000, "200"),
        ("?!… --- ///", "dấu"),
        (" ".join(["từ"] * 13), "12"),
    ],
)
def test_bad_queries_get_a_vietnamese_message_never_a_500(tree, personas, login, api, query, message):
    user = personas["mobilisation_officer"]
    page = login(user).get("/search/", {"q": query})
    assert page.status_code == 400
    assert message in page.content.decode()
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.django_db
def test_page_and_api(tree, personas, login, api, note_kind):
    user = personas["mobilisation_officer"]
    note(1, tree.stp, "Đối thoại với thanh niên", "Buổi đối thoại về việc làm")
    page = login(user).get("/search/", {"q": "doi thoai"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<mark>Đối</mark> <mark>thoại</mark> với thanh niên" in body
    assert "Ghi chép" in body and 'href="/notes/1/"' in body
    empty = login(user).get("/search/", {"q": "khong co gi"}).content.decode()
    assert "khong co gi" in empty and "dan van" in empty  # says nothing was found, and how to widen
    data = api(user).get("/api/v1/search/", {"q": "thanh nien"}).json()
    assert data["results"][0] == {
        "type": "note",
        "type_label": "Ghi chép",
        "title": "Đối thoại với thanh niên",
        "url": "/notes/1/",
        "context": "",
        "snippet": "Buổi đối thoại về việc làm",
    }
    assert api(user).get("/api/v1/search/", {"q": "việc làm"}).json()["results"][0]["snippet"] == (
        "Buổi đối thoại về <mark>việc</mark> <mark>làm</mark>"
    )
    assert (
        login(personas["outsider"]).get("/search/", {"q": "thanh nien"}).content.decode().count("/notes/1/")
        == 0
    )
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/search/", {"q": "x"}).status_code in (401, 403)


@pytest.mark.django_db
def test_more_results_and_a_search_never_writes(tree, note_kind):
    admin = _superuser()
    for number in range(1, 26):
        note(number, tree.stp, f"Tiếp công dân lần {number}")
    first = selectors.search(admin, "tiep cong dan")
    assert len(first.results) == 20 and first.more
    every = selectors.search(admin, "tiep cong dan", limit=100)
    assert len(every.results) == 25 and not every.more
    with CaptureQueriesContext(connection) as queries:
        selectors.search(admin, "tiếp công dân lần")
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _superuser():
    from danvan.accounts.models import User

    return User.objects.create_superuser(username=f"root{User.objects.count()}", password="x-mat-khau-9")


@pytest.mark.django_db
def test_put_many_replaces_entries_in_bulk_with_their_reach(tree, personas, note_kind):
    note(1, tree.stp, "Bản cũ")
    docs = [
        services.Doc(
            kind="note",
            object_id=number,
            perm=Perm.ACTIVITY_VIEW,
            unit_path=tree.syt_cb1.path,
            title=f"Hòa giải lần {number}",
            url=f"/notes/{number}/",
            reach=(tree.stp.path,) if number == 1 else (),
        )
        for number in range(1, 2501)
    ]
    with CaptureQueriesContext(connection) as queries:
        services.put_many(docs=[None, *docs])
    assert len(queries) < 40
    assert Entry.objects.filter(kind="note").count() == 2500
    assert titles(personas["mobilisation_officer"], "hoa giai") == ["Hòa giải lần 1"]  # reached from STP
    assert titles(personas["mobilisation_officer"], "ban cu") == []  # replaced
    assert len(titles(personas["outsider"], "hoa giai lan", limit=100)) == 100


@pytest.mark.django_db
def test_the_context_line_is_searched_and_the_title_ranks_first(tree, note_kind):
    admin = _superuser()
    note(1, tree.stp, "Đơn về việc cấp đất", context="Tố cáo · Thụ lý · 02/03/2026")
    note(2, tree.stp, "Tố cáo về việc cấp đất")
    assert titles(admin, "to cao") == ["Tố cáo về việc cấp đất", "Đơn về việc cấp đất"]


@pytest.mark.django_db
def test_a_search_may_keep_to_one_kind(tree, personas, login, api, note_kind):
    user = personas["mobilisation_officer"]
    note(1, tree.stp, "Sở Tư pháp đối thoại")
    assert {r.kind for r in selectors.search(user, "so tu phap").results} == {"unit", "note"}
    assert [r.kind for r in selectors.search(user, "so tu phap", kind="note").results] == ["note"]
    page = login(user).get("/search/", {"q": "so tu phap", "type": "note"}).content.decode()
    assert '<option value="note" selected>Ghi chép</option>' in page and "/orgs/u/STP/" not in page
    assert [
        r["type"]
        for r in api(user).get("/api/v1/search/", {"q": "so tu phap", "type": "unit"}).json()["results"]
    ] == ["unit"]
    response = api(user).get("/api/v1/search/", {"q": "so tu phap", "type": "nothing"})
    assert response.status_code == 400 and "Không có loại" in response.json()["detail"]


def _plans(statements):
    plans = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole anyway
        for sql in statements:
            cursor.execute(("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql)
            plans.append(" ".join(str(row) for row in cursor.fetchall()))
    return plans


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["dân vận", "so tu phap", "84-CV/ĐU", "chi bộ họp dân vận khéo"])
@pytest.mark.parametrize("who", ["admin", "mobilisation_officer"])
def test_no_search_reads_the_whole_register(tree, personas, note_kind, query, who):
    """The candidates come from the full-text index (PostgreSQL's sliced GIN indexes, SQLite's FTS5 table),
    or, for a user whose scope is narrower than the words, from the scope's path index: never a scan of
    every entry. The planner is told not to scan, so a statement no index can serve still shows one."""
    note(1, tree.stp, "Hội nghị dân vận khéo ở Sở Tư pháp", "Công văn số 84-CV/ĐU về chi bộ họp")
    note(2, tree.stp, "Đảng ủy họp chi bộ")
    user = _superuser() if who == "admin" else personas[who]
    with CaptureQueriesContext(connection) as captured:
        found = selectors.search(user, query)
    assert "Hội nghị dân vận khéo ở Sở Tư pháp" in [result.title for result in found.results]
    plans = _plans(
        q["sql"]
        for q in captured.captured_queries
        if ("search_entry" in q["sql"] or "search_fts" in q["sql"])
        and q["sql"].lstrip().upper().startswith("SELECT")
    )
    assert plans
    if connection.vendor == "postgresql":
        assert not any("Seq Scan on search_entry" in plan for plan in plans), plans
        full_text = "search_entry_vector"
    else:
        assert not any("SCAN search_entry " in plan + " " for plan in plans), plans
        full_text = "VIRTUAL TABLE INDEX"
    if who == "admin":  # no scope to narrow it: the words alone find the candidates
        assert any(full_text in plan for plan in plans), plans
