"""Evaluations a unit has not opened for the last year or half-year that ended: on its work home and in
its daily reminder, until it opens them; never another unit's, never where no scorecard applies."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.emulation.evaluations import reminders, selectors, services, worklist

from .helpers import SYSTEM, scorecard, submitted

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 20)  # the year 2025 and its second half have ended
NOT_OPENED = "Tự đánh giá chưa mở"


def _unopened(user, today=TODAY) -> set[tuple[str, str]]:
    found = worklist.collect(user, today, 20)
    return {(item.unit, item.title) for item in found.items if item.kind == NOT_OPENED}


def _grassroots_card(tree):
    """An active scorecard of one 100-point criterion for grassroots organisations only."""
    card = services.scorecard_create(
        title="Bộ tiêu chí cấp cơ sở",
        applies_from=2025,
        unit_types=[tree.catalogue.types["grassroots"]],
        by=SYSTEM,
    )
    section = services.section_add(scorecard=card, title="I", order=1, by=SYSTEM)
    services.criterion_add(
        section=section, spec=services.CriterionSpec(text="Tiêu chí", max_points=100, order=1), by=SYSTEM
    )
    return services.scorecard_activate(scorecard=card, active=True, by=SYSTEM)


def _recorder(tree, unit, name):
    from conftest import make_user
    from danvan.accounts.models import Role

    return make_user(name, unit=unit, role=Role.MOBILISATION_OFFICER, email=f"{name}@example.vn")


def test_the_periods_due_are_the_last_year_and_half_year_that_ended():
    codes = [span.code for span in selectors.due_periods(datetime.date(2026, 1, 20))]
    assert codes == ["2025", "2025S2"]
    codes = [span.code for span in selectors.due_periods(datetime.date(2026, 6, 30))]
    assert codes == ["2025", "2025S2"]
    codes = [span.code for span in selectors.due_periods(datetime.date(2026, 7, 1))]
    assert codes == ["2025", "2026S1"]


def test_a_unit_without_an_evaluation_is_listed_and_reminded_until_it_opens_it(tree, personas):
    card = scorecard()
    officer = personas["mobilisation_officer"]  # records at STP and below
    assert {
        ("Chi bộ 1", "Đánh giá, xếp loại Năm 2025"),
        ("Chi bộ 1", "Đánh giá, xếp loại 6 tháng cuối năm 2025"),
        ("Đảng ủy Sở Tư pháp", "Đánh giá, xếp loại Năm 2025"),
    } <= _unopened(officer)
    line = next(
        i for i in worklist.collect(officer, TODAY, 20).items if i.unit == "Chi bộ 1" and i.kind == NOT_OPENED
    )
    assert line.url.startswith(reverse("evaluations:start") + "?") and "unit=STP-CB1" in line.url
    assert line.due == datetime.date(2025, 12, 31)

    recorder = _recorder(tree, tree.stp_cb1, "ghi_cb1")
    items = reminders.digests(TODAY).of(recorder)["unopened"]
    assert {(i.unit, i.span.code) for i in items} == {(tree.stp_cb1, "2025"), (tree.stp_cb1, "2025S2")}
    assert all("/emulation/evaluations/new/?unit=STP-CB1&period=" in i.link for i in items)

    services.evaluation_start(unit=tree.stp_cb1, period="2025", by=SYSTEM, scorecard=card)
    assert ("Chi bộ 1", "Đánh giá, xếp loại Năm 2025") not in _unopened(officer)
    assert ("Chi bộ 1", "Đánh giá, xếp loại 6 tháng cuối năm 2025") in _unopened(officer)
    items = reminders.digests(TODAY).of(recorder)["unopened"]
    assert [(i.unit, i.span.code) for i in items] == [(tree.stp_cb1, "2025S2")]

    submitted(tree.stp_cb1, period="2025S2", card=card)
    assert not {line for line in _unopened(officer) if line[0] == "Chi bộ 1"}
    assert "unopened" not in reminders.digests(TODAY).of(recorder)


def test_another_units_evaluations_are_not_listed(tree, personas):
    scorecard()
    outsider = personas["outsider"]  # records at SYT
    units = {unit for unit, _title in _unopened(outsider)}
    assert units == {"Đảng ủy Sở Y tế", "Chi bộ Văn phòng"}
    units = {unit for unit, _title in _unopened(personas["mobilisation_officer"])}
    assert units == {"Đảng ủy Sở Tư pháp", "Chi bộ 1", "Chi bộ 2"}
    syt = _recorder(tree, tree.syt, "ghi_syt")
    items = reminders.digests(TODAY).of(syt)["unopened"]
    assert {i.unit for i in items} == {tree.syt}  # the reminder goes to the unit's own recorders


def test_a_unit_no_scorecard_applies_to_is_not_listed(tree, personas):
    scorecard(active=False)
    assert _unopened(personas["admin"]) == set()
    _grassroots_card(tree)
    units = {unit for unit, _title in _unopened(personas["admin"])}
    assert units == {"Đảng ủy Sở Tư pháp", "Đảng ủy Sở Y tế"}  # the cells and the bloc are of other types
    recorder = _recorder(tree, tree.stp_cb1, "ghi_cb1")
    assert "unopened" not in reminders.digests(TODAY).of(recorder)
    # a template applying from 2025 does not apply to 2024 and its halves
    assert _unopened(personas["admin"], datetime.date(2025, 6, 1)) == set()


def test_the_lines_cost_the_same_queries_whatever_the_number_of_units(tree, personas):
    from conftest import make_unit

    scorecard()
    admin = personas["admin"]
    worklist.collect(admin, TODAY, 20)
    with CaptureQueriesContext(connection) as few:
        worklist.collect(admin, TODAY, 20)
    for index in range(25):
        make_unit(tree.catalogue, f"STP-X{index}", f"Chi bộ X{index}", "cell", tree.stp)
    with CaptureQueriesContext(connection) as many:
        found = worklist.collect(admin, TODAY, 20)
    assert found.total >= 60 and len(found.items) == 20
    assert len(many) <= len(few) + 2  # each period's list counted once it is longer than shown
    writes = [q["sql"] for q in many if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_the_line_opens_the_form_with_the_unit_and_period_filled_in(tree, personas, login):
    scorecard()
    client = login(personas["mobilisation_officer"])
    page = client.get(reverse("evaluations:start"), {"unit": "STP-CB1", "period": "2025S2"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Chi bộ 1" in html
    assert '<option value="2025S2" selected>' in html
    # a unit out of reach is not shown
    html = client.get(reverse("evaluations:start"), {"unit": "SYT-CB1", "period": "2025"}).content.decode()
    assert "Chi bộ Văn phòng" not in html


def test_the_reminder_e_mail_names_the_evaluation_to_open_with_its_link(tree, personas):
    from django.core import mail

    from danvan.reminders.kinds import only
    from danvan.reminders.services import send

    scorecard()
    recorder = _recorder(tree, tree.stp_cb1, "ghi_cb1")
    with only(reminders.REMINDER_KIND):
        assert send(kind="evaluation", today=TODAY, by=SYSTEM) >= 1
    body = next(message.body for message in mail.outbox if message.to == [recorder.email])
    assert "Đánh giá của đơn vị bạn chưa được mở cho kỳ đã kết thúc:" in body
    assert "- Chi bộ 1, 6 tháng cuối năm 2025: http" in body
    assert "/emulation/evaluations/new/?unit=STP-CB1&period=2025S2" in body


def test_a_unit_whose_type_changed_in_the_second_half_is_listed_and_opened_by_the_same_rule(tree, personas):
    """STP is a grassroots organisation until 30/09/2025, then a cell: for 2025S1 (ended 30/06) the
    grassroots scorecard applies to it, both on the work home and when it opens the evaluation."""
    from danvan.orgs.services import unit_change

    card = _grassroots_card(tree)
    unit_change(
        unit=tree.stp,
        effective_on=datetime.date(2025, 10, 1),
        unit_type=tree.catalogue.types["cell"],
        by=SYSTEM,
    )
    first_half = selectors.period_span("2025S1")
    assert tree.stp in set(selectors.unopened(type(tree.stp).objects.all(), first_half, TODAY))
    evaluation = services.evaluation_start(unit=tree.stp, period="2025S1", by=SYSTEM)
    assert evaluation.scorecard == card
    # For the whole year (its end, 31/12) STP is a cell: no scorecard applies, and it is not listed.
    year = selectors.period_span("2025")
    assert tree.stp not in set(selectors.unopened(type(tree.stp).objects.all(), year, TODAY))
