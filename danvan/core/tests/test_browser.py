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

    # Signed in, the official lands on their work; the organisation tree is in the menu.
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Việc cần làm").is_visible()
    page.goto(live_server.url + "/orgs/")
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
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/orgs/")
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


@pytest.mark.e2e
def test_the_grouped_menu_fits_one_row_at_1024_px_and_opens_by_keyboard_on_a_phone(
    live_server, browser, transactional_db, personas
):
    def signed_in(width: int, height: int):
        page = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN").new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", personas["admin"].username)
        page.fill("input[name=password]", "mat-khau-thu-nghiem-1")
        page.click("form [type=submit]")
        page.wait_for_url(live_server.url + "/")
        return page

    page = signed_in(1024, 768)
    assert page.get_by_role("heading", name="Việc cần làm").is_visible()
    nav = page.locator("nav.mainnav")
    row = page.locator("nav.mainnav > details > summary").first.bounding_box()["height"]
    assert nav.bounding_box()["height"] < 2 * row  # one row, not wrapped
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    # A group opens by keyboard, shows its links, and Escape closes it.
    group = page.locator("details.navgroup", has=page.locator("summary", has_text="Quản trị"))
    group.locator("summary").focus()
    page.keyboard.press("Enter")
    assert group.get_by_role("link", name="Nhật ký hệ thống").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Người dùng và vai trò")
    page.keyboard.press("Escape")
    assert not group.get_by_role("link", name="Nhật ký hệ thống").is_visible()

    phone = signed_in(390, 844)
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
    for _ in range(3):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.id") == "nav-toggle":
            break
    assert not phone.locator("nav.mainnav").is_visible()
    phone.keyboard.press("Space")
    assert phone.locator("nav.mainnav").is_visible()
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")  # past "Việc cần làm", to the first group
    assert phone.evaluate("document.activeElement.textContent").startswith("Báo cáo")
    phone.keyboard.press("Enter")
    assert phone.get_by_role("link", name="Bảng điều khiển").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.e2e
def test_the_journeys_csp_watch_sees_what_the_browser_refuses(browser):
    """The journeys fail on a Content-Security-Policy violation: the watch records an inline script,
    an inline event handler and an inline style the policy refuses, and nothing on a clean page."""
    from danvan.core.testing.browser import check_csp, watch_csp

    policy = "default-src 'self'; script-src 'self'; style-src 'self'"
    pages = {
        "/bad": "<p style='color:red'>x</p><script>document.title = 'ran'</script>"
        "<button id='b' onclick='document.title = \"clicked\"'>b</button>",
        "/good": "<p>Chào</p>",
    }
    page = browser.new_page()
    page.route(
        "http://csp.test/**",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy},
            body="<!DOCTYPE html><html><body>"
            + pages[route.request.url.removeprefix("http://csp.test")]
            + "</body></html>",
        ),
    )
    violations = watch_csp(page)
    page.goto("http://csp.test/good")
    check_csp(page)
    page.goto("http://csp.test/bad")
    page.click("#b")
    assert page.title() != "ran" and page.title() != "clicked"
    page.wait_for_function("true")
    text = "\n".join(violations)
    assert "script-src" in text and "style-src" in text, text
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        check_csp(page)
    page.close()


@pytest.mark.e2e
def test_behaviours_moved_out_of_inline_handlers_work_under_the_policy(
    live_server, browser, transactional_db, tree, personas, login
):
    """The language switch sends itself, a print sheet's button prints and the API docs page draws
    Swagger UI, all from static scripts: no Content-Security-Policy violation on the way."""
    from danvan.core.testing.browser import check_csp, watch_csp

    session = login(personas["admin"]).cookies["sessionid"].value
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    context.add_init_script("window.print = function () { document.body.dataset.printed = '1'; };")
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch_csp(page)

    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .info").wait_for()

    page.goto(live_server.url + "/reception/units/STP/print/")
    page.get_by_role("button", name="In").click()
    assert page.locator("body[data-printed='1']").count() == 1

    page.goto(live_server.url + "/")
    page.locator("details.userbox summary").click()
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    check_csp(page)
    context.close()
