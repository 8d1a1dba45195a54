"""Dissemination and study (item 7): sending, receipt, sessions, coverage, overdue, reminders, report figures."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_unit, make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.directives import dissemination
from danvan.directives.models import Delivery, StudyForm
from danvan.directives.tasks import send_study_reminders
from danvan.reminders.services import send

from .register_helpers import register

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def document(tree):
    return register(tree.stp)  # 84-CV/ĐU in Đảng ủy Sở Tư pháp's register


def _send(document, units, **extra):
    return dissemination.send(document=document, units=units, **{"by": SYSTEM, **extra})


def _study(delivery, participants=10, expected=12, **extra):
    values = {"held_on": TODAY(), "form": StudyForm.CELL_MEETING, "participants": participants, "by": SYSTEM}
    values.update(extra)
    return dissemination.session_record(delivery=delivery, expected=expected, **values)


def test_recipients_by_subtree_type_and_group_only_below_the_documents_unit(tree, document):
    assert {u.code for u in dissemination.choose(document, subtree=tree.stp_cb1)} == {"STP-CB1"}
    assert {u.code for u in dissemination.choose(document, unit_type="cell")} == {"STP-CB1", "STP-CB2"}
    assert dissemination.choose(document, group="public_service_unit") == []  # SYT is not under STP
    assert dissemination.choose(document, units=[tree.syt_cb1, tree.stp]) == []  # outside, or itself
    bloc_document = register(tree.root, "12-CTr/ĐUK", issuer="Đảng ủy Khối")
    chosen = dissemination.choose(bloc_document, subtree=tree.stp, group="public_service_unit")
    assert {u.code for u in chosen} == {"STP", "STP-CB1", "STP-CB2", "SYT"}
    assert {u.code for u in dissemination.choose(bloc_document, unit_type="grassroots")} == {"STP", "SYT"}


def test_ended_units_cannot_receive(tree, document):
    from danvan.orgs.models import UnitVersion

    UnitVersion.objects.filter(unit=tree.stp_cb2).update(valid_to=TODAY() - DAY)
    assert {u.code for u in dissemination.choose(document, unit_type="cell")} == {"STP-CB1"}
    with pytest.raises(ValidationError) as error:
        _send(document, [tree.stp_cb2])
    assert "không phải là đơn vị đang hoạt động" in str(error.value)


def test_sending_twice_skips_the_units_that_already_received(tree, document, personas):
    first = _send(document, [tree.stp_cb1], by=personas["unit_head"])
    again = _send(document, [tree.stp_cb1, tree.stp_cb2])
    assert (len(first.sent), len(again.sent), again.skipped) == (1, 1, 1)
    assert Delivery.objects.filter(document=document).count() == 2
    with pytest.raises(ValidationError):
        _send(document, [tree.stp_cb1, tree.syt_cb1])  # one outsider refuses the whole sending
    with pytest.raises(ValidationError) as error:
        _send(document, [tree.stp_cb1], study_due=datetime.date(2014, 1, 1))
    assert "Hạn học tập không được trước ngày của văn bản (06/06/2014)" in str(error.value)


def test_acknowledgment_and_sessions_are_recorded(tree, document, personas):
    delivery = _send(document, [tree.stp_cb1]).sent[0]
    officer = personas["mobilisation_officer"]
    dissemination.acknowledge(delivery=delivery, by=officer)
    delivery.refresh_from_db()
    first_ack = delivery.acknowledged_at
    assert delivery.acknowledged_by == officer and first_ack is not None
    dissemination.acknowledge(delivery=delivery, by=personas["unit_head"])  # the first is kept
    delivery.refresh_from_db()
    assert delivery.acknowledged_at == first_ack and delivery.acknowledged_by == officer

    _study(delivery, participants=10, expected=12, held_on=TODAY() - DAY, by=officer)
    _study(delivery, participants=2, expected=12, form=StudyForm.ONLINE)
    delivery.refresh_from_db()
    assert (delivery.studied_on, delivery.participants, delivery.expected, delivery.reached) == (
        TODAY() - DAY,
        12,
        12,
        12,
    )
    assert delivery.sessions.count() == 2


def test_a_session_is_validated_in_vietnamese_and_saves_nothing(tree, document):
    delivery = _send(document, [tree.stp_cb1]).sent[0]
    with pytest.raises(ValidationError) as error:
        _study(delivery, held_on=TODAY() + DAY)
    assert "Ngày học tập không được sau ngày hôm nay." in str(error.value)
    with pytest.raises(ValidationError) as error:
        _study(delivery, participants=13, expected=12)
    assert "Số người tham dự (13) không được nhiều hơn số người phải học tập (12)." in str(error.value)
    with pytest.raises(ValidationError):
        _study(delivery, form="party")
    delivery.refresh_from_db()
    assert delivery.sessions.count() == 0 and delivery.studied_on is None and delivery.acknowledged_at is None


def test_coverage_per_parent_unit(tree, document):
    bloc_document = register(tree.root, "12-CTr/ĐUK", issuer="Đảng ủy Khối")
    sent = {
        d.unit.code: d for d in _send(bloc_document, [tree.stp, tree.stp_cb1, tree.stp_cb2, tree.syt]).sent
    }
    _study(sent["STP-CB1"], participants=8, expected=10)
    _study(sent["SYT"], participants=30, expected=40)
    cover = dissemination.coverage(bloc_document, tree.root)
    rows = {row.unit.code: (row.studied, row.received, row.reached, row.expected) for row in cover.rows}
    assert rows == {"STP": (1, 3, 8, 10), "SYT": (1, 1, 30, 40)}
    total = cover.total
    assert (total.studied, total.received, total.reached, total.expected) == (2, 4, 38, 50)
    assert total.unit_rate == 50.0 and total.people_rate == 76.0
    below_stp = {
        row.unit.code: (row.studied, row.received)
        for row in dissemination.coverage(bloc_document, tree.stp).rows
    }
    assert below_stp == {"STP": (0, 1), "STP-CB1": (1, 1), "STP-CB2": (0, 1)}


def test_overdue_list_and_daily_reminders(tree, document, personas):
    personas["mobilisation_officer"].email = "canbo.stp@example.vn"
    personas["mobilisation_officer"].save()
    cell_head = make_user("bithu_cb2", unit=tree.stp_cb2, role=Role.UNIT_HEAD, email="bithu.cb2@example.vn")
    late = _send(document, [tree.stp_cb1, tree.stp_cb2], study_due=TODAY() - DAY).sent
    register_later = register(tree.stp, "85-CV/ĐU")
    _send(register_later, [tree.stp_cb1], study_due=TODAY() + DAY)  # not due yet
    _study(late[0])  # STP-CB1 studied: not overdue any more
    overdue = dissemination.overdue(Delivery.objects.all())
    assert [d.unit.code for d in overdue] == ["STP-CB2"]

    assert send_study_reminders.delay().get() == 1
    assert mail.outbox[0].to == [cell_head.email] and "84-CV/ĐU" in mail.outbox[0].subject
    assert send_study_reminders.delay().get() == 0  # once a day
    assert send(kind="study", today=TODAY() + DAY, by=SYSTEM) == 1  # and again the next day
    cell_head.delete()  # no manager at the cell: the unit above is reminded
    assert send(kind="study", by=SYSTEM) == 1 and mail.outbox[-1].to == ["canbo.stp@example.vn"]


def test_the_report_source_feeds_the_elements_and_the_rate(
    tree, document, catalogue, django_capture_on_commit_callbacks
):
    unit_types = catalogue
    from django.apps import apps

    from danvan.reports import catalogue, selectors, services
    from danvan.reports.models import DataElement, DataValue, ElementRollup, Indicator, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    today = TODAY()
    code = f"{today.year}S{1 if today.month <= 6 else 2}"
    _send(document, [tree.stp_cb1])
    period = services.period_get(code=code, by=SYSTEM)  # prepared now: the sources run over the whole tree

    def value(unit, element):
        row = DataValue.objects.filter(unit=unit, period=period, element__code=element).first()
        return row.value if row else None

    assert (value(tree.stp_cb1, "STUDY_RECEIVED"), value(tree.stp_cb1, "STUDY_ORGANISED")) == (1, 0)
    # Followed live once the period exists: a new sending and a session.
    second = _send(document, [tree.stp_cb2]).sent[0]
    _study(second)
    assert (value(tree.stp_cb2, "STUDY_RECEIVED"), value(tree.stp_cb2, "STUDY_ORGANISED")) == (1, 1)
    element = DataElement.objects.get(code="STUDY_RECEIVED")
    assert ElementRollup.objects.get(period=period, unit=tree.stp, element=element).value == 2
    rate = Indicator.objects.get(code="STUDY_RATE")
    figures = selectors.figures(unit=tree.stp, period=period, indicator=rate)
    assert (figures.numerator, figures.denominator, figures.value) == (1, 2, 50)
    assert value(tree.syt, "STUDY_RECEIVED") is None
    # The rate counts committees, not documents: CB2 studies a second document too, and an office of
    # the department (not a party organisation) studies the first one. Documents: 3 studied of 4.
    with django_capture_on_commit_callbacks(execute=True):  # the period's tree follows the new unit
        office = make_unit(unit_types, "STP-VP", "Văn phòng Sở", "agency", tree.stp, day=TODAY() - 30 * DAY)
    other = register(tree.stp, "85-CV/ĐU")
    _study(_send(other, [tree.stp_cb2]).sent[0])
    _study(_send(document, [office]).sent[0])
    documents = DataElement.objects.get(code="STUDY_ORGANISED")
    assert ElementRollup.objects.get(period=period, unit=tree.stp, element=documents).value == 3
    assert value(office, "STUDY_ORGANISED") == 1 and value(office, "STUDY_COMMITTEES") is None
    assert (value(tree.stp_cb2, "STUDY_COMMITTEES"), value(tree.stp_cb2, "STUDY_COMMITTEES_ORGANISED")) == (
        1,
        1,
    )
    figures = selectors.figures(unit=tree.stp, period=period, indicator=rate)
    assert (figures.numerator, figures.denominator, figures.value) == (1, 2, 50)
    # A committee that leaves one of its documents unstudied has not organised the study.
    _send(register(tree.stp, "86-CV/ĐU"), [tree.stp_cb2])
    assert value(tree.stp_cb2, "STUDY_COMMITTEES_ORGANISED") == 0
    figures = selectors.figures(unit=tree.stp, period=period, indicator=rate)
    assert (figures.numerator, figures.denominator) == (0, 2)


def test_a_manager_gets_one_reminder_listing_every_overdue_study(tree, document, personas):
    cell_head = make_user("bithu_cb1", unit=tree.stp_cb1, role=Role.UNIT_HEAD, email="bithu.cb1@example.vn")
    second = register(tree.stp, "85-CV/ĐU")
    _send(document, [tree.stp_cb1], study_due=TODAY() - 2 * DAY)
    _send(second, [tree.stp_cb1], study_due=TODAY() - DAY)
    assert send(kind="study", by=SYSTEM) == 1
    message = mail.outbox[-1]
    assert message.to == [cell_head.email] and "2 văn bản" in message.subject
    assert message.body.index("84-CV/ĐU") < message.body.index("85-CV/ĐU")  # the oldest deadline first
    assert "Chi bộ 1" in message.body and "chưa ghi nhận" in message.body
    assert send(kind="study", by=SYSTEM) == 0
