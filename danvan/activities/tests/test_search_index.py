"""The activity registers in the one search (registers.Searched): each register's main record is found by
its words where its pages show it, follows every change, leaves with its deletion, and a rebuild gives
what the services gave."""

import datetime
from dataclasses import dataclass, replace
from typing import Any

import pytest

from danvan.accounts.actors import System
from danvan.accounts.models import User
from danvan.activities.boards import services as boards
from danvan.activities.boards.models import term_end
from danvan.activities.cells import services as cells
from danvan.activities.dialogues import services as dialogues
from danvan.activities.inspections import services as inspections
from danvan.activities.inspections.models import Kind, State
from danvan.activities.mediation import services as mediation
from danvan.activities.mediation.models import Result
from danvan.activities.training import services as training
from danvan.activities.training.specs import ClassSpec
from danvan.activities.workplace import services as workplace
from danvan.search import selectors, services
from danvan.search.models import Entry

SYSTEM = System("tests")
D = datetime.date(2026, 3, 2)
OLD = "Chuyển đổi số trong cải cách hành chính"
NEW = "Phòng chống tham nhũng vặt"


@dataclass(frozen=True)
class Register:
    kind: str
    create: Any  # (tree, words) -> record
    edit: Any  # (record, tree, words) -> record
    delete: Any = None  # (record) -> None; None: the register deletes no such record


def _dialogue(tree, words, dialogue=None):
    spec = dialogues.DialogueSpec(unit=tree.stp, held_on=D, leader_name="Nguyễn Văn Hùng", note=words)
    if dialogue is None:
        return dialogues.dialogue_record(spec=spec, by=SYSTEM)
    return dialogues.dialogue_update(dialogue=dialogue, spec=spec, by=SYSTEM)


def _conference(tree, words, conference=None):
    spec = workplace.ConferenceSpec(
        unit=tree.stp,
        year=2025,
        held_on=datetime.date(2026, 1, 15),
        staff_count=30,
        attendees=25,
        notes=words,
    )
    return workplace.conference_save(spec=spec, by=SYSTEM, conference=conference)


def _board(tree, words):
    members = [
        boards.MemberSpec(full_name=f"Thành viên {n}", role=r)
        for n, r in ((1, "chair"), (2, "deputy"), (3, "member"))
    ]
    start = datetime.date(2026, 1, 5)
    return boards.board_create(
        unit=tree.stp,
        starts_on=start,
        ends_on=term_end(start),
        staff_count=25,
        members=members,
        decision_text=words,
        by=SYSTEM,
    )


def _board_edit(board, tree, words):
    return boards.board_update(
        board=board,
        starts_on=board.starts_on,
        ends_on=board.ends_on,
        staff_count=25,
        decision_text=words,
        by=SYSTEM,
    )


def _meeting_spec(tree, words):
    return cells.MeetingSpec(unit=tree.stp_cb1, held_on=D, topic=words, attendees=10)


def _class_spec(tree, words):
    return ClassSpec(unit=tree.stp, title=words, held_on=D, participants=20)


def _case_spec(tree, words):
    return mediation.CaseSpec(
        unit=tree.stp,
        received_on=D,
        parties="Ông Lê Văn Sáu; bà Trần Thị Bảy",
        content=words,
        result=Result.ONGOING,
        mediators=["Nguyễn Văn Một", "Trần Thị Hai"],
    )


def _inspection(tree, words, inspection=None):
    common = dict(
        kind=Kind.INSPECTION,
        title=words,
        reference="",
        year=2026,
        starts_on=D,
        ends_on=datetime.date(2026, 4, 30),
        units=[tree.stp_cb1],
        by=SYSTEM,
    )
    if inspection is None:
        return inspections.inspection_create(unit=tree.stp, **common)
    return inspections.inspection_update(inspection=inspection, state=State.PLANNED, **common)


