"""The API tokens page and the two-step sign-in pages in a real browser, on a phone (390 px): what a
person sees and reaches by keyboard."""

from binascii import unhexlify

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core.testing.browser import check_accessibility

PASSWORD = "mat-khau-thu-nghiem-1"  # conftest.make_user's


def _sign_in(page, base: str, user) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) [type=submit]")


def _tab_to(page, text: str, most: int = 15) -> None:
    """Tab until the control whose text is `text` has the focus; fail if it never does."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(document.activeElement.innerText || '').trim()") == text:
            return
    pytest.fail(f"Tab never reached “{text}”")


@pytest.mark.e2e
def test_the_second_step_on_a_phone_shows_no_menu_and_a_visible_way_out(
    live_server, browser, transactional_db, personas
):
    admin = personas["admin"]
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server.url, admin)
    assert "/accounts/second-factor/" in page.url
    # Every link of the menu would lead back here: none is shown, nor the counts of work.
    assert page.locator("nav.mainnav").count() == 0
    assert page.locator(".userbox").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Signing out is readable on the white card (it was white on white), and reached by keyboard.
    logout = page.locator("main button.link", has_text="Đăng xuất")
    assert logout.is_visible()
    colour = logout.evaluate("e => getComputedStyle(e).color")
    assert colour not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    page.locator("input[name=code]").focus()
    _tab_to(page, "Tiếp tục")
    _tab_to(page, "Đăng xuất", most=2)
    check_accessibility(page, "second step")

    page.fill("input[name=code]", "")
    with page.expect_navigation():
        page.click("form:has(input[name=code]) [type=submit]")
    assert page.get_by_text("Hãy nhập mã.").is_visible()
    page.fill("input[name=code]", f"{totp(unhexlify(device.key)):06d}")
    with page.expect_navigation():
        page.click("form:has(input[name=code]) [type=submit]")
    assert "/accounts/second-factor/" not in page.url
    assert page.locator("nav.mainnav").count() == 1  # verified, the menu is back


@pytest.mark.e2e
def test_the_tokens_page_on_a_phone_stacks_each_token_and_reaches_revoke(
    live_server, browser, transactional_db, personas
):
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server.url, personas["viewer"])
    page.goto(live_server.url + "/accounts/tokens/")
    # No token yet: the page says what one is for and what to do.
    empty = page.locator(".token-empty")
    assert empty.is_visible()
    assert "chương trình khác" in empty.inner_text() and "tạo khóa" in empty.inner_text()
    check_accessibility(page, "tokens, empty")

    page.fill("input[name=name]", "Ứng dụng thống kê quận với một cái tên khá dài để thử bảng")
    with page.expect_navigation():
        page.click("form:has(input[name=name]) [type=submit]")
    assert page.locator("#token-secret").is_visible()
    page.goto(live_server.url + "/accounts/tokens/")
    # Nothing wider than the screen, and the revoke link is on it without scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".token-list a", has_text="Thu hồi").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    # Each cell says what it is (its column's name) now the header row is hidden.
    assert page.locator(".token-list td[data-label='Ngày tạo']").is_visible()
    check_accessibility(page, "tokens, one")
