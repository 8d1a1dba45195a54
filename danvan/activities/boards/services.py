"""Writes of the People's Inspection Board register: boards, members, supervisions, recommendations.

Every function checks ACTIVITY_RECORD at the board's agency for `by` first (PermissionDenied), then
its input, gathering every problem into one ValidationError (field → Vietnamese message) before
anything is saved, in one transaction.

The rules, from Luật Thực hiện dân chủ ở cơ sở 2022 (10/2022/QH15), Điều 60 — text verified on the
Bắc Giang provincial portal's publication of the article (qcdc.bacgiang.gov.vn, "Điều 60. Tổ chức Ban
Thanh tra nhân dân ở cơ quan, đơn vị") and Nghị định 59/2023/NĐ-CP as summarised by the Hà Tĩnh trade
union (congdoanhatinh.org.vn); the 2025 amendment (Luật 97/2025/QH15) could not be checked and is not
applied:

- members: from 3 to 9 (khoản 1). A board is created with its members (3 to 9) and stays within
  that range: a tenth member is refused, and so is removing one of the last three (change a member's
  name to replace them). The law lets a special or dispersed agency decide more; that exception is not
  kept here — such an agency records its nine and a note in the decision's text.
- no board at an agency with 7 staff or fewer (khoản 1): refused (the staff count is recorded with
  the board).
- a member is not the head, a deputy head or the chief accountant of the agency (khoản 2): refused.
- the term is two years (khoản 3). Decision for this register: a term LONGER than two years is
  refused; a shorter one is accepted (a board re-elected early after a restructuring) and the pages
  show that it is shorter than two years. Two terms of the same agency may not overlap.
- one chair at most (khoản 4 names a chair, a deputy chair and members).

Boards are kept at agencies: units whose current version is in the group of administrative agencies,
public service units or vocational schools (Điều 60 is about "cơ quan, đơn vị"; enterprises have rules
of their own). Dates recorded as facts (a supervision, a recommendation sent, an answer) cannot be in
the future; a term and a due date can.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.activities.registers import Row, file_units, refuse_unless_any, row_day, row_unit, take
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.dates import day_text
from danvan.core.tables import cell_text, number_text, whole_number
from danvan.core.text import clean_text, search_key
from danvan.orgs.models import Unit

from . import selectors
from .indexing import SEARCHED
from .models import (
    FORBIDDEN_OFFICES,
    MAX_MEMBERS,
    MIN_MEMBERS,
    MIN_STAFF,
    Activity,
    Board,
    Member,
    Office,
    Recommendation,
    RecommendationState,
    Role,
    term_end,
)

NAME_MAX = 150
POSITION_MAX = 200
NUMBER_MAX = 60
SUBJECT_MAX = 300
TEXT_MAX = 10_000
MIN_YEAR = 2000
MAX_STAFF = 1_000_000


@dataclass(frozen=True)
class MemberSpec:
    full_name: str
    position: str = ""
    role: str = Role.MEMBER
    office: str = Office.NONE


def _today() -> datetime.date:
    return timezone.localdate()


def _require(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.ACTIVITY_RECORD, unit):
        raise PermissionDenied(
            _("You may not keep the People's Inspection Board of %(unit)s.") % {"unit": unit.name}
        )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _day(value: object, field: str, errors: dict, *, missing: str, past_only: bool) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = missing
    elif value.year < MIN_YEAR or value.year > _today().year + 10:
        errors[field] = _("The year must be between %(min)s and %(max)s.") % {
            "min": MIN_YEAR,
            "max": _today().year + 10,
        }
    elif past_only and value > _today():
        errors[field] = _("The date cannot be in the future.")


def _check_member(spec: MemberSpec, errors: dict, prefix: str = "") -> MemberSpec:
    name = clean_text(
        spec.full_name,
        f"{prefix}full_name",
        errors,
        limit=NAME_MAX,
        required=_("Write the member's full name."),
    )
    position = clean_text(spec.position, f"{prefix}position", errors, limit=POSITION_MAX)
    if spec.role not in Role.values:
        errors[f"{prefix}role"] = _("Choose the member's role on the board.")
    if spec.office not in Office.values:
        errors[f"{prefix}office"] = _("Say whether the member holds one of these offices in the agency.")
    elif spec.office in FORBIDDEN_OFFICES:
        errors[f"{prefix}office"] = _(
            "%(name)s is the %(office)s: the head, a deputy head or the chief accountant of the agency "
            "cannot be a member of its People's Inspection Board (Luật Thực hiện dân chủ ở cơ sở 2022, "
            "Điều 60, khoản 2)."
        ) % {"name": name or _("member"), "office": Office(spec.office).label.lower()}
    return MemberSpec(full_name=name, position=position, role=spec.role, office=spec.office)


def _check_unit(unit: object, errors: dict) -> None:
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the agency.")
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}
    elif not selectors.is_agency(unit):
        errors["unit"] = _(
            "%(unit)s is not an agency or public service unit: a People's Inspection Board is kept by "
            "an agency (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 60)."
        ) % {"unit": unit.name}


def _check_board(
    *,
    unit: Unit,
    starts_on: object,
    ends_on: object,
    staff_count: object,
    decision_number: str,
    decision_on: object,
    decision_text: str,
    errors: dict,
    board: Board | None = None,
) -> tuple[str, str]:
    _day(starts_on, "starts_on", errors, missing=_("Give the first day of the term."), past_only=False)
    _day(ends_on, "ends_on", errors, missing=_("Give the last day of the term."), past_only=False)
    if "starts_on" not in errors and "ends_on" not in errors:
        assert isinstance(starts_on, datetime.date) and isinstance(ends_on, datetime.date)
        if ends_on <= starts_on:
            errors["ends_on"] = _("The term must end after it starts.")
        elif ends_on > term_end(starts_on):
            errors["ends_on"] = _(
                "The term of a People's Inspection Board is two years (Điều 60, khoản 3): a term "
                "starting on %(start)s ends on %(end)s at the latest."
            ) % {"start": day_text(starts_on), "end": day_text(term_end(starts_on))}
        elif isinstance(unit, Unit) and unit.pk is not None:
            other = selectors.overlapping(unit, starts_on, ends_on, exclude=board)
            if other is not None:
                errors["starts_on"] = _(
                    "This term overlaps the board's term from %(start)s to %(end)s: terms of the same "
                    "agency follow one another."
                ) % {"start": day_text(other.starts_on), "end": day_text(other.ends_on)}
    if isinstance(staff_count, bool) or not isinstance(staff_count, int) or staff_count < 0:
        errors["staff_count"] = _("Give the number of staff of the agency.")
    elif staff_count > MAX_STAFF:
        errors["staff_count"] = _("The number of staff is too large.")
    elif staff_count < MIN_STAFF:
        errors["staff_count"] = _(
            "An agency with %(count)s staff does not set up a People's Inspection Board: the law asks for "
            "one only where the agency has more than 7 staff (Điều 60, khoản 1)."
        ) % {"count": staff_count}
    number = clean_text(decision_number, "decision_number", errors, limit=NUMBER_MAX)
    text = clean_text(decision_text, "decision_text", errors, limit=TEXT_MAX, multiline=True)
    if decision_on is not None:
        _day(decision_on, "decision_on", errors, missing=_("Give the decision's date."), past_only=True)
    return number, text


def _check_roles(specs: list[MemberSpec], errors: dict) -> None:
    if sum(1 for spec in specs if spec.role == Role.CHAIR) > 1:
        errors.setdefault("members", _("A board has one chair: choose the chair once."))


def _check_new_board(
    *,
    unit: Unit,
    starts_on: object,
    ends_on: object,
    staff_count: object,
    members: list[MemberSpec],
    decision_number: str,
    decision_on: object,
    decision_text: str,
    errors: dict,
) -> tuple[str, str, list[MemberSpec]]:
    """Every rule of a new term with its members (board_create and the import): problems into `errors`."""
    _check_unit(unit, errors)
    number, text = _check_board(
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        staff_count=staff_count,
        decision_number=decision_number,
        decision_on=decision_on,
        decision_text=decision_text,
        errors=errors,
    )
    checked = [_check_member(spec, errors, prefix=f"members.{index}.") for index, spec in enumerate(members)]
    if not MIN_MEMBERS <= len(checked) <= MAX_MEMBERS:
        errors["members"] = _(
            "A People's Inspection Board has from %(min)s to %(max)s members (Điều 60, khoản 1); "
            "%(count)s were given."
        ) % {"min": MIN_MEMBERS, "max": MAX_MEMBERS, "count": len(checked)}
    _check_roles(checked, errors)
    return number, text, checked


def _save_board(
    *,
    unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    staff_count: int,
    members: list[MemberSpec],
    decision_number: str,
    decision_on: datetime.date | None,
    decision_text: str,
    by: Actor,
) -> Board:
    board = Board.objects.create(
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        staff_count=staff_count,
        decision_number=decision_number,
        decision_on=decision_on,
        decision_text=decision_text,
        created_by=recorded_user(by),
    )
    for spec in members:
        Member.objects.create(
            board=board, full_name=spec.full_name, position=spec.position, role=spec.role, office=spec.office
        )
    SEARCHED.put(board)
    return board


@transaction.atomic
def board_create(
    *,
    unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    staff_count: int,
    members: list[MemberSpec],
    decision_number: str = "",
    decision_on: datetime.date | None = None,
    decision_text: str = "",
    by: Actor,
) -> Board:
    """A term of an agency's board, with its 3 to 9 members."""
    if isinstance(unit, Unit) and unit.pk is not None:
        _require(by, unit)
    errors: dict = {}
    number, text, checked = _check_new_board(
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        staff_count=staff_count,
        members=members,
        decision_number=decision_number,
        decision_on=decision_on,
        decision_text=decision_text,
        errors=errors,
    )
    _raise(errors)
    return _save_board(
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        staff_count=staff_count,
        members=checked,
        decision_number=number,
        decision_on=decision_on,
        decision_text=text,
        by=by,
    )


