"""Action programmes and their tasks in the one search: a programme found at its unit, a task there and at
its lead unit, as their pages are; kept current when tasks are written and deleted."""

import datetime

import pytest

from conftest import make_user
from danvan.accounts.models import Role
from danvan.programmes import indexing, services, specs
from danvan.programmes.models import Task
from danvan.search import selectors
from danvan.search import services as search
from danvan.search.models import Entry

from .helpers import SYSTEM, register_document

pytestmark = pytest.mark.django_db

D = datetime.date
BODY = "Giao Chi bộ 1 chủ trì tổ chức hội nghị đối thoại với thanh niên trước ngày 30/9/2026."


def titles(user, query, kind):
    return [result.title for result in selectors.search(user, query).results if result.kind == kind]


def api_titles(api, user, query, kind):
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    return [result["title"] for result in response.json()["results"] if result["type"] == kind]


@pytest.fixture
def programme(tree):
    document = register_document(tree.stp, body=BODY, number_symbol="90-CV/ĐU", day=D(2026, 6, 1))
    return services.programme_create(
        document=document, title="Chương trình hành động về đối thoại", starts_on=D(2026, 6, 1), by=SYSTEM
    )


@pytest.fixture
def cell_viewer(tree):
    return make_user("viewer_cb1", unit=tree.stp_cb1, role=Role.VIEWER)


TASK = "Giao Chi bộ 1 chủ trì tổ chức hội nghị đối thoại với thanh niên trước ngày 30/9/2026."


def test_programme_and_task_found_by_words_with_or_without_accents(tree, personas, programme):
    officer = personas["mobilisation_officer"]
    assert titles(officer, "chuong trinh doi thoai", indexing.PROGRAMME) == [programme.title]
    # A programme is found by its own words; its document's number finds the document (its own entry,
    # corrected when the document is), not a copy that would go stale here.
    assert titles(officer, "90-CV/ĐU", indexing.PROGRAMME) == []
    assert titles(officer, "hội nghị đối thoại thanh niên", indexing.TASK) == [TASK]
    assert titles(officer, "hoi nghi doi thoai thanh nien", indexing.TASK) == [TASK]
    [result] = [
        r for r in selectors.search(officer, "hoi nghi thanh nien").results if r.kind == indexing.TASK
    ]
    assert result.context == "Chi bộ 1 · Vào ngày 30/09/2026"
    assert result.label == "Nhiệm vụ"


def test_a_task_is_found_at_its_lead_unit_the_programme_only_at_its_own(
    tree, personas, programme, cell_viewer, api, login
):
    assert titles(cell_viewer, "hoi nghi thanh nien", indexing.TASK) == [TASK]
    assert api_titles(api, cell_viewer, "hoi nghi thanh nien", indexing.TASK) == [TASK]
    assert titles(cell_viewer, "chuong trinh doi thoai", indexing.PROGRAMME) == []
    outsider = personas["outsider"]
    for kind in (indexing.TASK, indexing.PROGRAMME):
        assert titles(outsider, "doi thoai", kind) == []
        assert api_titles(api, outsider, "doi thoai", kind) == []
    assert titles(personas["case_handler"], "doi thoai", indexing.TASK) == []  # no DOCUMENT_VIEW
    # the task's address leads the lead unit's people to the page they may open
    [result] = [r for r in selectors.search(cell_viewer, "thanh nien").results if r.kind == indexing.TASK]
    task = programme.tasks.get()
    page = login(cell_viewer).get(result.url, follow=True)
    assert page.status_code == 200 and page.redirect_chain[-1][0].startswith("/programmes/occurrences/")
    assert TASK in page.content.decode()
    assert login(outsider).get(f"/programmes/tasks/{task.pk}/").status_code == 404


def test_a_changed_task_is_found_by_its_new_words_and_lead_not_the_old(
    tree, personas, programme, cell_viewer
):
    task = programme.tasks.get()
    spec = specs.TaskSpec(text="Tổng kết công tác tiếp công dân", lead=tree.stp_cb2, rule="none")
    services.task_save(programme=programme, task=task, spec=spec, by=SYSTEM)
    officer = personas["mobilisation_officer"]
    assert titles(officer, "tong ket tiep cong dan", indexing.TASK) == ["Tổng kết công tác tiếp công dân"]
    assert titles(officer, "hoi nghi thanh nien", indexing.TASK) == []
    assert titles(cell_viewer, "tong ket", indexing.TASK) == []  # Chi bộ 1 no longer leads it
    cell_2 = make_user("viewer_cb2", unit=tree.stp_cb2, role=Role.VIEWER)
    assert titles(cell_2, "tong ket", indexing.TASK) == ["Tổng kết công tác tiếp công dân"]
    added = services.task_save(
        programme=programme, spec=specs.TaskSpec(text="Sơ kết sáu tháng", rule="none"), by=SYSTEM
    )
    assert titles(officer, "so ket", indexing.TASK) == ["Sơ kết sáu tháng"]
    services.task_delete(task=added, by=SYSTEM)
    assert titles(officer, "so ket", indexing.TASK) == []


def test_a_deleted_programme_takes_its_tasks_out_of_the_search(tree, personas, programme):
    officer = personas["mobilisation_officer"]
    services.programme_delete(programme=programme, by=SYSTEM)
    assert titles(officer, "doi thoai", indexing.PROGRAMME) == []
    assert titles(officer, "doi thoai", indexing.TASK) == []
    assert not Entry.objects.filter(kind__in=(indexing.PROGRAMME, indexing.TASK)).exists()


def _entries() -> list[tuple]:
    return sorted(
        (
            entry.kind,
            entry.object_id,
            entry.perm,
            entry.unit_path,
            entry.title,
            entry.context,
            entry.text,
            entry.url,
            entry.title_tokens,
            entry.body_tokens,
            tuple(sorted(entry.reach.values_list("path", flat=True))),
        )
        for entry in Entry.objects.filter(kind__in=(indexing.PROGRAMME, indexing.TASK))
    )


def test_reindex_gives_the_entries_the_services_made(tree, programme):
    services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Báo cáo kết quả", lead=tree.stp_cb2, rule="annual", day=15, month=12),
        by=SYSTEM,
    )
    made = _entries()
    assert [row[0] for row in made] == ["programme", "task", "task"]
    assert {row[-1] for row in made[1:]} == {(tree.stp_cb1.path,), (tree.stp_cb2.path,)}
    Entry.objects.filter(kind__in=(indexing.PROGRAMME, indexing.TASK)).delete()
    assert search.reindex(kind=indexing.PROGRAMME) == {indexing.PROGRAMME: 1}
    assert search.reindex(kind=indexing.TASK) == {indexing.TASK: Task.objects.count()}
    assert _entries() == made
