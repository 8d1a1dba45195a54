"""Every service of the cases checks `by` itself, through the policy: CASE_HANDLE at the case's unit.

A case handler of another unit, or a user of the case's unit without the role (the mobilisation
officer sees cases but does not handle them), gets PermissionDenied from the service itself and
nothing is written; the system (the portal, Open311, commands, the demo data) is allowed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import (
    Attachment,
    BoxOpening,
    Case,
    CaseEvent,
    CaseFlag,
    CaseLink,
    CasePause,
    Clock,
    Extension,
    Kind,
    State,
)
from danvan.voice.identity.models import CaseFingerprint, Identity, IdentityAccess

SYSTEM = System("tests")
PERSON = {"name": "Nguyễn Văn Bình", "address": "34 Hùng Vương, phường Thống Nhất"}

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def outsiders(tree, personas):
    """Who may not handle STP's cases: a case handler of SYT, and STP's mobilisation officer."""
    return {
        "handler of another unit": make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER),
        "no case-handler role": personas["mobilisation_officer"],
    }


@pytest.fixture(params=["handler of another unit", "no case-handler role"])
def outsider(request, outsiders):
    return outsiders[request.param]


def spec(unit, kind=Kind.COMPLAINT_FIRST, **more) -> cases.NewCase:
    return cases.NewCase(
        unit=unit,
        kind=kind,
        channel="desk",
        subject="Khiếu nại về tiền bồi thường giải phóng mặt bằng",
        content="Nội dung khiếu nại chi tiết.",
        received_on=today() - datetime.timedelta(days=5),
        identity=PERSON,
        **more,
    )


@pytest.fixture
def receive(tree, rules):
    def _receive(unit=None, kind=Kind.COMPLAINT_FIRST) -> Case:
        return cases.case_receive(spec=spec(unit or tree.stp, kind), by=SYSTEM)[0]

    return _receive


def written() -> tuple:
    """What the services write, counted, with every case's row: nothing may change on a refusal."""
    counts = tuple(
        model.objects.count()
        for model in (
            Case,
            CaseEvent,
            Clock,
            Extension,
            CasePause,
            CaseLink,
            CaseFlag,
            BoxOpening,
            Attachment,
            Identity,
            CaseFingerprint,
            IdentityAccess,
        )
    )
    rows = list(Case.objects.order_by("pk").values())
    stopped = list(Clock.objects.order_by("pk").values())
    flags = list(CaseFlag.objects.order_by("pk").values_list("dismissed_at", flat=True))
    return counts, rows, stopped, flags


# Each action: how to bring a complaint at STP to a state it starts from (as the system), and its call.
def _accepted(case: Case) -> Case:
    return cases.case_accept(case=case, day=today(), by=SYSTEM)


def _resolved(case: Case) -> Case:
    case = _accepted(case)
    return cases.case_resolve(
        case=case, decision_number="12/QĐ", decision_date=today(), summary="Đã giải quyết.", by=SYSTEM
    )


def _paused(case: Case) -> Case:
    return cases.case_pause(case=case, day=today(), reason="Chờ bổ sung hồ sơ", by=SYSTEM)


def _complex_denunciation(case: Case) -> Case:
    case = cases.case_classify(
        case=case,
        spec=cases.Classification(kind=Kind.DENUNCIATION, is_complex=True, reason="Là tố cáo"),
        by=SYSTEM,
    )
    return _accepted(case)