@transaction.atomic
def board_update(
    *,
    board: Board,
    starts_on: datetime.date,
    ends_on: datetime.date,
    staff_count: int,
    decision_number: str = "",
    decision_on: datetime.date | None = None,
    decision_text: str = "",
    by: Actor,
) -> Board:
    """Change a board's term, the agency's staff count or the decision (its members are kept)."""
    _require(by, board.unit)
    board = Board.objects.select_for_update().get(pk=board.pk)
    errors: dict = {}
    number, text = _check_board(
        unit=board.unit,
        starts_on=starts_on,
        ends_on=ends_on,
        staff_count=staff_count,
        decision_number=decision_number,
        decision_on=decision_on,
        decision_text=decision_text,
        errors=errors,
        board=board,
    )
    if "starts_on" not in errors and "ends_on" not in errors:
        outside = board.activities.exclude(held_on__gte=starts_on, held_on__lte=ends_on).first()
        if outside is not None:
            errors["starts_on"] = _(
                "The supervision of %(day)s would fall outside the term: keep the term around it."
            ) % {"day": day_text(outside.held_on)}
    _raise(errors)
    board.starts_on, board.ends_on, board.staff_count = starts_on, ends_on, staff_count
    board.decision_number, board.decision_on, board.decision_text = number, decision_on, text
    board.save()
    SEARCHED.put(board)
    return board


