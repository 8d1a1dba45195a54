"""The report source, the import, the work home and the overview."""

import pytest
from django.core.exceptions import ValidationError

from danvan.activities.dialogues import services
from danvan.activities.dialogues.models import Dialogue, Issue, IssueState
from danvan.activities.registers import REGISTERS, Row

from .conftest import SYSTEM, D, spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_loaded(tree):
    from django.apps import apps

    from danvan.reports import catalogue
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)


def _value(unit, code="2026S1"):
    from danvan.reports.models import DataValue

    row = DataValue.objects.filter(unit=unit, period__code=code, element__code="DIALOGUES_HELD").first()
    return row.value if row else None


def test_dialogues_held_follow_every_change_and_link_to_the_list(
    tree, today, catalogue_loaded, login, personas
):
    from danvan.reports import services as report_services
    from danvan.reports.models import ElementRollup
    from danvan.reports.sources import SOURCES

    first = services.dialogue_record(spec=spec(tree.stp_cb1, D(2026, 2, 1)), by=SYSTEM)
    services.dialogue_record(spec=spec(tree.stp_cb1, D(2025, 12, 1)), by=SYSTEM)  # another period
    period = report_services.period_get(code="2026S1", by=SYSTEM)  # prepared: the sources run
    assert _value(tree.stp_cb1) == 1 and _value(tree.syt) is None

    second = services.dialogue_record(spec=spec(tree.stp_cb1, D(2026, 5, 1)), by=SYSTEM)
    assert _value(tree.stp_cb1) == 2
    assert ElementRollup.objects.get(period=period, unit=tree.root, element__code="DIALOGUES_HELD").value == 2
    # Moved to another unit: both units follow (old and new).
    services.dialogue_update(dialogue=second, spec=spec(tree.stp_cb2, D(2026, 5, 1)), by=SYSTEM)
    assert (_value(tree.stp_cb1), _value(tree.stp_cb2)) == (1, 1)
    # Moved out of the period, then deleted.
    services.dialogue_update(dialogue=second, spec=spec(tree.stp_cb2, D(2025, 11, 1)), by=SYSTEM)
    assert _value(tree.stp_cb2) in (None, 0)
    services.dialogue_delete(dialogue=first, by=SYSTEM)
    assert _value(tree.stp_cb1) in (None, 0)

    # The figure's records: the list page filtered to the unit's organisation (it and its cells, as its
    # report shows the figure) and the period's dates.
    services.dialogue_record(spec=spec(tree.stp, D(2026, 3, 3), leader_name="Lê Thị Riêng"), by=SYSTEM)
    services.dialogue_record(spec=spec(tree.stp_cb1, D(2026, 3, 4), leader_name="Trần Văn Dưới"), by=SYSTEM)
    services.dialogue_record(spec=spec(tree.syt, D(2026, 3, 5), leader_name="Phạm Văn Ngoài"), by=SYSTEM)
    url = SOURCES["dialogues.held"].records(tree.stp.pk, period)
    assert "unit=STP" in url and "from=2026-01-01" in url and "to=2026-06-30" in url and "below" not in url
    html = login(personas["unit_head"]).get(url).content.decode()
    assert "Lê Thị Riêng" in html and "Trần Văn Dưới" in html
    assert "Phạm Văn Ngoài" not in html and "Nguyễn Văn An" not in html


def _rows(*cells):
    columns = ("unit_code", "held_on", "leader", "participants", "issues")
    return [Row(line, dict(zip(columns, values, strict=True))) for line, values in enumerate(cells, start=2)]


