"""The portal keeps the proof of a sender's consent, and an error never puts the sender in a report.

Consent: the case carries a non-public note, written in the same transaction as the case, saying when
the sender agreed and to which version of the notice. Errors: a failure while saving a submission
(here: a broken key configuration) gives Django's error report (the DEBUG page, the admin e-mail)
neither the POSTed identity nor the variables that hold it.
"""

import datetime
import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from danvan.accounts.actors import System
from danvan.voice.cases.models import Case, CaseEvent, Kind
from danvan.voice.identity.models import Identity
from danvan.voice.portal import services
from danvan.voice.portal.services import NOTICE_VERSION
from danvan.voice.tests.portal.test_portal import (
    PERSON,
    PHONE,
    _fresh_limits,  # noqa: F401 (autouse fixture)
    send,
    send_url,
    shown_code,
)

SYSTEM = System("tests")

SECRETS = ("Bích Hạnh", "Võ Thị Sáu", "0913 246 810", "0913246810", "bichhanh.portal", "075190001234")
CONSENT_REASON = "Đồng ý xử lý dữ liệu cá nhân"


def leaks(text: str) -> list[str]:
    """The sender's details found in `text`, as they are or as JSON or repr() escape them."""
    return [
        secret
        for secret in SECRETS
        if secret in text or json.dumps(secret)[1:-1] in text or repr(secret)[1:-1] in text
    ]


@pytest.fixture
def phone():
    return Client(**PHONE)


# ---------------------------------------------------------------- consent


def test_the_consent_is_recorded_with_the_case_and_the_notice_version(phone, tree, rules):
    before = timezone.now()
    response = send(phone)
    code = shown_code(response)
    case = Case.objects.get()
    receive, note = case.events.order_by("id")
    assert receive.action == CaseEvent.Action.RECEIVE
    assert (note.action, note.public, note.actor, note.reason) == (
        CaseEvent.Action.NOTE,
        False,
        None,
        CONSENT_REASON,
    )
    assert set(note.details) == {"consent"} and note.details["consent"]["notice"] == NOTICE_VERSION
    agreed = datetime.datetime.fromisoformat(note.details["consent"]["at"])
    assert agreed.tzinfo is not None and before <= agreed <= timezone.now()
    assert not leaks(json.dumps(note.details, ensure_ascii=False) + note.reason)
    # It is evidence for the unit, not news for the tracking page.
    status = phone.post(reverse("portal:track"), {"code": code}).content.decode()
    assert CONSENT_REASON not in status and "Ghi chú" not in status


def test_an_anonymous_submission_records_no_consent(phone, tree, rules):
    shown_code(send(phone, kind=Kind.SUGGESTION, anonymous="on", consent=None, **dict.fromkeys(PERSON, "")))
    assert [e.action for e in Case.objects.get().events.all()] == [CaseEvent.Action.RECEIVE]


def test_the_notice_shows_its_version(phone, tree):
    html = phone.get(send_url()).content.decode()
    day = datetime.date.fromisoformat(NOTICE_VERSION)
    assert f"Thông báo này là phiên bản ngày {day:%d/%m/%Y}." in html


def test_the_service_takes_no_personal_data_without_consent(tree, rules):
    data = {"kind": Kind.COMPLAINT_FIRST, "subject": "Khiếu nại", "content": "Nội dung", "people_count": 1}
    with pytest.raises(ValidationError) as refused:
        services.portal_submit(by=SYSTEM, unit=tree.stp, data=data, person=PERSON)
    assert "Nghị định 13/2023/NĐ-CP" in refused.value.message_dict["consent"][0]
    assert not Case.objects.exists() and not Identity.objects.exists()
    case, _code = services.portal_submit(
        by=SYSTEM, unit=tree.stp, data={**data, "consent": True}, person=PERSON
    )
    assert case.events.filter(action=CaseEvent.Action.NOTE, details__consent__notice=NOTICE_VERSION).exists()


def test_a_failure_recording_the_consent_leaves_no_case(tree, rules, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "consent_record", broken)
    data = {"kind": Kind.FEEDBACK, "subject": "Phản ánh", "content": "Nội dung", "consent": True}
    with pytest.raises(RuntimeError):
        services.portal_submit(by=SYSTEM, unit=tree.stp, data=data, person=PERSON)
    assert not Case.objects.exists() and not Identity.objects.exists()


# ---------------------------------------------------------------- error reports


def test_an_error_while_saving_a_submission_is_reported_without_the_sender(tree, rules, settings, caplog):
    settings.IDENTITY_KEYS = ["not-a-fernet-key"]  # a broken configuration: encrypting the identity fails
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = send(client, kind=Kind.DENUNCIATION)
    assert response.status_code == 500
    assert not Case.objects.exists()
    (failure,) = [r for r in caplog.records if r.name == "django.request"]
    assert not leaks(failure.getMessage())
    assert leaks(json.dumps(dict(failure.request.POST), ensure_ascii=False))  # the request did carry it...
    for is_email in (True, False):  # ...neither the admin e-mail nor the error page does
        report = ExceptionReporter(failure.request, *failure.exc_info, is_email=is_email)
        text, html = report.get_traceback_text(), report.get_traceback_html()
        assert "not a Fernet key" in text  # the report is a real one
        assert not leaks(text), leaks(text)
        assert not leaks(html), leaks(html)
