"""Parsing typed numbers and the rules between a report's values, explained in Vietnamese."""

import pytest

from danvan.reports.models import ValidationRule
from danvan.reports.validation import ValueParseError, check, parse_whole


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1673", 1673),
        ("1.673", 1673),
        ("2 276", 2276),
        (" 12 ", 12),
        ("", None),
        (None, None),
        (7, 7),
        (7.0, 7),
    ],
)
def test_numbers_are_read_as_vietnamese_officials_type_them(typed, value):
    assert parse_whole(typed) == value


@pytest.mark.parametrize("typed", ["abc", "1,5", "12a", "1.5", True, 2.5, "1" * 20])
def test_anything_else_is_refused(typed, settings):
    with pytest.raises(ValueParseError) as error:
        parse_whole(typed)
    assert str(error.value)  # a message to show on the cell


@pytest.mark.django_db
def test_a_numerator_above_its_denominator_is_explained(indicators):
    problems = check(indicators.forms["BC-DV-6T"], {"MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 12})
    assert len(problems) == 1
    assert set(problems[0].elements) == {"MEMBERS_TOTAL", "MEMBERS_ACTIVE"}
    assert "không được lớn hơn" in problems[0].message and "12" in problems[0].message


@pytest.mark.django_db
def test_negative_values_and_custom_rules_are_flagged(indicators):
    form = indicators.forms["BC-DV-6T"]
    rule = ValidationRule.objects.create(
        form=form, comparator="lte", right_constant=100, message="Số hòm thư góp ý không quá 100."
    )
    rule.left.set([indicators.elements["SUGGESTION_BOXES"]])
    problems = check(form, {"MASS_ORGS_TOTAL": -1, "SUGGESTION_BOXES": 120})
    messages = [p.message for p in problems]
    assert any("không được là số âm" in m for m in messages)
    assert "Số hòm thư góp ý không quá 100." in messages
    assert check(form, {"SUGGESTION_BOXES": 12, "MEMBERS_TOTAL": 5, "MEMBERS_ACTIVE": 5}) == []
