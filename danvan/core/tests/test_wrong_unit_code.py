"""A unit code that names no unit, typed or pasted into an address, gets the Vietnamese "page not found"
page (404) — not a server error, not a blank page — on every kind of page taking a unit code."""

import pytest

pytestmark = pytest.mark.django_db

WRONG = ["KHONG-CO", "Đơn-vị", "A" * 300, "STP%00", "%3Cscript%3E"]
PAGES = [
    "/orgs/u/{code}/",
    "/orgs/u/{code}/children/",
    "/orgs/u/{code}/change/",
    "/orgs/u/{code}/regulation/file/",
    "/reception/units/{code}/",
    "/reception/units/{code}/register.xlsx",
    "/reports/BC-DV-6T/{code}/2026S1/",
    "/reports/BC-DV-6T/{code}/2026S1/template.xlsx",
    "/reports/BC-DV-6T/{code}/2026S1/upload/",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("code", WRONG)
def test_a_wrong_unit_code_gets_the_vietnamese_404(page, code, personas, login):
    response = login(personas["admin"]).get(page.format(code=code))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize("page", [page for page in PAGES if "regulation/file" not in page])  # STP has no file
def test_the_same_pages_exist_for_a_real_unit(page, personas, login):
    """So that the 404s above come from the unit code, not from a mistyped address."""
    response = login(personas["admin"]).get(page.format(code="STP"))
    assert response.status_code != 404
