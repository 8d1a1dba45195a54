"""The “Dân vận khéo” workflow: register, nominate by the deadline, review by the level above,
recognise or return, replicate; every refusal in Vietnamese with nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from danvan.audit.models import AuditEvent
from danvan.emulation.exemplars import services
from danvan.emulation.exemplars.models import Exemplar, Replication, Score, Stage, Transition
from danvan.emulation.exemplars.services import ReplicationSpec

from .helpers import SCORES, SYSTEM, make_campaign, make_exemplar, recognised, spec, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def campaign(tree):
    return make_campaign(tree.root)


def test_the_whole_cycle_leaves_a_history_and_an_audit_trail(tree, personas, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1, by=personas["reporter"])
    assert exemplar.stage == Stage.DRAFT and exemplar.results.get().after == 1
    services.exemplar_nominate(exemplar=exemplar, by=personas["reporter"])
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED and exemplar.nominated_on == today()
    # STP's head holds the review right strictly above its cell.
    services.exemplar_review(exemplar=exemplar, scores=SCORES, opinion="Tốt", by=personas["unit_head"])
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.REVIEWED and exemplar.total_score == 83
    services.exemplar_recognise(
        exemplar=exemplar,
        decision_number="12-QĐ/ĐU",
        decision_date=today(),
        level="grassroots",
        by=personas["unit_head"],
    )
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.RECOGNISED and exemplar.decision_number == "12-QĐ/ĐU"
    steps = list(exemplar.transitions.values_list("from_stage", "to_stage", "by__username"))
    assert steps == [
        ("", "draft", "reporter_stp"),
        ("draft", "nominated", "reporter_stp"),
        ("nominated", "reviewed", "unit_head_stp"),
        ("reviewed", "recognised", "unit_head_stp"),
    ]
    assert AuditEvent.objects.filter(model="exemplars.transition").count() == 4


def test_a_returned_model_is_corrected_and_nominated_again(tree, personas, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    with pytest.raises(ValidationError) as refused:
        services.exemplar_return(exemplar=exemplar, reason="  ", by=personas["unit_head"])
    assert "Nêu lý do trả lại mô hình." in refused.value.messages
    services.exemplar_return(exemplar=exemplar, reason="Thiếu số liệu kết quả.", by=personas["unit_head"])
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.RETURNED and exemplar.return_reason == "Thiếu số liệu kết quả."
    services.exemplar_update(exemplar=exemplar, spec=spec(campaign, tree.stp_cb1, title="Mới"), by=SYSTEM)
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED and exemplar.title == "Mới"


def test_a_nomination_after_the_deadline_is_refused_with_the_date(tree, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    late = campaign.nominations_until + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.exemplar_nominate(exemplar=exemplar, by=SYSTEM, today=late)
    day = campaign.nominations_until.strftime("%d/%m/%Y")
    assert refused.value.messages == [
        f"Đã hết hạn đề xuất mô hình tham gia {campaign.title} từ ngày {day}: không thể đề xuất mô hình này nữa."
    ]
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.DRAFT and exemplar.transitions.count() == 1


def test_a_score_above_its_maximum_is_refused_and_nothing_is_saved(tree, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    with pytest.raises(ValidationError) as refused:
        services.exemplar_review(
            exemplar=exemplar, scores={**SCORES, "creativity": 26}, opinion="Tốt", by=SYSTEM
        )
    assert refused.value.message_dict["score_creativity"] == [
        "Tiêu chí “Tính sáng tạo” chấm tối đa 25 điểm: 26 điểm vượt quá mức tối đa."
    ]
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED and not Score.objects.exists() and exemplar.total_score is None


def test_only_the_level_above_reviews(tree, personas, campaign):
    exemplar = make_exemplar(campaign, tree.stp)
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    # STP's own head holds the right at STP, not above it; SYT's officer is elsewhere.
    for who in ("unit_head", "mobilisation_officer", "outsider", "reporter"):
        with pytest.raises(PermissionDenied) as refused:
            services.exemplar_review(exemplar=exemplar, scores=SCORES, opinion="Tốt", by=personas[who])
        assert "cấp trên" in str(refused.value), who
        with pytest.raises(PermissionDenied):
            services.exemplar_return(exemplar=exemplar, reason="Không", by=personas[who])
    assert not Score.objects.exists() and Transition.objects.filter(exemplar=exemplar).count() == 2
    services.exemplar_review(exemplar=exemplar, scores=SCORES, opinion="Tốt", by=personas["admin"])
    with pytest.raises(PermissionDenied):
        services.exemplar_recognise(
            exemplar=exemplar,
            decision_number="1",
            decision_date=today(),
            level="bloc",
            by=personas["unit_head"],
        )


def test_recognition_needs_the_decision_number_date_and_level(tree, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    with pytest.raises(ValidationError) as refused:
        services.exemplar_recognise(
            exemplar=exemplar, decision_number="1", decision_date=today(), level="bloc", by=SYSTEM
        )
    assert "Hãy chấm điểm" in refused.value.messages[0]
    services.exemplar_review(exemplar=exemplar, scores=SCORES, opinion="Tốt", by=SYSTEM)
    with pytest.raises(ValidationError) as refused:
        services.exemplar_recognise(
            exemplar=exemplar, decision_number=" ", decision_date=None, level="", by=SYSTEM
        )
    assert refused.value.message_dict == {
        "decision_number": ["Nhập số quyết định."],
        "decision_date": ["Hãy ghi ngày ban hành quyết định."],
        "level": ["Chọn cấp tuyên dương."],
    }
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.REVIEWED and exemplar.decision_number == ""


def test_replication_by_another_unit_once_of_a_recognised_model_only(tree, personas, campaign):
    draft = make_exemplar(campaign, tree.stp_cb1)
    adopted = ReplicationSpec(unit=tree.syt, adopted_on=today(), note="Áp dụng tại bộ phận một cửa")
    with pytest.raises(ValidationError) as refused:
        services.replication_record(exemplar=draft, spec=adopted, by=SYSTEM)
    assert refused.value.messages == [
        "Chỉ mô hình đã được tuyên dương mới được nhân rộng; mô hình này đang ở bước “Đang nhập”."
    ]
    exemplar = recognised(campaign, tree.stp_cb1)
    with pytest.raises(ValidationError) as refused:
        services.replication_record(
            exemplar=exemplar, spec=ReplicationSpec(unit=tree.stp_cb1, adopted_on=today()), by=SYSTEM
        )
    assert refused.value.message_dict["unit"] == [
        "Đơn vị có mô hình không tự nhân rộng mô hình của mình: chọn đơn vị khác."
    ]
    assert not Replication.objects.exists()
    with pytest.raises(PermissionDenied):  # STP's reporter does not record for SYT
        services.replication_record(exemplar=exemplar, spec=adopted, by=personas["reporter"])
    services.replication_record(exemplar=exemplar, spec=adopted, by=personas["outsider"])
    with pytest.raises(ValidationError) as refused:
        services.replication_record(exemplar=exemplar, spec=adopted, by=personas["outsider"])
    assert "đã ghi nhận nhân rộng" in refused.value.message_dict["unit"][0]
    assert Replication.objects.get().unit == tree.syt


def test_a_model_is_registered_in_a_campaign_that_reaches_its_unit(tree, personas):
    syt_campaign = make_campaign(tree.syt)
    with pytest.raises(ValidationError) as refused:
        make_exemplar(syt_campaign, tree.stp_cb1)
    assert "không áp dụng cho đơn vị này" in refused.value.message_dict["campaign"][0]
    root_campaign = make_campaign(tree.root)
    with pytest.raises(ValidationError) as refused:
        make_exemplar(
            root_campaign,
            tree.stp,
            started_on=today() + datetime.timedelta(days=1),
            results=[services.ResultSpec("Số vụ", "vụ", "abc", "3")],
            title="",
        )
    errors = refused.value.message_dict
    assert errors["started_on"] == ["Ngày không được sau ngày hôm nay (ở tương lai)."]
    assert errors["results.0.before"] == ["Nhập số liệu bằng số, ví dụ 1.250 hoặc 73,5."]
    assert errors["title"] == ["Đặt tên cho mô hình."]
    assert not Exemplar.objects.exists()
    with pytest.raises(PermissionDenied):
        make_exemplar(root_campaign, tree.stp, by=personas["outsider"])


def test_one_campaign_a_unit_a_year_with_its_dates_in_order(tree, personas):
    make_campaign(tree.root, year=2025)
    with pytest.raises(ValidationError) as refused:
        make_campaign(tree.root, year=2025)
    assert refused.value.message_dict["year"] == ["Đảng ủy Khối các cơ quan tỉnh đã có đợt thi đua năm 2025."]
    with pytest.raises(PermissionDenied):  # the head does not manage campaigns
        make_campaign(tree.stp, by=personas["unit_head"])
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(
            spec=services.CampaignSpec(
                unit=tree.stp,
                year=2026,
                title="Đợt 2026",
                nominations_until=datetime.date(2026, 9, 30),
                review_until=datetime.date(2026, 8, 31),
                recognition_by=datetime.date(2026, 10, 15),
            ),
            by=personas["mobilisation_officer"],
        )
    assert refused.value.message_dict == {"review_until": ["Hạn xét duyệt phải bằng hoặc sau hạn đề xuất."]}