@transaction.atomic
def member_add(*, board: Board, spec: MemberSpec, by: Actor) -> Member:
    """One more member (the board keeps at most 9)."""
    _require(by, board.unit)
    board = Board.objects.select_for_update().get(pk=board.pk)
    errors: dict = {}
    checked = _check_member(spec, errors)
    if board.members.count() >= MAX_MEMBERS:
        errors["full_name"] = _(
            "The board already has %(max)s members, the most the law allows (Điều 60, khoản 1)."
        ) % {"max": MAX_MEMBERS}
    if checked.role == Role.CHAIR and board.members.filter(role=Role.CHAIR).exists():
        errors["role"] = _("The board already has a chair.")
    _raise(errors)
    return Member.objects.create(
        board=board,
        full_name=checked.full_name,
        position=checked.position,
        role=checked.role,
        office=checked.office,
    )


@transaction.atomic
def member_update(*, member: Member, spec: MemberSpec, by: Actor) -> Member:
    """Change a member (also how one is replaced: the board keeps its size)."""
    _require(by, member.board.unit)
    Board.objects.select_for_update().get(pk=member.board_id)
    errors: dict = {}
    checked = _check_member(spec, errors)
    if (
        checked.role == Role.CHAIR
        and member.board.members.filter(role=Role.CHAIR).exclude(pk=member.pk).exists()
    ):
        errors["role"] = _("The board already has a chair.")
    _raise(errors)
    member.full_name, member.position = checked.full_name, checked.position
    member.role, member.office = checked.role, checked.office
    member.save()
    return member


