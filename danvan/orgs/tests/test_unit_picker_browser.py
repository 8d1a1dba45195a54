"""The unit picker in a real browser: typed, chosen with the keyboard on a phone, submitted."""

import os
from pathlib import Path

import pytest

from danvan.orgs import selectors
from danvan.orgs.models import Unit

SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/picker"))


def _sign_in(page, url, user):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "mat-khau-thu-nghiem-1")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert "/accounts/login/" not in page.url, page.content()[:3000]


def _shot(page, name, *, full_page=True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


@pytest.mark.e2e
def test_a_unit_is_chosen_with_the_keyboard_on_a_phone(live_server, browser, transactional_db, personas):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, live_server.url, personas["admin"])
    page.goto(live_server.url + "/orgs/u/SYT-CB1/move/")
    box = page.get_by_role("combobox", name="Đơn vị cấp trên mới")
    box.fill("chi bo")

    options = page.locator(".unit-picker-list").get_by_role("option")
    options.first.wait_for()
    assert options.count() == 3
    assert "Chi bộ 1" in options.nth(0).inner_text() and "Đảng ủy Sở Tư pháp" in options.nth(0).inner_text()
    assert page.get_by_role("status").inner_text().startswith("Tìm thấy 3 đơn vị")
    assert box.get_attribute("aria-expanded") == "true"
    _shot(page, "picker-390-open.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    box.press("ArrowDown")
    second = options.nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")  # opens the list again, the first one active
    options.first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")

    assert box.input_value() == "Chi bộ 2"
    assert (
        page.locator(".unit-picker-path").inner_text()
        == "Chi bộ 2 · Đảng ủy Sở Tư pháp · Đảng ủy Khối các cơ quan tỉnh"
    )
    assert box.get_attribute("aria-expanded") == "false"
    _shot(page, "picker-390-chosen.png")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/orgs/u/SYT-CB1/")
    assert selectors.version_of(Unit.objects.get(code="SYT-CB1")).parent.code == "STP-CB2"
    context.close()


@pytest.mark.e2e
def test_the_picker_on_a_wide_screen_and_without_javascript(live_server, browser, transactional_db, personas):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, live_server.url, personas["admin"])
    page.goto(live_server.url + "/audit/")
    page.get_by_role("combobox", name="Đơn vị").fill("y te")
    page.locator(".unit-picker-list").get_by_role("option").first.wait_for()
    _shot(page, "picker-1366-audit-filter.png", full_page=False)
    context.close()

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, live_server.url, personas["admin"])
    page.goto(live_server.url + "/orgs/u/SYT-CB1/move/")
    page.fill("input[name=parent_code]", "chi bo")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Có nhiều đơn vị khớp với “chi bo”").wait_for()
    _shot(page, "picker-390-nojs-choices.png")
    page.get_by_label("Chi bộ 1 · Đảng ủy Sở Tư pháp · Đảng ủy Khối các cơ quan tỉnh").check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/orgs/u/SYT-CB1/")
    assert selectors.version_of(Unit.objects.get(code="SYT-CB1")).parent.code == "STP-CB1"
    context.close()
