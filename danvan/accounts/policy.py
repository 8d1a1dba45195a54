"""The one place that decides what a user may see and do.

A role is granted at a unit and holds for that unit's whole subtree (the tree as it stands now:
`Unit.path`, which mirrors the version in force; changes recorded ahead of their date reach it by
`orgs.tasks.refresh_unit_mirror` or `danvan refresh-units`, never by a read here). Each role grants
a set of permissions. Views, API endpoints, exports and searches ask here, through:

- `can(user, perm, unit)`           may the user do `perm` on this unit's records?
- `require(user, perm, unit)`       the same, raising PermissionDenied (HTTP 403)
- `can_above(user, perm, unit)`     held at a unit strictly above (approving a unit's report)
- `can_at(user, perm, unit)`        held through a role at that very unit (the head signing its report)
- `scope(user, perm, qs, field)`    narrow a queryset to records of units the user may reach
- `has_any(user, perm)`             does the user hold `perm` anywhere (for navigation)
- `is_administrator(user)`          a bloc administrator anywhere, or a superuser
- `scope_paths(user, perm)`         the subtree roots themselves
- `can_see_identity(user, case)`    who sent a case (a denouncer only to the case handlers of its unit)
- `identity_visible(user, field)`   the same as a condition on a queryset of cases

Django superusers are the operators of the installation and may do everything. The policy reads
and never writes; it knows units only by their materialised path (`core.paths`), not the registry.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from danvan.core.paths import PATH_SEGMENT, InTree, path_upper_bound

from .models import Role, RoleAssignment


class Perm(StrEnum):
    UNIT_VIEW = "unit.view"
    UNIT_EDIT = "unit.edit"  # mobilisation lead, coordination regulation
    UNIT_RESTRUCTURE = "unit.restructure"  # create, rename, move, merge, split, dissolve
    UNIT_IMPORT = "unit.import"
    UNIT_EXPORT = "unit.export"
    ROLE_MANAGE = "role.manage"
    AUDIT_VIEW = "audit.view"
    REPORT_VIEW = "report.view"  # figures, reports, dashboards
    REPORT_ENTER = "report.enter"  # enter and submit a unit's own reports
    REPORT_APPROVE = "report.approve"  # approve, return, lock, reopen reports of units below
    REPORT_SIGN = "report.sign"  # the head signs off the unit's own report before it goes up (`can_at`)
    CATALOGUE_MANAGE = "catalogue.manage"  # data elements, indicators, targets, forms
    VALUE_IMPORT = "value.import"  # bulk load approved values
    DEADLINE_MANAGE = "deadline.manage"  # deadline rules and the working-day calendar
    CASE_VIEW = (
        "case.view"  # case files of complaints, denunciations, petitions … (never a protected identity)
    )
    CASE_HANDLE = "case.handle"  # receive, classify, accept, transfer, resolve cases; the reception register
    DOCUMENT_VIEW = "document.view"  # the document register: incoming and outgoing documents, their relations
    DOCUMENT_MANAGE = "document.manage"  # register, import, correct documents
    TASK_PROGRESS = "task.progress"  # record progress on the programme tasks the unit leads
    ACTIVITY_VIEW = (
        "activity.view"  # the activity registers: dialogues, conferences, meetings, training, mediation …
    )
    ACTIVITY_RECORD = "activity.record"  # record, correct and import activities of the unit and its subtree
    EMULATION_VIEW = "emulation.view"  # "Dân vận khéo" models, commendations, evaluations and rankings
    EMULATION_RECORD = (
        "emulation.record"  # register models and their replication, commendations, a unit's self-assessment
    )
    EMULATION_REVIEW = (
        "emulation.review"  # review and recognise models, review and classify evaluations below
    )
    EMULATION_MANAGE = (
        "emulation.manage"  # campaigns, scorecard templates, thresholds, the quiz bank and quizzes
    )
    QUIZ_TAKE = "quiz.take"  # take the quizzes opened to the unit


_ALL = frozenset(Perm)
GRANTS: dict[str, frozenset[Perm]] = {
    Role.BLOC_ADMIN: _ALL,
    Role.MOBILISATION_OFFICER: frozenset(
        {
            Perm.UNIT_VIEW,
            Perm.UNIT_EDIT,
            Perm.UNIT_EXPORT,
            Perm.REPORT_VIEW,
            Perm.REPORT_ENTER,
            Perm.REPORT_APPROVE,
            Perm.CASE_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.DOCUMENT_MANAGE,
            Perm.TASK_PROGRESS,
            Perm.ACTIVITY_VIEW,
            Perm.ACTIVITY_RECORD,
            Perm.EMULATION_VIEW,
            Perm.EMULATION_RECORD,
            Perm.EMULATION_REVIEW,
            Perm.EMULATION_MANAGE,
            Perm.QUIZ_TAKE,
        }
    ),
    Role.UNIT_HEAD: frozenset(
        {
            Perm.UNIT_VIEW,
            Perm.UNIT_EDIT,
            Perm.UNIT_EXPORT,
            Perm.REPORT_VIEW,
            Perm.REPORT_ENTER,
            Perm.REPORT_APPROVE,
            Perm.REPORT_SIGN,
            Perm.CASE_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.DOCUMENT_MANAGE,
            Perm.TASK_PROGRESS,
            Perm.ACTIVITY_VIEW,
            Perm.ACTIVITY_RECORD,
            Perm.EMULATION_VIEW,
            Perm.EMULATION_RECORD,
            Perm.EMULATION_REVIEW,
            Perm.QUIZ_TAKE,
        }
    ),
    Role.REPORTER: frozenset(
        {
            Perm.UNIT_VIEW,
            Perm.REPORT_VIEW,
            Perm.REPORT_ENTER,
            Perm.DOCUMENT_VIEW,
            Perm.TASK_PROGRESS,
            Perm.ACTIVITY_VIEW,
            Perm.ACTIVITY_RECORD,
            Perm.EMULATION_VIEW,
            Perm.EMULATION_RECORD,
            Perm.QUIZ_TAKE,
        }
    ),
    Role.CASE_HANDLER: frozenset({Perm.UNIT_VIEW, Perm.CASE_VIEW, Perm.CASE_HANDLE, Perm.QUIZ_TAKE}),
    Role.VIEWER: frozenset(
        {
            Perm.UNIT_VIEW,
            Perm.UNIT_EXPORT,
            Perm.REPORT_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.ACTIVITY_VIEW,
            Perm.EMULATION_VIEW,
            Perm.QUIZ_TAKE,
        }
    ),
}

_CACHE_ATTR = "_danvan_role_paths"
_SCOPES_ATTR = "_danvan_scope_paths"  # perm → the reduced subtree roots, for the life of the user object


def _role_paths(user) -> list[tuple[str, str]]:
    """(role, unit path) for each of the user's assignments, cached on the user object."""
    if user.pk is None:  # the installation itself (accounts.actors.System) holds no role anywhere
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "unit__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached assignments and scopes (after roles change within the same request)."""
    for attr in (_CACHE_ATTR, _SCOPES_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def scope_paths(user, perm: Perm) -> list[str] | None:
    """Subtree roots where the user holds `perm`; None means everywhere (superuser)."""
    if not _active(user):
        return []
    if user.is_superuser:
        return None
    # Kept on the user object like its assignments (`_role_paths`): a request's user is read afresh by
    # the next request, and `forget` drops both when roles change within the same one. A page asks
    # this for every row it checks; the answer is the same all along.
    scopes = getattr(user, _SCOPES_ATTR, None)
    if scopes is None:
        scopes = {}
        setattr(user, _SCOPES_ATTR, scopes)
    kept = scopes.get(perm)
    if kept is None:
        kept = scopes[perm] = _reduced(
            path for role, path in _role_paths(user) if perm in GRANTS.get(role, ())
        )
    return list(kept)


def _reduced(found) -> tuple[str, ...]:
    """The paths sorted, without those inside another one: a grant at a unit covers its subtree."""
    reduced: list[str] = []
    for path in sorted(set(found)):
        if not any(path.startswith(kept) for kept in reduced):
            reduced.append(path)
    return tuple(reduced)


def is_administrator(user) -> bool:
    """A bloc administrator somewhere, or an operator of the installation (superuser)."""
    if not _active(user):
        return False
    return user.is_superuser or any(role == Role.BLOC_ADMIN for role, _path in _role_paths(user))


def has_any(user, perm: Perm) -> bool:
    paths = scope_paths(user, perm)
    return paths is None or bool(paths)


def can(user, perm: Perm, unit: InTree | None) -> bool:
    """May `user` do `perm` on records of `unit`? Records that belong to no unit need a grant at a root."""
    paths = scope_paths(user, perm)
    if paths is None:
        return True
    if unit is None:
        return any(len(path) == PATH_SEGMENT for path in paths)
    return any(unit.path.startswith(path) for path in paths)


def can_above(user, perm: Perm, unit: InTree) -> bool:
    """Does the user hold `perm` at a unit strictly above `unit` (the level that approves its reports)?"""
    paths = scope_paths(user, perm)
    if paths is None:
        return True
    return any(unit.path.startswith(path) and len(path) < len(unit.path) for path in paths)


def can_at(user, perm: Perm, unit: InTree) -> bool:
    """Does the user hold `perm` through a role granted at `unit` itself, not inherited from above?
    (A unit's head signs off that unit's report; the head of the unit above does not.)"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(path == unit.path and perm in GRANTS.get(role, ()) for role, path in _role_paths(user))


def require(user, perm: Perm, unit: InTree | None) -> None:
    if not can(user, perm, unit):
        raise PermissionDenied


def scope(user, perm: Perm, qs: QuerySet, field: str = "unit__path") -> QuerySet:
    """`qs` narrowed to rows whose unit lies in a subtree where the user holds `perm`.

    `field` is the lookup from the queryset's model to a unit path (`path` for Unit itself).
    """
    paths = scope_paths(user, perm)
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})
    return qs.filter(condition)


def scope_documents(user, qs: QuerySet) -> QuerySet:
    """Documents of the register `user` may read: those of the registers of units where they hold
    DOCUMENT_VIEW, and those sent for study (a Delivery) to such a unit — a unit asked to study a
    document must be able to open it, whoever's register holds it. Changing a document, sending it
    on and its dissemination panel still need the right at the register's own unit."""
    own = scope(user, Perm.DOCUMENT_VIEW, qs.model.objects.all(), field="unit__path")
    received = scope(user, Perm.DOCUMENT_VIEW, qs.model.objects.all(), field="deliveries__unit__path")
    return qs.filter(Q(pk__in=own.values("pk")) | Q(pk__in=received.values("pk")))


def can_on_task(user, perm: Perm, task) -> bool:
    """A task of an action programme is the business of two units: the programme's, which owns it, and
    the task's lead unit, which does the work. Holding `perm` at either lets a user see the task
    (DOCUMENT_VIEW) or report its progress (DOCUMENT_MANAGE); changing the task itself needs the right
    at the programme's unit (`can(user, perm, task.programme.unit)`)."""
    return can(user, perm, task.programme.unit) or (task.lead is not None and can(user, perm, task.lead))


def can_report_progress(user, task) -> bool:
    """May `user` record progress on a programme task? The managers of the programme's unit or of the
    lead unit may (`can_on_task` with DOCUMENT_MANAGE), and so may whoever holds TASK_PROGRESS at the
    lead unit: the reporter of the unit that does the work records how it goes."""
    return can_on_task(user, Perm.DOCUMENT_MANAGE, task) or (
        task.lead is not None and can(user, Perm.TASK_PROGRESS, task.lead)
    )


def can_see_identity(user, case) -> bool:
    """May `user` see who sent `case` (name, address, contacts, identity papers, handwriting)?

    An identity the case never protected (complaints, petitions, feedback) goes with the case file:
    whoever may see the case sees it. A protected one — the case is or was ever a denunciation
    (Luật Tố cáo 2018, Điều 47, 56) — is shown only to users holding the case-handler role at the
    case's own unit: not above it, not to any other role, not to the bloc administrator and not to
    the installation's superusers.
    """
    if not case.identity_protected:
        return can(user, Perm.CASE_VIEW, case.unit)
    if not _active(user):
        return False
    unit_path = case.unit.path
    return any(role == Role.CASE_HANDLER and path == unit_path for role, path in _role_paths(user))


def identity_visible(user, field: str = "") -> Q:
    """The condition on cases (reached through `field`, "" for cases themselves) whose identity
    `user` may see, as `can_see_identity` decides: `qs.filter(identity_visible(user, "case"))`."""
    prefix = f"{field}__" if field else ""
    nowhere = Q(**{f"{prefix}unit__path__in": []})
    if not _active(user):
        return nowhere
    paths = scope_paths(user, Perm.CASE_VIEW)
    viewed = Q() if paths is None else nowhere  # None: everywhere (superusers)
    for path in paths or ():
        viewed |= Q(**{f"{prefix}unit__path__gte": path, f"{prefix}unit__path__lt": path_upper_bound(path)})
    handled = sorted({path for role, path in _role_paths(user) if role == Role.CASE_HANDLER})
    return (Q(**{f"{prefix}identity_protected": False}) & viewed) | Q(
        **{f"{prefix}identity_protected": True, f"{prefix}unit__path__in": handled}
    )


def grantable_roles(user, unit: InTree) -> list[str]:
    """Roles `user` may grant at `unit`: every role, within the subtrees they administer."""
    return [role for role, _label in Role.choices] if can(user, Perm.ROLE_MANAGE, unit) else []
