"""Who sent a case, at the service level: each service asks the policy about `by` itself.

Sealing and the fingerprints' index need CASE_HANDLE at the case's unit (the system has it). Seeing,
correcting and the access log need a person `policy.can_see_identity` allows: a denouncer only the
case handlers of the case's own unit, never the bloc administrator, the installation's superusers,
handlers above the unit, nor the system (which the access log could not name). Rotating the keys is
the operators'. A refusal is PermissionDenied and writes nothing.
"""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Kind
from danvan.voice.identity import services
from danvan.voice.identity.models import CaseFingerprint, Identity, IdentityAccess

from .test_identity import DAY, PERSON

SYSTEM = System("tests")
OTHER = {"name": "Trần Văn Bình", "address": "7 Hùng Vương, phường Quyết Thắng"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def receive(tree, rules):
    def _receive(kind=Kind.DENUNCIATION):
        spec = cases.NewCase(
            unit=tree.stp,
            kind=kind,
            channel="post",
            subject="Tố cáo hành vi nhận hối lộ",
            content="Nội dung chi tiết.",
            received_on=DAY,
            identity=PERSON,
        )
        return cases.case_receive(spec=spec, by=SYSTEM)[0]

    return _receive


def written() -> tuple:
    return (
        list(Identity.objects.order_by("pk").values()),
        list(CaseFingerprint.objects.order_by("pk").values()),
        list(IdentityAccess.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def people(tree, personas):
    return {
        "handler of the unit": personas["case_handler"],
        "officer of the unit": personas["mobilisation_officer"],  # sees cases, does not handle them
        "handler of another unit": make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER),
        "handler above the unit": make_user("handler_duk", unit=tree.root, role=Role.CASE_HANDLER),
        "bloc administrator": personas["admin"],
        "superuser": make_user("operator", is_superuser=True),
        "system": SYSTEM,
    }


# Who may see who sent a denunciation, and a complaint, at STP.
SEES_DENOUNCER = {"handler of the unit"}
SEES_COMPLAINANT = {
    "handler of the unit",
    "officer of the unit",
    "handler above the unit",
    "bloc administrator",
    "superuser",
}


@pytest.mark.parametrize("kind", [Kind.DENUNCIATION, Kind.COMPLAINT_FIRST])
@pytest.mark.parametrize(
    "who",
    [
        "handler of the unit",
        "officer of the unit",
        "handler of another unit",
        "handler above the unit",
        "bloc administrator",
        "superuser",
        "system",
    ],
)
def test_revealing_a_sender_follows_the_identity_rule_and_a_refusal_logs_nothing(receive, people, kind, who):
    case = receive(kind=kind)
    allowed = who in (SEES_DENOUNCER if kind == Kind.DENUNCIATION else SEES_COMPLAINANT)
    before = written()
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.identity_reveal(case=case, by=people[who])
        with pytest.raises(PermissionDenied):
            services.identity_access_record(case=case, what=services.What.ATTACHMENT, by=people[who])
        assert written() == before
        return
    assert services.identity_reveal(case=case, by=people[who])["name"] == PERSON["name"]
    access = IdentityAccess.objects.get()
    assert (access.user, access.what) == (people[who], services.What.IDENTITY)


def test_the_system_never_reveals_a_denouncer(receive):
    case = receive(kind=Kind.DENUNCIATION)
    assert case.identity_protected
    with pytest.raises(PermissionDenied):
        services.identity_reveal(case=case, by=SYSTEM)
    assert not IdentityAccess.objects.exists()


def test_a_case_that_was_ever_a_denunciation_keeps_its_sender_from_the_system(receive, personas):
    case = receive(kind=Kind.DENUNCIATION)
    case = cases.case_classify(
        case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST, reason="Là khiếu nại"), by=SYSTEM
    )
    assert case.kind == Kind.COMPLAINT_FIRST and case.identity_protected
    for who in (SYSTEM, personas["admin"]):
        with pytest.raises(PermissionDenied):
            services.identity_reveal(case=case, by=who)
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize(
    "who", ["system", "superuser", "bloc administrator", "handler above the unit", "handler of another unit"]
)
def test_replacing_a_denouncer_is_refused_to_all_but_the_unit_s_handlers(receive, people, who):
    case = receive(kind=Kind.DENUNCIATION)
    before = written()
    with pytest.raises(PermissionDenied):
        services.identity_replace(case=case, person=OTHER, by=people[who])
    assert written() == before
    services.identity_replace(case=case, person=OTHER, by=people["handler of the unit"])
    assert services.identity_reveal(case=case, by=people["handler of the unit"])["name"] == OTHER["name"]


@pytest.fixture
def unsealed(tree, rules):
    """A suggestion whose sender gave nothing: no identity yet."""
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.SUGGESTION,
        channel="desk",
        subject="Góp ý giờ làm việc",
        content="Đề nghị kéo dài giờ tiếp nhận hồ sơ.",
        received_on=DAY,
    )
    return cases.case_receive(spec=spec, by=SYSTEM)[0]


@pytest.mark.parametrize("who", ["officer of the unit", "handler of another unit"])
def test_sealing_and_the_fingerprints_need_the_case_handler_s_right_at_the_unit(
    unsealed, receive, people, who
):
    before = written()
    with pytest.raises(PermissionDenied):
        services.identity_seal(case=unsealed, person=OTHER, by=people[who])
    sealed = receive(kind=Kind.COMPLAINT_FIRST)
    before = written()
    with pytest.raises(PermissionDenied):
        services.fingerprints_sync(case=sealed, values=[], by=people[who])
    assert written() == before


def test_the_system_seals_and_keeps_the_fingerprints(unsealed, people):
    row = services.identity_seal(case=unsealed, person=OTHER, by=SYSTEM)
    assert (
        row is not None and CaseFingerprint.objects.filter(case=unsealed).count() == len(row.fingerprints) > 0
    )
    services.fingerprints_sync(case=unsealed, values=[], by=SYSTEM)
    assert not CaseFingerprint.objects.filter(case=unsealed).exists()


@pytest.mark.parametrize("check", [False, True])
@pytest.mark.parametrize("who", ["bloc administrator", "handler of the unit"])
def test_only_the_operators_rotate_the_keys(settings, receive, people, who, check):
    settings.IDENTITY_KEYS = [Fernet.generate_key().decode()]
    receive()
    settings.IDENTITY_KEYS = [Fernet.generate_key().decode(), *settings.IDENTITY_KEYS]
    before = written()
    with pytest.raises(PermissionDenied):
        services.identity_keys_rotate(check=check, by=people[who])
    assert written() == before
    assert services.identity_keys_rotate(check=True, by=SYSTEM).identities == 1
    assert services.identity_keys_rotate(by=people["superuser"]).identities == 1
    assert services.identity_keys_rotate(check=True, by=SYSTEM).identities == 0