ACTIONS = {
    "classify": (
        None,
        lambda case, tree, by: cases.case_classify(
            case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST, is_complex=True), by=by
        ),
    ),
    "assign": (None, lambda case, tree, by: cases.case_assign(case=case, handler=None, by=by)),
    "accept": (None, lambda case, tree, by: cases.case_accept(case=case, day=today(), by=by)),
    "reject": (
        None,
        lambda case, tree, by: cases.case_reject(
            case=case, day=today(), reason="Không thuộc thẩm quyền", by=by
        ),
    ),
    "transfer": (
        None,
        lambda case, tree, by: cases.case_transfer(
            case=case, to_unit=tree.syt, day=today(), reason="Thuộc thẩm quyền Sở Y tế", by=by
        ),
    ),
    "notify": (
        _complex_denunciation,
        lambda case, tree, by: cases.case_notify(case=case, day=today(), by=by),
    ),
    "verify": (_accepted, lambda case, tree, by: cases.case_verify(case=case, day=today(), by=by)),
    "extend": (
        _complex_denunciation,
        lambda case, tree, by: cases.case_extend(
            case=case, decision_number="3/QĐ-GH", decision_date=today(), reason="Vụ việc phức tạp", by=by
        ),
    ),
    "pause": (
        None,
        lambda case, tree, by: cases.case_pause(case=case, day=today(), reason="Chờ bổ sung hồ sơ", by=by),
    ),
    "resume": (_paused, lambda case, tree, by: cases.case_resume(case=case, day=today(), by=by)),
    "resolve": (
        _accepted,
        lambda case, tree, by: cases.case_resolve(
            case=case, decision_number="12/QĐ", decision_date=today(), summary="Đã giải quyết.", by=by
        ),
    ),
    "close": (_resolved, lambda case, tree, by: cases.case_close(case=case, day=today(), by=by)),
    "withdraw": (
        None,
        lambda case, tree, by: cases.case_withdraw(case=case, day=today(), reason="Người gửi rút đơn", by=by),
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_by_someone_who_does_not_handle_the_unit_is_refused_and_writes_nothing(
    receive, tree, outsider, action
):
    prepare, call = ACTIONS[action]
    case = receive()
    if prepare:
        case = prepare(case)
    before = written()
    with pytest.raises(PermissionDenied):
        call(case, tree, outsider)
    assert written() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_the_system_may_take_every_action_and_is_named_as_no_user(receive, tree, action):
    prepare, call = ACTIONS[action]
    case = receive()
    if prepare:
        case = prepare(case)
    events = case.events.count()
    call(case, tree, SYSTEM)
    latest = CaseEvent.objects.filter(case=case).order_by("-id").first()
    assert case.events.count() > events and latest.actor is None


def test_a_handler_of_the_unit_may_act(receive, tree, personas):
    case = cases.case_accept(case=receive(), day=today(), by=personas["case_handler"])
    assert case.state == State.ACCEPTED
    assert case.events.order_by("-id").first().actor == personas["case_handler"]


def test_the_unit_checked_is_the_case_s_own_after_a_transfer(receive, tree, personas):
    """A handler of STP may no longer act on a case once it is at SYT."""
    case = cases.case_transfer(case=receive(), to_unit=tree.syt, day=today(), reason="Chuyển", by=SYSTEM)
    before = written()
    with pytest.raises(PermissionDenied):
        cases.case_accept(case=case, day=today(), by=personas["case_handler"])
    assert written() == before


def test_receiving_at_a_unit_one_does_not_handle_is_refused_and_writes_nothing(tree, rules, outsider):
    before = written()
    with pytest.raises(PermissionDenied):
        cases.case_receive(spec=spec(tree.stp), by=outsider)
    with pytest.raises(PermissionDenied):
        cases.case_receive_with_files(
            spec=spec(tree.stp), files=[SimpleUploadedFile("don.pdf", b"%PDF-1.4 don")], by=outsider
        )
    assert written() == before


def test_the_system_receives_anywhere_and_no_user_is_named(tree, rules):
    case, code = cases.case_receive(spec=spec(tree.syt), by=SYSTEM, with_tracking_code=True)
    assert code and case.unit == tree.syt
    assert case.events.get().actor is None and Identity.objects.filter(case=case).exists()
    case, _code, files = cases.case_receive_with_files(
        spec=spec(tree.stp), files=[SimpleUploadedFile("don.pdf", b"%PDF-1.4 don")], by=SYSTEM
    )
    assert len(files) == 1


def test_linking_needs_the_right_at_both_units(receive, tree, personas):
    here, there = receive(), receive(unit=tree.syt)
    before = written()
    with pytest.raises(PermissionDenied):
        cases.case_link(case=here, other=there, kind="duplicate", by=personas["case_handler"])
    assert written() == before
    cases.case_link(case=here, other=there, kind="duplicate", by=SYSTEM)
    assert CaseLink.objects.count() == 2


@pytest.mark.parametrize("service", ["flag_link", "flag_dismiss"])
def test_a_flag_is_acted_on_only_with_the_right_at_both_cases_units(receive, tree, personas, service):
    here, there = receive(), receive(unit=tree.syt)
    flag = CaseFlag.objects.create(case=here, other_case=there, kind=CaseFlag.Kind.DUPLICATE)
    before = written()
    with pytest.raises(PermissionDenied):
        getattr(cases, service)(flag=flag, by=personas["case_handler"])  # STP only
    assert written() == before
    getattr(cases, service)(flag=flag, by=SYSTEM)
    flag.refresh_from_db()
    assert CaseLink.objects.count() == 2 if service == "flag_link" else flag.dismissed_at is not None


def test_a_box_opening_at_a_unit_one_does_not_handle_is_refused(tree, outsider):
    data = {"unit": tree.stp, "opened_on": today(), "opened_by": "Tổ mở hộp thư", "letters": 3}
    before = written()
    with pytest.raises(PermissionDenied):
        cases.box_opening_add(**data, by=outsider)
    assert written() == before
    opening = cases.box_opening_add(**data, by=SYSTEM)
    assert opening.created_by is None and BoxOpening.objects.count() == 1


CORRECTED = {"name": "Nguyễn Văn Bính", "address": "36 Hùng Vương, phường Thống Nhất"}


def test_correcting_a_sender_needs_a_handler_of_the_unit_who_may_see_it(receive, tree, personas, outsider):
    case = receive()
    before = written()
    with pytest.raises(PermissionDenied):
        cases.identity_correct(case=case, data=CORRECTED, by=outsider)
    assert written() == before
    cases.identity_correct(case=case, data=CORRECTED, by=personas["case_handler"])
    assert IdentityAccess.objects.get().user == personas["case_handler"]


def test_the_system_never_corrects_a_sender_the_access_log_could_not_name(receive):
    """Not even a complaint's (whose identity is not protected): the log names whoever saw it."""
    for case in (receive(), receive(kind=Kind.DENUNCIATION)):
        before = written()
        with pytest.raises(PermissionDenied):
            cases.identity_correct(case=case, data=CORRECTED, by=SYSTEM)
        assert written() == before


def test_a_denouncer_is_corrected_only_by_a_handler_at_the_case_s_own_unit(receive, tree, personas):
    case = receive(kind=Kind.DENUNCIATION)
    above = make_user("handler_duk", unit=tree.root, role=Role.CASE_HANDLER)
    superuser = make_user("operator", is_superuser=True)
    for who in (above, superuser, personas["admin"]):
        before = written()
        with pytest.raises(PermissionDenied):
            cases.identity_correct(case=case, data=CORRECTED, by=who)
        assert written() == before
    cases.identity_correct(case=case, data=CORRECTED, by=personas["case_handler"])
