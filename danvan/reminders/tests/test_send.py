"""The mechanism: one e-mail per person and run, each item once a day, nothing recorded that was not sent."""

import datetime
import smtplib
from dataclasses import replace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from conftest import make_user
from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.reminders import services
from danvan.reminders.kinds import Digests, Kind, kind_get, kinds, only, register, unregister
from danvan.reminders.models import Sent
from danvan.reminders.services import send

from .support import NOTES, Note

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 7, 15)
NEXT_DAY = DAY + datetime.timedelta(days=1)


@pytest.fixture
def people(db):
    return {
        "an": make_user("an", email="an@example.vn", first_name="An"),
        "binh": make_user("binh", email="binh@example.vn"),
    }


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _keys(user, day=DAY) -> list[str]:
    return sorted(Sent.objects.filter(kind="note", recipient=user, day=day).values_list("key", flat=True))


def test_each_person_gets_one_email_with_their_sections(plan, people, tree):
    plan += [
        (people["an"], "first", Note("1", "Họp chi bộ", unit=tree.stp)),
        (people["an"], "second", Note("2", "Nộp báo cáo")),
        (people["an"], "first", Note("1", "Họp chi bộ", unit=tree.stp)),  # the same item once only
        (people["binh"], "second", Note("2", "Nộp báo cáo")),
    ]

    assert send(kind="note", today=DAY, by=SYSTEM) == 2

    [message] = _to("an@example.vn")
    assert message.subject == "Notes for An (2)"
    assert message.body == "15/07/2026 · 1 first\nfirst: Họp chi bộ\nsecond: Nộp báo cáo\n"
    [message] = _to("binh@example.vn")
    assert message.body == "15/07/2026 · 0 first\nsecond: Nộp báo cáo\n"
    assert _keys(people["an"]) == ["first:1", "second:2"] and _keys(people["binh"]) == ["second:2"]


def test_each_email_is_one_audit_event_with_its_items(plan, people, tree):
    plan += [(people["an"], "second", Note("2", "b")), (people["an"], "first", Note("1", "a", unit=tree.stp))]

    send(kind="note", today=DAY, by=SYSTEM)

    [event] = AuditEvent.objects.filter(action="note.reminder")
    assert (event.model, event.object_id, event.object_repr) == ("accounts.user", str(people["an"].pk), "an")
    assert event.changes == {"day": "2026-07-15", "email": "an@example.vn", "items": ["first:1", "second:2"]}
    assert event.unit_code == "STP"  # the first item that names a unit


def test_a_second_run_the_same_day_sends_nothing(plan, people):
    plan += [(people["an"], "first", Note("1", "a")), (people["binh"], "first", Note("1", "a"))]
    assert send(kind="note", today=DAY, by=SYSTEM) == 2

    assert send(kind="note", today=DAY, by=SYSTEM) == 0
    assert len(mail.outbox) == 2 and AuditEvent.objects.filter(action="note.reminder").count() == 2


def test_an_item_that_appears_later_the_same_day_is_sent_alone(plan, people):
    plan.append((people["an"], "first", Note("1", "Họp chi bộ")))
    send(kind="note", today=DAY, by=SYSTEM)

    plan.append((people["an"], "second", Note("2", "Nộp báo cáo")))
    plan.append((people["an"], "second", Note("1", "Họp chi bộ")))  # the same key in another section is new
    assert send(kind="note", today=DAY, by=SYSTEM) == 1

    later = mail.outbox[-1]
    assert later.body == "15/07/2026 · 0 first\nsecond: Nộp báo cáo\nsecond: Họp chi bộ\n"
    assert _keys(people["an"]) == ["first:1", "second:1", "second:2"]


def test_the_next_day_everything_is_sent_again(plan, people):
    plan.append((people["an"], "first", Note("1", "a")))
    send(kind="note", today=DAY, by=SYSTEM)

    assert send(kind="note", today=NEXT_DAY, by=SYSTEM) == 1
    assert _keys(people["an"], NEXT_DAY) == ["first:1"]


def test_a_person_without_email_or_inactive_gets_nothing(plan, people):
    people["an"].email = ""
    people["an"].save()
    people["binh"].is_active = False
    people["binh"].save()
    plan += [(people["an"], "first", Note("1", "a")), (people["binh"], "first", Note("1", "a"))]

    assert send(kind="note", today=DAY, by=SYSTEM) == 0
    assert mail.outbox == [] and not Sent.objects.exists()
    assert not AuditEvent.objects.filter(action="note.reminder").exists()


