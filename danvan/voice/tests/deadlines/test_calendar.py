"""The working-day calendar: Vietnamese holidays from the library, weekends, administrators' entries."""

import datetime

import pytest

from danvan.voice.deadlines import calendar, counting
from danvan.voice.deadlines.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


def off(*days):
    return [day for day in days if calendar.is_working_day(day)]


def test_tet_2026_is_off_from_the_eve_to_the_fourth_day_and_mung_1_is_17_february():
    assert "Tết Nguyên Đán" in calendar.library_year(2026).holidays[D(2026, 2, 17)]
    assert off(*(D(2026, 2, day) for day in range(14, 23))) == []  # Sat 14 – Sun 22: nine days off
    assert calendar.is_working_day(D(2026, 2, 13))
    assert calendar.is_working_day(D(2026, 2, 23))
    assert calendar.next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)


def test_gio_to_2026_falls_on_a_sunday_and_the_monday_after_is_off_in_lieu():
    assert D(2026, 4, 26).weekday() == 6
    assert "Giỗ Tổ Hùng Vương" in calendar.library_year(2026).holidays[D(2026, 4, 26)]
    assert off(D(2026, 4, 26), D(2026, 4, 27)) == []
    assert calendar.is_working_day(D(2026, 4, 28))


def test_reunification_day_labour_day_and_national_day_are_off():
    assert off(D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2)) == []
    assert calendar.next_working_day(D(2026, 4, 29)) == D(2026, 5, 4)


def test_weekends_are_off_and_ordinary_weekdays_are_working_days():
    assert off(D(2026, 3, 14), D(2026, 3, 15)) == []
    assert all(calendar.is_working_day(D(2026, 3, day)) for day in range(9, 14))


def test_the_swaps_the_library_knows_move_a_day_off_and_make_a_saturday_a_working_day():
    # 2025: Friday 02/5 off, Saturday 26/4 worked in exchange.
    assert not calendar.is_working_day(D(2025, 5, 2))
    assert calendar.is_working_day(D(2025, 4, 26))
    assert D(2025, 4, 26) in calendar.library_year(2025).worked


def test_an_administrators_working_saturday_and_day_off_win_over_weekend_and_weekday(day_entry):
    day_entry(D(2026, 3, 14), CalendarDay.Kind.WORKING_DAY)
    day_entry(D(2026, 3, 16), CalendarDay.Kind.DAY_OFF)
    assert calendar.is_working_day(D(2026, 3, 14))
    assert not calendar.is_working_day(D(2026, 3, 16))
    assert calendar.next_working_day(D(2026, 3, 13)) == D(2026, 3, 14)
    assert calendar.next_working_day(D(2026, 3, 14)) == D(2026, 3, 17)


def test_an_administrators_entry_wins_over_the_library_holiday(day_entry):
    day_entry(D(2026, 9, 1), CalendarDay.Kind.WORKING_DAY, "Làm việc thử nghiệm")
    info = calendar.current().explain(D(2026, 9, 1))
    assert (info.working, info.source, info.reason) == (True, "admin", "Làm việc thử nghiệm")


def test_a_removed_entry_stops_counting_at_once(day_entry):
    entry = day_entry(D(2026, 3, 16), CalendarDay.Kind.DAY_OFF)
    assert not calendar.is_working_day(D(2026, 3, 16))
    entry.delete()
    assert calendar.is_working_day(D(2026, 3, 16))


def test_thousands_of_deadlines_read_the_calendar_once(django_assert_max_num_queries):
    start = D(2026, 1, 1)
    with django_assert_max_num_queries(1):
        dues = [
            counting.due_date(start + datetime.timedelta(days=n), 32, counting.WORKING) for n in range(2000)
        ]
    assert dues[0] == D(2026, 2, 23)  # 32 working days from 01/01/2026: the 31st is 13/02, then Tết