@transaction.atomic
def member_remove(*, member: Member, by: Actor) -> None:
    """Remove a member; one of the last three is not removed (change their name to replace them)."""
    _require(by, member.board.unit)
    board = Board.objects.select_for_update().get(pk=member.board_id)
    if board.members.count() <= MIN_MEMBERS:
        raise ValidationError(
            _(
                "A People's Inspection Board has at least %(min)s members (Điều 60, khoản 1): to replace "
                "a member, change their details instead."
            )
            % {"min": MIN_MEMBERS}
        )
    member.delete()


@transaction.atomic
def activity_record(
    *, board: Board, held_on: datetime.date, subject: str, content: str = "", findings: str = "", by: Actor
) -> Activity:
    """A supervision the board made, on a day within its term and not in the future."""
    _require(by, board.unit)
    errors: dict = {}
    _day(held_on, "held_on", errors, missing=_("Give the date of the supervision."), past_only=True)
    if "held_on" not in errors and not board.in_term(held_on):
        errors["held_on"] = _("%(day)s is outside the board's term (%(start)s – %(end)s).") % {
            "day": day_text(held_on),
            "start": day_text(board.starts_on),
            "end": day_text(board.ends_on),
        }
    subject = clean_text(
        subject, "subject", errors, limit=SUBJECT_MAX, required=_("Write what was supervised.")
    )
    content = clean_text(content, "content", errors, limit=TEXT_MAX, multiline=True)
    findings = clean_text(findings, "findings", errors, limit=TEXT_MAX, multiline=True)
    _raise(errors)
    return Activity.objects.create(
        board=board,
        held_on=held_on,
        subject=subject,
        content=content,
        findings=findings,
        created_by=recorded_user(by),
    )


@transaction.atomic
def recommendation_record(
    *,
    board: Board,
    content: str,
    sent_on: datetime.date,
    due_on: datetime.date,
    activity: Activity | None = None,
    by: Actor,
) -> Recommendation:
    """A recommendation the board sent the head of the agency, with the day the answer is due."""
    _require(by, board.unit)
    errors: dict = {}
    content = clean_text(
        content, "content", errors, limit=TEXT_MAX, multiline=True, required=_("Write the recommendation.")
    )
    _day(sent_on, "sent_on", errors, missing=_("Give the day it was sent."), past_only=True)
    _day(due_on, "due_on", errors, missing=_("Give the day the answer is due."), past_only=False)
    if "sent_on" not in errors and "due_on" not in errors and due_on < sent_on:
        errors["due_on"] = _("The answer cannot be due before the recommendation was sent.")
    if "sent_on" not in errors and sent_on < board.starts_on:
        errors["sent_on"] = _("The board's term starts on %(start)s.") % {"start": day_text(board.starts_on)}
    if activity is not None and activity.board_id != board.pk:
        errors["activity"] = _("Choose a supervision of this board.")
    _raise(errors)
    return Recommendation.objects.create(
        board=board,
        activity=activity,
        content=content,
        sent_on=sent_on,
        due_on=due_on,
        created_by=recorded_user(by),
    )


