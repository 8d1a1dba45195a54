"""Demo data of commendations: a 2013-style list (seed 001: "40 collectives and 20 individuals commended
in 2013" — here a few of them: Giấy khen of the bloc to grassroots organisations and to officials) and the
2025 commendations (Bằng khen of the province, an emulation flag, emulation fighters), recorded through the
service so the report figures follow. The first 2025 collective with a recognised demo “Dân vận khéo”
model (of its unit or below; the models load first) is linked to that model."""

import datetime

from django.utils import timezone

from danvan.accounts.actors import System

DEMO = System("danvan demo: commendations")
PEOPLE = [
    ("Nguyễn Thị Lan", "Bí thư chi bộ"),
    ("Trần Văn Hùng", "Phó Chánh Văn phòng"),
    ("Lê Thị Thu Hà", "Chuyên viên"),
    ("Phạm Văn Dũng", "Chủ tịch Công đoàn cơ sở"),
    ("Vũ Thị Mai", "Bí thư Đoàn Thanh niên"),
]


def load() -> int:
    """Create the commendations unless any exists; returns how many were created."""
    from danvan.emulation.commendations import services
    from danvan.emulation.commendations.models import Commendation
    from danvan.emulation.exemplars import selectors as exemplar_selectors
    from danvan.orgs.selectors import in_subtree, versions_on

    if Commendation.objects.exists():
        return 0
    today = timezone.localdate()
    versions = list(versions_on(today).select_related("unit", "unit_type").order_by("path"))
    blocs = [v.unit for v in versions if v.unit_type.code == "bloc"]
    grassroots = [v.unit for v in versions if v.unit_type.code == "grassroots"]
    if not blocs or not grassroots:
        return 0
    bloc = blocs[0]
    count = 0

    def recognised_model(unit) -> int | None:
        """A recognised demo "Dân vận khéo" model of `unit` or a unit below it (loaded before), if any."""
        models = exemplar_selectors.exemplars_for(DEMO).filter(stage="recognised")
        found = in_subtree(models, unit.path, field="unit__path").order_by("id").first()
        return found.pk if found is not None else None

    linked = False

    def add(**values) -> None:
        nonlocal count
        services.commendation_record(spec=services.CommendationSpec(**values), by=DEMO)
        count += 1

    day_2013 = datetime.date(2013, 12, 20)
    for unit in grassroots[:6]:
        add(
            kind="collective",
            unit=unit,
            form="certificate",
            issuer_unit=bloc,
            decision_number="215-QĐ/ĐUK",
            decision_date=day_2013,
            year=2013,
            reason="Đã có thành tích xuất sắc trong thực hiện công tác dân vận năm 2013",
        )
    for (name, position), unit in zip(PEOPLE[:3], grassroots, strict=False):
        add(
            kind="individual",
            unit=unit,
            recipient_name=name,
            position=position,
            form="certificate",
            issuer_unit=bloc,
            decision_number="216-QĐ/ĐUK",
            decision_date=day_2013,
            year=2013,
            reason="Hoàn thành xuất sắc nhiệm vụ công tác dân vận năm 2013",
        )
    day_2025 = min(datetime.date(2025, 12, 18), today)
    for index, unit in enumerate(grassroots[:3]):
        exemplar = None if linked else recognised_model(unit)
        linked = linked or exemplar is not None
        add(
            exemplar=exemplar,
            kind="collective",
            unit=unit,
            form="flag" if index == 0 else "merit",
            title="Cờ thi đua của UBND tỉnh" if index == 0 else "Bằng khen của Chủ tịch UBND tỉnh",
            issuer_name="UBND tỉnh",
            decision_number=f"{3150 + index}/QĐ-UBND",
            decision_date=day_2025,
            year=2025,
            reason="Thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2025",
            earned_for="Mô hình “Dân vận khéo” được công nhận năm 2025",
        )
    for (name, position), unit in zip(PEOPLE[3:], grassroots[1:], strict=False):
        add(
            kind="individual",
            unit=unit,
            recipient_name=name,
            position=position,
            form="fighter",
            title="Chiến sĩ thi đua cơ sở",
            issuer_unit=bloc,
            decision_number="402-QĐ/ĐUK",
            decision_date=day_2025,
            year=2025,
            reason="Đạt danh hiệu Chiến sĩ thi đua cơ sở năm 2025",
            earned_for="Kết quả đánh giá, xếp loại năm 2025: hoàn thành xuất sắc nhiệm vụ",
        )
    return count
