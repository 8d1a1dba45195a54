"""The emulation overview: one card per registered part, its figures for the chosen year."""

import pytest
from django.urls import reverse

from danvan.emulation import cards

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(cards, "_cards", {})


def test_the_overview_explains_itself_when_no_part_is_installed(registry, personas, login):
    response = login(personas["viewer"]).get(reverse("emulation:home"))
    assert response.status_code == 200
    assert 'id="emulation-empty"' in response.content.decode()


def test_each_card_shows_its_figures_for_the_chosen_year_to_who_may_see(registry, personas, login):
    seen = []

    def figures(user, year):
        seen.append((user.username, year))
        return [cards.Figure(label="Mô hình đã đăng ký", value=f"{year - 2000}")]

    cards.register(cards.Card(key="x", label="Mô hình", url_name="emulation:home", order=1, figures=figures))
    cards.register(cards.Card(key="y", label="Khen thưởng", url_name="no:such", order=2))
    page = login(personas["viewer"]).get(reverse("emulation:home"), {"year": "2025"}).content.decode()
    assert "Mô hình đã đăng ký" in page and ">25<" in page
    main = page[page.index("<main") :]  # the menu names the parts too
    assert main.index("Mô hình") < main.index("Khen thưởng")
    assert seen == [(personas["viewer"].username, 2025)]
    # A year out of range falls back to this year rather than failing.
    login(personas["viewer"]).get(reverse("emulation:home"), {"year": "abc"})
    assert seen[-1][1] >= 2026


def test_a_user_without_the_right_is_refused(personas, login):
    assert login(personas["case_handler"]).get(reverse("emulation:home")).status_code == 403
