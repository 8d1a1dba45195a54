"""End to end in a real browser: Debian's Chromium driven by Playwright (no browser download)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.e2e
def test_an_official_logs_in_and_browses_the_organisation_tree(live_server, browser, transactional_db):
    call_command("demo", stdout=io.StringIO())
    page = browser.new_page(locale="vi-VN")
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", "danvan-demo-2026")
    page.click("form [type=submit]")

    page.wait_for_url("**/orgs/**")
    assert page.get_by_text("Đảng ủy Khối các cơ quan tỉnh").first.is_visible()

    # A collapsed node loads its children the first time it opens.
    node = page.locator("details", has=page.locator("summary", has_text="Đảng bộ Sở Y tế")).first
    node.locator("summary").first.click()
    page.get_by_text("Đảng ủy Bệnh viện Đa khoa tỉnh").first.wait_for()

    # Search ignores diacritics.
    page.fill("input[name=q]", "so tu phap")
    page.press("input[name=q]", "Enter")
    page.get_by_role("link", name="Đảng ủy Sở Tư pháp").first.click()
    page.get_by_text("Chi bộ 4").first.wait_for()
    assert page.get_by_text("Công đoàn Sở Tư pháp").first.is_visible()


@pytest.mark.e2e
def test_the_tree_fits_a_phone_screen(live_server, browser, transactional_db, personas):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", personas["viewer"].username)
    page.fill("input[name=password]", "mat-khau-thu-nghiem-1")
    page.click("form [type=submit]")
    page.wait_for_url("**/orgs/**")
    assert page.get_by_text("Đảng ủy Sở Tư pháp").first.is_visible()
    # Nothing wider than the screen: no horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(live_server.url + "/orgs/u/STP/")
    assert page.get_by_text("Chi bộ 2").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The menu is folded behind a toggle and opens on tap.
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.nav-toggle-label")
    assert page.locator("nav.mainnav").is_visible()
    # The folded menu opens by keyboard too: the first Tab offers a skip link to the content, the
    # next ones reach the toggle, Space opens it, and its first link takes the next Tab.
    page.goto(live_server.url + "/orgs/u/STP/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "nav-toggle":
            break
    assert page.evaluate("document.activeElement.id") == "nav-toggle"
    assert not page.locator("nav.mainnav").is_visible()
    page.keyboard.press("Space")
    assert page.locator("nav.mainnav").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav.mainnav') !== null")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
