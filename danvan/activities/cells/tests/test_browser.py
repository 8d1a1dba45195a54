"""The register and the coverage on a phone (390 px): nothing wider than the screen, no serious
accessibility violation, the cell without a meeting marked."""

import datetime
import os
from pathlib import Path

import pytest

from danvan.activities.cells.models import Meeting
from danvan.core.testing.browser import check_accessibility

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/cells-shots"))
WIDTH = 390


def _sign_in(page, url, user):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "mat-khau-thu-nghiem-1")
    with page.expect_navigation():
        page.click("main form [type=submit]")


@pytest.mark.e2e
def test_the_list_and_the_coverage_fit_a_phone(live_server, browser, transactional_db, tree, personas):
    day = datetime.date(datetime.date.today().year, 1, 5)
    Meeting.objects.create(
        unit=tree.stp_cb1, held_on=day, topic="Quán triệt Quy chế dân chủ ở cơ sở trong cơ quan", attendees=12
    )
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, live_server.url, personas["mobilisation_officer"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in (("/activities/cells/", "list"), ("/activities/cells/coverage/", "coverage")):
        page.goto(live_server.url + path)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, name
        check_accessibility(page, name)
    assert page.locator("tr[data-missing]").count() == 1
    assert "1/2 chi bộ (50 %)" in page.content()
