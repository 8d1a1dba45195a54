"""The portal's services ask the policy about `by` too: receiving a case needs CASE_HANDLE at its
unit. Nobody signs in on the portal, so its views and Open311 pass the system (`services.PORTAL`,
`open311.OPEN311`), which holds it everywhere; a signed-in user who does not handle the unit gets
PermissionDenied from the service itself and nothing is written. Consent and quotas are unchanged.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Case, CaseEvent, Kind
from danvan.voice.identity.models import Identity
from danvan.voice.portal import open311, services

PERSON = {"name": "Phạm Thị Hoa", "address": "Khu phố 1, phường Long Bình", "email": "hoa.pt@example.vn"}
DATA = {"kind": Kind.FEEDBACK, "subject": "Phản ánh", "content": "Đèn đường hỏng.", "consent": True}

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["handler of another unit", "no case-handler role"])
def outsider(request, tree, personas):
    if request.param == "no case-handler role":
        return personas["mobilisation_officer"]
    return make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER)


def written() -> tuple:
    return Case.objects.count(), CaseEvent.objects.count(), Identity.objects.count()


def test_the_portal_and_open311_act_as_the_system():
    assert isinstance(services.PORTAL, System) and isinstance(open311.OPEN311, System)
    assert services.PORTAL_ACTOR.label == services.PORTAL.label  # what the audit log shows


def test_a_submission_by_someone_who_does_not_handle_the_unit_is_refused_and_writes_nothing(
    tree, rules, outsider
):
    with pytest.raises(PermissionDenied):
        services.portal_submit(unit=tree.stp, data=DATA, person=PERSON, by=outsider)
    assert written() == (0, 0, 0)


def test_the_portal_receives_with_the_consent_and_names_no_user(tree, rules):
    case, code = services.portal_submit(unit=tree.stp, data=DATA, person=PERSON, by=services.PORTAL)
    assert code and Identity.objects.filter(case=case).exists()
    consent = case.events.get(action=CaseEvent.Action.NOTE)
    assert consent.actor is None and "consent" in consent.details
    assert case.events.get(action=CaseEvent.Action.RECEIVE).actor is None


def test_the_consent_rule_holds_for_the_system_too(tree, rules):
    with pytest.raises(ValidationError):
        services.portal_submit(
            unit=tree.stp, data={**DATA, "consent": False}, person=PERSON, by=services.PORTAL
        )
    assert written() == (0, 0, 0)


def test_recording_a_consent_needs_the_right_to_receive_at_the_case_s_unit(tree, rules, outsider):
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.FEEDBACK,
        channel="portal",
        subject="Phản ánh",
        content="Đèn đường hỏng.",
        received_on=timezone.localdate(),
        identity=PERSON,
    )
    case = cases.case_receive(spec=spec, by=services.PORTAL)[0]
    before = written()
    with pytest.raises(PermissionDenied):
        services.consent_record(case=case, by=outsider)
    assert written() == before
    assert services.consent_record(case=case, by=services.PORTAL).actor is None
