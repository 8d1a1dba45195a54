"""A complaint accepted at the desk, then reclassified as a denunciation: the register hides the denouncer.

The entry was written as a complaint (its own flag unset); the case it opened became a denunciation
later (voice's case_classify protects the case's identity). Everywhere the register shows who came
(the page, the print, the XLSX, the entry's page) the case's protection counts as the entry's own.
"""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danvan.reception import privacy, register, selectors, services
from danvan.reception.models import Entry, Handling, IdentityView
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Kind

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
D = datetime.date
APRIL = D(LAST_YEAR, 4, 2)
NAME = "Đinh Thị Đổi Loại"
ID_NUMBER = "075000333444"
PROTECTED = "(được bảo vệ)"


@pytest.fixture
def rules(db):
    """The statutory rules (a reclassification restarts the clocks of the new kind)."""
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)


def accepted_complaint(unit, by, *, name=NAME, day=APRIL) -> Entry:
    return services.entry_record(
        spec=services.NewEntry(
            unit=unit,
            received_on=day,
            kind=Kind.COMPLAINT_FIRST,
            content="Khiếu nại việc thu hồi đất; trình bày thêm về sai phạm của cán bộ địa chính.",
            receiver="Trần Thị Tiếp",
            name=name,
            address="12 Võ Thị Sáu, Biên Hòa",
            id_number=ID_NUMBER,
            handling=Handling.ACCEPT,
        ),
        by=by,
    )


def reclassify(entry: Entry, by) -> None:
    cases.case_classify(
        case=entry.case,
        spec=cases.Classification(
            kind=Kind.DENUNCIATION, reason="Nội dung thực chất là tố cáo cán bộ địa chính."
        ),
        by=by,
    )


@pytest.fixture
def reclassified(tree, personas, rules):
    handler = personas["case_handler"]
    entry = accepted_complaint(tree.stp, handler)
    reclassify(entry, handler)
    entry.refresh_from_db()
    assert not entry.identity_protected and entry.case.identity_protected  # the situation under test
    return entry


def urls(entry: Entry) -> dict:
    query = f"?year={LAST_YEAR}"
    return {
        "register": reverse("reception:register", args=["STP"]) + query,
        "print": reverse("reception:print", args=["STP"]) + query,
        "entry": reverse("reception:entry", args=[entry.pk]),
        "xlsx": reverse("reception:xlsx", args=["STP"]) + query,
    }


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        return "\n".join(
            str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None
        )
    return response.content.decode()


@pytest.mark.parametrize("who", ["unit_head", "admin", "mobilisation_officer"])
def test_the_denouncer_of_a_reclassified_case_is_masked_for_everyone_but_the_units_handlers(
    who, reclassified, personas, login
):
    client = login(personas[who])
    for name, url in urls(reclassified).items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = text_of(response)
        assert NAME not in text and ID_NUMBER not in text, name
        assert PROTECTED in text, name
    assert not IdentityView.objects.exists()


def test_the_case_handler_of_the_unit_still_sees_the_denouncer_and_each_view_is_logged(
    reclassified, personas, login
):
    client = login(personas["case_handler"])
    for name, url in urls(reclassified).items():
        text = text_of(client.get(url))
        assert NAME in text and ID_NUMBER in text, name
    logged = IdentityView.objects.filter(entry=reclassified, user=personas["case_handler"])
    assert sorted(logged.values_list("what", flat=True)) == ["entry", "print", "register", "xlsx"]


def test_one_rule_decides_whether_an_entry_is_protected(tree, personas, rules):
    handler = personas["case_handler"]
    entry = accepted_complaint(tree.stp, handler)
    assert not privacy.is_protected(entry)
    assert NAME in privacy.shown_identity(personas["unit_head"], entry)
    reclassify(entry, handler)
    entry = Entry.objects.select_related("case", "unit").get(pk=entry.pk)
    assert privacy.is_protected(entry)
    assert privacy.shown_identity(personas["unit_head"], entry) == PROTECTED
    seen: list = []
    assert NAME in privacy.shown_identity(handler, entry, seen=seen) and seen == [entry]


def test_reading_the_register_costs_the_same_queries_for_one_reclassified_entry_or_several(
    tree, personas, rules
):
    handler = personas["case_handler"]
    reclassify(accepted_complaint(tree.stp, handler, day=D(LAST_YEAR, 1, 5)), handler)

    def count() -> int:
        entries = selectors.register_entries(tree.stp, D(LAST_YEAR, 1, 1), D(LAST_YEAR, 12, 31))
        with CaptureQueriesContext(connection) as queries:
            table = register.rows(personas["unit_head"], entries, what="register")
        assert all(row["person"] == PROTECTED for row in table)
        return len(queries)

    count()  # the policy caches the user's roles on the first read
    one = count()
    for day in (6, 7, 8):
        reclassify(
            accepted_complaint(tree.stp, handler, name=f"Người {day}", day=D(LAST_YEAR, 1, day)), handler
        )
    assert count() == one
