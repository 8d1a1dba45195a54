"""Demonstration data of workplace democracy: staff conferences reviewing 2025 (STP valid with its
resolution, some agencies late, some missing) and STP's disclosures to staff of 2025, a few
required contents left missing. Idempotent: nothing is done when a conference exists."""

import datetime

from danvan.activities.workplace.models import Category, Conference, Disclosure, Form
from danvan.orgs.models import Unit

YEAR = 2025
CONFERENCES = [
    # unit, held on, staff, attendees, votes for (None: no resolution adopted)
    ("STP", datetime.date(2026, 1, 20), 86, 74, 70),
    ("SNV", datetime.date(2026, 2, 5), 64, 51, 49),
    ("STC2025", datetime.date(2026, 3, 27), 92, 80, 77),
    ("SCT", datetime.date(2026, 4, 14), 58, 45, 40),  # late
    ("SXD", datetime.date(2026, 5, 6), 71, 40, None),  # late, and not valid: under two thirds
]
DISCLOSURES = [
    (
        Category.POLICIES,
        "Quán triệt Luật Thực hiện dân chủ ở cơ sở",
        datetime.date(2025, 2, 10),
        Form.MEETING,
        "năm 2025",
    ),
    (
        Category.PLANS,
        "Kế hoạch công tác năm 2025 của Sở Tư pháp",
        datetime.date(2025, 1, 15),
        Form.INTRANET,
        "năm 2025",
    ),
    (
        Category.BUDGET,
        "Dự toán ngân sách năm 2025",
        datetime.date(2025, 1, 22),
        Form.NOTICE_BOARD,
        "năm 2025",
    ),
    (
        Category.BUDGET,
        "Quyết toán kinh phí 6 tháng đầu năm",
        datetime.date(2025, 7, 18),
        Form.NOTICE_BOARD,
        "6 tháng đầu năm 2025",
    ),
    (
        Category.PERSONNEL,
        "Kết quả tuyển dụng công chức năm 2025",
        datetime.date(2025, 9, 3),
        Form.DOCUMENT,
        "năm 2025",
    ),
    (
        Category.REWARDS,
        "Danh sách khen thưởng năm 2025",
        datetime.date(2025, 12, 19),
        Form.MEETING,
        "năm 2025",
    ),
    (
        Category.RULES,
        "Quy chế chi tiêu nội bộ sửa đổi",
        datetime.date(2025, 3, 5),
        Form.INTRANET,
        "từ 01/03/2025",
    ),
]


def load() -> int:
    """The conferences and disclosures above (those of units that exist); how many records were made."""
    if Conference.objects.exists():
        return 0
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[c[0] for c in CONFERENCES])}
    made = 0
    for code, held_on, staff, attendees, votes in CONFERENCES:
        unit = units.get(code)
        if unit is None:
            continue
        Conference.objects.create(
            unit=unit,
            year=YEAR,
            held_on=held_on,
            staff_count=staff,
            attendees=attendees,
            valid=3 * attendees >= 2 * staff,
            resolution_adopted=votes is not None,
            votes_for=votes,
        )
        made += 1
    stp = units.get("STP")
    if stp is not None:
        for category, title, day, form, period in DISCLOSURES:
            Disclosure.objects.create(
                unit=stp, category=category, title=title, disclosed_on=day, form=form, period=period
            )
            made += 1
    return made