def test_a_failing_email_leaves_its_items_unsent_and_the_others_still_go_out(plan, people, monkeypatch):
    plan += [(people["an"], "first", Note("1", "a")), (people["binh"], "first", Note("1", "a"))]
    real = services.send_templated

    def refuse_an(subject, body, context, to):
        if to == "an@example.vn":
            raise smtplib.SMTPRecipientsRefused({to: (550, b"mailbox unavailable")})
        real(subject, body, context, to)

    monkeypatch.setattr(services, "send_templated", refuse_an)
    assert send(kind="note", today=DAY, by=SYSTEM) == 1
    assert _to("binh@example.vn") and not _to("an@example.vn")
    assert _keys(people["an"]) == [] and _keys(people["binh"]) == ["first:1"]
    assert list(AuditEvent.objects.filter(action="note.reminder").values_list("object_repr", flat=True)) == [
        "binh"
    ]

    monkeypatch.setattr(services, "send_templated", real)  # the mail server is back: An's items go out
    assert send(kind="note", today=DAY, by=SYSTEM) == 1
    assert _to("an@example.vn") and len(_to("binh@example.vn")) == 1


def test_rows_of_past_days_are_kept_a_month(plan, people):
    plan.append((people["an"], "first", Note("1", "a")))
    send(kind="note", today=DAY, by=SYSTEM)
    send(kind="note", today=DAY + datetime.timedelta(days=services.KEEP_DAYS), by=SYSTEM)
    assert Sent.objects.filter(day=DAY).exists()

    send(kind="note", today=DAY + datetime.timedelta(days=services.KEEP_DAYS + 1), by=SYSTEM)
    assert not Sent.objects.filter(day=DAY).exists()


def test_a_section_the_kind_does_not_declare_is_refused(plan, people):
    plan.append((people["an"], "third", Note("1", "a")))
    with pytest.raises(ValueError, match="third"):
        send(kind=NOTES, today=DAY, by=SYSTEM)
    assert mail.outbox == [] and not Sent.objects.exists()


def test_a_kind_is_found_by_name_among_those_registered(plan):
    assert [kind.name for kind in kinds()] == ["note", "memo"]
    assert kind_get("note") is NOTES
    with pytest.raises(LookupError):
        kind_get("report")


PROJECT_KINDS = ["report", "case", "study", "programme", "exemplars", "quiz", "evaluation"]


def test_kinds_run_by_their_order_and_a_name_registered_again_replaces_its_kind():
    later = Kind("later", "Later", "s.txt", "b.txt", ("first",), collect=lambda today: Digests())
    with only():
        register(NOTES, order=20)
        register(later, order=10)
        assert kinds() == [later, NOTES]
        again = register(replace(NOTES, label="Notes again"), order=5)
        assert kinds() == [again, later]
        unregister("later")
        unregister("nothing")
        assert kinds() == [again]
    assert [kind.name for kind in kinds()] == PROJECT_KINDS  # put back


def test_the_project_declares_its_kinds_in_the_order_beat_runs_them():
    assert [kind.name for kind in kinds()] == PROJECT_KINDS
    assert {kind.action for kind in kinds()} >= {"report.reminder", "case.reminder"}


def test_a_kind_whose_audit_action_would_not_fit_is_refused():
    with pytest.raises(ValueError):
        Kind("a-very-long-name", "x", "s.txt", "b.txt", ("first",), collect=lambda today: Digests())


def test_digests_list_people_by_username_and_items_once_in_the_order_added(people):
    digests = Digests()
    digests.add(people["binh"], "first", Note("1", "a"))
    digests.add(people["an"], "second", Note("2", "b"))
    digests.add(people["an"], "first", Note("3", "c"))
    digests.add(people["an"], "second", Note("2", "b again"))
    assert [
        (user.username, {s: [n.text for n in notes] for s, notes in sections.items()})
        for user, sections in digests
    ] == [
        ("an", {"second": ["b"], "first": ["c"]}),
        ("binh", {"first": ["a"]}),
    ]
    assert len(digests) == 2


# --- who may send -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bloc_admin", "unit_head", "outsider", "nobody"])
def test_only_whoever_holds_every_right_over_the_whole_tree_sends(plan, people, tree, personas, who):
    plan += [(people["an"], "first", Note("1", "Họp chi bộ", unit=tree.stp))]

    with pytest.raises(PermissionDenied):
        send(kind="note", today=DAY, by=personas[who])  # bloc_admin: of STP only, not of the tree

    assert not mail.outbox and not Sent.objects.exists()
    assert not AuditEvent.objects.filter(action="note.reminder").exists()


def test_the_installation_and_an_administrator_of_the_tree_send(plan, people, tree, personas):
    plan += [(people["an"], "first", Note("1", "Họp chi bộ", unit=tree.stp))]

    assert send(kind="note", today=DAY, by=personas["admin"]) == 1
    assert send(kind="note", today=NEXT_DAY, by=SYSTEM) == 1
