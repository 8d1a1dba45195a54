"""The models' pages and API: the list and its export scoped to the user, a model through its form,
the review by the level above on the page, the overview card, the work home, the reminders, the figures."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from danvan.emulation import cards
from danvan.emulation.exemplars import reminders, sources
from danvan.emulation.exemplars.models import Exemplar, Stage
from danvan.reminders.kinds import only
from danvan.reminders.services import send

from .helpers import SCORES, SYSTEM, make_campaign, make_exemplar, recognised, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree):
    return make_campaign(tree.root)


def test_the_list_shows_what_the_user_may_see_and_the_export_follows_the_filters(
    tree, personas, login, campaign
):
    make_exemplar(campaign, tree.stp, title="Mô hình của STP")
    make_exemplar(campaign, tree.syt, title="Mô hình của SYT", field="economy")
    page = login(personas["viewer"]).get(reverse("exemplars:list")).content.decode()
    assert "Mô hình của STP" in page and "Mô hình của SYT" not in page
    admin = login(personas["admin"])
    page = admin.get(reverse("exemplars:list"), {"field": "economy"}).content.decode()
    assert "Mô hình của SYT" in page and "Mô hình của STP" not in page
    response = admin.get(reverse("exemplars:export"), {"unit": "STP"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[1][:4] == ("Năm", "Đợt thi đua", "Đơn vị", "Tên mô hình")
    assert [row[3] for row in rows[2:]] == ["Mô hình của STP"]
    assert rows[2][7] == "Đang nhập"


def test_a_model_is_registered_through_its_page_with_results(tree, personas, login, campaign):
    client = login(personas["reporter"])
    form = client.get(reverse("exemplars:create")).content.decode()
    assert campaign.title in form
    data = {
        "campaign": campaign.pk,
        "unit": "STP-CB1",
        "field": "culture_society",
        "title": "Chi bộ ba không",
        "authors": "Chi bộ 1",
        "description": "Không rác thải nhựa, không khói thuốc, không tiệc tùng.",
        "started_on": "01/02/2024",
        "r-TOTAL_FORMS": "3",
        "r-INITIAL_FORMS": "0",
        "r-0-measure": "Rác thải nhựa",
        "r-0-unit_of_measure": "kg/tháng",
        "r-0-before": "40",
        "r-0-after": "5,5",
    }
    response = client.post(reverse("exemplars:create"), data)
    exemplar = Exemplar.objects.get()
    assert response.status_code == 302 and exemplar.unit == tree.stp_cb1
    assert [(r.measure, float(r.before), float(r.after)) for r in exemplar.results.all()] == [
        ("Rác thải nhựa", 40, 5.5)
    ]
    page = client.get(reverse("exemplars:detail", args=[exemplar.pk])).content.decode()
    assert "Rác thải nhựa" in page and "Đề xuất lên cấp trên" in page
    client.post(reverse("exemplars:nominate", args=[exemplar.pk]))
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


def test_the_review_form_is_for_the_level_above_and_refuses_a_score_above_its_maximum(
    tree, personas, login, campaign
):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    from danvan.emulation.exemplars import services

    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    url = reverse("exemplars:detail", args=[exemplar.pk])
    assert "Cấp trên xét duyệt" in login(personas["unit_head"]).get(url).content.decode()
    queue = login(personas["unit_head"]).get(reverse("exemplars:review_queue")).content.decode()
    assert exemplar.title in queue
    data = {f"score_{code}": points for code, points in SCORES.items()} | {"opinion": "Tốt"}
    response = login(personas["unit_head"]).post(
        reverse("exemplars:review", args=[exemplar.pk]), data | {"score_creativity": 30}
    )
    assert "chấm tối đa 25 điểm: 30 điểm vượt quá mức tối đa" in response.content.decode()
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED
    # The model of STP itself: STP's head is not above it.
    own = make_exemplar(campaign, tree.stp, title="Mô hình cấp STP")
    services.exemplar_nominate(exemplar=own, by=SYSTEM)
    page = login(personas["unit_head"]).get(reverse("exemplars:detail", args=[own.pk])).content.decode()
    assert "Cấp trên xét duyệt" not in page
    assert (
        login(personas["unit_head"]).post(reverse("exemplars:review", args=[own.pk]), data).status_code == 403
    )
    login(personas["unit_head"]).post(reverse("exemplars:review", args=[exemplar.pk]), data)
    response = login(personas["unit_head"]).post(
        reverse("exemplars:recognise", args=[exemplar.pk]),
        {"decision_number": "", "decision_date": "", "level": ""},
    )
    assert "Nhập số quyết định." in response.content.decode()
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.REVIEWED


def test_a_recognised_model_is_seen_and_replicated_by_the_units_its_campaign_reaches(
    tree, personas, login, api, campaign
):
    exemplar = recognised(campaign, tree.stp)
    outsider = login(personas["outsider"])
    page = outsider.get(reverse("exemplars:detail", args=[exemplar.pk])).content.decode()
    assert "Ghi nhận nhân rộng" in page
    outsider.post(
        reverse("exemplars:replication_add", args=[exemplar.pk]),
        {"unit": "SYT", "adopted_on": today().strftime("%d/%m/%Y")},
    )
    page = outsider.get(reverse("exemplars:detail", args=[exemplar.pk])).content.decode()
    assert "1 đơn vị nhân rộng mô hình." in page and "Đảng ủy Sở Y tế" in page
    body = api(personas["outsider"]).get(reverse("exemplar-detail", args=[exemplar.pk])).json()
    assert [row["unit"] for row in body["replications"]] == ["SYT"]
    draft = make_exemplar(campaign, tree.stp, title="Bản nháp")
    assert outsider.get(reverse("exemplars:detail", args=[draft.pk])).status_code == 404


def test_the_api_runs_the_cycle_and_refuses_in_vietnamese(tree, personas, api, campaign):
    client = api(personas["reporter"])
    response = client.post(
        reverse("exemplar-list"),
        {
            "campaign": campaign.pk,
            "unit": "STP-CB1",
            "field": "economy",
            "title": "Liên kết tiêu thụ nông sản",
            "authors": "Chi bộ 1",
            "description": "Kết nối hợp tác xã với bếp ăn tập thể.",
            "started_on": "2024-05-01",
            "results": [
                {"measure": "Doanh thu", "unit_of_measure": "triệu đồng", "before": "100", "after": "250"}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.post(reverse("exemplar-nominate", args=[pk])).json()["stage"] == "nominated"
    review = {**SCORES, "opinion": "Tốt", "creativity": 40}
    head = api(personas["unit_head"])
    response = head.post(reverse("exemplar-review", args=[pk]), review, format="json")
    assert response.status_code == 400 and "vượt quá mức tối đa" in response.content.decode()
    response = head.post(
        reverse("exemplar-send-back", args=[pk]), {"reason": "Thiếu minh chứng"}, format="json"
    )
    assert response.status_code == 200 and response.json()["stage"] == "returned"


def test_the_card_the_work_home_and_the_figures(tree, personas, login, campaign):
    from danvan.emulation.exemplars import services

    waiting = make_exemplar(campaign, tree.stp_cb1, title="Chờ xét duyệt")
    services.exemplar_nominate(exemplar=waiting, by=SYSTEM)
    returned = make_exemplar(campaign, tree.stp_cb2, title="Bị trả lại")
    services.exemplar_nominate(exemplar=returned, by=SYSTEM)
    services.exemplar_return(exemplar=returned, reason="Thiếu số liệu", by=SYSTEM)
    done = recognised(campaign, tree.stp)
    services.replication_record(
        exemplar=done, spec=services.ReplicationSpec(unit=tree.syt, adopted_on=today()), by=SYSTEM
    )
    shown = {card.card.key: card for card in cards.shown(personas["viewer"], today().year)}
    values = {figure.label: figure.value for figure in shown["exemplars"].figures}
    assert values == {
        "Mô hình đã đăng ký": "3",
        "… đã đề xuất": "3",
        "… đã được tuyên dương": "1",
        "Lượt nhân rộng ở đơn vị khác": "1",
    }
    home = login(personas["unit_head"]).get(reverse("core:home")).content.decode()
    assert "Chờ xét duyệt" in home and "Bị trả lại" in home
    home = login(personas["outsider"]).get(reverse("core:home")).content.decode()
    assert "Chờ xét duyệt" not in home and "Bị trả lại" not in home
    period = type(
        "P", (), {"start": today().replace(month=1, day=1), "end": today().replace(month=12, day=31)}
    )
    assert sources.registered(period, None) == {tree.stp_cb1.pk: 1, tree.stp_cb2.pk: 1, tree.stp.pk: 1}
    assert sources.recognised(period, None) == {tree.stp.pk: 1}
    assert sources.replicated(period, [tree.syt.pk, tree.stp.pk]) == {tree.syt.pk: 1}


def test_the_deadline_near_is_on_the_work_home_until_the_unit_nominates(tree, personas, login):
    campaign = make_campaign(tree.root, nominations_until=today() + datetime.timedelta(days=5))
    client = login(personas["reporter"])
    assert campaign.title in client.get(reverse("core:home")).content.decode()
    from danvan.emulation.exemplars import services

    services.exemplar_nominate(exemplar=make_exemplar(campaign, tree.stp_cb1), by=SYSTEM)
    from django.core.cache import cache

    cache.clear()
    assert campaign.title not in client.get(reverse("core:home")).content.decode()


def test_the_daily_reminder_names_the_models_waiting_and_the_deadlines_near(tree):
    reviewer = make_user("duk_reviewer", unit=tree.root, role="mobilisation_officer", email="duk@example.vn")
    recorder = make_user("syt_recorder", unit=tree.syt, role="reporter", email="syt@example.vn")
    campaign = make_campaign(tree.root, nominations_until=today() + datetime.timedelta(days=3))
    from danvan.emulation.exemplars import services

    exemplar = make_exemplar(campaign, tree.stp, title="Đã chờ lâu")
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    Exemplar.objects.filter(pk=exemplar.pk).update(nominated_on=today() - datetime.timedelta(days=10))
    with only(reminders.REMINDER_KIND):
        assert send(kind="exemplars", today=today(), by=SYSTEM) == 2
        assert send(kind="exemplars", today=today(), by=SYSTEM) == 0  # once a day
    sent = {message.to[0]: message.body for message in mail.outbox}
    assert "Đã chờ lâu" in sent[reviewer.email]
    assert "Đảng ủy Sở Y tế chưa đề xuất mô hình nào" in sent[recorder.email]


def test_evidence_is_checked_by_content_and_served_to_who_may_see_the_model(tree, personas, login, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exemplar = make_exemplar(campaign, tree.stp)
    client = login(personas["reporter"])
    url = reverse("exemplars:evidence_add", args=[exemplar.pk])
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"file": fake})
    assert response.status_code == 200 and not exemplar.evidence.exists()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(url, {"file": SimpleUploadedFile("bao-cao.pdf", pdf, content_type="application/pdf")})
    evidence = exemplar.evidence.get()
    download = reverse("exemplars:evidence", args=[exemplar.pk, evidence.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment")
    assert login(personas["outsider"]).get(download).status_code == 404


def test_a_manager_opens_the_years_campaign_with_recognition_by_mid_october(tree, personas, login):
    from danvan.emulation.exemplars.models import Campaign

    client = login(personas["mobilisation_officer"])
    form = client.get(reverse("exemplars:campaign_create")).content.decode()
    assert f"15/10/{today().year}" in form
    data = {
        "unit": "STP",
        "year": "2025",
        "title": "Dân vận khéo 2025",
        "nominations_until": "31/08/2025",
        "review_until": "30/09/2025",
        "recognition_by": "15/10/2025",
        "state": "open",
    }
    assert client.post(reverse("exemplars:campaign_create"), data).status_code == 302
    response = client.post(reverse("exemplars:campaign_create"), data)
    assert "Đảng ủy Sở Tư pháp đã có đợt thi đua năm 2025." in response.content.decode()
    assert Campaign.objects.get().recognition_by == datetime.date(2025, 10, 15)
    assert login(personas["unit_head"]).get(reverse("exemplars:campaign_create")).status_code == 403
