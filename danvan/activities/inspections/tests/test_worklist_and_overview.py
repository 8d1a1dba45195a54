"""The work home (source "inspections") and the activities overview figures."""

import pytest

from danvan.activities.inspections import worklist as source
from danvan.activities.registers import REGISTERS
from danvan.core import worklist

pytestmark = pytest.mark.django_db


def _items(user, today):
    return source.remedies_due(user, today, worklist.LIMIT)


def test_the_inspected_unit_sees_remedies_due_within_two_weeks_or_overdue(people, planned, today):
    found = _items(people["inspected"], today)
    assert [item.title for item in found.items] == [
        "Công khai kết quả kiểm tra",
        "Tổ chức sinh hoạt chuyên đề",
    ]
    assert found.total == 2
    assert {item.kind for item in found.items} == {"Kiến nghị cần khắc phục"}
    assert found.items[0].unit == "Đảng ủy Sở Tư pháp" and found.items[0].days(today) == -3


def test_the_inspecting_unit_sees_only_the_overdue_remedies_of_the_units_it_inspected(people, planned, today):
    found = _items(people["inspector"], today)
    assert [item.title for item in found.items] == ["Công khai kết quả kiểm tra"]
    assert found.items[0].kind == "Kiến nghị quá hạn của đơn vị được kiểm tra"


def test_another_unit_and_a_viewer_see_nothing(people, planned, today):
    assert _items(people["other"], today).total == 0
    assert _items(people["viewer"], today).total == 0  # a viewer records nothing


def test_a_remedied_remedy_leaves_the_work_home(people, planned, today):
    from danvan.activities.inspections import services

    services.remedy_follow_up(
        remedy=planned["late"],
        state="remedied",
        remedied_on=today,
        result="Đã công khai",
        by=people["inspected"],
    )
    assert _items(people["inspector"], today).total == 0
    assert _items(people["inspected"], today).total == 1


def test_the_source_is_registered_and_shown_on_the_home_page(people, planned, login):
    assert "inspections" in {s.key for s in worklist.sources()}
    page = login(people["inspected"]).get("/")
    assert page.status_code == 200
    assert "Công khai kết quả kiểm tra" in page.content.decode()


def test_the_register_gives_its_figures_on_the_overview(people, planned, today):
    item = REGISTERS["inspection"]
    year = planned["inspection"].year
    figures = {str(f.label): f.value for f in item.overview(people["inspected"], year)}
    assert figures == {
        "Chương trình kiểm tra, giám sát": "1",
        "Kiến nghị chưa khắc phục": "3",
        "Kiến nghị quá hạn khắc phục": "1",
    }
    other = {str(f.label): f.value for f in item.overview(people["other"], year)}
    assert set(other.values()) == {"0"}
