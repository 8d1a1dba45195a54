"""Workplace democracy: the staff conference's rules (quorum, majority, dates, scope), the agencies'
standing for a year, the disclosure checklist, the pages, the API and the resolution file."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.activities.workplace import selectors, services, worklist
from danvan.activities.workplace.models import REQUIRED, Category, Conference, Disclosure, Form, quorum

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
ON_TIME = datetime.date(YEAR + 1, 1, 15) if datetime.date(YEAR + 1, 1, 15) <= TODAY else TODAY


def spec(unit, **extra):
    values = {
        "unit": unit,
        "year": YEAR,
        "held_on": ON_TIME,
        "staff_count": 30,
        "attendees": 20,
        "valid": True,
        "resolution_adopted": True,
        "votes_for": 11,
    }
    values.update(extra)
    return services.ConferenceSpec(**values)


def refused(error, field):
    return " ".join(error.value.message_dict[field])


def test_quorum_is_two_thirds_rounded_up():
    assert quorum(30) == 20
    assert quorum(31) == 21
    assert quorum(7) == 5
    assert quorum(1) == 1


def test_a_conference_at_the_quorum_with_a_majority_is_saved(tree, personas):
    conference = services.conference_save(spec=spec(tree.stp), by=personas["mobilisation_officer"])
    assert conference.valid and conference.resolution_adopted and conference.quorum == 20
    assert conference.on_time


def test_valid_below_the_quorum_is_refused_and_nothing_saved(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, attendees=19, votes_for=15), by=personas["unit_head"])
    assert "hai phần ba" in refused(error, "valid") and "20" in refused(error, "valid")
    assert not Conference.objects.exists()
    # The same attendance, not marked valid (and so no resolution), is recorded as it happened.
    saved = services.conference_save(
        spec=spec(tree.stp, attendees=19, valid=False, resolution_adopted=False, votes_for=None),
        by=personas["unit_head"],
    )
    assert not saved.valid


def test_a_resolution_needs_more_than_half_of_the_attendees(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, attendees=20, votes_for=10), by=personas["reporter"])
    assert "trên một nửa (11 người)" in refused(error, "resolution_adopted")
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, valid=False), by=personas["reporter"])
    assert "resolution_adopted" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, votes_for=25), by=personas["reporter"])
    assert "votes_for" in error.value.message_dict
    assert not Conference.objects.exists()


def test_dates_counts_and_a_second_conference_are_refused(tree, personas):
    officer = personas["mobilisation_officer"]
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, held_on=TODAY + datetime.timedelta(days=1)), by=officer)
    assert "tương lai" in refused(error, "held_on")
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, held_on=datetime.date(YEAR - 1, 12, 1)), by=officer)
    assert "held_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp, attendees=31), by=officer)
    assert "attendees" in error.value.message_dict
    services.conference_save(spec=spec(tree.stp), by=officer)
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.stp), by=officer)
    assert "year" in error.value.message_dict
    assert Conference.objects.count() == 1


def test_a_unit_outside_the_scope_is_refused_as_unknown(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.conference_save(spec=spec(tree.syt), by=personas["mobilisation_officer"])
    assert refused(error, "unit") == "Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn."
    with pytest.raises(ValidationError):
        services.disclosure_save(
            spec=services.DisclosureSpec(
                unit=tree.syt,
                category=Category.PLANS,
                title="Kế hoạch",
                disclosed_on=TODAY,
                form=Form.MEETING,
            ),
            by=personas["mobilisation_officer"],
        )
    assert not Conference.objects.exists() and not Disclosure.objects.exists()


def test_standing_on_time_late_pending_and_missing(tree, personas, catalogue):
    from conftest import make_unit

    third = make_unit(catalogue, "SNV", "Đảng ủy Sở Nội vụ", "grassroots", tree.root, ["admin_agency"])
    admin = personas["admin"]
    Conference.objects.create(
        unit=tree.stp, year=2024, held_on=datetime.date(2025, 3, 31), staff_count=9, attendees=9
    )
    Conference.objects.create(
        unit=tree.syt, year=2024, held_on=datetime.date(2025, 4, 1), staff_count=9, attendees=9
    )
    rows = {
        row.unit.code: row.state for row in selectors.standings(admin, 2024, day=datetime.date(2025, 4, 2))
    }
    assert rows == {"STP": selectors.ON_TIME, "SYT": selectors.LATE, "SNV": selectors.MISSING}
    before = selectors.standings(admin, 2024, day=datetime.date(2025, 3, 1))
    assert {row.unit.code: row.state for row in before}["SNV"] == selectors.PENDING
    # Cells (no agency group) owe no conference; the officer of STP sees STP only.
    assert [row.unit.code for row in selectors.standings(personas["mobilisation_officer"], 2024)] == ["STP"]
    assert third.code == "SNV"


def test_the_checklist_shows_what_is_missing(tree, personas):
    officer = personas["mobilisation_officer"]
    day = datetime.date(YEAR, 6, 1)
    for category in (Category.PLANS, Category.BUDGET, Category.OTHER):
        services.disclosure_save(
            spec=services.DisclosureSpec(
                unit=tree.stp,
                category=category,
                title=f"Công khai {category}",
                disclosed_on=day,
                form=Form.NOTICE_BOARD,
            ),
            by=officer,
        )
    lines = {line.category: line for line in selectors.checklist(tree.stp, YEAR)}
    assert set(lines) == set(REQUIRED)
    assert lines[Category.PLANS].done and lines[Category.PLANS].last_on == day
    assert not lines[Category.RULES].done
    assert selectors.missing_counts([tree.stp], YEAR) == {tree.stp.pk: len(REQUIRED) - 2}
    assert selectors.missing_counts([tree.stp], YEAR - 1) == {tree.stp.pk: len(REQUIRED)}


def test_disclosure_refuses_a_future_date_and_an_unknown_category(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.disclosure_save(
            spec=services.DisclosureSpec(
                unit=tree.stp,
                category="x",
                title="",
                disclosed_on=TODAY + datetime.timedelta(days=3),
                form="y",
            ),
            by=personas["mobilisation_officer"],
        )
    assert {"category", "title", "disclosed_on", "form"} <= set(error.value.message_dict)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_show_the_scope_only(tree, personas):
    Conference.objects.create(
        unit=tree.syt, year=YEAR, held_on=ON_TIME, staff_count=9, attendees=9, notes="SYT-NOTE"
    )
    client = _client(personas["mobilisation_officer"])
    page = client.get(reverse("workplace:home"), {"year": YEAR}).content.decode()
    assert "Đảng ủy Sở Tư pháp" in page and "Đảng ủy Sở Y tế" not in page
    other = Conference.objects.get(unit=tree.syt)
    assert client.get(reverse("workplace:conference", args=[other.pk])).status_code == 404
    assert client.get(reverse("workplace:checklist", args=["SYT"])).status_code == 404
    admin_page = _client(personas["admin"]).get(reverse("workplace:home"), {"year": YEAR}).content.decode()
    assert "Đảng ủy Sở Y tế" in admin_page


def test_the_form_refuses_a_valid_conference_below_the_quorum(tree, personas):
    client = _client(personas["mobilisation_officer"])
    response = client.post(
        reverse("workplace:conference_add"),
        {
            "unit": "STP",
            "year": YEAR,
            "held_on": ON_TIME.strftime("%d/%m/%Y"),
            "staff_count": 30,
            "attendees": 10,
            "valid": "on",
        },
    )
    assert response.status_code == 200
    assert "hai phần ba" in response.content.decode()
    assert not Conference.objects.exists()


def test_the_xlsx_lists_the_agencies(tree, personas):
    response = _client(personas["admin"]).get(reverse("workplace:conferences_xlsx"), {"year": YEAR})
    assert response.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert "STP" in values and "SYT" in values


def test_api_scope_and_refusals(tree, personas):
    client = _client(personas["mobilisation_officer"])
    url = reverse("staff-conference-list")
    body = {"unit": "SYT", "year": YEAR, "held_on": ON_TIME.isoformat(), "staff_count": 9, "attendees": 9}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "unit" in response.json()
    body.update(unit="STP", attendees=5, valid=True)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "valid" in response.json()
    body.update(attendees=6)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["quorum"] == 6
    Conference.objects.create(unit=tree.syt, year=YEAR, held_on=ON_TIME, staff_count=9, attendees=9)
    listed = client.get(url).json()
    assert [row["unit"] for row in listed["results"]] == ["STP"]
    viewer = _client(personas["viewer"])
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, body, content_type="application/json").status_code == 403


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_resolution_upload_accepts_pdf_refuses_other_kinds_and_downloads_in_scope(
    tree, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = _client(personas["mobilisation_officer"])
    conference = services.conference_save(spec=spec(tree.stp), by=personas["mobilisation_officer"])
    url = reverse("staff-conference-resolution", args=[conference.pk])
    bad = SimpleUploadedFile("nghi-quyet.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    assert client.post(url, {"file": bad}).status_code == 400
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    ok = client.post(url, {"file": SimpleUploadedFile("nghi-quyet.pdf", pdf, content_type="application/pdf")})
    assert ok.status_code == 200, ok.content
    conference.refresh_from_db()
    assert conference.resolution_name == "nghi-quyet.pdf"
    download = client.get(reverse("workplace:resolution", args=[conference.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert (
        _client(personas["outsider"]).get(reverse("workplace:resolution", args=[conference.pk])).status_code
        == 404
    )


def test_a_file_for_a_resolution_not_adopted_is_refused(tree, personas):
    from danvan.core import uploads

    checked = uploads.Checked(name="a.pdf", content_type="application/pdf", content=b"%PDF-1.4")
    with pytest.raises(ValidationError) as error:
        services.conference_save(
            spec=spec(tree.stp, resolution_adopted=False, votes_for=None),
            upload=checked,
            by=personas["unit_head"],
        )
    assert "resolution_file" in error.value.message_dict


def test_the_work_home_lists_agencies_without_last_years_conference(tree, personas):
    officer = personas["mobilisation_officer"]
    far = datetime.date(TODAY.year, 1, 1)
    if (datetime.date(TODAY.year, 3, 31) - far).days > worklist.NEAR_DAYS:
        assert worklist.conferences_due(officer, far, 10).total == 0
    late = datetime.date(TODAY.year, 4, 5)
    found = worklist.conferences_due(officer, late, 10)
    assert [item.unit for item in found.items] == ["Đảng ủy Sở Tư pháp"]
    Conference.objects.create(unit=tree.stp, year=TODAY.year - 1, held_on=ON_TIME, staff_count=9, attendees=9)
    assert worklist.conferences_due(officer, late, 10).total == 0
    assert worklist.conferences_due(personas["viewer"], late, 10).total == 0


def test_an_officer_above_the_agencies_gets_one_line_counting_them(tree, personas):
    """The bloc's officer sees one line for the agencies below that owe their conference, not one per agency
    (dozens on a real bloc), linking to the year's list."""
    from conftest import make_user
    from danvan.accounts.models import Role

    bloc_officer = make_user("officer_duk", unit=tree.root, role=Role.MOBILISATION_OFFICER)
    late = datetime.date(TODAY.year, 4, 5)
    found = worklist.conferences_due(bloc_officer, late, 10)
    assert found.total == 1
    (item,) = found.items
    assert (
        item.title
        == f"2 cơ quan chưa tổ chức hội nghị cán bộ, công chức, viên chức tổng kết năm {TODAY.year - 1}"
    )
    assert item.unit == tree.root.name and f"unit={tree.root.code}" in item.url
    Conference.objects.create(unit=tree.stp, year=TODAY.year - 1, held_on=ON_TIME, staff_count=9, attendees=9)
    (item,) = worklist.conferences_due(bloc_officer, late, 10).items
    assert item.title.startswith("1 cơ quan chưa tổ chức")
