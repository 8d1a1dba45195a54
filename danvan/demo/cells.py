"""Demo thematic cell meetings (sinh hoạt chuyên đề về công tác dân vận) for 2025 and 2026.

Most cells of the demo tree meet once or twice a year; some do not, so the cell-meeting rate
(CELL_MEETING_RATE) is below 100 % in places: at STP, cells 1–3 met in 2026 and cell 4 did not
(3/4 chi bộ, 75 %). The report figures of the prepared periods are recomputed at the end.
"""

import datetime

from django.db import transaction
from django.utils import timezone

TOPICS = [
    "Quán triệt Quy chế dân chủ ở cơ sở trong cơ quan",
    "Nâng cao chất lượng phong trào thi đua “Dân vận khéo”",
    "Trách nhiệm của đảng viên trong tiếp dân, đối thoại với nhân dân",
    "Thực hiện Kết luận 114-KL/TW về công tác dân vận của cơ quan nhà nước",
    "Cải cách hành chính, nâng cao sự hài lòng của người dân",
    "Nắm bắt tình hình tư tưởng cán bộ, đảng viên và nhân dân",
]
YEARS = (2025, 2026)


def _meets(index: int, year: int, code: str) -> bool:
    if code.startswith("STP-CB"):
        return not (year == 2026 and code == "STP-CB4")
    if year == 2025:
        return index % 6 != 0
    return index % 4 != 1


def load() -> int:
    """Create the meetings unless any exists; returns how many were created."""
    from danvan.activities.cells.models import Meeting
    from danvan.activities.cells.sources import SOURCE_KEYS
    from danvan.orgs.selectors import versions_on
    from danvan.reports import rollup
    from danvan.reports.models import Period
    from danvan.reports.sources import refresh

    if Meeting.objects.exists():
        return 0
    today = timezone.localdate()
    cells = list(versions_on(today).filter(unit_type__code="cell").select_related("unit").order_by("path"))
    if not cells:
        return 0
    made = []
    for index, version in enumerate(cells):
        for year in YEARS:
            if not _meets(index, year, version.unit.code):
                continue
            times = 2 if index % 3 == 0 else 1
            for turn in range(times):
                day = datetime.date(year, 1 + (index * 2 + turn * 5) % 11, 3 + (index + turn * 7) % 24)
                if day > today or day < version.valid_from:
                    continue
                made.append(
                    Meeting(
                        unit=version.unit,
                        held_on=day,
                        topic=TOPICS[(index + turn + year) % len(TOPICS)],
                        attendees=8 + index % 17,
                        expected=10 + index % 17,
                    )
                )
    with transaction.atomic():
        Meeting.objects.bulk_create(made)
        touched = Period.objects.filter(
            sources_refreshed_at__isnull=False,
            start__lte=datetime.date(YEARS[-1], 12, 31),
            end__gte=datetime.date(YEARS[0], 1, 1),
        )
        for period in touched:
            refresh(period, keys=SOURCE_KEYS)
            rollup.rebuild(period, tree=False, derived=False)
    return len(made)
