"""“Dân vận khéo” models in the one search: found by their name, the people behind them and the
description where the model may be seen (EMULATION_VIEW at its unit), following every stage."""

import pytest
from django.urls import reverse

from danvan.emulation.exemplars import services
from danvan.emulation.exemplars.indexing import KIND
from danvan.search import selectors
from danvan.search import services as search
from danvan.search.models import Entry

from .helpers import SYSTEM, make_campaign, make_exemplar, recognised, spec

pytestmark = pytest.mark.django_db


def urls(user, query):
    return [result.url for result in selectors.search(user, query).results if result.kind == KIND]


def api_urls(api, user, query):
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    return [result["url"] for result in response.json()["results"] if result["type"] == KIND]


@pytest.fixture
def campaign(tree):
    return make_campaign(tree.root)


def test_a_model_is_found_by_its_words_with_or_without_accents(tree, personas, campaign, login):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    officer = personas["mobilisation_officer"]
    url = reverse("exemplars:detail", args=[exemplar.pk])
    assert urls(officer, "thu tuc hanh chinh khong giay to") == [url]
    assert urls(officer, "không giấy tờ") == [url]
    assert urls(officer, "doan thanh nien") == [url]  # the people behind it
    assert urls(officer, "nop ho so truc tuyen") == [url]  # the description
    assert login(officer).get(url).status_code == 200
    entry = Entry.objects.get(kind=KIND)
    assert entry.context == "Chi bộ 1 · Xây dựng hệ thống chính trị · Đang nhập"


def test_another_unit_does_not_find_it(tree, personas, campaign, api):
    make_exemplar(campaign, tree.stp_cb1)
    outsider = personas["outsider"]
    assert urls(outsider, "khong giay to") == []
    assert api_urls(api, outsider, "khong giay to") == []
    assert urls(personas["nobody"], "khong giay to") == []
    assert len(api_urls(api, personas["mobilisation_officer"], "khong giay to")) == 1


def test_an_edit_and_every_stage_are_followed(tree, personas, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    services.exemplar_update(
        exemplar=exemplar,
        spec=spec(campaign, tree.stp_cb1, title="Dân vận khéo trong chuyển đổi số"),
        by=SYSTEM,
    )
    officer = personas["mobilisation_officer"]
    assert urls(officer, "khong giay to") == []
    assert len(urls(officer, "dan van kheo chuyen doi so")) == 1
    model = recognised(campaign, tree.stp_cb2)
    entry = Entry.objects.get(kind=KIND, object_id=model.pk)
    assert entry.context == "Chi bộ 2 · Xây dựng hệ thống chính trị · Đã được tuyên dương · Cấp Khối"
    assert "15-QĐ/ĐUK" in entry.text
    assert len(urls(officer, "15-QĐ/ĐUK")) == 1


def test_reindex_gives_the_entries_the_services_gave(tree, campaign):
    make_exemplar(campaign, tree.stp_cb1)
    recognised(campaign, tree.stp_cb2)

    def entries():
        return {
            (e.object_id, e.title, e.context, e.text, e.url, e.unit_path, e.body_tokens)
            for e in Entry.objects.filter(kind=KIND)
        }

    kept = entries()
    assert search.reindex(kind=KIND) == {KIND: 2}
    assert entries() == kept


def test_a_model_is_found_by_its_campaign_which_it_follows(tree, personas, campaign):
    exemplar = make_exemplar(campaign, tree.stp_cb1)
    officer = personas["mobilisation_officer"]
    url = reverse("exemplars:detail", args=[exemplar.pk])
    assert urls(officer, "dan van kheo") == [url]  # “Phong trào “Dân vận khéo” DUK”
    services.campaign_update(
        campaign=campaign,
        spec=services.CampaignSpec(
            unit=campaign.unit,
            year=campaign.year,
            title="Thi đua giỏi vận động quần chúng",
            nominations_until=campaign.nominations_until,
            review_until=campaign.review_until,
            recognition_by=campaign.recognition_by,
        ),
        by=SYSTEM,
    )
    assert urls(officer, "dan van kheo") == []
    assert urls(officer, "van dong quan chung") == [url]
