"""`danvan deadline`: the due date in ISO form and nothing else; bad arguments get a Vietnamese error."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_it_prints_exactly_the_iso_due_date():
    assert run("--start", "2026-02-10", "--days", "5", "--unit", "working") == "2026-02-24\n"
    assert run("--start", "2026-03-04", "--days", "10", "--unit", "calendar") == "2026-03-16\n"


def test_pauses_are_repeatable_and_stop_the_clock():
    args = ["--start", "2026-03-02", "--days", "10", "--unit", "calendar"]
    assert run(*args) == "2026-03-12\n"
    assert (
        run(*args, "--pause", "2026-03-05:2026-03-06", "--pause", "2026-03-07:2026-03-08") == "2026-03-16\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--start", "2026-03-02", "--days", "5", "--unit", "weekly"],
            "--unit phải là working hoặc calendar.",
        ),
        (
            ["--start", "2026-02-30", "--days", "5", "--unit", "working"],
            "“2026-02-30” không phải là ngày hợp lệ",
        ),
        (["--start", "hôm nay", "--days", "5", "--unit", "working"], "không phải là ngày hợp lệ"),
        (
            ["--start", "2026-03-02", "--days", "-3", "--unit", "working"],
            "Số ngày phải là số nguyên từ 1 đến 3650.",
        ),
        (["--start", "2026-03-02", "--days", "năm", "--unit", "working"], "--days phải là số nguyên."),
        (["--start", "2026-03-02", "--unit", "working"], "Thiếu: --days."),
        (
            ["--start", "2026-03-02", "--days", "5", "--unit", "working", "--pause", "2026-03-06:2026-03-04"],
            "kết thúc trước khi bắt đầu",
        ),
    ],
)
def test_bad_arguments_end_with_a_vietnamese_error(args, message):
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("deadline", *args, stdout=out)
    assert message in str(error.value)
    assert out.getvalue() == ""
