"""The workplace registers in the activities registry: the staff conference (`--kind staff_conference`)
and the disclosures to staff (`--kind disclosure`), each importable and with its figures for the
activities overview."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Figure, Register
from danvan.activities.registers import register as add

from . import selectors, services


def conference_figures(user, year: int) -> list[Figure]:
    rows = selectors.standings(user, year)
    counts = selectors.count_states(rows)
    held = counts[selectors.ON_TIME] + counts[selectors.LATE]
    url = f"{reverse('workplace:home')}?year={year}"
    return [
        Figure(_("Agencies that held the staff conference"), f"{held}/{len(rows)}", url),
        Figure(_("Held late"), str(counts[selectors.LATE]), url),
    ]


def disclosure_figures(user, year: int) -> list[Figure]:
    units = selectors.agencies(user, year)
    missing = selectors.missing_counts(units, year)
    url = f"{reverse('workplace:disclosures')}?year={year}"
    return [
        Figure(_("Required disclosures still missing"), str(sum(missing.values())), url),
        Figure(
            _("Agencies that disclosed every required content"),
            f"{sum(1 for count in missing.values() if count == 0)}/{len(units)}",
            url,
        ),
    ]


def register() -> None:
    add(
        Register(
            key="staff_conference",
            label=gettext_lazy("Staff conferences"),
            url_name="workplace:home",
            order=20,
            overview=conference_figures,
            columns=services.CONFERENCE_COLUMNS,
            optional=services.CONFERENCE_OPTIONAL,
            import_rows=services.conferences_import,
            example=(
                ("STP", 2025, "15/01/2026", 42, 38, "có", 36, "có", "Hội nghị cán bộ, công chức năm 2025"),
                ("SYT", 2025, "2026-02-10", 25, 16, "không", "", "không", "Chưa đủ hai phần ba, họp lại sau"),
            ),
        )
    )
    add(
        Register(
            key="disclosure",
            label=gettext_lazy("Disclosures to staff"),
            url_name="workplace:disclosures",
            order=40,
            overview=disclosure_figures,
            columns=services.DISCLOSURE_COLUMNS,
            optional=services.DISCLOSURE_OPTIONAL,
            import_rows=services.disclosures_import,
            example=(
                (
                    "STP",
                    "Kế hoạch công tác hằng năm, hằng quý, hằng tháng",
                    "Kế hoạch công tác năm 2026",
                    "05/01/2026",
                    "Niêm yết tại trụ sở",
                    "năm 2026",
                ),
                (
                    "STP",
                    "Dự toán, quyết toán kinh phí; tài sản, trang thiết bị; kết quả kiểm toán",
                    "Dự toán ngân sách năm 2026",
                    "2026-01-20",
                    "Thông báo tại hội nghị, cuộc họp",
                    "năm 2026",
                    "Công bố dự toán được giao và phương án phân bổ",
                ),
            ),
        )
    )
