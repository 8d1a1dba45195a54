import datetime

from django.utils import timezone

from danvan.accounts.actors import System
from danvan.emulation.exemplars import services
from danvan.emulation.exemplars.services import CampaignSpec, ExemplarSpec, ResultSpec

SYSTEM = System("tests")
D = datetime.date


def today() -> datetime.date:
    return timezone.localdate()


def make_campaign(unit, *, by=SYSTEM, year=None, nominations_until=None, state="open"):
    day = today()
    nominations = nominations_until or day + datetime.timedelta(days=30)
    return services.campaign_create(
        spec=CampaignSpec(
            unit=unit,
            year=year or day.year,
            title=f"Phong trào “Dân vận khéo” {unit.code}",
            nominations_until=nominations,
            review_until=nominations + datetime.timedelta(days=30),
            recognition_by=nominations + datetime.timedelta(days=45),
            state=state,
        ),
        by=by,
    )


def spec(campaign, unit, **extra) -> ExemplarSpec:
    values = {
        "campaign": campaign,
        "unit": unit,
        "field": "political_system",
        "title": "Tiếp nhận, giải quyết thủ tục hành chính không giấy tờ",
        "authors": "Chi bộ 1 và Đoàn Thanh niên Sở Tư pháp",
        "description": "Hướng dẫn người dân nộp hồ sơ trực tuyến, trả kết quả tại nhà.",
        "started_on": D(2024, 3, 1),
        "results": [ResultSpec("Hồ sơ trễ hạn", "hồ sơ", "12", "1")],
    }
    values.update(extra)
    return ExemplarSpec(**values)


def make_exemplar(campaign, unit, *, by=SYSTEM, **extra):
    return services.exemplar_create(spec=spec(campaign, unit, **extra), by=by)


SCORES = {"creativity": 20, "effectiveness": 30, "participation": 15, "replicability": 18}


def recognised(campaign, unit, *, by=SYSTEM):
    exemplar = make_exemplar(campaign, unit, by=by)
    services.exemplar_nominate(exemplar=exemplar, by=by)
    services.exemplar_review(exemplar=exemplar, scores=SCORES, opinion="Hiệu quả rõ, dễ nhân rộng.", by=by)
    return services.exemplar_recognise(
        exemplar=exemplar, decision_number="15-QĐ/ĐUK", decision_date=today(), level="bloc", by=by
    )