@transaction.atomic
def recommendation_answer(
    *, recommendation: Recommendation, answer: str, answered_on: datetime.date, by: Actor
) -> Recommendation:
    """The head's answer to a recommendation: it becomes answered."""
    _require(by, recommendation.board.unit)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    errors: dict = {}
    if recommendation.state == RecommendationState.CLOSED:
        errors["answer"] = _("The recommendation is closed.")
    answer = clean_text(
        answer, "answer", errors, limit=TEXT_MAX, multiline=True, required=_("Write the answer received.")
    )
    _day(answered_on, "answered_on", errors, missing=_("Give the day of the answer."), past_only=True)
    if "answered_on" not in errors and answered_on < recommendation.sent_on:
        errors["answered_on"] = _("The answer cannot come before the recommendation was sent (%(day)s).") % {
            "day": day_text(recommendation.sent_on)
        }
    _raise(errors)
    recommendation.answer, recommendation.answered_on = answer, answered_on
    recommendation.state = RecommendationState.ANSWERED
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_close(*, recommendation: Recommendation, by: Actor) -> Recommendation:
    """Close a recommendation (followed up, or no longer pursued)."""
    _require(by, recommendation.board.unit)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.state == RecommendationState.CLOSED:
        raise ValidationError(_("The recommendation is already closed."))
    recommendation.state = RecommendationState.CLOSED
    recommendation.save()
    return recommendation


# ---------------------------------------------------------------- the import (`--kind inspection_board`)

IMPORT_COLUMNS = ("unit_code", "term_start", "staff_count", "members")
IMPORT_OPTIONAL = ("term_end", "decision", "notes")
# How the parts of a member may be written (compared by search_key: accents and case do not matter).
ROLE_WORDS = {
    "truong ban": Role.CHAIR,
    "pho truong ban": Role.DEPUTY,
    "thanh vien": Role.MEMBER,
    "uy vien": Role.MEMBER,
    **{value: Role(value) for value in Role.values},
}
OFFICE_WORDS = {
    "": Office.NONE,
    "khong": Office.NONE,
    "thu truong": Office.HEAD,
    "nguoi dung dau": Office.HEAD,
    "pho thu truong": Office.DEPUTY_HEAD,
    "cap pho": Office.DEPUTY_HEAD,
    "ke toan truong": Office.CHIEF_ACCOUNTANT,
    **{value.replace("_", " "): Office(value) for value in Office.values},
}


def _whole_number(value: object) -> object:
    """A count cell as an int (12, "12", 12.0, "1.234"); anything else as it is, for the rules to refuse."""
    number = whole_number(value)
    return number_text(value) if number is None else number


def _members_of(value: object, problems: list[str]) -> list[MemberSpec]:
    """The `members` cell: "Họ tên | chức vụ | vai trò" items separated by ";", each with an optional
    fourth part naming a leadership office held in the agency (Thủ trưởng, Cấp phó, Kế toán trưởng or
    Không) — the office the law bars from the board (Điều 60, khoản 2)."""
    specs = []
    for item in cell_text(value).split(";"):
        if not item.strip():
            continue
        parts = [part.strip() for part in item.split("|")]
        if len(parts) not in (3, 4):
            problems.append(
                _("Member “%(value)s” is not written “Họ tên | chức vụ | vai trò”.") % {"value": item.strip()}
            )
            continue
        name, position, role_text = parts[:3]
        office_text = parts[3] if len(parts) == 4 else ""
        role = ROLE_WORDS.get(search_key(role_text))
        office = OFFICE_WORDS.get(search_key(office_text).replace("_", " "))
        if role is None:
            problems.append(
                _("Role “%(value)s” of %(name)s is not one of: Trưởng ban, Phó Trưởng ban, Thành viên.")
                % {"value": role_text, "name": name or _("member")}
            )
        if office is None:
            problems.append(
                _("Office “%(value)s” of %(name)s is not one of: Thủ trưởng, Cấp phó, Kế toán trưởng, Không.")
                % {"value": office_text, "name": name or _("member")}
            )
        if role is not None and office is not None:
            specs.append(MemberSpec(full_name=name, position=position, role=role, office=office))
    return specs


