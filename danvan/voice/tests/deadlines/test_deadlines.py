"""Counting periods (Bộ luật Dân sự 2015, Điều 147–148) on the Vietnamese working-day calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from danvan.voice.deadlines.counting import CALENDAR, WORKING, due_date, parse_pause
from danvan.voice.deadlines.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_event_day_is_not_counted_and_a_weekday_end_stays():
    assert due_date(D(2026, 3, 2), 1, CALENDAR) == D(2026, 3, 3)
    assert due_date(D(2026, 3, 2), 10, CALENDAR) == D(2026, 3, 12)


def test_ten_calendar_days_whose_tenth_is_a_saturday_end_on_monday():
    assert D(2026, 3, 14).weekday() == 5
    assert due_date(D(2026, 3, 4), 10, CALENDAR) == D(2026, 3, 16)


def test_calendar_days_ending_in_tet_end_on_the_first_working_day_after_it():
    assert due_date(D(2026, 2, 6), 10, CALENDAR) == D(2026, 2, 23)  # 16/02 is the eve of Tết


def test_five_working_days_across_tet_skip_the_whole_holiday():
    # 11, 12, 13/02, then Tết from Saturday 14 to Sunday 22, then 23 and 24/02.
    assert due_date(D(2026, 2, 10), 5, WORKING) == D(2026, 2, 24)


def test_working_days_skip_gio_to_and_its_monday_in_lieu():
    assert due_date(D(2026, 4, 24), 1, WORKING) == D(2026, 4, 28)


def test_working_days_skip_30_4_and_1_5_and_national_day():
    assert due_date(D(2026, 4, 29), 1, WORKING) == D(2026, 5, 4)
    # 31/08/2026 is off in exchange for Saturday 22/08 (in the library), then 1 and 2/9.
    assert due_date(D(2026, 8, 28), 1, WORKING) == D(2026, 9, 3)


def test_an_administrators_working_saturday_counts(day_entry):
    day_entry(D(2026, 3, 14), CalendarDay.Kind.WORKING_DAY)
    assert due_date(D(2026, 3, 4), 10, CALENDAR) == D(2026, 3, 14)
    assert due_date(D(2026, 3, 13), 1, WORKING) == D(2026, 3, 14)


def test_an_administrators_day_off_does_not_count(day_entry):
    day_entry(D(2026, 3, 16), CalendarDay.Kind.DAY_OFF)
    assert due_date(D(2026, 3, 4), 10, CALENDAR) == D(2026, 3, 17)
    assert due_date(D(2026, 3, 13), 1, WORKING) == D(2026, 3, 17)


def test_a_pause_inside_a_calendar_period_moves_the_due_date_by_its_days():
    assert due_date(D(2026, 3, 2), 10, CALENDAR, [(D(2026, 3, 5), D(2026, 3, 8))]) == D(2026, 3, 16)


def test_a_pause_inside_a_working_day_period_moves_the_due_date_by_its_working_days():
    assert due_date(D(2026, 3, 2), 5, WORKING) == D(2026, 3, 9)
    # 04–10/03 holds five working days (4, 5, 6, 9, 10): the due date moves five working days.
    assert due_date(D(2026, 3, 2), 5, WORKING, [(D(2026, 3, 4), D(2026, 3, 10))]) == D(2026, 3, 16)


def test_pauses_outside_the_period_change_nothing_and_overlapping_pauses_count_once():
    before_and_after = [(D(2026, 2, 1), D(2026, 3, 2)), (D(2026, 3, 20), D(2026, 3, 25))]
    assert due_date(D(2026, 3, 2), 10, CALENDAR, before_and_after) == D(2026, 3, 12)
    overlapping = [(D(2026, 3, 5), D(2026, 3, 7)), (D(2026, 3, 6), D(2026, 3, 8))]
    assert due_date(D(2026, 3, 2), 10, CALENDAR, overlapping) == D(2026, 3, 16)


def test_a_pause_on_the_day_a_rolled_period_would_end_holds_the_end():
    # 10 days from 04/03 end on Saturday 14/03, rolled to Monday 16/03; paused 16–17/03: Wednesday 18/03.
    assert due_date(D(2026, 3, 4), 10, CALENDAR, [(D(2026, 3, 16), D(2026, 3, 17))]) == D(2026, 3, 18)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((D(2026, 3, 2), 0, CALENDAR), "Số ngày phải là số nguyên từ 1 đến 3650."),
        ((D(2026, 3, 2), -3, WORKING), "Số ngày phải là số nguyên từ 1 đến 3650."),
        ((D(2026, 3, 2), 3651, WORKING), "Số ngày phải là số nguyên từ 1 đến 3650."),
        ((D(2026, 3, 2), True, WORKING), "Số ngày phải là số nguyên từ 1 đến 3650."),
        ((D(2026, 3, 2), 5, "weekly"), "Đơn vị tính phải là"),
        (("2026-03-02", 5, WORKING), "Ngày bắt đầu không phải là ngày hợp lệ."),
        ((datetime.datetime(2026, 3, 2, 8), 5, WORKING), "Ngày bắt đầu không phải là ngày hợp lệ."),
        ((datetime.date.max, 1, CALENDAR), "vượt quá"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(args, message):
    with pytest.raises(ValidationError) as error:
        due_date(*args)
    assert message in " ".join(error.value.messages)


def test_a_pause_that_ends_before_it_begins_is_refused():
    with pytest.raises(ValidationError, match="kết thúc trước khi bắt đầu"):
        due_date(D(2026, 3, 2), 5, WORKING, [(D(2026, 3, 6), D(2026, 3, 5))])


def test_pauses_are_read_from_iso_or_vietnamese_dates():
    assert parse_pause("2026-02-11:2026-02-13") == (D(2026, 2, 11), D(2026, 2, 13))
    assert parse_pause("11/02/2026 – 13/02/2026") == (D(2026, 2, 11), D(2026, 2, 13))
    for bad in (
        "2026-02-11",
        "2026-02-11:2026-02-30",
        "từ 2026-02-11 đến 2026-02-13",
        "2026-02-13:2026-02-11",
    ):
        with pytest.raises(ValidationError):
            parse_pause(bad)
