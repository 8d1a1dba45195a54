"""The imported-cell readers every register shares (core.tables.cells): counts, yes/no, choices."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from danvan.core import tables


class Colour(models.TextChoices):
    RED = "red", "Đỏ tươi"
    BLUE = "blue", "Xanh lam"
    GREEN = "green", "Xanh lá"


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        (" 12 ", 12),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        (0, 0),
    ],
)
def test_a_whole_number_is_read_however_the_cell_holds_it(value, number):
    assert tables.whole_number(value) == number


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", True, False, -1, "-1", 12.5, "12,5", "1.23", "12a", "²", "１２", datetime.date.today()],
)
def test_anything_else_is_no_whole_number(value):
    assert tables.whole_number(value) is None


def test_the_thousands_dot_can_be_refused():
    assert tables.whole_number("1.234", grouped=False) is None
    assert tables.number_text("1.234") == "1234"
    assert tables.number_text("1.234", grouped=False) == "1.234"


def test_a_number_cell_names_its_column_when_missing_or_wrong():
    with translation.override("vi"):
        assert tables.cell_number("", label="Năm") is None
        with pytest.raises(ValidationError) as missing:
            tables.cell_number(" ", label="Năm", required=True)
        with pytest.raises(ValidationError) as wrong:
            tables.cell_number("hai", label="Năm")
    assert "Năm" in missing.value.messages[0] and "Năm" in wrong.value.messages[0]
    assert missing.value.messages != wrong.value.messages
    assert tables.cell_number("1.200", label="Năm", required=True) == 1200


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        (True, True),
        (False, False),
        ("Có", True),
        ("x", True),
        (1, True),
        ("KHÔNG", False),
        (0, False),
        ("", None),
    ],
)
def test_a_flag_cell_reads_yes_no_or_nothing(value, flag):
    assert tables.cell_flag(value, label="Hợp lệ") is flag


def test_a_flag_cell_refuses_other_words_naming_the_column():
    with pytest.raises(ValidationError) as refused:
        tables.cell_flag("có lẽ", label="Hợp lệ")
    assert "Hợp lệ" in refused.value.messages[0] and "có lẽ" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("value", "choice"),
    [
        ("Đỏ tươi", "red"),
        ("đỏ tuoi", "red"),
        ("Đỏ", "red"),
        ("blue", "blue"),
        ("XANH LÁ", "green"),
        ("", None),
    ],
)
def test_a_choice_is_read_by_its_label_its_first_words_or_its_code(value, choice):
    assert tables.cell_choice(value, choices=Colour, label="Màu") == choice


@pytest.mark.parametrize("value", ["Xanh", "Tím"])  # "Xanh" starts two labels: ambiguous
def test_an_ambiguous_or_unknown_choice_is_refused_with_the_choices(value):
    with pytest.raises(ValidationError) as refused:
        tables.cell_choice(value, choices=Colour, label="Màu")
    assert "Xanh lam" in refused.value.messages[0] and value in refused.value.messages[0]
