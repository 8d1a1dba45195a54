"""Writes of the public side: a submission from the portal (or Open311) becomes a case, with the
sender's consent kept as proof.

Consent: personal data is taken only with the sender's consent (the form's box; `portal_submit`
refuses it otherwise), and the consent is kept as proof with the case, in the same transaction: a
non-public CaseEvent "note" whose details are {"consent": {"at": ISO datetime, "notice":
NOTICE_VERSION}} (`consent_record`, used by Open311 too). The case, its identity and its files are
received through the cases' services. Nobody signs in on the portal: its views pass the system
(`PORTAL`, Open311 its own), which holds CASE_HANDLE everywhere, as every service here asks of `by`
through the policy; the case's history names no user, and the audit log's actor is the portal,
without an IP address.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from danvan.accounts import policy
from danvan.accounts.actors import Actor, System, recorded_user
from danvan.accounts.policy import Perm
from danvan.audit import context
from danvan.orgs.models import Unit
from danvan.voice.cases import attachments
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import ANONYMOUS_KINDS, Case, CaseEvent, Channel, Kind

# The version of the personal data notice (templates/voice/portal/send.html, shown on it): a consent
# is recorded with the version the sender agreed to. Change it whenever the notice changes.
NOTICE_VERSION = "2026-11-22"
CONSENT_MISSING = gettext_lazy(
    "To send your personal data, tick the box to agree to its processing (Nghị định 13/2023/NĐ-CP)."
)
# Who acts for the portal: the system, under this name; the audit log never learns a submitter's IP
# address (a denouncer's least of all).
PORTAL = System("portal")
PORTAL_ACTOR = context.Actor(id=None, label=PORTAL.label, ip_address=None, source="portal")


def _require_receive(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.CASE_HANDLE, unit):
        raise PermissionDenied(_("You may not handle the cases of %(unit)s.") % {"unit": unit.name})


def _channel(kind: str) -> str:
    return Channel.ONLINE_BOX if kind == Kind.SUGGESTION else Channel.PORTAL


def consent_record(*, case: Case, by: Actor) -> CaseEvent:
    """Keep the proof that the sender agreed to the processing of their personal data, and to which notice.

    A non-public note on the case (CaseEvent is written once): call it in the transaction that records
    the case, so that no identity is ever kept without it. `by` received the case (CASE_HANDLE at its unit).
    """
    _require_receive(by, case.unit)
    with translation.override(settings.LANGUAGE_CODE):  # the case file is kept in Vietnamese
        reason = _("Consent to the processing of personal data")
    return CaseEvent.objects.create(
        case=case,
        actor=recorded_user(by),
        action=CaseEvent.Action.NOTE,
        unit=case.unit,
        reason=reason,
        details={"consent": {"at": timezone.now().isoformat(), "notice": NOTICE_VERSION}},
        public=False,
    )


@sensitive_variables()
def portal_submit(
    *, unit: Unit, data: dict, person: dict, by: Actor, files: Iterable[UploadedFile] = ()
) -> tuple[Case, str]:
    """Record a submission from the portal with its files; returns the case and its tracking code.

    Personal data needs `data["consent"]`; the consent is recorded with the case (`consent_record`).
    The files are checked before anything is written; the case, its identity, the consent and the
    files are one transaction. Files written before a failure are removed. A denunciation's files are
    protected (encrypted like the identity): a scan of the letter carries the denouncer's handwriting.
    `by` (the portal's views pass `PORTAL`) must hold CASE_HANDLE at `unit`, as receiving a case asks.
    """
    if isinstance(unit, Unit):
        _require_receive(by, unit)
    if person and not data.get("consent"):
        raise ValidationError({"consent": CONSENT_MISSING})
    files = list(files)
    attachments.check_all(files)
    kind = data["kind"]
    spec = cases.NewCase(
        unit=unit,
        kind=kind,
        channel=_channel(kind),
        subject=data["subject"],
        content=data["content"],
        received_on=timezone.localdate(),
        people_count=data.get("people_count") or 1,
        anonymous=kind in ANONYMOUS_KINDS and not person,
        identity=person or None,
    )
    stored = []
    try:
        with context.acting_as(PORTAL_ACTOR), transaction.atomic():
            case, code = cases.case_receive(spec=spec, by=by, with_tracking_code=True)
            if code is None:  # asked for: never happens
                raise ValueError("case_receive gave no tracking code")
            if person:
                consent_record(case=case, by=by)
            for uploaded in files:
                stored.append(attachments.store(case, uploaded, protected=case.identity_protected))
    except BaseException:
        attachments.discard(stored)
        raise
    return case, code
