"""A campaign opened by mistake is deleted (confirmed, audited) while no model is registered in it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from danvan.audit.models import AuditEvent
from danvan.emulation.exemplars import services
from danvan.emulation.exemplars.models import Campaign

from .helpers import make_campaign, make_exemplar

pytestmark = pytest.mark.django_db


def test_a_campaign_without_models_is_deleted_and_audited(tree, personas):
    campaign = make_campaign(tree.stp)
    pk = campaign.pk
    services.campaign_delete(campaign=campaign, by=personas["mobilisation_officer"])
    assert not Campaign.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.filter(object_id=str(pk), action="delete").get()
    assert event.unit_path == tree.stp.path


def test_a_campaign_with_a_model_is_not_deleted(tree, personas):
    campaign = make_campaign(tree.stp)
    make_exemplar(campaign, tree.stp_cb1)
    with pytest.raises(ValidationError) as refused:
        services.campaign_delete(campaign=campaign, by=personas["mobilisation_officer"])
    assert refused.value.messages == [
        "Đợt thi đua đã có 1 mô hình đăng ký: không thể xóa. Hãy kết thúc đợt thi đua (đổi trạng thái) "
        "thay vì xóa."
    ]
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_only_a_manager_of_the_campaign_s_unit_deletes_it(tree, personas):
    campaign = make_campaign(tree.stp)
    for refused in (personas["outsider"], personas["unit_head"]):
        with pytest.raises(PermissionDenied):
            services.campaign_delete(campaign=campaign, by=refused)
    # a campaign of the unit above reaches STP's managers, who still may not delete it
    above = make_campaign(tree.root)
    with pytest.raises(PermissionDenied):
        services.campaign_delete(campaign=above, by=personas["mobilisation_officer"])
    assert Campaign.objects.count() == 2


def test_the_confirm_page_deletes_or_says_why_not(tree, personas, login):
    campaign = make_campaign(tree.stp)
    client = login(personas["mobilisation_officer"])
    detail = client.get(reverse("exemplars:campaign", kwargs={"pk": campaign.pk})).content.decode()
    url = reverse("exemplars:campaign_delete", kwargs={"pk": campaign.pk})
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200 and 'id="campaign-delete-confirm"' in page.content.decode()
    assert Campaign.objects.filter(pk=campaign.pk).exists()  # GET writes nothing
    viewer = login(personas["unit_head"]).get(url)
    assert viewer.status_code == 403

    make_exemplar(campaign, tree.stp_cb1)
    page = client.get(url).content.decode()
    assert "không thể xóa" in page and 'id="campaign-delete-confirm"' not in page
    response = client.post(url)
    assert response.status_code == 400 and "không thể xóa" in response.content.decode()
    assert Campaign.objects.filter(pk=campaign.pk).exists()

    empty = make_campaign(tree.stp, year=campaign.year + 1)
    response = client.post(reverse("exemplars:campaign_delete", kwargs={"pk": empty.pk}))
    assert response.status_code == 302 and response.url == reverse("exemplars:campaigns")
    assert not Campaign.objects.filter(pk=empty.pk).exists()
