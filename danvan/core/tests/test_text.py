import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from danvan.core.text import check_text, clean_text, search_key, search_terms, sort_key, validate_text, whole


def test_search_key_drops_diacritics_case_and_d_stroke():
    assert search_key("Đảng ủy Khối các cơ quan tỉnh") == "dang uy khoi cac co quan tinh"
    assert search_key("  Sở   Tư pháp ") == "so tu phap"
    assert search_terms("SỞ tư  PHÁP") == ["so", "tu", "phap"]


def test_sort_key_follows_the_vietnamese_alphabet():
    names = [
        "Đoàn Thanh niên",
        "Chi bộ 2",
        "Công đoàn",
        "Ấp Bắc",
        "Dân vận",
        "Ăn uống",
        "An Giang",
        "Chi bộ 10",
    ]
    ordered = sorted(names, key=sort_key)
    # a < ă < â, c < d < đ; a word that is a prefix comes first.
    assert ordered.index("An Giang") < ordered.index("Ăn uống") < ordered.index("Ấp Bắc")
    assert ordered.index("Dân vận") < ordered.index("Đoàn Thanh niên")
    assert ordered.index("Chi bộ 2") < ordered.index("Công đoàn")


def test_sort_key_orders_tones_after_letters():
    assert sorted(["Bá", "Bà", "Ba", "Bả"], key=sort_key) == ["Ba", "Bà", "Bá", "Bả"]
    assert sort_key("ơ") > sort_key("ôz")


# ---------------------------------------------------------------- the one check on typed text

NOT_ALLOWED = "Nội dung chứa ký tự không được phép."


@pytest.mark.parametrize(
    "typed", ["a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\x85b", "a\ud800b", "a\ufffeb", "a\ufdd0b"]
)
def test_control_characters_surrogates_and_non_characters_are_refused(typed):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        check_text(typed, limit=100, multiline=True)
    assert refused.value.messages == [NOT_ALLOWED]
    with pytest.raises(ValidationError):
        validate_text(typed)


def test_line_breaks_pasted_from_word_are_kept_in_multiline_text_and_folded_elsewhere():
    typed = "  Dòng một\r\nDòng hai\x0bDòng ba\tcột  "
    assert check_text(typed, limit=100, multiline=True) == "Dòng một\nDòng hai\nDòng ba\tcột"
    assert check_text(typed, limit=100) == "Dòng một Dòng hai Dòng ba cột"
    validate_text(typed)  # no error


def test_length_and_required_are_checked_after_stripping():
    assert check_text("  " + "x" * 10 + "  ", limit=10) == "x" * 10
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        check_text("x" * 11, limit=10)
    assert refused.value.messages == ["Tối đa 10 ký tự."]
    with pytest.raises(ValidationError) as refused:
        check_text("   ", limit=10, required="Hãy nhập nội dung.")
    assert refused.value.messages == ["Hãy nhập nội dung."]


def test_clean_text_gathers_the_problem_under_its_field_and_returns_the_text():
    errors: dict = {}
    assert clean_text(" Ổn ", "ok", errors, limit=10) == "Ổn"
    assert clean_text("Có\x00NUL", "bad", errors, limit=10) == "Có\x00NUL"
    assert clean_text("", "empty", errors, limit=10, required="Thiếu.") == ""
    assert set(errors) == {"bad", "empty"} and errors["empty"] == "Thiếu."


@pytest.mark.parametrize(
    ("typed", "digits", "number"),
    [
        ("12", 18, 12),
        (" 007 ", 18, 7),
        ("0", 18, 0),
        ("", 18, None),
        (None, 18, None),
        ("-3", 18, None),
        ("1.5", 18, None),
        ("²", 18, None),  # isdigit() but int() refuses it
        ("１２", 18, None),  # full-width
        ("٣", 18, None),  # Arabic-Indic: decimal, but not ASCII
        ("12345", 4, None),  # longer than asked
        ("9" * 5000, 18, None),  # past int()'s digit limit
    ],
)
def test_a_whole_number_is_ascii_digits_of_a_bounded_length(typed, digits, number):
    assert whole(typed, digits=digits) == number
