"""The charts in a real browser at 1366 and 390 px: no text runs into other text or into a bar, and
the page itself never scrolls sideways (a chart too wide for a phone scrolls inside its own box)."""

import pytest
from django.conf import settings

from conftest import make_unit

# Every pair of <text> boxes of each chart that overlap, and every text box lying over a bar.
OVERLAPS = """
() => {
  const out = [];
  const boxes = (svg, sel) => [...svg.querySelectorAll(sel)]
    .map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width > 0 && r.height > 0);
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const texts = boxes(svg, 'text');
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (hit(texts[i][1], texts[j][1])) out.push([texts[i][0].textContent, texts[j][0].textContent]);
      }
      for (const [, bar] of boxes(svg, 'rect.bar')) if (hit(texts[i][1], bar)) out.push([texts[i][0].textContent, 'bar']);
    }
  }
  return out;
}
"""
NAMES = [
    "Đảng ủy Trường Cao đẳng Kỹ thuật Công nghiệp và Kinh tế Kỹ thuật tỉnh",
    "Đảng ủy Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp",
    "Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Đảng ủy Sở Lao động – Thương binh và Xã hội",
    "Đảng ủy Sở Văn hóa, Thể thao và Du lịch",
    "Đảng ủy Công ty TNHH Một thành viên Xổ số kiến thiết",
]


@pytest.mark.e2e
def test_charts_never_overlap_text_at_desktop_and_phone_widths(
    live_server,
    browser,
    transactional_db,
    personas,
    tree,
    approved,
):
    from django.test import Client

    for index, name in enumerate(NAMES):
        unit = make_unit(tree.catalogue, f"L{index}", name, "grassroots", tree.root, ["admin_agency"])
        if index < 4:  # two units without figures
            approved(unit, "2026S1", {"STAFF_ELIGIBLE": 100, "STAFF_IN_MASS_ORGS": 70 + 10 * index})
    for code, eligible in (("2024S2", 80), ("2025S1", 60), ("2025S2", 40)):
        approved(tree.stp, code, {"STAFF_ELIGIBLE": 100, "STAFF_IN_MASS_ORGS": eligible})
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 100, "STAFF_IN_MASS_ORGS": 100})

    client = Client()
    client.force_login(personas["admin"])
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }
    pages = [
        "/reports/dashboard/?unit=DUK&period=2026S1&indicator=MASS_GATHERING_RATE",
        "/reports/dashboard/?unit=STP&period=2026S1&indicator=MASS_GATHERING_RATE",
        "/reports/ranking/?unit=DUK&period=2026S1&indicator=MASS_GATHERING_RATE&indicator=MEMBER_ACTIVE_RATE",
    ]
    for width in (1366, 390):
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
        context.add_cookies([{**cookie, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in pages:
            page.goto(live_server.url + url)
            assert page.locator("h1").first.is_visible()
            if "dashboard" in url:  # the bars by unit and the trend, both drawn
                assert page.locator("svg.chart-svg[role=img]:visible").count() == 2, (width, url)
            assert page.evaluate(OVERLAPS) == [], (width, url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, url)
        context.close()
    # The trend held four periods, each named in words.
    page_text = client.get(pages[1]).content.decode()
    for words in (
        "6 tháng cuối năm 2024",
        "6 tháng đầu năm 2025",
        "6 tháng cuối năm 2025",
        "6 tháng đầu năm 2026",
    ):
        assert words in page_text
