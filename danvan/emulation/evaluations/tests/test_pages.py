"""The pages: a unit's evaluation from opening to classification, its evidence, bad input shown in
Vietnamese with nothing saved, the scorecard pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.emulation.evaluations.models import Criterion, Evaluation, Score, State

from .helpers import scorecard

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_cell_is_evaluated_through_the_pages(tree, personas, login):
    card = scorecard()
    officer = login(personas["mobilisation_officer"])
    response = officer.post(reverse("evaluations:start"), {"unit": "STP-CB1", "period": "2025"})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("evaluations:evaluation", args=[evaluation.pk])
    first, second, third = Criterion.objects.filter(section__scorecard=card).order_by("order")
    url = reverse("evaluations:assess", args=[evaluation.pk])
    # Above the maximum: the page says so in Vietnamese and nothing is saved.
    page = officer.post(
        url, {f"points_{first.pk}": "45", f"points_{second.pk}": "20", f"points_{third.pk}": "20"}
    )
    assert page.status_code == 200 and "vượt quá điểm tối đa" in page.content.decode()
    assert not Score.objects.filter(self_points__isnull=False).exists()
    response = officer.post(
        url,
        {
            f"points_{first.pk}": "38",
            f"points_{second.pk}": "28,5",
            f"points_{third.pk}": "27",
            f"evidence_{first.pk}": "Biên bản sinh hoạt chuyên đề",
            f"file_{first.pk}": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    evaluation.refresh_from_db()
    assert evaluation.self_total == 93.5
    score = Score.objects.get(criterion=first)
    download = officer.get(reverse("evaluations:evidence", args=[score.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    officer.post(reverse("evaluations:submit", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.state == State.SUBMITTED
    # The cell's own level may not review itself; STP (the level above the cell) may.
    page = officer.get(reverse("evaluations:evaluation", args=[evaluation.pk])).content.decode()
    assert reverse("evaluations:review", args=[evaluation.pk]) in page
    outsider = login(personas["outsider"])
    assert outsider.post(reverse("evaluations:review", args=[evaluation.pk]), {}).status_code == 404
    viewer = login(personas["viewer"])
    assert viewer.post(reverse("evaluations:review", args=[evaluation.pk]), {}).status_code == 403
    officer.post(
        reverse("evaluations:review", args=[evaluation.pk]),
        {f"points_{first.pk}": "38", f"points_{second.pk}": "28,5", f"points_{third.pk}": "27"},
    )
    evaluation.refresh_from_db()
    assert evaluation.state == State.REVIEWED and evaluation.proposed == "outstanding"
    officer.post(reverse("evaluations:classify", args=[evaluation.pk]), {"classification": "outstanding"})
    evaluation.refresh_from_db()
    assert evaluation.state == State.REVIEWED  # refused: how the tasks were carried out was not stated
    officer.post(
        reverse("evaluations:classify", args=[evaluation.pk]),
        {"classification": "outstanding", "completion": "beyond"},
    )
    evaluation.refresh_from_db()
    assert evaluation.state == State.FINAL and evaluation.classification == "outstanding"
    page = officer.get(reverse("evaluations:evaluation", args=[evaluation.pk])).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in page and "93,5" in page and "366-QĐ/TW" in page


def test_the_manager_builds_a_scorecard_through_the_pages(tree, personas, login):
    admin = login(personas["admin"])
    admin.post(reverse("evaluations:scorecard_add"), {"title": "Bộ tiêu chí 2026", "applies_from": "2026"})
    from danvan.emulation.evaluations.models import Scorecard

    card = Scorecard.objects.get(title="Bộ tiêu chí 2026")
    admin.post(reverse("evaluations:section_add", args=[card.pk]), {"title": "I. Lãnh đạo", "order": "1"})
    section = card.sections.get()
    admin.post(
        reverse("evaluations:criterion_add", args=[section.pk]),
        {
            "text": "Học tập, quán triệt",
            "order": "1",
            "max_points": "60",
            "method": "indicator_ratio",
            "code": "STUDY_RATE",
        },
    )
    assert Criterion.objects.get().code == "STUDY_RATE"
    response = admin.post(
        reverse("evaluations:scorecard_activate", args=[card.pk]), {"active": "1"}, follow=True
    )
    assert "phải đúng 100" in response.content.decode()
    card.refresh_from_db()
    assert not card.active
    page = admin.get(reverse("evaluations:scorecard", args=[card.pk])).content.decode()
    assert "Học tập, quán triệt" in page and "60" in page
