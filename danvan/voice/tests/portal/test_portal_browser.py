"""The portal in a real phone-sized browser: find the unit while typing, send anonymously, follow it."""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from danvan.voice.cases.models import Case
from danvan.voice.identity.models import Identity

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]


@pytest.fixture
def phone_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert Path(CHROMIUM).exists(), "Chromium is installed by scripts/ensure-chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", has_touch=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.mark.e2e
def test_a_citizen_sends_an_anonymous_suggestion_from_a_phone_and_follows_it(
    live_server, phone_page, transactional_db, tree, rules, settings
):
    settings.VOICE_PORTAL_MIN_SECONDS = 0
    cache.clear()
    page = phone_page
    page.goto(live_server.url + "/public/")
    page.get_by_role("link", name="Gửi đơn thư").click()

    # The list follows what is typed (the local script), accents or not.
    page.fill("input[name=q]", "so y te")
    page.locator("a.unit-choice", has_text="Đảng ủy Sở Y tế").click()
    page.wait_for_url("**/public/send/SYT/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_text("Góp ý", exact=True).click()
    page.fill("input[name=subject]", "Đề nghị bố trí thêm ghế chờ")
    page.fill("textarea[name=content]", "Khu vực một cửa thiếu ghế chờ vào buổi sáng.")
    page.fill("input[name=name]", "Tên gõ nhầm")
    page.check("input[name=anonymous]")  # hides and disables the identity fields
    assert not page.locator("input[name=name]").is_visible()
    page.click("form[data-portal-form] button[type=submit]")

    code = page.locator("[data-tracking-code]").text_content().strip()
    assert len(code) == 24
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    case = Case.objects.get()
    assert case.anonymous and case.channel == "online_box" and case.unit == tree.syt
    assert not Identity.objects.filter(case=case).exists()

    page.get_by_role("link", name="Tra cứu đơn thư bằng mã").click()
    page.fill("input[name=code]", code.lower())
    page.click("form button[type=submit]")
    page.get_by_text(f"Đơn thư {case.reference}").first.wait_for()
    assert page.get_by_text("Đề nghị bố trí thêm ghế chờ").is_visible()
