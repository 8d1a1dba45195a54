"""The unit pickers of a task and of a document's dissemination in a real browser, on a phone: the lead
chosen with the keyboard, coordinating units added as chips and one removed, then saved."""

import datetime
import os
from pathlib import Path

import pytest

from danvan.accounts.actors import System
from danvan.directives.tests.register_helpers import register
from danvan.programmes import services, specs
from danvan.programmes.models import DueRule, Programme

SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/picker2"))
SYSTEM = System("tests")


def _sign_in(page, url, user):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "mat-khau-thu-nghiem-1")
    with page.expect_navigation():
        page.click("main form [type=submit]")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _add(page, box, text, name):
    box.fill(text)
    option = page.locator(".unit-picker-list").get_by_role("option").filter(has_text=name).first
    option.wait_for()
    while box.get_attribute("aria-activedescendant") != option.get_attribute("id"):
        box.press("ArrowDown")
    box.press("Enter")


@pytest.mark.e2e
def test_a_tasks_units_are_picked_and_removed_on_a_phone(
    live_server, browser, transactional_db, tree, personas
):
    programme = Programme.objects.create(
        unit=tree.stp, title="Chương trình thử", starts_on=datetime.date(2025, 1, 1)
    )
    task = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Tổ chức quán triệt", rule=DueRule.NONE),
        by=SYSTEM,
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, live_server.url, personas["admin"])
    page.goto(f"{live_server.url}/programmes/{programme.pk}/tasks/{task.pk}/")
    lead = page.get_by_role("combobox", name="Đơn vị chủ trì")
    _add(page, lead, "chi bo", "Chi bộ 2")
    assert lead.input_value() == "Chi bộ 2"
    coordinating = page.get_by_role("combobox", name="Đơn vị phối hợp")
    _add(page, coordinating, "chi bo", "Chi bộ 1")
    _add(page, coordinating, "tu phap", "Đảng ủy Sở Tư pháp")
    chips = page.locator(".unit-chip")
    assert chips.count() == 2 and coordinating.input_value() == ""
    assert "Đã thêm:" in page.locator(".units-picker [role=status]").inner_text()
    _shot(page, "task-edit-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Xóa Đảng ủy Sở Tư pháp").click()
    assert chips.count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    task.refresh_from_db()
    assert task.lead == tree.stp_cb2 and list(task.coordinating.all()) == [tree.stp_cb1]

    document = register(tree.stp)
    page.goto(f"{live_server.url}/directives/{document.pk}/dissemination/")
    units = page.get_by_role("combobox", name="Đơn vị", exact=True)
    _add(page, units, "chi bo", "Chi bộ 1")
    _add(page, units, "chi bo", "Chi bộ 2")
    _shot(page, "dissemination-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi").click()
    assert set(document.deliveries.values_list("unit__code", flat=True)) == {"STP-CB1", "STP-CB2"}


@pytest.mark.e2e
def test_without_javascript_units_are_typed_one_per_line(
    live_server, browser, transactional_db, tree, personas
):
    document = register(tree.stp)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, live_server.url, personas["admin"])
    page.goto(f"{live_server.url}/directives/{document.pk}/dissemination/")
    page.get_by_label("Đơn vị", exact=True).fill("chi bo")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi").click()
    assert page.get_by_role("group", name="Có nhiều đơn vị khớp với “chi bo”").is_visible()
    page.get_by_label("Chi bộ 2 · Đảng ủy Sở Tư pháp").check()
    _shot(page, "dissemination-nojs-390.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi").click()
    assert list(document.deliveries.values_list("unit__code", flat=True)) == ["STP-CB2"]
