"""The demo's “Dân vận khéo” models (danvan/demo/exemplars.py) on the test tree: the 2025 campaign of the
bloc with models at every stage, a replication, and loading again adds nothing."""

import pytest

from conftest import make_unit
from danvan.demo import exemplars as demo
from danvan.emulation.exemplars.models import Campaign, Exemplar, Replication

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_has_models_at_every_stage_and_a_replication(tree):
    for code, name in (
        ("SNV", "Đảng ủy Sở Nội vụ"),
        ("SCT", "Đảng ủy Sở Công Thương"),
        ("STC2025", "Đảng ủy Sở Tài chính (hợp nhất)"),
        ("SXD", "Đảng ủy Sở Xây dựng"),
    ):
        make_unit(tree.catalogue, code, name, "grassroots", tree.root, ["admin_agency"])
    assert demo.load() == 5
    campaign = Campaign.objects.get()
    assert (campaign.year, campaign.recognition_by.isoformat()) == (2025, "2025-10-15")
    assert dict(Exemplar.objects.values_list("unit__code", "stage")) == {
        "STP": "recognised",
        "SNV": "recognised",
        "SXD": "nominated",
        "SCT": "returned",
        "STC2025": "draft",
    }
    recognised = Exemplar.objects.get(unit__code="STP")
    assert recognised.decision_number == "125-QĐ/ĐUK" and recognised.transitions.count() == 4
    assert set(Replication.objects.values_list("exemplar__unit__code", "unit__code")) == {
        ("STP", "SNV"),
        ("STP", "SXD"),
    }
    assert demo.load() == 0
