"""Leaders' reception days: planned and logged, and the check against the legal minimum."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.reception import selectors, services
from danvan.reception.models import ReceptionDay
from danvan.reception.selectors import Status

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
D = datetime.date


def held(unit, day, citizens=2, leader="Nguyễn Văn Thủ"):
    planned = services.day_plan(
        unit=unit,
        date=day,
        leader_name=leader,
        leader_position="Bí thư Đảng ủy",
        place="Phòng tiếp dân",
        by=SYSTEM,
    )
    return services.day_log(day=planned, held=True, citizens=citizens, by=SYSTEM)


def test_a_month_with_a_reception_day_held_is_met_and_one_without_is_not(tree):
    held(tree.stp, D(YEAR, 3, 17))
    planned = services.day_plan(
        unit=tree.stp,
        date=D(YEAR, 4, 21),
        leader_name="Nguyễn Văn Thủ",
        leader_position="Bí thư",
        place="Hội trường",
        by=SYSTEM,
    )
    services.day_log(day=planned, held=False, citizens=None, note="Lãnh đạo đi công tác đột xuất", by=SYSTEM)
    services.day_plan(
        unit=tree.stp,
        date=D(YEAR, 9, 15),
        leader_name="Nguyễn Văn Thủ",
        leader_position="Bí thư",
        place="Hội trường",
        by=SYSTEM,
    )
    held(tree.syt, D(YEAR, 5, 5))  # another unit's day does not count for STP
    check = selectors.compliance(tree.stp, YEAR, today=D(YEAR, 8, 20))
    status = {index: month.status for index, month in enumerate(check.months, start=1)}
    assert status[3] == Status.MET
    assert status[4] == Status.NOT_MET  # planned, logged as not held
    assert status[5] == Status.NOT_MET and status[2] == Status.NOT_MET
    assert status[8] == Status.NOT_PLANNED  # the month is not over and nothing is planned
    assert status[9] == Status.PLANNED
    assert not check.commune_level and check.weeks == [] and check.periods == check.months
    assert (check.met, check.not_met) == (1, 6)


def test_a_planned_day_never_logged_does_not_meet_a_month_that_is_over(tree):
    services.day_plan(
        unit=tree.stp, date=D(YEAR, 6, 9), leader_name="A", leader_position="B", place="C", by=SYSTEM
    )
    assert selectors.compliance(tree.stp, YEAR, today=D(YEAR, 6, 20)).months[5].status == Status.PLANNED
    assert selectors.compliance(tree.stp, YEAR, today=D(YEAR, 7, 1)).months[5].status == Status.NOT_MET


def test_at_commune_level_every_week_counts_and_a_missing_week_is_not_met(tree):
    services.setting_save(unit=tree.stp, commune_level=True, by=SYSTEM)
    monday = D.fromisocalendar(YEAR, 10, 1)
    for week in range(10, 15):
        if week != 12:
            held(tree.stp, D.fromisocalendar(YEAR, week, 3))
    check = selectors.compliance(tree.stp, YEAR, today=monday + datetime.timedelta(weeks=10))
    assert check.commune_level and check.periods == check.weeks
    assert len(check.weeks) == D(YEAR, 12, 28).isocalendar().week
    status = {week: check.weeks[week - 1].status for week in range(9, 16)}
    assert status == {
        9: Status.NOT_MET,
        10: Status.MET,
        11: Status.MET,
        12: Status.NOT_MET,
        13: Status.MET,
        14: Status.MET,
        15: Status.NOT_MET,
    }
    assert check.weeks[11].start == D.fromisocalendar(YEAR, 12, 1)
    assert check.weeks[11].end == D.fromisocalendar(YEAR, 12, 7)
    # The monthly view still shows the month as met: the weekly rule is what fails.
    assert check.months[monday.month - 1].status == Status.MET


@pytest.mark.parametrize(
    ("plan", "log", "field"),
    [
        ({"leader_name": ""}, None, "leader_name"),
        ({"place": ""}, None, "place"),
        ({"date": None}, None, "date"),
        ({}, {"held": True, "citizens": None}, "citizens"),
        ({}, {"held": True, "citizens": -1}, "citizens"),
        ({}, {"held": False, "citizens": 3, "note": "Không tổ chức"}, "citizens"),
        ({}, {"held": False, "citizens": None, "note": ""}, "note"),
        ({"date": timezone.localdate() + datetime.timedelta(days=3)}, {"held": True, "citizens": 1}, "held"),
    ],
)
def test_bad_plans_and_logs_are_refused_in_vietnamese(tree, plan, log, field):
    values = {
        "unit": tree.stp,
        "date": D(YEAR, 2, 3),
        "leader_name": "A",
        "leader_position": "B",
        "place": "C",
    }
    values.update(plan)
    if log is None:
        with pytest.raises(ValidationError) as refused:
            services.day_plan(**values, by=SYSTEM)
        assert ReceptionDay.objects.count() == 0
    else:
        day = services.day_plan(**values, by=SYSTEM)
        with pytest.raises(ValidationError) as refused:
            services.day_log(day=day, **{"note": "", **log}, by=SYSTEM)
        day.refresh_from_db()
        assert day.held is None and day.citizens is None
    assert refused.value.message_dict[field][0].startswith(("Hãy", "Số công dân", "Buổi tiếp", "Chưa đến"))


def test_the_days_page_for_a_handler_a_viewer_and_another_unit(tree, personas, login):
    url = reverse("reception:days", args=["STP"]) + f"?year={YEAR}"
    handler = login(personas["case_handler"])
    response = handler.post(
        url,
        {
            "date": f"14/04/{YEAR}",
            "leader_name": "Nguyễn Văn Thủ",
            "leader_position": "Bí thư",
            "place": "Trụ sở",
        },
    )
    assert response.status_code == 302
    day = ReceptionDay.objects.get()
    log = reverse("reception:day_log", args=[day.pk])
    assert handler.post(log, {"held": "yes", "citizens": "4", "note": ""}).status_code == 302
    page = handler.get(url).content.decode()
    assert 'data-month="4" data-status="met"' in page and "Đạt" in page and "Không đạt" in page
    assert "ít nhất 01 ngày tiếp công dân trong 01 tháng" in page
    setting = reverse("reception:setting", args=["STP"]) + f"?year={YEAR}"
    assert handler.post(setting, {"commune_level": "on"}).status_code == 302
    assert 'data-week="1"' in handler.get(url).content.decode()
    head = login(personas["unit_head"])
    assert head.get(url).status_code == 200
    assert head.post(log, {"held": "no", "note": "x"}).status_code == 403
    assert login(personas["viewer"]).get(url).status_code == 403
    assert login(personas["outsider"]).get(url).status_code == 404
    assert login(personas["outsider"]).post(log, {"held": "no", "note": "x"}).status_code == 404
    day.refresh_from_db()
    assert day.held is True and day.citizens == 4


def test_a_logged_day_or_one_with_entries_stays(tree):
    logged = held(tree.stp, D(YEAR, 1, 6))
    with pytest.raises(ValidationError):
        services.day_remove(day=logged, by=SYSTEM)
    planned = services.day_plan(
        unit=tree.stp, date=D(YEAR, 1, 13), leader_name="A", leader_position="B", place="C", by=SYSTEM
    )
    services.day_remove(day=planned, by=SYSTEM)
    assert list(ReceptionDay.objects.all()) == [logged]