def test_import_saves_every_row_or_none(tree, personas, today):
    register = REGISTERS["dialogue"]
    assert register.importable and register.columns == (
        "unit_code",
        "held_on",
        "leader",
        "participants",
        "issues",
    )
    officer = personas["mobilisation_officer"]
    bad = _rows(
        ("STP", "02/03/2026", "Nguyễn Văn An", "40", "Phòng họp; Chế độ trực"),
        ("SYT", "2026-03-02", "Trần B", 10, ""),  # out of the officer's scope
        ("STP-CB1", "01/07/2026", "", "mười", ""),  # future, no leader, not a number
    )
    with pytest.raises(ValidationError) as error:
        register.import_rows(rows=bad, by=officer)
    errors = error.value.message_dict
    assert set(errors) == {"3", "4"} or set(errors) == {3, 4}
    line4 = " ".join(errors.get(4) or errors["4"])
    assert "tương lai" in line4 and "số nguyên" in line4
    assert "nằm ngoài phạm vi" in " ".join(errors.get(3) or errors["3"])
    assert not Dialogue.objects.exists() and not Issue.objects.exists()

    saved = register.import_rows(
        rows=_rows(bad[0].cells.values(), ("STP-CB1", "2026-01-05", "Lê C", 0, "")), by=officer
    )
    assert saved == 2
    dialogue = Dialogue.objects.get(unit=tree.stp)
    assert dialogue.participants == 40 and dialogue.held_on == D(2026, 3, 2)
    assert sorted(dialogue.issues.values_list("content", "state", "due_on")) == [
        ("Chế độ trực", IssueState.OPEN, None),
        ("Phòng họp", IssueState.OPEN, None),
    ]


def test_an_issue_due_soon_or_overdue_is_on_the_work_home_of_the_units_recorders(
    tree, personas, today, login
):
    from danvan.core import worklist

    dialogue = services.dialogue_record(spec=spec(tree.stp_cb1), by=SYSTEM)
    services.issue_add(dialogue=dialogue, content="Quá hạn trả lời", due_on=D(2026, 6, 1), by=SYSTEM)
    services.issue_add(dialogue=dialogue, content="Sắp đến hạn", due_on=D(2026, 6, 20), by=SYSTEM)
    services.issue_add(dialogue=dialogue, content="Còn lâu", due_on=D(2026, 9, 1), by=SYSTEM)
    services.issue_add(dialogue=dialogue, content="Không hạn", by=SYSTEM)
    answered = services.issue_add(
        dialogue=dialogue, content="Đã trả lời rồi", due_on=D(2026, 5, 1), by=SYSTEM
    )
    services.issue_update(
        issue=answered,
        content=answered.content,
        answerer="",
        due_on=answered.due_on,
        answer="Xong",
        state=IssueState.ANSWERED,
        answered_on=D(2026, 5, 2),
        by=SYSTEM,
    )
    source = next(item for item in worklist.sources() if item.key == "dialogues")
    found = source.collect(personas["mobilisation_officer"], today, 20)
    assert [item.title for item in found.items] == ["Quá hạn trả lời", "Sắp đến hạn"] and found.total == 2
    assert found.items[0].unit == tree.stp_cb1.name
    assert source.collect(personas["outsider"], today, 20).total == 0
    assert source.collect(personas["viewer"], today, 20).total == 0  # views, does not record
    html = login(personas["mobilisation_officer"]).get("/").content.decode()
    assert "Quá hạn trả lời" in html


def test_the_overview_counts_the_year_in_scope(tree, personas, today):
    dialogue = services.dialogue_record(spec=spec(tree.stp), by=SYSTEM)
    services.issue_add(dialogue=dialogue, content="A", due_on=D(2026, 4, 1), by=SYSTEM)
    services.issue_add(dialogue=dialogue, content="B", by=SYSTEM)
    services.dialogue_record(spec=spec(tree.syt), by=SYSTEM)
    figures = REGISTERS["dialogue"].overview(personas["viewer"], 2026)
    assert [figure.value for figure in figures] == ["1", "2", "1"]
    assert [figure.value for figure in REGISTERS["dialogue"].overview(personas["viewer"], 2025)] == [
        "0",
        "0",
        "0",
    ]
