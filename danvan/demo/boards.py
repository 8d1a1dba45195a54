"""Demo People's Inspection Boards: Đảng ủy Sở Tư pháp (in term, with supervisions and a recommendation
whose answer is overdue), Sở Nội vụ and Bảo hiểm xã hội tỉnh (in term), Sở Tài chính (its term ended:
listed among the agencies without a board in term). Idempotent: nothing is made when a board exists.
No report figure is computed from these records, so no prepared period needs refreshing."""

import datetime

from django.db import transaction
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.activities.boards import services
from danvan.activities.boards.models import Board, term_end
from danvan.orgs.models import Unit

BY = System("danvan demo")

NAMES = [
    ("Nguyễn Thị Hạnh", "Chuyên viên Văn phòng", "chair"),
    ("Trần Văn Phúc", "Chuyên viên Phòng Hành chính tư pháp", "deputy"),
    ("Lê Thị Thu", "Chuyên viên Thanh tra", "member"),
    ("Phạm Văn Tùng", "Chuyên viên Phòng Bổ trợ tư pháp", "member"),
    ("Võ Thị Mai", "Chuyên viên Phòng Xây dựng và kiểm tra văn bản", "member"),
]


def _members(count: int) -> list[services.MemberSpec]:
    return [
        services.MemberSpec(full_name=name, position=position, role=role)
        for name, position, role in NAMES[:count]
    ]


def _board(code: str, starts_on: datetime.date, staff: int, members: int, number: str) -> Board | None:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return None
    return services.board_create(
        unit=unit,
        starts_on=starts_on,
        ends_on=term_end(starts_on),
        staff_count=staff,
        members=_members(members),
        decision_number=number,
        decision_on=starts_on,
        decision_text="Công nhận kết quả bầu Ban Thanh tra nhân dân tại hội nghị cán bộ, công chức, viên chức.",
        by=BY,
    )


def load() -> int:
    """Make the demo boards; returns how many were made (0 when there are boards already)."""
    if Board.objects.exists():
        return 0
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=300)).replace(day=1)
    made = 0
    with transaction.atomic():
        stp = _board("STP", start, 62, 5, "05/QĐ-CĐ")
        if stp is not None:
            made += 1
            held = start + datetime.timedelta(days=60)
            activity = services.activity_record(
                board=stp,
                held_on=held,
                subject="Việc thực hiện quy chế chi tiêu nội bộ năm nay",
                content="Kiểm tra chứng từ chi hội nghị, công tác phí quý I và quý II.",
                findings="Một số khoản chi công tác phí chưa đủ chứng từ theo quy chế.",
                by=BY,
            )
            services.recommendation_record(
                board=stp,
                activity=activity,
                content="Đề nghị Giám đốc chỉ đạo bổ sung chứng từ và công khai kết quả tại hội nghị giao ban.",
                sent_on=held + datetime.timedelta(days=5),
                due_on=today - datetime.timedelta(days=10),
                by=BY,
            )
            answered = services.recommendation_record(
                board=stp,
                activity=activity,
                content="Đề nghị niêm yết công khai quy chế chi tiêu nội bộ tại bảng tin cơ quan.",
                sent_on=held + datetime.timedelta(days=5),
                due_on=held + datetime.timedelta(days=35),
                by=BY,
            )
            services.recommendation_answer(
                recommendation=answered,
                answer="Đã niêm yết quy chế tại bảng tin và đăng trên trang thông tin nội bộ.",
                answered_on=held + datetime.timedelta(days=20),
                by=BY,
            )
        for code, staff, members, number in (("SNV", 48, 3, "03/QĐ-CĐ"), ("BHXH", 120, 5, "12/QĐ-CĐ")):
            if _board(code, start, staff, members, number) is not None:
                made += 1
        ended = start - datetime.timedelta(days=900)
        if _board("STC2025", ended, 55, 3, "07/QĐ-CĐ") is not None:
            made += 1
    return made
