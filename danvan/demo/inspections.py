"""Demo data of inspection and supervision: the bloc (DUK) inspects STP and two other units in 2026.

Findings at each unit; remedies at STP, one overdue (open past its deadline) and one remedied, and one
open at SNV. Idempotent: does nothing once the programme exists. No report figure counts inspections,
so there is no period to refresh.
"""

import datetime

from django.db import transaction

TITLE = "Kiểm tra công tác dân vận năm 2026 tại một số đảng bộ cơ sở"
INSPECTED = ("STP", "SNV", "STC2025")


def load() -> int:
    """Create the programme and its records; the number of remedies created (0 when already there)."""
    from danvan.activities.inspections.models import Inspection, Kind, Remedy, RemedyState, State, Target
    from danvan.orgs.models import Unit

    if Inspection.objects.filter(title=TITLE).exists():
        return 0
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=("DUK", *INSPECTED))}
    if "DUK" not in units or "STP" not in units:
        return 0
    with transaction.atomic():
        inspection = Inspection.objects.create(
            unit=units["DUK"],
            kind=Kind.INSPECTION,
            title=TITLE,
            reference="Kế hoạch số 15-KH/ĐUK ngày 20/02/2026 của Ban Thường vụ Đảng ủy Khối",
            year=2026,
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 6, 30),
            state=State.IN_PROGRESS,
        )
        findings = {
            "STP": (
                datetime.date(2026, 4, 15),
                "Ban hành đầy đủ quy chế dân vận; tổ chức đối thoại định kỳ với công chức.",
                "Chưa công khai kết quả thực hiện kiến nghị của Ban Thanh tra nhân dân; "
                "một số chi bộ chưa sinh hoạt chuyên đề về dân vận.",
                "Đơn vị thực hiện cơ bản tốt công tác dân vận; cần khắc phục các hạn chế nêu trên.",
            ),
            "SNV": (
                datetime.date(2026, 5, 6),
                "Thực hiện tốt quy chế dân chủ ở cơ sở.",
                "Hồ sơ hội nghị cán bộ, công chức chưa lưu đầy đủ.",
                "Hoàn thành nhiệm vụ; bổ sung hồ sơ theo quy định.",
            ),
            "STC2025": (
                datetime.date(2026, 5, 20),
                "Chủ động phối hợp với công đoàn trong công tác dân vận.",
                "",
                "Thực hiện tốt công tác dân vận.",
            ),
        }
        targets = {}
        for code in INSPECTED:
            if code not in units:
                continue
            conducted, strengths, shortcomings, conclusion = findings[code]
            targets[code] = Target.objects.create(
                inspection=inspection,
                unit=units[code],
                conducted_on=conducted,
                strengths=strengths,
                shortcomings=shortcomings,
                conclusion=conclusion,
            )
        remedies = [
            Remedy(
                target=targets["STP"],
                content="Chỉ đạo các chi bộ tổ chức sinh hoạt chuyên đề về công tác dân vận.",
                due_on=datetime.date(2026, 9, 30),
            ),
            Remedy(
                target=targets["STP"],
                content="Công khai kết quả thực hiện kiến nghị của Ban Thanh tra nhân dân.",
                due_on=datetime.date(2026, 7, 31),
                state=RemedyState.REMEDIED,
                remedied_on=datetime.date(2026, 7, 20),
                result="Đã niêm yết công khai tại trụ sở và đăng trên trang thông tin nội bộ.",
            ),
        ]
        if "SNV" in targets:
            remedies.append(
                Remedy(
                    target=targets["SNV"],
                    content="Bổ sung, lưu trữ đầy đủ hồ sơ hội nghị cán bộ, công chức.",
                    due_on=datetime.date(2026, 12, 31),
                )
            )
        for remedy in remedies:
            remedy.save()  # one by one: each is audited
    return len(remedies)
