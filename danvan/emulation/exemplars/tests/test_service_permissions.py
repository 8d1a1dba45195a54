"""The models' services check the policy for `by` themselves: a user of another unit is refused by
the service and nothing is written; the System may."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.emulation.exemplars import services
from danvan.emulation.exemplars.models import Campaign, Exemplar, Replication, Transition
from danvan.emulation.exemplars.services import ReplicationSpec

from .helpers import SCORES, SYSTEM, make_campaign, make_exemplar, recognised, spec, today

pytestmark = pytest.mark.django_db


def test_campaigns_refuse_a_user_of_another_unit(tree, personas):
    with pytest.raises(PermissionDenied):
        make_campaign(tree.stp, by=personas["outsider"])
    assert not Campaign.objects.exists()
    campaign = make_campaign(tree.stp)
    with pytest.raises(PermissionDenied):
        services.campaign_update(
            campaign=campaign,
            spec=services.CampaignSpec(
                unit=tree.stp,
                year=campaign.year,
                title="Đổi",
                nominations_until=campaign.nominations_until,
                review_until=campaign.review_until,
                recognition_by=campaign.recognition_by,
            ),
            by=personas["outsider"],
        )
    campaign.refresh_from_db()
    assert campaign.title != "Đổi"


def test_models_refuse_a_user_of_another_unit(tree, personas):
    campaign = make_campaign(tree.root)
    with pytest.raises(PermissionDenied):
        make_exemplar(campaign, tree.stp, by=personas["outsider"])
    assert not Exemplar.objects.exists()
    exemplar = make_exemplar(campaign, tree.stp)
    with pytest.raises(PermissionDenied):
        services.exemplar_update(
            exemplar=exemplar, spec=spec(campaign, tree.stp, title="Đổi"), by=personas["outsider"]
        )
    with pytest.raises(PermissionDenied):
        services.exemplar_nominate(exemplar=exemplar, by=personas["outsider"])
    exemplar.refresh_from_db()
    assert exemplar.title != "Đổi" and exemplar.stage == "draft"
    services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)
    for action in (
        lambda who: services.exemplar_review(exemplar=exemplar, scores=SCORES, opinion="x", by=who),
        lambda who: services.exemplar_return(exemplar=exemplar, reason="x", by=who),
        lambda who: services.exemplar_recognise(
            exemplar=exemplar, decision_number="1", decision_date=today(), level="bloc", by=who
        ),
    ):
        with pytest.raises(PermissionDenied):
            action(personas["outsider"])
    assert Transition.objects.filter(exemplar=exemplar).count() == 2


def test_replications_refuse_a_user_of_another_unit(tree, personas):
    exemplar = recognised(make_campaign(tree.root), tree.syt)
    with pytest.raises(PermissionDenied):
        services.replication_record(
            exemplar=exemplar,
            spec=ReplicationSpec(unit=tree.stp, adopted_on=today()),
            by=personas["outsider"],
        )
    assert not Replication.objects.exists()
    replication = services.replication_record(
        exemplar=exemplar, spec=ReplicationSpec(unit=tree.stp, adopted_on=today()), by=SYSTEM
    )
    with pytest.raises(PermissionDenied):
        services.replication_delete(replication=replication, by=personas["outsider"])
    assert Replication.objects.exists()
