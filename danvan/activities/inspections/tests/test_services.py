"""The services: who may do what (inspector / inspected / another unit) and what the data must satisfy."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.activities.inspections import services
from danvan.activities.inspections.models import OVERDUE, Inspection, Remedy, RemedyState, State, Target

pytestmark = pytest.mark.django_db


def _programme(tree, by, *, unit=None, units=None, today=None, **extra):
    today = today or datetime.date.today()
    values = {
        "unit": unit or tree.root,
        "kind": "supervision",
        "title": "Giám sát thực hiện quy chế dân chủ",
        "reference": "",
        "year": today.year,
        "starts_on": today.replace(month=1, day=1),
        "ends_on": today.replace(month=12, day=31),
        "units": units if units is not None else [tree.stp],
        **extra,
    }
    return services.inspection_create(by=by, **values)


def test_the_inspector_plans_records_findings_and_remedies(tree, people, planned, today):
    inspection = planned["inspection"]
    inspection.refresh_from_db()  # the findings recorded: the programme is under way
    assert inspection.unit == tree.root and inspection.state == State.IN_PROGRESS
    assert [t.unit for t in inspection.targets.all()] == [tree.stp]
    assert planned["late"].status(today) == OVERDUE
    assert planned["soon"].status(today) == RemedyState.OPEN


def test_the_inspected_unit_may_not_plan_nor_record_findings_or_remedies(tree, people, planned, today):
    inspected = people["inspected"]
    with pytest.raises(PermissionDenied):
        _programme(tree, inspected)
    with pytest.raises(PermissionDenied):
        services.findings_record(
            target=planned["target"],
            conducted_on=today,
            strengths="",
            shortcomings="",
            conclusion="Tốt",
            by=inspected,
        )
    with pytest.raises(PermissionDenied):
        services.remedy_add(target=planned["target"], content="Khắc phục", due_on=today, by=inspected)


def test_the_inspected_unit_records_the_follow_up_and_another_unit_may_not(tree, people, planned, today):
    remedy = planned["late"]
    with pytest.raises(PermissionDenied):
        services.remedy_follow_up(
            remedy=remedy, state=RemedyState.REMEDIED, remedied_on=today, result="Đã xong", by=people["other"]
        )
    with pytest.raises(PermissionDenied):  # a viewer reads only
        services.remedy_follow_up(
            remedy=remedy,
            state=RemedyState.REMEDIED,
            remedied_on=today,
            result="Đã xong",
            by=people["viewer"],
        )
    done = services.remedy_follow_up(
        remedy=remedy,
        state=RemedyState.REMEDIED,
        remedied_on=today,
        result="Đã công khai",
        by=people["inspected"],
    )
    assert (
        done.state == RemedyState.REMEDIED
        and done.remedied_on == today
        and done.status(today) == RemedyState.REMEDIED
    )


def test_a_remedy_never_goes_back_and_remedied_needs_a_day_and_a_result(people, planned, today):
    remedy, inspected = planned["soon"], people["inspected"]
    with pytest.raises(ValidationError) as missing:
        services.remedy_follow_up(
            remedy=remedy, state=RemedyState.REMEDIED, remedied_on=None, result="", by=inspected
        )
    assert set(missing.value.message_dict) == {"remedied_on", "result"}
    services.remedy_follow_up(
        remedy=remedy, state=RemedyState.REMEDIED, remedied_on=today, result="Đã tổ chức", by=inspected
    )
    with pytest.raises(ValidationError) as back:
        services.remedy_follow_up(
            remedy=remedy, state=RemedyState.OPEN, remedied_on=None, result="", by=inspected
        )
    assert "không thể chuyển tình trạng ngược" in back.value.message_dict["state"][0]
    remedy.refresh_from_db()
    assert remedy.state == RemedyState.REMEDIED and remedy.result == "Đã tổ chức"


def test_dates_in_the_future_and_a_deadline_before_the_inspection_are_refused(people, planned, today):
    inspector, target = people["inspector"], planned["target"]
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        services.findings_record(
            target=target,
            conducted_on=tomorrow,
            strengths="",
            shortcomings="",
            conclusion="Tốt",
            by=inspector,
        )
    assert "trong tương lai" in future.value.message_dict["conducted_on"][0]
    with pytest.raises(ValidationError) as early:
        services.remedy_add(
            target=target,
            content="Khắc phục",
            due_on=target.conducted_on - datetime.timedelta(days=1),
            by=inspector,
        )
    assert "trước ngày tiến hành" in early.value.message_dict["due_on"][0]
    with pytest.raises(ValidationError) as remedied:
        services.remedy_follow_up(
            remedy=planned["soon"],
            state=RemedyState.REMEDIED,
            remedied_on=tomorrow,
            result="Xong",
            by=people["inspected"],
        )
    assert "trong tương lai" in remedied.value.message_dict["remedied_on"][0]
    assert Remedy.objects.count() == 3


def test_a_remedy_needs_the_findings_first(tree, people, today):
    inspection = _programme(tree, people["inspector"], today=today)
    target = inspection.targets.get()
    with pytest.raises(ValidationError) as error:
        services.remedy_add(target=target, content="Khắc phục", due_on=today, by=people["inspector"])
    assert "Hãy ghi kết quả kiểm tra" in error.value.message_dict["due_on"][0]


def test_units_outside_the_inspecting_units_tree_or_the_scope_are_refused_and_nothing_is_saved(
    tree, people, today
):
    stp_officer = people["inspected"]
    with pytest.raises(ValidationError) as outside:  # SYT-CB1 is not below STP, nor in the officer's scope
        _programme(tree, stp_officer, unit=tree.stp, units=[tree.stp_cb1, tree.syt_cb1], today=today)
    assert "Chi bộ Văn phòng" in outside.value.message_dict["units"][0]
    with pytest.raises(ValidationError):  # a unit does not inspect itself through a programme
        _programme(tree, stp_officer, unit=tree.stp, units=[tree.stp], today=today)
    with pytest.raises(ValidationError) as empty:
        _programme(tree, stp_officer, unit=tree.stp, units=[], today=today)
    assert "ít nhất một đơn vị" in empty.value.message_dict["units"][0]
    assert not Inspection.objects.exists() and not Target.objects.exists()
    made = _programme(tree, stp_officer, unit=tree.stp, units=[tree.stp_cb1, tree.stp_cb2], today=today)
    assert made.targets.count() == 2


def test_planned_dates_must_be_in_order_and_in_the_year(tree, people, today):
    with pytest.raises(ValidationError) as error:
        _programme(
            tree,
            people["inspector"],
            today=today,
            starts_on=datetime.date(today.year, 6, 1),
            ends_on=datetime.date(today.year, 5, 1),
        )
    assert set(error.value.message_dict) == {"ends_on"}
    with pytest.raises(ValidationError) as year:
        _programme(tree, people["inspector"], today=today, year=today.year - 1)
    assert "starts_on" in year.value.message_dict


def test_the_programme_state_only_moves_forward_and_inspected_units_with_findings_stay(tree, people, planned):
    inspection, inspector = planned["inspection"], people["inspector"]
    values = {
        "kind": inspection.kind,
        "title": inspection.title,
        "reference": inspection.reference,
        "year": inspection.year,
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "by": inspector,
    }
    services.inspection_update(
        inspection=inspection, state=State.CONCLUDED, units=[tree.stp, tree.syt], **values
    )
    inspection.refresh_from_db()
    assert inspection.state == State.CONCLUDED and inspection.targets.count() == 2
    with pytest.raises(ValidationError) as back:
        services.inspection_update(inspection=inspection, state=State.PLANNED, units=[tree.stp], **values)
    assert "state" in back.value.message_dict
    with pytest.raises(ValidationError) as busy:
        services.inspection_update(inspection=inspection, state=State.CONCLUDED, units=[tree.syt], **values)
    assert "Đảng ủy Sở Tư pháp" in busy.value.message_dict["units"][0]
    assert inspection.targets.count() == 2


def test_every_write_is_audited_under_the_unit_it_concerns(tree, people, planned, today):
    from danvan.audit.models import AuditEvent

    services.remedy_follow_up(
        remedy=planned["late"],
        state=RemedyState.REMEDIED,
        remedied_on=today,
        result="Xong",
        by=people["inspected"],
    )
    events = AuditEvent.objects.filter(model__startswith="inspections.")
    assert events.filter(model="inspections.inspection", unit_code="DUK").exists()
    assert events.filter(model="inspections.target", unit_code="STP").exists()
    updates = events.filter(
        model="inspections.remedy", object_id=str(planned["late"].pk), action=AuditEvent.Action.UPDATE
    )
    assert updates.filter(unit_code="STP").exists()
