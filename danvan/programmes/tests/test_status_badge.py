"""An occurrence's status (its state, or overdue) is shown by one badge declared once (`models.STATUS_BADGES`)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from danvan.programmes.models import OVERDUE, STATUS_BADGES, State


def badge(status: str) -> str:
    with translation.override("vi"):
        return Template("{% load programme_tags %}{% status_badge status %}").render(
            Context({"status": status})
        )


def test_every_state_and_overdue_has_a_badge():
    assert set(STATUS_BADGES) == {*State.values, OVERDUE}


@pytest.mark.parametrize(
    "status,html",
    [
        (OVERDUE, '<span class="badge warn">Quá hạn</span>'),
        (State.DONE, '<span class="badge ok">Đã hoàn thành</span>'),
        (State.IN_PROGRESS, '<span class="badge">Đang thực hiện</span>'),
        (State.NOT_STARTED, '<span class="badge muted">Chưa bắt đầu</span>'),
        ("", '<span class="badge muted">Chưa bắt đầu</span>'),  # no occurrence yet
    ],
)
def test_the_badge_shows_the_status_in_vietnamese_with_its_style(status, html):
    assert badge(status) == html
