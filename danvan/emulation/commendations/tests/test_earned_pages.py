"""The commendations a model or an evaluation earned, on its page ("Khen thưởng đã nhận", through the seam
`danvan.emulation.earned` that commendations fills): only those the user may see, and a link to record one
more, already linked, for whoever may record at the record's unit."""

import re

import pytest
from django.urls import reverse

from danvan.emulation.commendations import services
from danvan.emulation.evaluations.tests import helpers as evaluation_helpers
from danvan.emulation.exemplars.tests import helpers as exemplar_helpers

from .helpers import SYSTEM, spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(tree):
    campaign = exemplar_helpers.make_campaign(tree.root)
    card = evaluation_helpers.scorecard()
    model = exemplar_helpers.recognised(campaign, tree.stp)
    # Recognised in the bloc's campaign: STP's officers see SYT's model too (to replicate it).
    foreign_model = exemplar_helpers.recognised(campaign, tree.syt)
    evaluation = evaluation_helpers.submitted(tree.stp, card=card)
    return {
        "model": model,
        "foreign_model": foreign_model,
        "evaluation": evaluation,
        "for_model": services.commendation_record(
            spec=spec(tree.stp, exemplar=model.pk, decision_number="125-QĐ/ĐUK"), by=SYSTEM
        ),
        "for_evaluation": services.commendation_record(
            spec=spec(
                tree.stp,
                kind="individual",
                recipient_name="Nguyễn Thị Lan",
                evaluation=evaluation.pk,
                decision_number="77-QĐ/ĐUK",
                issuer_name="",
                issuer_unit=tree.root,
            ),
            by=SYSTEM,
        ),
        # SYT's own commendation for its model: none of STP's business.
        "foreign": services.commendation_record(
            spec=spec(tree.syt, exemplar=foreign_model.pk, decision_number="999-QĐ/SYT"), by=SYSTEM
        ),
        "unlinked": services.commendation_record(
            spec=spec(tree.stp, decision_number="300-QĐ/ĐUK"), by=SYSTEM
        ),
    }


def _section(html: str) -> str:
    match = re.search(r'<section id="earned">(.*?)</section>', html, re.S)
    assert match, "no section of the commendations received"
    return match.group(1)


def _rows(section: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r'<tr class="earned">(.*?)</tr>', section, re.S)
    ]


def test_the_model_page_lists_the_commendation_it_earned(login, personas, earned):
    page = login(personas["viewer"]).get(reverse("exemplars:detail", args=[earned["model"].pk]))
    section = _section(page.content.decode())
    assert "Khen thưởng đã nhận" in section
    assert _rows(section) == [
        "Giấy khen Đảng ủy Khối các cơ quan tỉnh 125-QĐ/ĐUK 15/12/2025 Đảng ủy Sở Tư pháp"
    ]
    assert reverse("commendations:detail", args=[earned["for_model"].pk]) in section
    # A viewer may not record: no link to add one.
    assert reverse("commendations:create") not in section


def test_the_evaluation_page_lists_the_commendation_it_earned(login, personas, earned):
    page = login(personas["viewer"]).get(reverse("evaluations:evaluation", args=[earned["evaluation"].pk]))
    section = _section(page.content.decode())
    assert _rows(section) == [
        "Giấy khen Đảng ủy Khối các cơ quan tỉnh 77-QĐ/ĐUK 15/12/2025 Nguyễn Thị Lan (Đảng ủy Sở Tư pháp)"
    ]
    assert reverse("commendations:detail", args=[earned["for_evaluation"].pk]) in section


def test_a_commendation_of_another_unit_is_not_leaked_on_a_model_page_one_may_see(login, personas, earned):
    url = reverse("exemplars:detail", args=[earned["foreign_model"].pk])
    officer_page = login(personas["mobilisation_officer"]).get(url)  # at STP: sees SYT's recognised model
    assert officer_page.status_code == 200
    section = _section(officer_page.content.decode())
    assert _rows(section) == [] and "999-QĐ/SYT" not in officer_page.content.decode()
    assert "Chưa có khen thưởng nào" in section
    # Nor may STP's officer record one for SYT's model.
    assert reverse("commendations:create") not in section
    # Whoever sees SYT's commendations does see it.
    admin_section = _section(login(personas["admin"]).get(url).content.decode())
    assert len(_rows(admin_section)) == 1 and "999-QĐ/SYT" in admin_section


def test_one_who_may_record_gets_a_form_already_linked_to_the_record(login, personas, earned):
    client = login(personas["mobilisation_officer"])  # EMULATION_RECORD at STP
    section = _section(client.get(reverse("exemplars:detail", args=[earned["model"].pk])).content.decode())
    link = f"{reverse('commendations:create')}?exemplar={earned['model'].pk}"
    assert link in section
    form = client.get(link).context["form"]
    assert form.initial["exemplar"] == earned["model"].pk and form.initial["unit"] == "STP"
    assert f'<option value="{earned["model"].pk}" selected>' in client.get(link).content.decode()
    evaluation_link = f"{reverse('commendations:create')}?evaluation={earned['evaluation'].pk}"
    page = client.get(reverse("evaluations:evaluation", args=[earned["evaluation"].pk])).content.decode()
    assert evaluation_link in page
    initial = client.get(evaluation_link).context["form"].initial
    assert initial["evaluation"] == earned["evaluation"].pk and initial["year"] == 2025
    # A record the user does not see (STP's evaluation, for SYT's officer) is ignored: the form starts unlinked.
    outsider = login(personas["outsider"])
    assert "evaluation" not in outsider.get(evaluation_link).context["form"].initial
