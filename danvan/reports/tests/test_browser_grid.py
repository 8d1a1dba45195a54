"""The data entry grid in a real browser: type, press Enter, the value is saved; text is refused."""

import time

import pytest
from django.conf import settings
from django.db import OperationalError
from playwright.sync_api import expect

from danvan.reports.models import DataValue


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:  # SQLite's shared in-memory database while the server writes
            pass
        time.sleep(0.2)
    return False


@pytest.mark.e2e
def test_a_reporter_types_values_in_the_grid_and_they_are_saved_as_she_goes(
    live_server,
    browser,
    transactional_db,
    personas,
    indicators,
    tree,
    prepare,
):
    from django.test import Client

    prepare("2026S1")  # as the nightly job does: the grid only reads the period

    client = Client()
    client.force_login(personas["reporter"])
    context = browser.new_context(locale="vi-VN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/reports/BC-DV-6T/STP/2026S1/")

    total = page.locator("input[name=v_MEMBERS_TOTAL]")
    total.fill("1673")
    total.press("Enter")
    # Enter moves to the next row
    assert page.evaluate("document.activeElement.name") == "v_MEMBERS_ACTIVE"

    def saved():
        return DataValue.objects.filter(unit=tree.stp, element__code="MEMBERS_TOTAL", value=1673).exists()

    # the answer came back: the cell shows the number the Vietnamese way
    expect(page.locator("input[name=v_MEMBERS_TOTAL]")).to_have_value(
        "1.673"
    )  # (no eval: the CSP allows none)
    assert _wait_for(saved), "the value typed in the grid reached the database"

    active = page.locator("input[name=v_MEMBERS_ACTIVE]")
    active.fill("abc")
    active.press("Enter")
    error = page.locator("tr[data-code=MEMBERS_ACTIVE] .cell-error")
    error.wait_for(state="visible")
    assert "không phải là số" in error.inner_text()
    assert _wait_for(
        lambda: not DataValue.objects.filter(unit=tree.stp, element__code="MEMBERS_ACTIVE").exists()
    )

    # ArrowUp goes back to the previous row
    page.evaluate("document.querySelector('input[name=v_MEMBERS_ACTIVE]').focus()")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == "v_MEMBERS_TOTAL"
    context.close()
