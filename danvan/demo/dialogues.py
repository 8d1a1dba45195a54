"""Demo dialogues: at STP (staff and citizens), a health committee organisation, and two enterprises —
the water company held its yearly workplace dialogue (Bộ luật Lao động 2019, Điều 63), the lottery
company did not. Some issues are answered, some are open past their due date (the work home shows them).
The services write them, so the report figures of the prepared periods follow."""

import datetime

from django.db import transaction
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.activities.dialogues import services
from danvan.activities.dialogues.models import Audience, Dialogue, Format, IssueState
from danvan.orgs.models import Unit

DEMO = System("danvan demo: dialogues")
D = datetime.date

# (unit, day, leader, position, audience, participants, format, place, issues: (content, answerer, due, answered))
DIALOGUES = [
    (
        "STP",
        D(2025, 6, 12),
        "Nguyễn Văn Hùng",
        "Giám đốc Sở Tư pháp",
        Audience.STAFF,
        62,
        Format.DIRECT,
        "Hội trường Sở Tư pháp",
        [
            (
                "Bố trí lại phòng làm việc của Phòng Hành chính tư pháp",
                "Văn phòng Sở",
                D(2025, 7, 31),
                D(2025, 7, 20),
            )
        ],
    ),
    (
        "STP",
        D(2026, 3, 18),
        "Nguyễn Văn Hùng",
        "Giám đốc Sở Tư pháp",
        Audience.STAFF,
        58,
        Format.COMBINED,
        "Hội trường Sở Tư pháp",
        [
            (
                "Chế độ làm thêm giờ khi tiếp nhận hồ sơ lý lịch tư pháp cao điểm",
                "Văn phòng Sở",
                D(2026, 4, 30),
                None,
            ),
            (
                "Trang bị thêm máy scan cho bộ phận một cửa",
                "Phòng Kế hoạch – Tài chính",
                D(2026, 5, 15),
                D(2026, 5, 10),
            ),
        ],
    ),
    (
        "STP",
        D(2026, 9, 9),
        "Trần Thị Mai",
        "Phó Giám đốc Sở Tư pháp",
        Audience.CITIZENS,
        45,
        Format.DIRECT,
        "Nhà văn hóa khu phố 3",
        [
            ("Rút ngắn thời gian cấp phiếu lý lịch tư pháp", "Phòng Hành chính tư pháp", None, None),
            ("Hướng dẫn trợ giúp pháp lý cho người cao tuổi", "Trung tâm Trợ giúp pháp lý", "soon", None),
        ],
    ),
    (
        "BVDK",
        D(2026, 4, 22),
        "Lê Quang Minh",
        "Giám đốc Bệnh viện",
        Audience.STAFF,
        120,
        Format.DIRECT,
        "Hội trường Bệnh viện",
        [("Phụ cấp trực đêm của điều dưỡng", "Phòng Tổ chức cán bộ", D(2026, 6, 30), None)],
    ),
    (
        "CTCN",
        D(2025, 11, 5),
        "Phạm Đức Long",
        "Tổng Giám đốc",
        Audience.WORKERS,
        210,
        Format.DIRECT,
        "Nhà máy nước Thiện Tân",
        [],
    ),
    (
        "CTCN",
        D(2026, 5, 27),
        "Phạm Đức Long",
        "Tổng Giám đốc",
        Audience.WORKERS,
        235,
        Format.DIRECT,
        "Nhà máy nước Thiện Tân",
        [("Bảo hộ lao động cho công nhân vận hành", "Phòng An toàn", D(2026, 7, 15), D(2026, 7, 1))],
    ),
]


def load() -> int:
    """The demo dialogues, unless any dialogue exists; returns how many were recorded."""
    if Dialogue.objects.exists():
        return 0
    today = timezone.localdate()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={row[0] for row in DIALOGUES})}
    count = 0
    with transaction.atomic():
        for code, day, leader, position, audience, people, form, place, issues in DIALOGUES:
            if code not in units or day > today:
                continue
            dialogue = services.dialogue_record(
                spec=services.DialogueSpec(
                    unit=units[code],
                    held_on=day,
                    leader_name=leader,
                    leader_position=position,
                    audience=audience,
                    participants=people,
                    format=form,
                    place=place,
                ),
                by=DEMO,
            )
            count += 1
            for content, answerer, due, answered in issues:
                due_on = today + datetime.timedelta(days=5) if due == "soon" else due
                issue = services.issue_add(
                    dialogue=dialogue, content=content, answerer=answerer, due_on=due_on, by=DEMO
                )
                if answered is not None and answered <= today:
                    services.issue_update(
                        issue=issue,
                        content=content,
                        answerer=answerer,
                        due_on=due_on,
                        answer="Đã xem xét, giải quyết và thông báo kết quả tại cuộc họp giao ban.",
                        state=IssueState.ANSWERED,
                        answered_on=answered,
                        by=DEMO,
                    )
    return count
