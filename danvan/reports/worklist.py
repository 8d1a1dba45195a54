"""The reports' part of the work home (core.worklist): reports to enter, returned, waiting for my approval.

The same reads as "My reports" (`selectors.due_reports`, `returned_reports`, `pending_reports`), scoped
by the policy as that page is: a report to enter is one of my units' reports of the current or previous
period, not submitted, due within `worklist.SOON_DAYS` or overdue.
"""

import datetime
from dataclasses import replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import worklist
from danvan.core.dates import day_text
from danvan.core.worklist import Found, WorkItem

from . import periods, selectors
from .models import Period, Report


def _period_text(period: Period) -> str:
    return periods.period_words(
        period
    )  # "6 tháng đầu năm 2026", "Năm báo cáo 2026 (15/12/2025 – 14/12/2026)"


def _grid(report_or_due) -> str:
    item = report_or_due
    return reverse("reports:grid", args=[item.form.code, item.unit.code, item.period.code])


def _title(form, period: Period) -> str:
    return _("%(form)s, %(period)s") % {"form": form.name, "period": _period_text(period)}


def to_enter(user, today: datetime.date, limit: int) -> Found:
    """My units' reports not submitted whose deadline is near or past (returned ones are `returned`)."""
    due, _unprepared = selectors.due_reports(user, today)
    soon = today + datetime.timedelta(days=worklist.SOON_DAYS)
    items = [
        WorkItem(
            title=_title(row.form, row.period),
            unit=row.unit.name,
            due=row.deadline,
            url=_grid(row),
            kind=_("Report to enter"),
            state=_("Draft") if row.report is not None else _("Not started"),
        )
        for row in due
        if (row.report is None or row.report.status == Report.Status.DRAFT) and row.deadline <= soon
    ]
    return worklist.found(items, limit)


def _report_item(report: Report, kind: str) -> WorkItem:
    return WorkItem(
        title=_title(report.form, report.period),
        unit=report.unit.name,
        due=periods.deadline_for(report.form, report.period),
        url=_grid(report),
        kind=kind,
    )


def returned(user, today: datetime.date, limit: int) -> Found:
    return worklist.found_in(
        selectors.returned_reports(user), limit, lambda report: _report_item(report, _("Report returned"))
    )


def _pending_item(report: Report) -> WorkItem:
    to_sign = report.status == Report.Status.SUBMITTED and report.form.requires_head_signoff
    item = _report_item(report, _("Report to sign off") if to_sign else _("Report to approve"))
    sent = report.submitted_at
    if sent is None:
        return item
    return replace(item, state=_("Sent on %(day)s") % {"day": day_text(timezone.localdate(sent))})


def to_approve(user, today: datetime.date, limit: int) -> Found:
    return worklist.found_in(selectors.pending_reports(user), limit, _pending_item)


def register() -> None:
    """The three sources, counted on the menu's "Enter and approve reports" item."""
    mine = "reports:home"
    worklist.register(
        key="reports-enter",
        label=gettext_lazy("Reports to enter"),
        order=10,
        collect=to_enter,
        nav=mine,
        more_url=mine,
    )
    worklist.register(
        key="reports-returned",
        label=gettext_lazy("Reports returned"),
        order=11,
        collect=returned,
        nav=mine,
        more_url=mine,
    )
    worklist.register(
        key="reports-approve",
        label=gettext_lazy("Reports to approve"),
        order=12,
        collect=to_approve,
        nav=mine,
        more_url=mine,
    )
