"""Relative due rules: N days after a date typed in, the document's date, the programme's start or another
task's deadline (same programme, no cycles); and the parser's "recurrence" suggestion."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.actors import System
from danvan.programmes import services, specs
from danvan.programmes.models import DueRule, Occurrence, Programme, RelativeBase, Task

from .helpers import register_document

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

D = datetime.date


def _dates(task):
    return list(Occurrence.objects.filter(task=task).values_list("due_on", flat=True))


START = D(2026, 1, 1)


def _programme(tree, document=None, starts_on=START):
    return Programme.objects.create(
        unit=tree.stp, title="Chương trình", starts_on=starts_on, document=document
    )


def _relative(text, base, days, **extra):
    return specs.TaskSpec(text=text, rule=DueRule.RELATIVE, relative_base=base, relative_days=days, **extra)


def test_relative_to_the_document_date_and_to_the_start(tree):
    document = register_document(tree.stp, body="Nội dung.", number_symbol="5-KH/ĐU", day=D(2025, 12, 20))
    programme = _programme(tree, document=document)
    after_document = services.task_save(
        programme=programme, spec=_relative("Xây dựng kế hoạch", RelativeBase.DOCUMENT, 30), by=SYSTEM
    )
    assert _dates(after_document) == [D(2026, 1, 19)]  # 20/12/2025 + 30 days
    assert after_document.relative_to is None and after_document.relative_base == RelativeBase.DOCUMENT
    after_start = services.task_save(
        programme=programme, spec=_relative("Quán triệt", RelativeBase.START, 45), by=SYSTEM
    )
    assert _dates(after_start) == [D(2026, 2, 15)]  # 01/01/2026 + 45 days
    assert after_start.rule_text() == "45 ngày sau ngày chương trình bắt đầu (01/01/2026)"
    # counted from the document, the deadline may not fall before the start
    with pytest.raises(ValidationError) as error:
        services.task_save(
            programme=programme, spec=_relative("Sớm quá", RelativeBase.DOCUMENT, 5), by=SYSTEM
        )
    assert "25/12/2025, trước ngày chương trình bắt đầu (01/01/2026)" in " ".join(error.value.messages)
    assert Task.objects.count() == 2


def test_a_programme_without_document_cannot_count_from_it(tree):
    programme = _programme(tree)
    with pytest.raises(ValidationError) as error:
        services.task_save(
            programme=programme, spec=_relative("Báo cáo", RelativeBase.DOCUMENT, 10), by=SYSTEM
        )
    assert "không gắn với văn bản" in " ".join(error.value.messages)
    assert not Task.objects.exists()


def test_relative_to_another_task_follows_its_deadline(tree):
    programme = _programme(tree)
    conference = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Hội nghị quán triệt", rule=DueRule.FIXED, due_on=D(2026, 3, 10)),
        by=SYSTEM,
    )
    report = services.task_save(
        programme=programme,
        spec=_relative("Báo cáo kết quả", RelativeBase.TASK, 15, relative_task=conference),
        by=SYSTEM,
    )
    review = services.task_save(  # a chain: counted from a task that is itself counted from another
        programme=programme,
        spec=specs.TaskSpec(text="Sơ kết", rule=DueRule.RELATIVE, relative_task=report, relative_days=30),
        by=SYSTEM,
    )
    assert review.relative_base == RelativeBase.TASK  # inferred from relative_task
    assert _dates(report) == [D(2026, 3, 25)] and _dates(review) == [D(2026, 4, 24)]
    assert report.rule_text() == f"15 ngày sau hạn của nhiệm vụ {conference.order}"
    # the conference moves: the tasks counted from it move with it
    services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Hội nghị quán triệt", rule=DueRule.FIXED, due_on=D(2026, 4, 1)),
        task=conference,
        by=SYSTEM,
    )
    assert _dates(report) == [D(2026, 4, 16)] and _dates(review) == [D(2026, 5, 16)]


def test_cycles_and_tasks_without_a_single_deadline_are_refused(tree):
    programme = _programme(tree)
    first = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Một", rule=DueRule.FIXED, due_on=D(2026, 3, 1)),
        by=SYSTEM,
    )
    second = services.task_save(
        programme=programme, spec=_relative("Hai", RelativeBase.TASK, 10, relative_task=first), by=SYSTEM
    )
    before = list(Occurrence.objects.order_by("id").values_list("task_id", "due_on"))
    # first counted from second, which counts from first: a cycle
    with pytest.raises(ValidationError) as error:
        services.task_save(
            programme=programme,
            spec=_relative("Một", RelativeBase.TASK, 5, relative_task=second),
            task=first,
            by=SYSTEM,
        )
    assert f"Nhiệm vụ {second.order} đã tính hạn từ nhiệm vụ này" in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:  # itself
        services.task_save(
            programme=programme,
            spec=_relative("Một", RelativeBase.TASK, 5, relative_task=first),
            task=first,
            by=SYSTEM,
        )
    assert "không thể tính hạn từ chính nó" in " ".join(error.value.messages)
    # a task others count from must keep a single date
    with pytest.raises(ValidationError) as error:
        services.task_save(
            programme=programme,
            spec=specs.TaskSpec(text="Một", rule=DueRule.ANNUAL, day=15, month=12),
            task=first,
            by=SYSTEM,
        )
    assert f"Các nhiệm vụ {second.order} tính hạn từ nhiệm vụ này" in " ".join(error.value.messages)
    # counting from a recurring task or from one without deadline
    annual = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Hằng năm", rule=DueRule.ANNUAL, day=15, month=12),
        by=SYSTEM,
    )
    undated = services.task_save(programme=programme, spec=specs.TaskSpec(text="Không hạn"), by=SYSTEM)
    for other in (annual, undated):
        with pytest.raises(ValidationError) as error:
            services.task_save(
                programme=programme,
                spec=_relative("Sau", RelativeBase.TASK, 5, relative_task=other),
                by=SYSTEM,
            )
        assert "không có một hạn duy nhất" in " ".join(error.value.messages)
    # a task of another programme
    elsewhere = _programme(tree)
    with pytest.raises(ValidationError) as error:
        services.task_save(
            programme=elsewhere, spec=_relative("Sau", RelativeBase.TASK, 5, relative_task=first), by=SYSTEM
        )
    assert "một nhiệm vụ của chương trình này" in " ".join(error.value.messages)
    # no base task at all
    with pytest.raises(ValidationError) as error:
        services.task_save(programme=programme, spec=_relative("Sau", RelativeBase.TASK, 5), by=SYSTEM)
    assert "Chọn nhiệm vụ" in " ".join(error.value.messages)
    first.refresh_from_db()
    assert (first.rule, first.relative_task) == (DueRule.FIXED, None)
    assert Task.objects.filter(programme=programme).count() == 4 and not elsewhere.tasks.exists()
    assert [row for row in Occurrence.objects.order_by("id").values_list("task_id", "due_on")][:2] == before


def test_relative_rule_needs_its_date_and_days(tree):
    programme = _programme(tree)
    for spec, message in [
        (_relative("x", RelativeBase.DATE, 5), "Cho biết ngày được tính từ"),
        (_relative("x", RelativeBase.START, None), "Cho biết số ngày"),
        (_relative("x", RelativeBase.START, 0), "từ 1 đến 3660"),
        (_relative("x", "moon", 5), "Chọn mốc tính ngày"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.task_save(programme=programme, spec=spec, by=SYSTEM)
        assert message in " ".join(error.value.messages)
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "item,expected",
    [
        # the parser's recurrence is taken when present
        (
            {
                "text": "Báo cáo",
                "due": "2014-12-15",
                "recurrence": {"every": "annual", "day": 15, "month": 12},
            },
            {"rule": "annual", "day": 15, "month": 12},
        ),
        (
            {
                "text": "Định kỳ 6 tháng đánh giá",
                "due": None,
                "recurrence": {"every": "semiannual", "day": 15, "month": 6},
            },
            {"rule": "semiannual", "day": 15, "month": 6},
        ),
        # present and null: the parser says it does not recur, whatever the words
        (
            {"text": "báo cáo trước 15 tháng 12 hàng năm", "due": "2014-12-15", "recurrence": None},
            {"rule": "fixed", "due_on": D(2014, 12, 15)},
        ),
        # an impossible or malformed recurrence is not a rule
        (
            {"text": "Báo cáo", "due": None, "recurrence": {"every": "annual", "day": 30, "month": 2}},
            {"rule": "none"},
        ),
        (
            {"text": "Báo cáo", "due": None, "recurrence": {"every": "weekly", "day": 1, "month": 1}},
            {"rule": "none"},
        ),
        (
            {"text": "Báo cáo", "due": None, "recurrence": {"every": "annual", "day": "15", "month": 12}},
            {"rule": "none"},
        ),
        ({"text": "Báo cáo", "due": None, "recurrence": "annual"}, {"rule": "none"}),
        # absent: the text decides, as before
        (
            {"text": "báo cáo trước 15 tháng 12 hàng năm", "due": "2014-12-15"},
            {"rule": "annual", "day": 15, "month": 12},
        ),
        (
            {"text": "định kỳ 6 tháng báo cáo", "due": "2014-06-30"},
            {"rule": "semiannual", "day": 30, "month": 6},
        ),
        ({"text": "tổ chức hội nghị", "due": "2026-09-30"}, {"rule": "fixed", "due_on": D(2026, 9, 30)}),
        ({"text": "tổ chức hội nghị", "due": None}, {"rule": "none"}),
        ({"text": "tổ chức hội nghị", "due": "30/9/2026"}, {"rule": "none"}),
    ],
)
def test_rule_of_a_parsed_task(item, expected):
    assert specs._rule_of(item) == expected