def _messages(errors: dict) -> list[str]:
    """The rules' messages of one row, a member's named by its place in the `members` cell."""
    messages = []
    for key, message in errors.items():
        text = message if isinstance(message, str) else " ".join(str(item) for item in message)
        if key.startswith("members.") and key.count(".") == 2:
            text = _("Member %(number)s: %(message)s") % {
                "number": int(key.split(".")[1]) + 1,
                "message": text,
            }
        messages.append(text)
    return messages


def boards_import(*, rows: list[Row], by: Actor) -> int:
    """Record the boards of an import file, one row a term (IMPORT_COLUMNS, IMPORT_OPTIONAL): every
    row checked by the rules of board_create, terms of the same agency within the file may not overlap
    either; all saved or none.

    The first day of the term is a fact of an existing register: it may not be in the future; the
    last day is, when left empty, the end of the two-year term. `decision` is the decision's number,
    `notes` its text. Raises ValidationError({line: [messages]}); returns how many boards were saved."""
    refuse_unless_any(by)
    today = _today()
    units = file_units(rows)
    problems: dict[int, list[str]] = {}
    boards: list[tuple[int, dict]] = []
    for row in rows:
        messages: list[str] = []
        cells = row.cells
        unit = take(messages, row_unit, cells.get("unit_code"), by=by, units=units)
        starts_on = take(
            messages, row_day, cells.get("term_start"), label=_("The first day of the term"), today=today
        )
        # a term may run on after today
        ends_on = take(
            messages,
            row_day,
            cells.get("term_end"),
            label=_("The last day of the term"),
            required=False,
            today=datetime.date.max,
        )
        members = _members_of(cells.get("members"), messages)
        if not messages:
            assert unit is not None and starts_on is not None
            ends_on = ends_on or term_end(starts_on)
            errors: dict = {}
            number, text, checked = _check_new_board(
                unit=unit,
                starts_on=starts_on,
                ends_on=ends_on,
                staff_count=_whole_number(cells.get("staff_count")),
                members=members,
                decision_number=cell_text(cells.get("decision")),
                decision_on=None,
                decision_text=cell_text(cells.get("notes")),
                errors=errors,
            )
            if not errors:
                for line, other in boards:
                    if (
                        other["unit"] == unit
                        and other["starts_on"] <= ends_on
                        and other["ends_on"] >= starts_on
                    ):
                        errors["starts_on"] = _(
                            "This term overlaps the term of line %(line)s (%(start)s – %(end)s) of the "
                            "same agency: terms of the same agency follow one another."
                        ) % {
                            "line": line,
                            "start": day_text(other["starts_on"]),
                            "end": day_text(other["ends_on"]),
                        }
                        break
            messages += _messages(errors)
            if not errors:
                boards.append(
                    (
                        row.line,
                        {
                            "unit": unit,
                            "starts_on": starts_on,
                            "ends_on": ends_on,
                            "staff_count": _whole_number(cells.get("staff_count")),
                            "members": checked,
                            "decision_number": number,
                            "decision_on": None,
                            "decision_text": text,
                        },
                    )
                )
        if messages:
            problems[row.line] = messages
    if problems:
        raise ValidationError(problems)  # type: ignore[arg-type]  # keyed by line, as registers.py says
    with transaction.atomic():
        by_unit: dict[Unit, int] = {}
        for _line, fields in boards:
            _save_board(**fields, by=by)
            by_unit[fields["unit"]] = by_unit.get(fields["unit"], 0) + 1
        for unit, count in by_unit.items():
            record(
                action=AuditEvent.Action.IMPORT,
                model=Board._meta.label_lower,
                object_repr=_("%(count)s People's Inspection Boards of %(unit)s imported")
                % {"count": count, "unit": unit.code},
                unit=unit,
                changes={"rows": count},
            )
    return len(boards)