REGISTERS = [
    Register(
        "dialogue",
        _dialogue,
        lambda record, tree, words: _dialogue(tree, words, record),
        lambda record: dialogues.dialogue_delete(dialogue=record, by=SYSTEM),
    ),
    Register(
        "workplace",
        _conference,
        lambda record, tree, words: _conference(tree, words, record),
        lambda record: workplace.conference_delete(conference=record, by=SYSTEM),
    ),
    Register("board", _board, _board_edit),
    Register(
        "cell_meeting",
        lambda tree, words: cells.meeting_create(spec=_meeting_spec(tree, words), by=SYSTEM),
        lambda record, tree, words: cells.meeting_update(
            meeting=record, spec=_meeting_spec(tree, words), by=SYSTEM
        ),
        lambda record: cells.meeting_delete(meeting=record, by=SYSTEM),
    ),
    Register(
        "training",
        lambda tree, words: training.class_save(spec=_class_spec(tree, words), by=SYSTEM),
        lambda record, tree, words: training.class_save(
            spec=_class_spec(tree, words), training_class=record, by=SYSTEM
        ),
        lambda record: training.class_delete(training_class=record, by=SYSTEM),
    ),
    Register(
        "mediation",
        lambda tree, words: mediation.case_record(spec=_case_spec(tree, words), by=SYSTEM),
        lambda record, tree, words: mediation.case_update(
            case=record, spec=_case_spec(tree, words), by=SYSTEM
        ),
        lambda record: mediation.case_delete(case=record, by=SYSTEM),
    ),
    Register("inspection", _inspection, lambda record, tree, words: _inspection(tree, words, record)),
]
KINDS = [register.kind for register in REGISTERS]
ANY = pytest.mark.parametrize("register", REGISTERS, ids=KINDS)


def found(user, query, kind):
    """The addresses of the results of `kind`."""
    return [result.url for result in selectors.search(user, query).results if result.kind == kind]


def api_found(api, user, query, kind):
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    return [result["url"] for result in response.json()["results"] if result["type"] == kind]


def opens(url, user) -> bool:
    """Does the result's address open a page for `user`?"""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(url).status_code == 200


def _entries(kind):
    return {
        (
            e.object_id,
            e.title,
            e.context,
            e.text,
            e.url,
            e.unit_path,
            e.body_tokens,
            tuple(sorted(e.reach.values_list("path", flat=True))),
        )
        for e in Entry.objects.filter(kind=kind)
    }


@ANY
@pytest.mark.django_db
def test_found_by_its_words_with_or_without_accents_where_its_pages_show_it(register, tree, personas, api):
    record = register.create(tree, OLD)
    officer, outsider = personas["mobilisation_officer"], personas["outsider"]
    [url] = found(officer, "chuyen doi so", register.kind)
    assert found(officer, "cải cách hành chính", register.kind) == [url]
    assert found(officer, "cài cách", register.kind) == []  # the marks typed are the marks meant
    assert url == Entry.objects.get(kind=register.kind, object_id=record.pk).url
    assert opens(url, officer)
    assert found(outsider, "chuyen doi so", register.kind) == []
    assert api_found(api, outsider, "chuyen doi so", register.kind) == []
    assert len(api_found(api, officer, "chuyen doi so", register.kind)) == 1
    assert found(personas["nobody"], "chuyen doi so", register.kind) == []


@ANY
@pytest.mark.django_db
def test_an_edit_is_found_by_its_new_words_not_the_old(register, tree, personas):
    record = register.create(tree, OLD)
    register.edit(record, tree, NEW)
    officer = personas["mobilisation_officer"]
    assert found(officer, "chuyen doi so", register.kind) == []
    assert len(found(officer, "tham nhung vat", register.kind)) == 1


@pytest.mark.parametrize(
    "register", [r for r in REGISTERS if r.delete], ids=[r.kind for r in REGISTERS if r.delete]
)
@pytest.mark.django_db
def test_a_deleted_record_is_gone(register, tree, personas):
    record = register.create(tree, OLD)
    register.delete(record)
    assert found(personas["mobilisation_officer"], "chuyen doi so", register.kind) == []
    assert not Entry.objects.filter(kind=register.kind).exists()


@pytest.mark.django_db
def test_a_rebuild_gives_the_entries_the_services_gave(tree):
    for register in REGISTERS:
        register.create(tree, OLD)
    kept = {kind: _entries(kind) for kind in KINDS}
    assert all(len(entries) == 1 for entries in kept.values())
    counts = services.reindex()
    assert {kind: counts[kind] for kind in KINDS} == dict.fromkeys(KINDS, 1)
    assert {kind: _entries(kind) for kind in KINDS} == kept


@pytest.mark.django_db
def test_a_dialogue_is_found_by_the_issues_raised_and_their_answers(tree, personas):
    dialogue = _dialogue(tree, OLD)
    issue = dialogues.issue_add(dialogue=dialogue, content="Chế độ phụ cấp trực đêm", by=SYSTEM)
    officer = personas["mobilisation_officer"]
    assert len(found(officer, "phu cap truc dem", "dialogue")) == 1
    dialogues.issue_update(
        issue=issue,
        content="Chế độ phụ cấp trực đêm",
        answerer="",
        due_on=None,
        answer="Đã bố trí kinh phí từ quý hai",
        state="answered",
        answered_on=D,
        by=SYSTEM,
    )
    assert len(found(officer, "kinh phi quy hai", "dialogue")) == 1
    dialogues.issue_delete(issue=issue, by=SYSTEM)
    assert found(officer, "phu cap truc dem", "dialogue") == []


