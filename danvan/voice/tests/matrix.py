"""Citizen voice (cases, lists, deadline rules) in the permission matrix; its public portal is exempt."""

import datetime
import hashlib

from django.core.files.base import ContentFile

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made

DAY = datetime.date(2026, 3, 2)


def _case(unit, tag=""):
    from danvan.voice.cases.models import Case, Channel, Kind

    marker = f"MATRIX-CASE-{unit.code}{tag}"
    return Case.objects.create(
        reference=f"MX-{unit.code}{tag}"[:20],
        unit=unit,
        kind=Kind.COMPLAINT_FIRST,
        channel=Channel.DESK,
        subject=marker,
        content="Nội dung thử nghiệm",
        received_on=DAY,
    )


def case(world, unit):
    made = _case(unit)
    return Made({"pk": made.pk}, marker=made.subject)


def case_itself(world, unit):
    """A case, for pages about it that need not repeat its subject (its clocks, events, sender)."""
    return {"pk": _case(unit).pk}


def case_action(world, unit):
    return {"pk": _case(unit).pk, "action": "accept"}


def attachment(world, unit):
    from danvan.core import uploads
    from danvan.voice.cases.models import Attachment

    content = "Biên bản thử nghiệm\n".encode()
    made = Attachment(
        case=_case(unit),
        token=uploads.new_token(),
        name="bien-ban.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    made.file.save("bien-ban.txt", ContentFile(content), save=False)
    made.save()
    return {"token": made.token}


def flag(world, unit):
    from danvan.voice.cases.models import CaseFlag

    made = CaseFlag.objects.create(
        case=_case(unit), other_case=_case(unit, "-2"), kind=CaseFlag.Kind.DUPLICATE
    )
    return {"pk": made.pk}


def rule(world, unit):
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)
    return {"pk": DeadlineRule.objects.order_by("pk").first().pk}


def rule_code(world, unit):
    from danvan.voice.deadlines.models import DeadlineRule

    rule(world, unit)
    return {"code": DeadlineRule.objects.order_by("pk").first().code}


def calendar_day(world, unit):
    from danvan.voice.deadlines.models import CalendarDay

    made = CalendarDay.objects.create(
        date=DAY + datetime.timedelta(days=unit.pk),
        kind=CalendarDay.Kind.DAY_OFF,
        reason="Nghỉ bù thử nghiệm",
    )
    return {"pk": made.pk}


def register(matrix):
    view, handle = Perm.CASE_VIEW, Perm.CASE_HANDLE
    matrix.listing("voice:case_list", perm=view, make=case)
    matrix.read("voice:case_detail", perm=view, make=case)
    matrix.write_only("voice:case_action", perm=handle, make=case_action, note="POST: a workflow step")
    matrix.read(
        "voice:case_identity",
        perm=view,
        make=case_itself,
        writes=frozenset({"voice.IdentityAccess"}),
        note="by design: every look at who sent a case is logged",
    )
    matrix.read("voice:attachment", perm=view, make=attachment)
    matrix.listing("voice:case_new", perm=handle)
    matrix.listing("voice:box_openings", perm=view)
    matrix.listing("voice:overdue", perm=view)
    matrix.listing("voice:stats", perm=view)
    matrix.listing("voice:flags", perm=view)
    matrix.write_only("voice:flag_link", perm=handle, make=flag, note="POST: link the flagged cases")
    matrix.write_only("voice:flag_dismiss", perm=handle, make=flag, note="POST: dismiss a flag")

    manage = Perm.DEADLINE_MANAGE  # over the whole tree: the rules and the calendar are everyone's
    gate = frozenset({403})  # asked before anything is looked up
    matrix.listing("voice:rules", perm=manage, root=True, lacking=gate)
    matrix.listing("voice:rule_add", perm=manage, root=True, lacking=gate)
    matrix.read("voice:rule_edit", perm=manage, make=rule, shared=True, root=True, lacking=gate)
    matrix.read("voice:rule_close", perm=manage, make=rule, shared=True, root=True, lacking=gate)
    matrix.listing("voice:calendar", perm=manage, root=True, lacking=gate)
    matrix.write_only("voice:calendar_remove", perm=manage, make=calendar_day, note="POST: remove a day")
    matrix.listing("voice:check", perm=manage, root=True, lacking=gate)

    matrix.listing("case-list", perm=view, make=case)
    matrix.read("case-detail", perm=view, make=case)
    for name in ("clocks", "events"):
        matrix.read(f"case-{name}", perm=view, make=case_itself)
    for name in (
        "accept", "assign", "classify", "close", "extend", "link", "notify",
        "pause", "reject", "resolve", "resume", "transfer", "verify", "withdraw",
    ):  # fmt: skip
        matrix.write_only(f"case-{name}", perm=handle, make=case, note="POST: a workflow step")
    matrix.listing("deadline-rule-list", perm=(view, manage))
    matrix.read("deadline-rule-detail", perm=(view, manage), make=rule_code, shared=True)

    public = "the public portal and Open311: for citizens without an account, by design (tests/portal)"
    for name in ("portal:home", "portal:choose_unit", "portal:send", "portal:track"):
        matrix.exempt(name, public)
    for name in ("open311-services", "open311-service", "open311-requests", "open311-request"):
        matrix.exempt(name, public)
