"""The progress count when a task pre-filled without a deadline gets one later: the work reported on it
stays the work of that deadline, so done/total, on time and late count the task once."""

import datetime

import pytest

from danvan.accounts.actors import System
from danvan.programmes import selectors, services, specs
from danvan.programmes.models import DueRule, Programme, State

SYSTEM = System("tests")
D = datetime.date
TODAY = D(2026, 9, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tree):
    return Programme.objects.create(unit=tree.stp, title="Chương trình thử", starts_on=D(2026, 1, 1))


def _undated(programme, text="Tổ chức hội nghị chuyên đề"):
    return services.task_save(programme=programme, spec=specs.TaskSpec(text=text), by=SYSTEM)


def _report(task, state, on):
    occurrence = task.occurrences.get()
    services.progress_report(occurrence=occurrence, state=state, text="Báo cáo", on=on, by=SYSTEM)


def _give_deadline(programme, task, **rule):
    return services.task_save(
        programme=programme, spec=specs.TaskSpec(text=task.text, **rule), task=task, by=SYSTEM
    )


def _counts(programme):
    figures = selectors.progress(programme, TODAY)
    many = selectors.progress_by_programme([programme.pk], TODAY)[programme.pk]
    assert (many.total, many.done, many.on_time, many.overdue, many.upcoming) == (
        figures.total,
        figures.done,
        figures.on_time,
        figures.overdue,
        figures.upcoming,
    )
    return figures.done, figures.total, figures.on_time, figures.late, figures.overdue, figures.upcoming


def test_a_done_task_given_a_later_deadline_counts_once_and_on_time(programme):
    task = _undated(programme)
    _report(task, State.DONE, D(2026, 3, 1))
    assert _counts(programme) == (1, 1, 1, 0, 0, 0)
    task = _give_deadline(programme, task, rule=DueRule.FIXED, due_on=D(2026, 6, 30))
    assert list(task.occurrences.values_list("due_on", "state")) == [(D(2026, 6, 30), State.DONE)]
    assert task.occurrences.get().updates.count() == 1  # the report stays with the task's deadline
    assert _counts(programme) == (1, 1, 1, 0, 0, 0)


def test_a_task_done_after_the_deadline_it_is_given_counts_late(programme):
    task = _undated(programme)
    _report(task, State.DONE, D(2026, 8, 1))
    _give_deadline(programme, task, rule=DueRule.FIXED, due_on=D(2026, 6, 30))
    assert _counts(programme) == (1, 1, 0, 1, 0, 0)


def test_a_task_in_progress_given_a_past_deadline_is_overdue_once(programme):
    task = _undated(programme)
    _report(task, State.IN_PROGRESS, D(2026, 3, 1))
    task = _give_deadline(programme, task, rule=DueRule.FIXED, due_on=D(2026, 6, 30))
    assert list(task.occurrences.values_list("due_on", "state")) == [(D(2026, 6, 30), State.IN_PROGRESS)]
    assert _counts(programme) == (0, 1, 0, 0, 1, 0)


def test_a_done_task_made_yearly_counts_its_work_for_the_first_deadline(programme):
    task = _undated(programme)
    _report(task, State.DONE, D(2026, 3, 1))
    task = _give_deadline(programme, task, rule=DueRule.ANNUAL, day=15, month=12)
    dates = list(task.occurrences.values_list("due_on", "state"))
    assert dates[0] == (D(2026, 12, 15), State.DONE)
    assert all(state == State.NOT_STARTED for _day, state in dates[1:])
    # the first deadline is done (on time); the later ones are still to come
    assert _counts(programme) == (1, 1, 1, 0, 0, len(dates) - 1)


def test_an_untouched_task_given_a_deadline_has_only_that_deadline(programme):
    task = _undated(programme)
    _undated(programme, "Sơ kết")
    task = _give_deadline(programme, task, rule=DueRule.FIXED, due_on=D(2026, 6, 30))
    assert list(task.occurrences.values_list("due_on", flat=True)) == [D(2026, 6, 30)]
    assert _counts(programme) == (0, 2, 0, 0, 1, 0)
