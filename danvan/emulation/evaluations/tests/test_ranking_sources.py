"""Rankings (ties share a rank, Vietnamese order within a tie, unclassified last), the report sources,
the overview card, the work home and the daily reminder."""

import datetime

import pytest
from django.urls import reverse

from danvan.emulation.evaluations import reminders, selectors, sources, worklist
from danvan.emulation.evaluations.models import Classification
from danvan.emulation.evaluations.overview import figures

from .helpers import SYSTEM, final, scorecard, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def level(tree):
    from conftest import make_unit

    extra = make_unit(tree.catalogue, "SCT", "Đảng ủy Sở Công Thương", "grassroots", tree.root)
    also = make_unit(tree.catalogue, "SNV", "Đảng ủy Sở Nội vụ", "grassroots", tree.root)
    return extra, also


def test_ties_share_a_rank_and_are_ordered_by_name(tree, personas, level):
    extra, also = level
    card = scorecard()
    final(tree.stp, (38, 28, 27), card=card)  # 93
    final(tree.syt, (35, 25, 20), card=card)  # 80
    final(extra, (38, 28, 27), card=card)  # 93
    submitted(also, card=card)  # not classified yet
    rows = selectors.ranking(user=personas["admin"], unit=tree.root, code="2025")
    assert [(r.rank, r.unit.code) for r in rows] == [(1, "SCT"), (1, "STP"), (3, "SYT"), (None, "SNV")]
    # Cells of one type below the bloc: only STP's officer's cells show for them.
    cells = selectors.ranking(
        user=personas["mobilisation_officer"], unit=tree.stp, code="2025", unit_type="cell"
    )
    assert {r.unit.code for r in cells} == {"STP-CB1", "STP-CB2"}


def test_the_ranking_page_and_its_export(tree, personas, login, level):
    card = scorecard()
    final(tree.stp, (38, 28, 27), card=card)
    client = login(personas["admin"])
    page = client.get(reverse("evaluations:ranking"), {"unit": "DUK", "period": "2025"}).content.decode()
    assert "Đảng ủy Sở Tư pháp" in page and "Hoàn thành xuất sắc nhiệm vụ" in page
    response = client.get(reverse("evaluations:ranking_xlsx"), {"unit": "DUK", "period": "2025"})
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Đảng ủy Sở Tư pháp" in values and 1 in values


def test_sources_count_each_classification_for_the_period(tree):
    card = scorecard()
    final(tree.stp, (38, 28, 27), card=card)
    final(tree.syt, (30, 20, 10), card=card, classification=Classification.FAILED)
    submitted(tree.stp_cb1, card=card)

    class Period:
        code = "2025"

    assert sources._compute("")(Period, None) == {tree.stp.pk: 1, tree.syt.pk: 1}
    assert sources._compute(Classification.OUTSTANDING)(Period, None) == {tree.stp.pk: 1, tree.syt.pk: 0}
    assert sources._compute(Classification.FAILED)(Period, [tree.syt.pk]) == {tree.syt.pk: 1}
    assert "period=2025" in sources.records(tree.stp.pk, Period)


def test_the_overview_card_counts_what_the_user_sees(tree, personas):
    card = scorecard()
    final(tree.stp, (38, 28, 27), card=card)
    final(tree.syt, (30, 25, 20), card=card)
    shown = {f.label: f.value for f in figures(personas["admin"], 2025)}
    assert shown["Hoàn thành xuất sắc nhiệm vụ"] == "1" and shown["Hoàn thành tốt nhiệm vụ"] == "1"
    shown = {f.label: f.value for f in figures(personas["outsider"], 2025)}
    assert shown["Hoàn thành xuất sắc nhiệm vụ"] == "0" and shown["Hoàn thành tốt nhiệm vụ"] == "1"


def test_the_work_home_and_the_reminder(tree, personas, settings):
    from conftest import make_user
    from danvan.accounts.models import Role

    card = scorecard()
    from danvan.emulation.evaluations import services

    draft = services.evaluation_start(unit=tree.stp_cb1, period="2025", by=SYSTEM, scorecard=card)
    waiting = submitted(tree.stp, card=card)
    today = datetime.date(2026, 1, 20)
    found = worklist.collect(personas["mobilisation_officer"], today, 20)
    kinds = {(item.unit, item.kind) for item in found.items if item.kind != "Tự đánh giá chưa mở"}
    assert kinds == {("Chi bộ 1", "Cần tự đánh giá")}  # STP's own evaluation is reviewed above it
    found = worklist.collect(personas["admin"], today, 20)
    assert ("Đảng ủy Sở Tư pháp", "Cần thẩm định") in {(i.unit, i.kind) for i in found.items}
    found = worklist.collect(personas["outsider"], today, 20)
    assert {item.kind for item in found.items} == {"Tự đánh giá chưa mở"}  # only its own units' to open
    recorder = make_user("ghi_cb1", unit=tree.stp_cb1, role=Role.MOBILISATION_OFFICER, email="cb1@example.vn")
    reviewer = make_user("duyet_duk", unit=tree.root, role=Role.BLOC_ADMIN, email="duk@example.vn")
    digests = reminders.digests(today)
    assert [i.evaluation for i in digests.of(recorder)["own"]] == [draft]
    assert [i.evaluation for i in digests.of(reviewer)["reviews"]] == [waiting]