@pytest.mark.django_db
def test_an_inspection_is_found_by_the_inspected_unit_too(tree, catalogue, personas):
    from danvan.accounts.models import Role, RoleAssignment

    cell_officer = User.objects.create_user(username="cb1", password="x-mat-khau-9")
    RoleAssignment.objects.create(user=cell_officer, unit=tree.stp_cb1, role=Role.MOBILISATION_OFFICER)
    cell_two = User.objects.create_user(username="cb2", password="x-mat-khau-9")
    RoleAssignment.objects.create(user=cell_two, unit=tree.stp_cb2, role=Role.MOBILISATION_OFFICER)
    inspection = _inspection(tree, OLD)
    assert len(found(cell_officer, "chuyen doi so", "inspection")) == 1
    assert found(cell_two, "chuyen doi so", "inspection") == []
    inspections.inspection_update(
        inspection=inspection,
        kind=Kind.INSPECTION,
        title=OLD,
        reference="",
        year=2026,
        starts_on=D,
        ends_on=datetime.date(2026, 4, 30),
        state=State.PLANNED,
        units=[tree.stp_cb2],
        by=SYSTEM,
    )
    assert found(cell_officer, "chuyen doi so", "inspection") == []
    assert len(found(cell_two, "chuyen doi so", "inspection")) == 1


@pytest.mark.django_db
def test_a_mediation_case_is_found_by_what_its_page_shows_and_follows_its_team(tree, personas):
    team = mediation.team_create(
        spec=mediation.TeamSpec(unit=tree.stp, name="Tổ hòa giải khu phố Ba"),
        mediators=[
            mediation.MediatorSpec(name="Nguyễn Văn Một", sex="male", leader=True),
            mediation.MediatorSpec(name="Trần Thị Hai", sex="female"),
            mediation.MediatorSpec(name="Lê Văn Ba", sex="male"),
        ],
        by=SYSTEM,
    )
    mediation.case_record(spec=replace(_case_spec(tree, OLD), team=team, mediators=[]), by=SYSTEM)
    officer = personas["mobilisation_officer"]
    assert len(found(officer, "chuyen doi so", "mediation")) == 1
    assert "Tổ hòa giải khu phố Ba" in Entry.objects.get(kind="mediation").context
    assert len(found(officer, "Trần Thị Bảy", "mediation")) == 1  # the parties, as the page shows them
    mediation.team_update(team=team, name="Tổ hòa giải khu phố Bốn", place="", established_on=None, by=SYSTEM)
    assert "khu phố Bốn" in Entry.objects.get(kind="mediation").context


@pytest.mark.django_db
def test_imports_are_indexed(tree, personas):
    from danvan.activities.registers import Row

    saved = training.classes_import(
        rows=[Row(2, {"unit_code": "STP", "title": OLD, "held_on": "02/03/2026", "participants": 12})],
        by=SYSTEM,
    )
    assert saved == 1
    assert len(found(personas["mobilisation_officer"], "chuyen doi so", "training")) == 1


@pytest.mark.django_db
def test_the_results_are_read_in_vietnamese_whatever_the_writers_language(tree, personas):
    from django.utils import translation

    with translation.override("en"):
        _conference(tree, OLD)
    assert Entry.objects.get(kind="workplace").title == "Hội nghị cán bộ, công chức, viên chức năm 2025"


@pytest.mark.django_db
def test_a_cell_meetings_result_opens_the_list_at_its_cell_and_day(tree, personas, login):
    cells.meeting_create(spec=_meeting_spec(tree, OLD), by=SYSTEM)
    cells.meeting_create(spec=replace(_meeting_spec(tree, NEW), held_on=datetime.date(2026, 3, 3)), by=SYSTEM)
    [url] = found(personas["mobilisation_officer"], "chuyen doi so", "cell_meeting")
    page = login(personas["mobilisation_officer"]).get(url).content.decode()
    assert OLD in page and NEW not in page


@pytest.mark.django_db
def test_a_cell_meeting_is_found_as_a_thematic_meeting(tree, personas):
    cells.meeting_create(spec=_meeting_spec(tree, OLD), by=SYSTEM)
    assert len(found(personas["mobilisation_officer"], "sinh hoạt chuyên đề", "cell_meeting")) == 1
