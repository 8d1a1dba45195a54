"""A job's page in a real browser: the bar moves without reloading, the download appears when done.

Screenshots go to $SHOTS_DIR when it is set (`SHOTS_DIR=/work/shots/jobs`)."""

import os

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from danvan.jobs.models import Job

SHOTS = os.environ.get("SHOTS_DIR", "")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1366, 390])
def test_a_job_page_follows_the_work_and_offers_the_file(
    live_server,
    browser,
    transactional_db,
    personas,
    width,
):
    viewer = personas["viewer"]
    job = Job.objects.create(
        kind="orgs.units_export",
        params={"format": "csv", "as_of": None},
        state=Job.State.RUNNING,
        done=1234,
        total=5000,
        created_by=viewer,
    )
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now(), heartbeat_at=timezone.now())
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(60_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", viewer.username)
    page.fill("input[name=password]", "mat-khau-thu-nghiem-1")
    page.click("form [type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # signed in: the work home

    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    bar = page.get_by_role("progressbar", name="1.234/5.000 dòng")
    assert bar.get_attribute("value") == "1234" and bar.get_attribute("max") == "5000"
    assert page.get_by_text("Đang chạy").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, f"job-running-{width}.png")

    # The script polls the status: the count moves without a reload.
    Job.objects.filter(pk=job.pk).update(done=3500, heartbeat_at=timezone.now())
    page.get_by_text("3.500/5.000 dòng").wait_for()

    # Once done, the page reloads itself and offers the file.
    job.file.save("ket-qua", ContentFile(b"code,name\r\n"), save=False)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE,
        done=5000,
        message="Đã xuất 5.000 dòng.",
        file=job.file.name,
        file_name="don-vi.csv",
    )
    page.get_by_role("link", name="Tải về don-vi.csv").wait_for()
    assert page.get_by_text("Đã hoàn thành").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, f"job-done-{width}.png")
    context.close()
