"""Demo “Dân vận khéo” models: the bloc's 2025 campaign (nominations until 31/8, review until 30/9,
recognition by 15/10/2025) with models of its grassroots organisations at every stage — recognised
(in the spirit of seed 001's 37 models honoured), reviewed, nominated, returned for correction, a
draft — and two of the recognised models replicated by other units. Written through the services
(acting as the system, the bloc reviewing), then the report figures of the prepared periods touched
are recomputed. Loading again adds nothing."""

import datetime

from django.db import transaction

from danvan.accounts.actors import System
from danvan.emulation.exemplars import services, sources
from danvan.emulation.exemplars.models import Campaign, Exemplar
from danvan.emulation.exemplars.services import ExemplarSpec, ReplicationSpec, ResultSpec
from danvan.orgs.models import Unit
from danvan.reports import sources as report_sources

DEMO = System("danvan demo: exemplars")
YEAR = 2025
D = datetime.date

# (unit code, field, title, who, description, started on, results, final stage)
MODELS = [
    (
        "STP",
        "political_system",
        "Trợ giúp pháp lý lưu động, trả kết quả thủ tục tư pháp tại nhà cho người cao tuổi",
        "Chi bộ Phòng Hành chính tư pháp và Đoàn Thanh niên Sở Tư pháp",
        "Tổ công tác đến tận nhà người cao tuổi, người khuyết tật để hướng dẫn, nhận hồ sơ và trả kết "
        "quả chứng thực, lý lịch tư pháp; tư vấn pháp luật miễn phí mỗi tháng một lần tại xã.",
        D(2023, 3, 1),
        [("Hồ sơ trả kết quả tại nhà", "hồ sơ", 0, 412), ("Hồ sơ trễ hạn", "hồ sơ", 37, 2)],
        "recognised",
    ),
    (
        "SNV",
        "political_system",
        "“Một cửa thân thiện”: cán bộ tiếp dân nói lời cảm ơn, xin lỗi và hẹn đúng giờ",
        "Đảng ủy Sở Nội vụ",
        "Bộ phận một cửa công khai số điện thoại đường dây nóng, phiếu đánh giá sự hài lòng sau mỗi "
        "lần tiếp dân; cán bộ bị phản ánh được nhắc nhở trong sinh hoạt chi bộ.",
        D(2022, 9, 1),
        [("Tỷ lệ người dân hài lòng", "%", 81.5, 97.2)],
        "recognised",
    ),
    (
        "SNN",
        "economy",
        "Đồng hành cùng nông dân xây dựng chuỗi liên kết sản xuất lúa an toàn",
        "Chi bộ Chi cục Trồng trọt và Bảo vệ thực vật",
        "Cán bộ, đảng viên nhận đỡ đầu tổ hợp tác, vận động nông dân giảm phân bón hóa học, ký hợp "
        "đồng bao tiêu với doanh nghiệp.",
        D(2022, 2, 15),
        [("Diện tích liên kết", "ha", 120, 860), ("Thu nhập bình quân", "triệu đồng/ha/vụ", 18, 26.5)],
        "recognised",
    ),
    (
        "SGDDT",
        "culture_society",
        "Mỗi thầy cô giáo là một tuyên truyền viên dân vận",
        "Đảng ủy Sở Giáo dục và Đào tạo",
        "Giáo viên chủ nhiệm thăm gia đình học sinh có hoàn cảnh khó khăn, vận động phụ huynh cho con "
        "đến trường, phối hợp với Hội Phụ nữ xã trao học bổng.",
        D(2021, 9, 5),
        [("Học sinh bỏ học", "em", 64, 9)],
        "recognised",
    ),
    (
        "BVDK",
        "culture_society",
        "Lắng nghe người bệnh: đường dây nóng và hòm thư góp ý trực tuyến",
        "Đảng ủy Bệnh viện Đa khoa tỉnh",
        "Mỗi khoa có cán bộ trực đường dây nóng; ý kiến của người bệnh được trả lời trong 48 giờ và "
        "công khai trên bảng tin của bệnh viện.",
        D(2024, 1, 2),
        [("Ý kiến phản ánh được trả lời đúng hạn", "%", 55, 96)],
        "reviewed",
    ),
    (
        "SXD",
        "economy",
        "Vận động nhân dân hiến đất mở rộng đường giao thông nông thôn",
        "Chi bộ Phòng Quản lý hạ tầng kỹ thuật",
        "Đảng viên gương mẫu hiến đất trước, tổ chức đối thoại với các hộ dân dọc tuyến, công khai "
        "thiết kế và kinh phí.",
        D(2024, 4, 10),
        [("Đất được hiến", "m²", 0, 12500)],
        "nominated",
    ),
    (
        "SCT",
        "defence_security",
        "Tuyến đường tự quản về trật tự an toàn giao thông",
        "Đoàn Thanh niên Sở Công Thương",
        "Đoàn viên phối hợp với công an xã tuần tra, dọn hành lang an toàn giao thông vào cuối tuần.",
        D(2024, 6, 1),
        [("Vụ tai nạn giao thông trên tuyến", "vụ", 14, 6)],
        "returned",
    ),
    (
        "STC2025",
        "political_system",
        "Chi bộ kiểu mẫu về công khai, minh bạch tài chính",
        "Chi bộ Phòng Quản lý ngân sách, Sở Tài chính (hợp nhất)",
        "Công khai dự toán, quyết toán của cơ quan tại hội nghị cán bộ và trên cổng thông tin nội bộ.",
        D(2025, 1, 6),
        [],
        "draft",
    ),
]
REPLICATIONS = [  # (index of the model, unit code, adopted on, note)
    (0, "SNV", D(2025, 11, 3), "Áp dụng tại bộ phận một cửa của Sở"),
    (0, "SXD", D(2025, 12, 1), "Trả kết quả cấp phép xây dựng tại nhà cho người cao tuổi"),
    (2, "STNMT", D(2025, 11, 20), "Đỡ đầu tổ hợp tác trồng rau an toàn"),
]
SCORES = {"creativity": 22, "effectiveness": 31, "participation": 17, "replicability": 18}
NOMINATED_ON = D(YEAR, 8, 20)
DECISION = ("125-QĐ/ĐUK", D(YEAR, 10, 15))


