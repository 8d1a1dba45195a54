"""A denouncer's identity reaches nobody but the case handlers of the case's unit, by any road.

A denunciation lives a while (received, classified, accepted, verified, its identity seen and
corrected, its scan downloaded, a register entry at the desk, reminders sent); then every other
role — the bloc administrator and a superuser included — reads every page, export, API response,
audit record and e-mail that exists, and none of them holds the name, phone, e-mail or identity
document number. Nor do error reports, the admin site or the database's audit rows.
"""

import io
import json
import logging

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter
from openpyxl import load_workbook

from danvan.accounts.models import Role, User
from danvan.audit.models import AuditEvent
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import CaseEvent, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity, IdentityAccess

from .test_identity import DAY, PERSON, SCAN, SECRETS, add_attachment, others, page  # noqa: F401 (fixture)

CORRECTED = {**PERSON, "phone": "0911 222 333"}
ALL_SECRETS = (*SECRETS, "0911 222 333", "0911222333")


def leaks(text: str) -> list[str]:
    """The secrets found in `text`, as they are or as JSON escapes them."""
    found = []
    for secret in ALL_SECRETS:
        if secret in text or json.dumps(secret)[1:-1] in text:
            found.append(secret)
    return found


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return body.decode("utf-8", errors="replace")


@pytest.fixture
def story(tree, rules, personas, login, settings):
    """A denunciation at STP through its life; returns the case, its tracking code and its scan."""
    from danvan.reception.services import NewEntry, entry_record

    handler = personas[Role.CASE_HANDLER]
    User.objects.filter(pk__in=[handler.pk, personas[Role.UNIT_HEAD].pk]).update(email="canbo@example.vn")
    case, code = cases.case_receive(
        spec=cases.NewCase(
            unit=tree.stp,
            kind=Kind.DENUNCIATION,
            channel="post",
            subject="Tố cáo hành vi nhận hối lộ",
            content="Nội dung tố cáo chi tiết.",
            received_on=DAY,
            identity=PERSON,
        ),
        by=handler,
        with_tracking_code=True,
    )
    scan = add_attachment(case, SCAN, protected=True, name="CCCD Lê Thị Bảo Mật.pdf")
    cases.case_classify(
        case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, is_complex=True), by=handler
    )
    cases.case_accept(case=case, day=DAY, by=handler)
    cases.case_verify(case=case, day=DAY, by=handler)
    client = login(handler)
    assert client.get(page(case)).status_code == 200
    assert client.post(page(case), CORRECTED).status_code == 302
    assert client.get(reverse("voice:attachment", args=[scan.token])).content == SCAN
    entry_record(
        spec=NewEntry(
            unit=tree.stp,
            received_on=DAY,
            kind=Kind.DENUNCIATION,
            content="Tố cáo trực tiếp tại buổi tiếp công dân.",
            receiver="Cán bộ tiếp dân",
            name=PERSON["name"],
            address=PERSON["address"],
            id_number=PERSON["id_number"],
        ),
        by=handler,
    )
    from danvan.voice.tasks import send_case_reminders

    send_case_reminders()
    return case, code, scan


def case_file_urls(case) -> list[str]:
    """Pages and API responses about the case, which carry no identity even to its handler."""
    api = f"/api/v1/cases/{case.pk}/"
    return [
        reverse("voice:case_detail", args=[case.pk]),
        reverse("voice:case_list"),
        "/api/v1/cases/",
        api,
        api + "events/",
        api + "clocks/",
    ]


def audit_urls() -> list[str]:
    """The log's list, exports and API (every event), and each event of the identity or the register."""
    urls = ["/audit/", "/audit/export.csv", "/audit/export.xlsx", "/api/v1/audit-events/"]
    mine = AuditEvent.objects.filter(model__in=["voice.identity", "reception.entry"])
    for pk in mine.values_list("pk", flat=True):
        urls += [f"/audit/{pk}/", f"/api/v1/audit-events/{pk}/"]
    return urls


REGISTER_URLS = [
    "/reception/units/STP/?year=2026",
    "/reception/units/STP/print/?year=2026",
    "/reception/units/STP/register.xlsx?year=2026",
]


def test_no_other_role_finds_the_identity_anywhere(story, others, login):  # noqa: F811
    case, _code, scan = story
    seen_before = IdentityAccess.objects.count()
    urls = case_file_urls(case) + audit_urls() + REGISTER_URLS + [page(case)]
    urls.append(reverse("voice:attachment", args=[scan.token]))
    opened = 0
    for label, (user, _status) in others.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), (label, url, response.status_code)
            opened += response.status_code == 200
            assert not leaks(text_of(response)), (label, url, leaks(text_of(response)))
    assert opened > 60  # the pages were really read, not just refused
    assert IdentityAccess.objects.count() == seen_before  # nobody else saw it


def test_the_bloc_administrator_reads_the_whole_audit_trail_of_the_case_without_the_identity(
    story, personas, login
):
    client = login(personas["admin"])
    listing = client.get("/audit/", {"model": "voice.identity"})
    assert listing.status_code == 200
    events = AuditEvent.objects.filter(model="voice.identity")
    assert {e.action for e in events} == {"create", "update"}  # received, then corrected: logged...
    for event in events:  # ...without a value
        assert set(event.changes) <= {"id", "case_id", "updated_at"}
        assert client.get(f"/audit/{event.pk}/").status_code == 200
    for event in AuditEvent.objects.all():
        assert not leaks(json.dumps(event.changes, ensure_ascii=False) + event.object_repr), event.model


