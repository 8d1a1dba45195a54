"""Demo training classes: seed 001's second half of 2025 (01/07–31/12/2025, period 2025S2) — the bloc's
units held 12 classes on mobilisation work with 998 participants in all, STP's among them — and a few
classes in the first half of 2026. Recorded through the register's services, so the report figures
of the prepared periods (TRAINING_CLASSES, TRAINING_PARTICIPANTS) follow."""

import datetime

from danvan.accounts.actors import System
from danvan.orgs.models import Unit

TRAINING_DEMO = System("danvan demo: training")
D = datetime.date

# (unit code, title, topic, organiser, first day, last day, place, participants)
CLASSES_2025S2 = [
    ("DUK", "Hội nghị tập huấn công tác dân vận năm 2025", "Nghiệp vụ công tác dân vận cho cán bộ chuyên trách",
     "Ban Dân vận Đảng ủy Khối", D(2025, 7, 15), D(2025, 7, 16), "Hội trường Đảng ủy Khối", 150),
    ("STP", "Tập huấn kỹ năng hòa giải ở cơ sở", "Luật Hòa giải ở cơ sở 2013 và Nghị định 15/2014",
     "Đảng ủy Sở Tư pháp", D(2025, 8, 6), None, "Hội trường Sở Tư pháp", 85),
    ("STP", "Bồi dưỡng nghiệp vụ dân vận chính quyền", "Dân vận chính quyền, tiếp công dân",
     "Đảng ủy Sở Tư pháp", D(2025, 9, 18), D(2025, 9, 19), "Hội trường Sở Tư pháp", 120),
    ("STP-CB1", "Sinh hoạt tập huấn dân chủ ở cơ sở", "Luật Thực hiện dân chủ ở cơ sở 2022",
     "Chi bộ 1", D(2025, 10, 9), None, "Phòng họp Chi bộ 1", 42),
    ("SNV", "Tập huấn công tác dân vận khéo", "Xây dựng mô hình “Dân vận khéo”",
     "Đảng ủy Sở Nội vụ", D(2025, 10, 22), None, "Hội trường Sở Nội vụ", 76),
    ("STC2025", "Bồi dưỡng kỹ năng đối thoại với người lao động", "Đối thoại tại nơi làm việc",
     "Đảng ủy Sở Tài chính (hợp nhất)", D(2025, 11, 5), None, "Hội trường Sở Tài chính", 58),
    ("SGDDT", "Tập huấn dân vận trong trường học", "Công tác dân vận trong ngành giáo dục",
     "Đảng ủy Sở Giáo dục và Đào tạo", D(2025, 11, 12), None, "Trường THPT chuyên tỉnh", 95),
    ("BVDK", "Tập huấn quy tắc ứng xử và dân vận trong bệnh viện", "Dân vận trong ngành y tế",
     "Đảng ủy Bệnh viện Đa khoa tỉnh", D(2025, 11, 20), None, "Hội trường Bệnh viện", 70),
    ("LDLD", "Tập huấn tổ chức hội nghị người lao động", "Hội nghị người lao động, đối thoại",
     "Đảng ủy Liên đoàn Lao động tỉnh", D(2025, 11, 27), None, "Cung Văn hóa Lao động", 61),
    ("STP", "Tập huấn kỹ năng tiếp công dân, xử lý đơn thư", "Luật Tiếp công dân 2013",
     "Đảng ủy Sở Tư pháp", D(2025, 12, 3), None, "Hội trường Sở Tư pháp", 64),
    ("CTCN", "Tập huấn dân chủ ở doanh nghiệp", "Quy chế dân chủ tại nơi làm việc",
     "Đảng ủy Công ty TNHH MTV Cấp nước", D(2025, 12, 10), None, "Hội trường Công ty", 45),
    ("DUK", "Bồi dưỡng báo cáo viên công tác dân vận", "Kỹ năng tuyên truyền, vận động",
     "Ban Dân vận Đảng ủy Khối", D(2025, 12, 17), D(2025, 12, 18), "Hội trường Đảng ủy Khối", 132),
]  # fmt: skip
CLASSES_2026S1 = [
    ("STP", "Tập huấn triển khai Chỉ thị về công tác dân vận năm 2026", "Kế hoạch công tác dân vận 2026",
     "Đảng ủy Sở Tư pháp", D(2026, 3, 12), None, "Hội trường Sở Tư pháp", 60),
    ("STP-CB2", "Sinh hoạt tập huấn công khai cho người lao động", "Nội dung công khai theo Luật 10/2022",
     "Chi bộ 2", D(2026, 4, 8), None, "Phòng họp Chi bộ 2", 35),
    ("SNN", "Tập huấn dân vận ở vùng nông thôn mới", "Dân vận trong xây dựng nông thôn mới",
     "Đảng ủy Sở Nông nghiệp và Phát triển nông thôn", D(2026, 5, 21), None, "Hội trường Sở", 48),
]  # fmt: skip
# The first of STP's classes with the list of those who signed the attendance sheet (a few of them).
STP_ATTENDEES = [
    ("Nguyễn Văn An", "Hòa giải viên", "Tổ hòa giải khu phố 1"),
    ("Trần Thị Bình", "Tổ trưởng tổ hòa giải", "Tổ hòa giải khu phố 2"),
    ("Lê Văn Cường", "Chuyên viên", "Phòng Phổ biến, giáo dục pháp luật"),
]


def load() -> int:
    """Record the demo classes (the units of the tree that exist) unless some exist; returns how many."""
    from danvan.activities.training import services
    from danvan.activities.training.models import TrainingClass
    from danvan.activities.training.specs import AttendeeSpec, ClassSpec

    if TrainingClass.objects.exists():
        return 0
    plan = CLASSES_2025S2 + CLASSES_2026S1
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={row[0] for row in plan})}
    created = 0
    for code, title, topic, organiser, first, last, place, participants in plan:
        unit = units.get(code)
        if unit is None:
            continue
        listed = code == "STP" and first == D(2025, 8, 6)
        attendees = [AttendeeSpec(*person) for person in STP_ATTENDEES] if listed else None
        spec = ClassSpec(
            unit=unit,
            title=title,
            topic=topic,
            organiser=organiser,
            held_on=first,
            ended_on=last,
            place=place,
            participants=participants,
            attendees=attendees,
        )
        services.class_save(spec=spec, by=TRAINING_DEMO)
        created += 1
    return created