def load() -> int:
    """The 2025 campaign of the demo bloc and its models, unless the campaign exists; how many models."""
    root = Unit.objects.filter(code="DUK").first()
    if root is None or Campaign.objects.filter(unit=root, year=YEAR).exists():
        return 0
    wanted = {row[0] for row in MODELS} | {row[1] for row in REPLICATIONS}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=wanted) if unit.is_active}
    made: dict[int, Exemplar] = {}
    with transaction.atomic():
        campaign = services.campaign_create(
            spec=services.CampaignSpec(
                unit=root,
                year=YEAR,
                title=f"Phong trào thi đua “Dân vận khéo” năm {YEAR}",
                nominations_until=D(YEAR, 8, 31),
                review_until=D(YEAR, 9, 30),
                recognition_by=D(YEAR, 10, 15),
            ),
            by=DEMO,
        )
        registered_days: set[datetime.date] = set()
        for index, (code, field, title, who, description, started, results, stage) in enumerate(MODELS):
            if code not in units:
                continue
            exemplar = services.exemplar_create(
                spec=ExemplarSpec(
                    campaign=campaign,
                    unit=units[code],
                    field=field,
                    title=title,
                    authors=who,
                    description=description,
                    started_on=started,
                    results=[ResultSpec(m, u, str(before), str(after)) for m, u, before, after in results],
                ),
                by=DEMO,
            )
            # Registered (and counted in the periods of) today; dated back to June: both counts refreshed below.
            registered_days.add(exemplar.registered_on)
            Exemplar.objects.filter(pk=exemplar.pk).update(registered_on=D(YEAR, 6, 15))
            if stage != "draft":
                services.exemplar_nominate(exemplar=exemplar, by=DEMO, today=NOMINATED_ON)
            if stage in ("reviewed", "recognised"):
                services.exemplar_review(
                    exemplar=exemplar,
                    scores=SCORES,
                    opinion="Mô hình hiệu quả, có khả năng nhân rộng.",
                    by=DEMO,
                )
            if stage == "recognised":
                services.exemplar_recognise(
                    exemplar=exemplar,
                    decision_number=DECISION[0],
                    decision_date=DECISION[1],
                    level="bloc",
                    by=DEMO,
                )
            if stage == "returned":
                services.exemplar_return(
                    exemplar=exemplar,
                    reason="Bổ sung số liệu kết quả trước và sau khi thực hiện, kèm minh chứng.",
                    by=DEMO,
                )
            made[index] = exemplar
        for index, code, day, note in REPLICATIONS:
            if index in made and code in units:
                services.replication_record(
                    exemplar=made[index],
                    spec=ReplicationSpec(unit=units[code], adopted_on=day, note=note),
                    by=DEMO,
                )
        report_sources.refresh_days(
            {exemplar.unit_id for exemplar in made.values()},
            {D(YEAR, 6, 15), *registered_days},
            keys=[sources.REGISTERED],
        )
    return len(made)