def test_the_case_file_carries_no_identity_even_to_its_handler(story, personas, login):
    case, _code, _scan = story
    client = login(personas[Role.CASE_HANDLER])
    for url in case_file_urls(case):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not leaks(text_of(response)), (url, leaks(text_of(response)))
    assert not any(
        leaks(json.dumps(e.details, ensure_ascii=False) + e.reason) for e in CaseEvent.objects.all()
    )


def test_searching_cases_by_the_denouncers_name_or_phone_finds_nothing(story, personas, login):
    case, _code, _scan = story
    client = login(personas["admin"])
    assert [c.pk for c in client.get(reverse("voice:case_list"), {"q": "hối lộ"}).context["page"]] == [
        case.pk
    ]
    for term in ("Bảo Mật", "0911222333", "0911 222 333", "075190004321", "bao.mat@example.vn"):
        assert list(client.get(reverse("voice:case_list"), {"q": term}).context["page"]) == [], term


def test_the_tracking_page_shows_no_identity(story):
    _case, code, _scan = story
    response = Client().post(reverse("portal:track"), {"code": code})
    assert response.status_code == 200 and "Tố cáo" in response.content.decode()
    assert not leaks(response.content.decode())


def test_reminder_e_mails_carry_no_identity(story):
    assert mail.outbox  # the overdue case was written about...
    for message in mail.outbox:  # ...without its sender
        parts = [message.subject, message.body, *(content for content, _type in message.alternatives)]
        assert not leaks("\n".join(parts)), message.subject


def test_the_identity_is_stored_only_as_ciphertext(story):
    case, _code, _scan = story
    row = Identity.objects.get(case=case)
    assert not leaks(bytes(row.ciphertext).decode("ascii"))
    assert not leaks(str(row) + repr(row) + str(case) + repr(case))
    assert crypto.decrypt(row.ciphertext) == CORRECTED


def test_there_is_no_admin_site_to_show_an_identity_or_its_access_log(settings, story, login):
    from django.apps import apps

    superuser = User.objects.create_superuser("root_operator", password="mat-khau-thu-nghiem-1")
    client = login(superuser)
    for url in ("/admin/", "/admin/voice/identity/", "/admin/voice/identityaccess/"):
        assert client.get(url).status_code == 404
    if apps.is_installed("django.contrib.admin"):  # should one be added, these two stay out of it
        assert not admin.site.is_registered(Identity) and not admin.site.is_registered(IdentityAccess)


# ---------------------------------------------------------------- errors and logs


def test_an_error_while_saving_an_identity_is_reported_without_it(story, personas, settings, caplog):
    case, _code, _scan = story
    client = Client(raise_request_exception=False)
    client.force_login(personas[Role.CASE_HANDLER])
    settings.IDENTITY_KEYS = ["not-a-fernet-key"]  # a broken configuration: encrypting fails
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(page(case), CORRECTED)
    assert response.status_code == 500
    (failure,) = [r for r in caplog.records if r.name == "django.request"]
    assert not leaks(failure.getMessage() + caplog.text)
    # What Django's error mail (AdminEmailHandler) would hold: request data and every frame's variables.
    report = ExceptionReporter(failure.request, *failure.exc_info, is_email=True)
    assert "0911" in json.dumps(dict(failure.request.POST))  # the request did carry it...
    assert not leaks(report.get_traceback_text())  # ...the report does not
    assert not leaks(report.get_traceback_html())


def test_an_error_while_showing_an_identity_is_reported_without_it(story, personas, settings, caplog):
    case, _code, _scan = story
    client = Client(raise_request_exception=False)
    client.force_login(personas[Role.CASE_HANDLER])
    settings.IDENTITY_KEYS = [crypto.new_key()]  # the key that sealed it is gone
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert client.get(page(case)).status_code == 500
    (failure,) = [r for r in caplog.records if r.name == "django.request"]
    report = ExceptionReporter(failure.request, *failure.exc_info, is_email=True)
    assert "cannot be decrypted" in report.get_traceback_text()
    assert not leaks(report.get_traceback_text())


def test_decryption_failures_carry_no_data(settings):
    token = crypto.encrypt(PERSON)
    blob = crypto.encrypt_bytes(SCAN)
    settings.IDENTITY_KEYS = [crypto.new_key()]
    with pytest.raises(Exception) as failure:
        crypto.decrypt(token)
    assert failure.value.__cause__ is None and failure.value.__suppress_context__
    assert not leaks(str(failure.value) + repr(failure.value.args))
    with pytest.raises(Exception) as failure:
        crypto.decrypt_bytes(blob)
    assert failure.value.args == ()


def test_a_correction_refused_is_reported_without_the_values(story, personas):
    from django.core.exceptions import ValidationError

    case, _code, _scan = story
    with pytest.raises(ValidationError) as error:
        cases.identity_correct(
            case=case, data={**CORRECTED, "phone": "0911 222 333 abc"}, by=personas[Role.CASE_HANDLER]
        )
    assert not leaks(str(error.value.message_dict))
