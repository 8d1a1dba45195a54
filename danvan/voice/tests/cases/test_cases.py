"""The life of a case: states, transitions with history, clocks from the rules, transfers, pauses, extensions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from danvan.accounts.actors import System
from danvan.voice.cases import services as cases
from danvan.voice.cases import tracking
from danvan.voice.cases.models import Case, CaseEvent, Clock, Kind, State
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity

SYSTEM = System("tests")

D = datetime.date
MARCH_2 = D(2026, 3, 2)
PERSON = {"name": "Nguyễn Văn An", "address": "12 Lê Lợi, Biên Hòa", "phone": "0912 345 678"}


@pytest.fixture
def receive(tree, rules, settings, tmp_path):
    """receive(kind=…, unit=…, day=…, **more) -> a case received through the service."""

    def _receive(kind=Kind.COMPLAINT_FIRST, unit=None, day=MARCH_2, **more):
        spec = cases.NewCase(
            unit=unit or tree.stp,
            kind=kind,
            channel=more.pop("channel", "desk"),
            subject=more.pop("subject", "Khiếu nại quyết định thu hồi đất"),
            content=more.pop("content", "Nội dung khiếu nại chi tiết."),
            received_on=day,
            identity=more.pop("identity", PERSON),
            **more,
        )
        return cases.case_receive(by=SYSTEM, spec=spec)[0]

    return _receive


def running(case, step):
    return case.clocks.get(step=step, stopped_on__isnull=True)


def test_a_first_complaint_gets_ten_days_to_be_accepted_then_thirty_to_be_resolved(receive, personas):
    case = receive(day=D(2026, 3, 2))
    assert case.state == State.RECEIVED and case.reference == f"2026-{case.pk:06d}"
    assert running(case, "accept").due_on == D(2026, 3, 12)  # Luật Khiếu nại 2011, Điều 27
    cases.case_classify(
        case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST), by=personas["case_handler"]
    )
    cases.case_accept(case=case, day=D(2026, 3, 9), by=personas["case_handler"])
    case.refresh_from_db()
    accept = case.clocks.get(step="accept")
    assert accept.stopped_on == D(2026, 3, 9) and accept.on_time is True
    # 30 days from 09/03 is 08/04 (Wednesday).
    assert running(case, "resolve").due_on == D(2026, 4, 8)
    assert [e.action for e in case.events.all()] == ["receive", "classify", "accept"]
    assert [(e.from_state, e.to_state) for e in case.events.all()][1:] == [
        ("received", "classified"),
        ("classified", "accepted"),
    ]


def test_a_complex_case_in_a_remote_area_gets_the_longest_period(receive):
    case = receive()
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 2))
    cases.case_classify(
        by=SYSTEM,
        case=case,
        spec=cases.Classification(kind=Kind.COMPLAINT_FIRST, is_complex=True, is_remote=True),
    )
    clock = running(case, "resolve")
    assert clock.days == 60  # Điều 28: complex, remote area
    # 60 days from 02/03/2026 is 01/05/2026, a holiday; then Saturday and Sunday: Monday 04/05.
    assert clock.due_on == D(2026, 5, 4)


def test_a_denunciation_is_accepted_within_working_days_and_notified_within_five(receive):
    case = receive(kind=Kind.DENUNCIATION, day=D(2026, 2, 10))
    assert case.identity_protected
    # 7 working days from 10/02 across Tết (14–22/02): 11, 12, 13, 23, 24, 25, 26 → 26/02.
    assert running(case, "accept").due_on == D(2026, 2, 26)
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 2, 26))
    assert {c.step for c in case.clocks.filter(stopped_on__isnull=True)} == {"notify", "resolve"}
    assert running(case, "notify").due_on == D(2026, 3, 5)
    cases.case_notify(by=SYSTEM, case=case, day=D(2026, 3, 3))
    assert case.clocks.get(step="notify").on_time is True


def test_extensions_of_a_denunciation_follow_its_complexity(receive):
    case = receive(kind=Kind.DENUNCIATION, day=D(2026, 3, 2))
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 3))
    base = running(case, "resolve").due_on
    with pytest.raises(ValidationError) as refused:
        cases.case_extend(
            by=SYSTEM, case=case, decision_number="01/QĐ-GH", decision_date=D(2026, 3, 20), reason="Phức tạp"
        )
    assert "phức tạp" in str(refused.value)
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, is_complex=True)
    )
    cases.case_extend(
        by=SYSTEM, case=case, decision_number="01/QĐ-GH", decision_date=D(2026, 3, 20), reason="Phức tạp"
    )
    once = running(case, "resolve")
    assert once.extensions == 1 and once.days == 60 and once.due_on > base
    with pytest.raises(ValidationError) as refused:
        cases.case_extend(
            by=SYSTEM, case=case, decision_number="02/QĐ-GH", decision_date=D(2026, 3, 25), reason="Thêm"
        )
    assert "1" in str(refused.value)
    cases.case_classify(
        by=SYSTEM,
        case=case,
        spec=cases.Classification(kind=Kind.DENUNCIATION, is_complex=True, is_especially_complex=True),
    )
    cases.case_extend(
        by=SYSTEM,
        case=case,
        decision_number="02/QĐ-GH",
        decision_date=D(2026, 3, 25),
        reason="Đặc biệt phức tạp",
    )
    assert running(case, "resolve").days == 90
    assert case.extensions.count() == 2


def test_an_extension_without_a_decision_date_is_refused_in_vietnamese(receive):
    case = receive(kind=Kind.DENUNCIATION)
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, is_complex=True)
    )
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 3))
    with pytest.raises(ValidationError) as refused:
        cases.case_extend(
            by=SYSTEM, case=case, decision_number="01/QĐ-GH", decision_date=None, reason="Phức tạp"
        )
    assert "ngày" in str(refused.value.message_dict["decision_date"]).lower()
    assert case.extensions.count() == 0


def test_a_pause_moves_the_due_date_by_the_paused_days(receive):
    case = receive(day=D(2026, 3, 2))
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 2))
    due = running(case, "resolve").due_on
    assert due == D(2026, 4, 1)
    cases.case_pause(by=SYSTEM, case=case, day=D(2026, 3, 10), reason="Chờ bổ sung tài liệu")
    case.refresh_from_db()
    assert case.state == State.PAUSED
    cases.case_resume(by=SYSTEM, case=case, day=D(2026, 3, 20))
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    # Paused 10–19/03 (ten days): the period ends ten days later, on 11/04, a Saturday → Monday 13/04.
    assert running(case, "resolve").due_on == D(2026, 4, 13)


def test_a_transfer_moves_the_case_keeps_its_history_and_starts_the_new_units_clocks(receive, tree):
    case = receive(day=D(2026, 3, 2))
    cases.case_transfer(
        by=SYSTEM, case=case, to_unit=tree.syt, day=D(2026, 3, 5), reason="Không thuộc thẩm quyền"
    )
    case.refresh_from_db()
    assert case.unit == tree.syt and case.state == State.RECEIVED
    old = case.clocks.get(unit=tree.stp)
    assert old.stopped_on == D(2026, 3, 5) and not old.cancelled
    new = case.clocks.get(unit=tree.syt)
    assert new.started_on == D(2026, 3, 5) and new.due_on == D(2026, 3, 16)  # 15/03 is a Sunday
    transfer = case.events.get(action="transfer")
    assert transfer.unit == tree.stp and transfer.details["to_unit"] == tree.syt.pk
    assert case.events.filter(action="receive").count() == 2


def test_a_transfer_to_a_unit_that_is_not_in_the_tree_is_refused(receive, tree):
    from danvan.orgs.models import Unit

    case = receive()
    for target in (Unit(code="NGOAI", name="Không có trong cây"), None, tree.stp):
        with pytest.raises(ValidationError) as refused:
            cases.case_transfer(by=SYSTEM, case=case, to_unit=target, day=D(2026, 3, 5), reason="Chuyển")
        assert "to_unit" in refused.value.message_dict
    case.refresh_from_db()
    assert case.unit == tree.stp and case.events.count() == 1


def test_transitions_the_state_machine_does_not_allow_are_refused_and_write_nothing(receive):
    case = receive()
    for action in (
        lambda: cases.case_resolve(
            by=SYSTEM, case=case, decision_number="1", decision_date=D(2026, 3, 3), summary="x"
        ),
        lambda: cases.case_close(by=SYSTEM, case=case, day=D(2026, 3, 3)),
        lambda: cases.case_resume(by=SYSTEM, case=case, day=D(2026, 3, 3)),
        lambda: cases.case_verify(by=SYSTEM, case=case, day=D(2026, 3, 3)),
    ):
        with pytest.raises(ValidationError):
            action()
    assert case.events.count() == 1 and Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_resolution_needs_a_decision_number_and_date_and_stops_the_clock(receive):
    case = receive()
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 3))
    with pytest.raises(ValidationError) as refused:
        cases.case_resolve(by=SYSTEM, case=case, decision_number="", decision_date=None, summary="")
    assert set(refused.value.message_dict) == {"decision_number", "decision_date", "summary"}
    cases.case_resolve(
        by=SYSTEM,
        case=case,
        decision_number="12/QĐ-UBND",
        decision_date=D(2026, 3, 30),
        summary="Công nhận một phần",
    )
    case.refresh_from_db()
    assert case.state == State.RESOLVED and case.finished_on == D(2026, 3, 30)
    assert case.clocks.get(step="resolve").on_time is True
    assert not case.clocks.filter(stopped_on__isnull=True).exists()
    cases.case_close(by=SYSTEM, case=case, day=D(2026, 3, 31))
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_reclassification_keeps_history_and_replaces_the_clocks(receive):
    case = receive(kind=Kind.PETITION, day=D(2026, 3, 2))
    assert not case.clocks.exists()  # no statutory period for petitions
    with pytest.raises(ValidationError) as refused:
        cases.case_classify(by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION))
    assert "reason" in refused.value.message_dict
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Nội dung là tố cáo")
    )
    case.refresh_from_db()
    assert case.kind == Kind.DENUNCIATION and case.identity_protected
    event = case.events.get(action="reclassify")
    assert event.details["changes"]["kind"] == ["petition", "denunciation"] and event.reason
    assert running(case, "accept").started_on == D(2026, 3, 2)
    # Back to petition: the identity stays protected for good.
    cases.case_classify(by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.PETITION, reason="Nhầm"))
    case.refresh_from_db()
    assert case.identity_protected and not case.clocks.filter(stopped_on__isnull=True).exists()


def test_withdrawal_cancels_every_clock(receive):
    case = receive()
    cases.case_pause(by=SYSTEM, case=case, day=D(2026, 3, 4), reason="Chờ")
    cases.case_withdraw(by=SYSTEM, case=case, day=D(2026, 3, 6), reason="Người khiếu nại rút đơn")
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN
    assert all(c.cancelled for c in case.clocks.all()) and case.pauses.get().ended_on == D(2026, 3, 6)


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(tree, rules):
    spec = cases.NewCase(
        unit=tree.stp,
        kind="nonsense",
        channel="pigeon",
        subject="",
        content="<script>alert(1)</script>",
        received_on=datetime.date.today() + datetime.timedelta(days=3),
        people_count=0,
    )
    with pytest.raises(ValidationError) as refused:
        cases.case_receive(by=SYSTEM, spec=spec)
    errors = refused.value.message_dict
    assert {"kind", "channel", "subject", "received_on", "people_count"} <= set(errors)
    assert "tương lai" in errors["received_on"][0]
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_only_feedback_and_suggestions_may_be_anonymous(tree, rules):
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.COMPLAINT_FIRST,
        channel="portal",
        subject="Khiếu nại",
        content="Nội dung",
        received_on=D(2026, 3, 2),
        anonymous=True,
    )
    with pytest.raises(ValidationError) as refused:
        cases.case_receive(by=SYSTEM, spec=spec)
    assert "anonymous" in refused.value.message_dict
    spec.kind = Kind.SUGGESTION
    case, code = cases.case_receive(by=SYSTEM, spec=spec, with_tracking_code=True)
    assert case.anonymous and not Identity.objects.filter(case=case).exists()
    assert tracking.digest(code) == case.tracking_hash and code not in case.tracking_hash


def test_the_identity_is_stored_encrypted_apart_from_the_case_file(receive):
    case = receive(kind=Kind.DENUNCIATION)
    stored = Identity.objects.get(case=case)
    raw = bytes(stored.ciphertext)
    assert b"Nguy" not in raw and "Nguyễn".encode() not in raw and b"0912" not in raw
    assert crypto.decrypt(raw)["name"] == PERSON["name"]
    assert PERSON["name"] not in case.content and PERSON["name"] not in str(
        list(case.events.values_list("details", flat=True))
    )
    same = crypto.fingerprints({"name": "NGUYEN VAN AN", "phone": "+84 912 345 678"})
    assert set(same) & set(stored.fingerprints)


def test_case_events_are_written_once(receive):
    case = receive()
    event = case.events.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            CaseEvent.objects.filter(pk=event.pk).update(reason="đổi")


def test_tracking_codes_carry_a_hundred_random_bits_and_read_forgivingly():
    codes = {tracking.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert (
        len(tracking.normalise(code)) == tracking.LENGTH
        and len(tracking.ALPHABET) ** tracking.LENGTH >= 2**100
    )
    assert tracking.digest(code.lower().replace("-", " ")) == tracking.digest(code)
    assert tracking.normalise("ABCD") is None and tracking.digest("' OR 1=1 --") is None


def test_tracking_codes_come_from_the_secrets_module_not_a_seedable_generator(monkeypatch):
    import random
    import secrets

    # Whoever knows the seed of `random` (or the time it was seeded at) must not learn the codes.
    random.seed(20260302)
    first = tracking.new_code()
    random.seed(20260302)
    assert tracking.new_code() != first
    # Every character is a draw of `secrets` (the operating system's generator), and nothing else.
    draws = []

    def recorded(sequence):
        draws.append(sequence)
        return sequence[7]

    monkeypatch.setattr(secrets, "choice", recorded)
    assert tracking.new_code() == "7777-7777-7777-7777-7777"
    assert draws == [tracking.ALPHABET] * tracking.LENGTH


def test_clocks_are_not_started_for_kinds_without_rules(receive):
    case = receive(kind=Kind.SUGGESTION, identity={})
    assert not Clock.objects.filter(case=case).exists()
