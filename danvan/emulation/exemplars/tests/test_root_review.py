"""A model of the root unit has no level above: the holders of EMULATION_MANAGE at the root review it
(selectors.may_review); nobody below the root does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from danvan.emulation.exemplars import reminders, selectors, services, worklist
from danvan.emulation.exemplars.models import Exemplar, Stage

from .helpers import SCORES, SYSTEM, make_campaign, make_exemplar, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_model(tree):
    campaign = make_campaign(tree.root)
    exemplar = make_exemplar(campaign, tree.root, title="Mô hình của Đảng ủy Khối")
    return services.exemplar_nominate(exemplar=exemplar, by=SYSTEM)


def _root_user(name, role):
    from conftest import make_user
    from danvan.orgs.models import Unit

    root = Unit.objects.get(code="DUK")
    return make_user(name, unit=root, role=role, email=f"{name}@example.vn")


def test_a_manager_at_the_root_reviews_and_recognises_a_root_model(tree, personas, root_model):
    manager = _root_user("duk_officer", "mobilisation_officer")  # holds EMULATION_MANAGE at the root
    assert selectors.may_review(manager, tree.root)
    services.exemplar_review(exemplar=root_model, scores=SCORES, opinion="Hiệu quả rõ.", by=manager)
    services.exemplar_recognise(
        exemplar=root_model, decision_number="12-QĐ/ĐUK", decision_date=today(), level="bloc", by=manager
    )
    assert Exemplar.objects.get(pk=root_model.pk).stage == Stage.RECOGNISED


def test_nobody_below_the_root_nor_without_the_manage_right_reviews_it(tree, personas, root_model):
    head = _root_user("duk_head", "unit_head")  # at the root, but without EMULATION_MANAGE
    assert not selectors.may_review(head, tree.root)
    for who in (head, personas["mobilisation_officer"], personas["outsider"]):
        with translation.override("vi"), pytest.raises(PermissionDenied) as refused:
            services.exemplar_review(exemplar=root_model, scores=SCORES, opinion="Tốt", by=who)
        assert "cấp trên" in str(refused.value)
    assert Exemplar.objects.get(pk=root_model.pk).stage == Stage.NOMINATED
    # the root's manager still may not review a model below by that right alone: there the level above
    # reviews (EMULATION_REVIEW), as before
    below = make_exemplar(make_campaign(tree.stp), tree.stp_cb1)
    assert selectors.may_review(personas["mobilisation_officer"], below.unit)
    assert not selectors.may_review(personas["mobilisation_officer"], tree.stp)


def test_the_root_model_is_in_the_manager_s_queue_work_home_and_reminder(tree, personas, login, root_model):
    manager = _root_user("duk_officer", "mobilisation_officer")
    assert root_model in selectors.waiting_for(manager)
    assert root_model not in selectors.waiting_for(personas["mobilisation_officer"])
    found = worklist.work_items(manager, today(), 20)
    assert "Mô hình của Đảng ủy Khối" in {item.title for item in found.items}
    page = login(manager).get(reverse("exemplars:detail", args=[root_model.pk])).content.decode()
    assert reverse("exemplars:review", args=[root_model.pk]) in page
    Exemplar.objects.filter(pk=root_model.pk).update(nominated_on=today() - datetime.timedelta(days=10))
    digests = reminders.digests(today())
    assert [item.exemplar for item in digests.of(manager)["waiting"]] == [root_model]
