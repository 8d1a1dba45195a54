"""Demo data modelled on the seed documents: a provincial bloc party committee and its units.

Loaded by `danvan demo`; safe to run again (what exists is left as it is). Besides the tree and
the accounts: reports of the half-year form for 2025S2 (all approved) and 2026S1 (approved,
submitted, returned, drafts, missing; some late), with the figures units type. The figures counted
from the records (mediation cases, training classes and participants, dialogues, thematic cell
meetings) are not typed here: the activity registers' own demo loaders (danvan/demo/<register>.py)
create the records — mediation 1.673 of 2.276 successful over the bloc in 2025S2, 12 training
classes with 998 participants — and refresh the figures of the periods they touch.
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from danvan.accounts.actors import System
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.core.paths import PATH_SEGMENT
from danvan.orgs import catalogue
from danvan.orgs.models import Unit, UnitGroup, UnitType
from danvan.orgs.services import NewUnit, lead_assign, regulation_set, unit_create, unit_merge

START = datetime.date(2015, 1, 1)
MERGE_DAY = datetime.date(2025, 3, 1)
DEMO_PASSWORD = "danvan-demo-2026"
REPORTS_DEMO = System("danvan demo: reports")
ROOT_CODE = "DUK"

# (code, name, type, group, number of cells); grassroots party organisations of the bloc.
GRASSROOTS = [
    ("STP", "Đảng ủy Sở Tư pháp", "admin_agency", 4),
    ("SNV", "Đảng ủy Sở Nội vụ", "admin_agency", 3),
    ("STC", "Đảng ủy Sở Tài chính", "admin_agency", 3),
    ("SKHDT", "Đảng ủy Sở Kế hoạch và Đầu tư", "admin_agency", 2),
    ("SXD", "Đảng ủy Sở Xây dựng", "admin_agency", 2),
    ("SGTVT", "Đảng ủy Sở Giao thông vận tải", "admin_agency", 2),
    ("SCT", "Đảng ủy Sở Công Thương", "admin_agency", 2),
    ("SNN", "Đảng ủy Sở Nông nghiệp và Phát triển nông thôn", "admin_agency", 3),
    ("STNMT", "Đảng ủy Sở Tài nguyên và Môi trường", "admin_agency", 2),
    ("SGDDT", "Đảng ủy Sở Giáo dục và Đào tạo", "admin_agency", 3),
    ("SVHTTDL", "Đảng ủy Sở Văn hóa, Thể thao và Du lịch", "admin_agency", 2),
    ("SKHCN", "Đảng ủy Sở Khoa học và Công nghệ", "admin_agency", 2),
    ("STTTT", "Đảng ủy Sở Thông tin và Truyền thông", "admin_agency", 2),
    ("SLDTBXH", "Đảng ủy Sở Lao động – Thương binh và Xã hội", "admin_agency", 2),
    ("SNGV", "Chi bộ Sở Ngoại vụ", "admin_agency", 0),
    ("TTT", "Đảng ủy Thanh tra tỉnh", "admin_agency", 2),
    ("VPUB", "Đảng ủy Văn phòng Ủy ban nhân dân tỉnh", "admin_agency", 3),
    ("BDT", "Chi bộ Ban Dân tộc tỉnh", "admin_agency", 0),
    ("VPDDBQH", "Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "admin_agency", 0),
    ("BQLKCN", "Đảng ủy Ban Quản lý các khu công nghiệp", "admin_agency", 2),
    ("KBNN", "Đảng ủy Kho bạc Nhà nước tỉnh", "admin_agency", 2),
    ("CTHUE", "Đảng ủy Cục Thuế tỉnh", "admin_agency", 3),
    ("CHQ", "Đảng ủy Cục Hải quan tỉnh", "admin_agency", 2),
    ("BHXH", "Đảng ủy Bảo hiểm xã hội tỉnh", "public_service_unit", 2),
    ("NHNN", "Đảng ủy Ngân hàng Nhà nước chi nhánh tỉnh", "admin_agency", 2),
    ("CTK", "Chi bộ Cục Thống kê tỉnh", "admin_agency", 0),
    ("BAO", "Đảng ủy Báo Đồng Nai", "public_service_unit", 2),
    ("DPTTH", "Đảng ủy Đài Phát thanh – Truyền hình Đồng Nai", "public_service_unit", 2),
    ("TCT", "Đảng ủy Trường Chính trị tỉnh", "public_service_unit", 2),
    ("TCKTKT", "Đảng ủy Trường Trung cấp Kinh tế – Kỹ thuật Đồng Nai", "vocational_school", 2),
    ("TCYT", "Chi bộ Trường Trung cấp Y tế Đồng Nai", "vocational_school", 0),
    ("CDKT", "Đảng ủy Trường Cao đẳng Kỹ thuật Đồng Nai", "public_service_unit", 2),
    ("QDTPT", "Chi bộ Quỹ Đầu tư phát triển tỉnh", "public_service_unit", 0),
    ("TTDVVL", "Chi bộ Trung tâm Dịch vụ việc làm", "public_service_unit", 0),
    ("BQLDA", "Đảng ủy Ban Quản lý dự án đầu tư xây dựng tỉnh", "public_service_unit", 2),
    ("VQGCT", "Đảng ủy Vườn Quốc gia Cát Tiên", "public_service_unit", 2),
    ("LDLD", "Đảng ủy Liên đoàn Lao động tỉnh", "public_service_unit", 2),
    ("CTCN", "Đảng ủy Công ty TNHH MTV Cấp nước", "enterprise", 3),
    ("TCTCNTP", "Đảng ủy Tổng Công ty Công nghiệp Thực phẩm", "enterprise", 3),
    ("XSKT", "Đảng ủy Công ty TNHH MTV Xổ số kiến thiết", "enterprise", 2),
    ("MTDT", "Đảng ủy Công ty Cổ phần Môi trường đô thị", "enterprise", 2),
]

# A directly subordinate party committee with grassroots organisations of its own.
HEALTH = ("DBSYT", "Đảng bộ Sở Y tế", "admin_agency")
HEALTH_GRASSROOTS = [
    ("BVDK", "Đảng ủy Bệnh viện Đa khoa tỉnh", "public_service_unit", 3),
    ("BVNHI", "Đảng ủy Bệnh viện Nhi đồng", "public_service_unit", 2),
    ("CDC", "Chi bộ Trung tâm Kiểm soát bệnh tật tỉnh", "public_service_unit", 0),
]

MASS_ORGS = [
    ("CD", "Công đoàn"),
    ("DTN", "Đoàn Thanh niên"),
    ("CCB", "Hội Cựu chiến binh"),
    ("PN", "Hội Phụ nữ"),
]

LEAD_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Võ Thị Giang",
    "Đặng Văn Hải",
    "Bùi Thị Hoa",
    "Đỗ Văn Khánh",
    "Hồ Thị Lan",
    "Ngô Văn Minh",
    "Dương Thị Ngọc",
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_code: str


ACCOUNTS = [
    DemoAccount("quantri", "Quản trị Đảng ủy Khối", Role.BLOC_ADMIN, ROOT_CODE),
    DemoAccount("bandanvan", "Chuyên viên Ban Dân vận", Role.MOBILISATION_OFFICER, ROOT_CODE),
    DemoAccount("bithu.stp", "Bí thư Đảng ủy Sở Tư pháp", Role.UNIT_HEAD, "STP"),
    DemoAccount("baocao.stp", "Cán bộ báo cáo Sở Tư pháp", Role.REPORTER, "STP"),
    DemoAccount("tiepdan.stp", "Cán bộ tiếp công dân Sở Tư pháp", Role.CASE_HANDLER, "STP"),
    DemoAccount("theodoi.syt", "Cán bộ theo dõi Đảng bộ Sở Y tế", Role.VIEWER, HEALTH[0]),
]


def _unit_name_tail(name: str) -> str:
    """'Đảng ủy Sở Tư pháp' -> 'Sở Tư pháp': the agency a party organisation sits in."""
    for prefix in ("Đảng ủy ", "Đảng bộ ", "Chi bộ "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class _Builder:
    def __init__(self):
        self.types = {t.code: t for t in UnitType.objects.all()}
        self.groups = {g.code: g for g in UnitGroup.objects.all()}
        self.count = 0

    def unit(self, code, name, type_code, parent=None, groups=(), day=START) -> Unit:
        spec = NewUnit(
            code=code,
            name=name,
            unit_type=self.types[type_code],
            parent=parent,
            groups=[self.groups[g] for g in groups],
        )
        self.count += 1
        return unit_create(spec=spec, valid_from=day, by=System("danvan demo"))

    def grassroots(self, parent, code, name, group, cells) -> Unit:
        unit = self.unit(code, name, "grassroots", parent, [group])
        agency = _unit_name_tail(name)
        self.unit(f"{code}-CQ", agency, "agency", unit, [group])
        for number in range(1, cells + 1):
            self.unit(f"{code}-CB{number}", f"Chi bộ {number}", "cell", unit)
        orgs = MASS_ORGS if self.count % 3 else MASS_ORGS[:2]
        for suffix, org_name in orgs:
            self.unit(f"{code}-{suffix}", f"{org_name} {agency}", "mass_org", unit)
        index = self.count
        if index % 7:  # most, not all, have a mobilisation lead
            lead_assign(
                unit=unit,
                full_name=LEAD_NAMES[index % len(LEAD_NAMES)],
                position="Phó Bí thư" if index % 2 else "Ủy viên Ban Chấp hành",
                phone=f"0912{index:06d}"[:10],
                assigned_on=datetime.date(2021, 1 + index % 12, 1),
                by=System("danvan demo"),
            )
        if index % 5:  # most, not all, have a coordination regulation
            regulation_set(
                unit=unit,
                number=f"{index:02d}-QC/ĐU",
                signed_on=datetime.date(2022, 1 + index % 12, 10),
                by=System("danvan demo"),
            )
        return unit


@transaction.atomic
def load_units() -> int:
    """Create the demo tree unless it exists; returns how many units were created."""
    if Unit.objects.filter(code=ROOT_CODE).exists():
        return 0
    catalogue.ensure(UnitType, UnitGroup)
    build = _Builder()
    root = build.unit(ROOT_CODE, "Đảng ủy Khối các cơ quan tỉnh", "bloc", day=datetime.date(2010, 1, 1))
    lead_assign(
        unit=root,
        full_name="Phan Văn Châu",
        position="Phó Bí thư Đảng ủy Khối",
        assigned_on=datetime.date(2020, 10, 1),
        email="banDanvan@duk.example.vn",
        by=System("danvan demo"),
    )
    regulation_set(
        unit=root, number="60-CTr/ĐUK", signed_on=datetime.date(2014, 5, 29), by=System("danvan demo")
    )
    for code, name, group, cells in GRASSROOTS:
        build.grassroots(root, code, name, group, cells)
    health = build.unit(HEALTH[0], HEALTH[1], "committee", root, [HEALTH[2]])
    for code, name, group, cells in HEALTH_GRASSROOTS:
        build.grassroots(health, code, name, group, cells)
    # The 2025 reorganisation: two departments merged into a new one on 01/03/2025 …
    units = {u.code: u for u in Unit.objects.filter(code__in=["STC", "SKHDT", "SXD", "SGTVT"])}
    unit_merge(
        units=[units["STC"], units["SKHDT"]],
        effective_on=MERGE_DAY,
        new=NewUnit(
            code="STC2025",
            name="Đảng ủy Sở Tài chính (hợp nhất)",
            unit_type=build.types["grassroots"],
            parent=root,
            groups=[build.groups["admin_agency"]],
        ),
        decision="Quyết định số 1234/QĐ-UBND ngày 28/02/2025",
        by=System("danvan demo"),
    )
    # … and one absorbed into another on the same day.
    unit_merge(
        units=[units["SGTVT"]],
        into=units["SXD"],
        effective_on=MERGE_DAY,
        decision="Quyết định số 1235/QĐ-UBND ngày 28/02/2025",
        by=System("danvan demo"),
    )
    return build.count + 1


@transaction.atomic
def load_accounts() -> list[DemoAccount]:
    """Create one account per role (password DEMO_PASSWORD) unless it exists."""
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(
                username=account.username,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                email=f"{account.username}@danvan.example.vn",
            )
        unit = Unit.objects.get(code=account.unit_code)
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=account.role)
    return ACCOUNTS


# ---------------------------------------------------------------- reports

REPORT_FORM = "BC-DV-6T"
HISTORY_PERIOD = "2025S2"  # every expected unit reported and was approved
CURRENT_PERIOD = "2026S1"  # a mix of states
# States in the current period, taken in turn by the expected units (sorted by code).
CURRENT_STATES = [
    "approved",
    "approved",
    "submitted",
    "approved",
    "returned",
    "approved",
    "draft",
    "approved_late",
    "missing",
    "approved",
    "submitted_late",
]
# The demo reporter's unit has a returned report to correct; this one awaits the bloc's approval.
STATE_OVERRIDES = {"STP": "returned", "SNV": "submitted"}
RETURN_REASONS = [
    "Số đoàn viên sinh hoạt thường xuyên tăng bất thường so với kỳ trước; đề nghị rà soát lại mục I.",
    "Chưa tổng hợp số hòm thư góp ý của các chi bộ trực thuộc; đề nghị bổ sung mục IV.",
]


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _mass_orgs_below(period) -> dict[int, int]:
    """unit id → how many mass organisations sit directly under it in the period's tree."""
    from danvan.reports.models import PeriodUnit

    counts: dict[int, int] = {}
    paths = dict(PeriodUnit.objects.filter(period=period).values_list("path", "unit_id"))
    for path in PeriodUnit.objects.filter(period=period, unit_type="mass_org", ended=False).values_list(
        "path", flat=True
    ):
        parent = paths.get(path[:-PATH_SEGMENT])
        if parent is not None:
            counts[parent] = counts.get(parent, 0) + 1
    return counts


def _figures(code: str, period_code: str, unit_type: str, groups: str, mass_orgs: int) -> dict[str, int]:
    """Plausible typed figures of one unit for one half-year, the same on every run (the counted
    ones come from the activity registers' records)."""
    rng = random.Random(f"{code}/{period_code}")
    if unit_type == "committee":  # the committee's own office; its organisations report themselves
        staff = rng.randint(12, 20)
    elif ",enterprise," in groups:
        staff = rng.randint(180, 620)
    else:
        staff = rng.randint(30, 260)
    joined = staff
    if ",vocational_school," in groups:
        joined = round(staff * rng.uniform(0.62, 0.95))
    elif rng.random() < 0.22:  # a few have not gathered everyone yet (target 100 %)
        joined = staff - rng.randint(1, max(2, staff // 20))
    members = round(joined * rng.uniform(1.3, 1.9))
    orgs_total = max(mass_orgs, 1)
    return {
        "STAFF_ELIGIBLE": staff,
        "STAFF_IN_MASS_ORGS": joined,
        "MEMBERS_TOTAL": members,
        "MEMBERS_ACTIVE": round(members * rng.uniform(0.72, 0.98)),
        "MASS_ORGS_TOTAL": orgs_total,
        "MASS_ORGS_STRONG": orgs_total - (1 if rng.random() < 0.3 else 0),
        "SUGGESTION_BOXES": rng.randint(1, 3),
    }


@dataclass
class _Planned:
    unit: Unit
    values: dict[str, int]
    state: str  # approved, approved_late, submitted, submitted_late, returned, draft, missing
    submitted: datetime.datetime | None = None
    decided: datetime.datetime | None = None


def _plan(form, period, period_code: str) -> list[_Planned]:
    from danvan.reports import periods, selectors

    deadline = periods.deadline_for(form, period)
    places = list(selectors.expected_places(form, period))
    units = Unit.objects.in_bulk([p.unit_id for p in places])
    places.sort(key=lambda p: units[p.unit_id].code)
    mass_orgs = _mass_orgs_below(period)
    values = [
        _figures(units[p.unit_id].code, period_code, p.unit_type, p.groups, mass_orgs.get(p.unit_id, 0))
        for p in places
    ]
    plan = []
    for index, (place, unit_values) in enumerate(zip(places, values, strict=True)):
        unit = units[place.unit_id]
        if period_code == HISTORY_PERIOD:
            state = "approved_late" if index % 13 == 5 else "approved"
        else:
            state = STATE_OVERRIDES.get(unit.code, CURRENT_STATES[index % len(CURRENT_STATES)])
        item = _Planned(unit, unit_values, state)
        if state not in ("draft", "missing"):
            if state.endswith("_late"):
                day = deadline + datetime.timedelta(days=3 + index % 9)
            else:
                day = deadline - datetime.timedelta(days=1 + index % 12)
            item.submitted = _at(day)
            if state.startswith("approved") or state == "returned":
                item.decided = _at(day + datetime.timedelta(days=2 + index % 3), 15)
        plan.append(item)
    return plan


def _load_approved(form, period, items: list[_Planned], approver) -> None:
    """Approved reports in bulk (their values, reports and history), then one roll-up rebuild.

    Equivalent to entering, submitting and approving each one, at a fraction of the cost.
    """
    from danvan.audit.services import record
    from danvan.reports import periods, rollup
    from danvan.reports.models import DataElement, DataValue, Report, ReportTransition

    S = Report.Status
    elements = {e.code: e for e in DataElement.objects.all()}
    reports = Report.objects.bulk_create(
        [
            Report(
                form=form,
                unit=item.unit,
                period=period,
                status=S.APPROVED,
                revision=2,
                submitted_at=item.submitted,
                decided_at=item.decided,
                decided_by=approver,
            )
            for item in items
        ]
    )
    steps = [
        ("", S.DRAFT, "submitted"),
        (S.DRAFT, S.SUBMITTED, "submitted"),
        (S.SUBMITTED, S.APPROVED, "decided"),
    ]
    transitions, values = [], []
    for report, item in zip(reports, items, strict=True):
        for before, after, when in steps:
            transition = ReportTransition(report=report, from_status=before, to_status=after)
            transition.demo_at = getattr(item, when)
            if after == S.APPROVED:
                transition.by = approver
            transitions.append(transition)
        values.extend(
            DataValue(
                unit=item.unit,
                period=period,
                element=elements[code],
                value=value,
                report=report,
                approved=True,
            )
            for code, value in item.values.items()
        )
    ReportTransition.objects.bulk_create(transitions)
    for transition in transitions:  # `at` is stamped on creation; give the history its dates
        ReportTransition.objects.filter(pk=transition.pk).update(at=transition.demo_at)
    DataValue.objects.bulk_create(values, batch_size=1000)
    rollup.rebuild(period, tree=False)
    record(
        action="import",
        model="reports.report",
        object_repr=f"Dữ liệu mẫu: {len(items)} báo cáo “{form.name}” {periods.period_words(period)} đã duyệt",
    )


def _load_workflow(form, period, item: _Planned, index: int, *, approver, reporter) -> None:
    """One report taken through the services: entered, submitted, returned or left as a draft."""
    from danvan.reports import services
    from danvan.reports.models import Report, ReportTransition

    report = services.report_open(form=form, unit=item.unit, period=period, by=REPORTS_DEMO)
    if item.state == "draft":  # started, not finished
        services.values_save(report=report, values=dict(list(item.values.items())[:6]), by=REPORTS_DEMO)
        return
    services.values_save(report=report, values=item.values, by=REPORTS_DEMO)
    submitter = reporter if reporter is not None and item.unit.code == "STP" else REPORTS_DEMO
    report = services.report_submit(report=report, by=submitter)
    # The head signs off what went further (and SNV's, which awaits the bloc); other submitted ones wait for it.
    if form.requires_head_signoff and (item.state != "submitted" or item.unit.code == "SNV"):
        report = services.report_sign(report=report, by=REPORTS_DEMO)
    if item.state == "returned":
        report = services.report_return(
            report=report, by=approver or REPORTS_DEMO, reason=RETURN_REASONS[index % len(RETURN_REASONS)]
        )
    # The services stamp the moment they run; give the report the dates it would have had.
    Report.objects.filter(pk=report.pk).update(submitted_at=item.submitted, decided_at=item.decided)
    history = ReportTransition.objects.filter(report=report)
    history.exclude(to_status=Report.Status.RETURNED).update(at=item.submitted)
    if item.decided is not None:
        history.filter(to_status=Report.Status.RETURNED).update(at=item.decided)


@transaction.atomic
def load_reports() -> int:
    """Reports of BC-DV-6T for 2025S2 (all approved) and 2026S1 (a mix), unless they exist.

    Returns how many reports were created. Approved reports are written in bulk and the roll-up
    rebuilt (what `danvan rollup --rebuild` does); the others go through the reports services,
    so their history and audit trail are those of real use, and the roll-up follows them live.
    """
    from django.apps import apps

    from danvan.reports import catalogue as report_catalogue
    from danvan.reports import services
    from danvan.reports.models import Report, ReportForm, ReportingCalendar

    if not Unit.objects.filter(code=ROOT_CODE).exists():
        return 0
    ReportingCalendar.objects.get_or_create(id=1)
    report_catalogue.ensure(apps)
    form = ReportForm.objects.get(code=REPORT_FORM)
    if not form.requires_head_signoff:  # the half-year report is signed by the unit's head before it goes up
        form.requires_head_signoff = True
        form.save(update_fields=["requires_head_signoff"])
    if Report.objects.filter(form=form, period__code__in=[HISTORY_PERIOD, CURRENT_PERIOD]).exists():
        return 0
    approver = User.objects.filter(username="quantri").first()
    reporter = User.objects.filter(username="baocao.stp").first()
    created = 0
    for period_code in (HISTORY_PERIOD, CURRENT_PERIOD):
        period = services.period_get(code=period_code, by=REPORTS_DEMO)
        plan = _plan(form, period, period_code)
        approved = [item for item in plan if item.state.startswith("approved")]
        _load_approved(form, period, approved, approver)
        created += len(approved)
        for index, item in enumerate(plan):
            if item.state.startswith("approved") or item.state == "missing":
                continue
            _load_workflow(form, period, item, index, approver=approver, reporter=reporter)
            created += 1
    return created


def prepare_periods() -> int:
    """Prepare the periods around today that the pages open on, as the nightly job does
    (`danvan prepare-periods`): pages only read them. Returns how many were prepared now."""
    from django.utils import timezone

    from danvan.reports import services

    if not Unit.objects.filter(code=ROOT_CODE).exists():
        return 0
    done = services.periods_prepare(today=timezone.localdate(), by=REPORTS_DEMO)
    return sum(1 for _period, prepared in done if prepared)


# ---------------------------------------------------------------- citizen voice

CASE_HANDLER = "tiepdan.stp"


def _days_ago(n: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=n)


def load_cases() -> int:
    """A dozen cases at STP (and one transferred to SNV) in every state, dated from today, unless any exist.

    They go through the voice services, so their history, clocks and identities are those of real use:
    some are overdue, some due soon, one denunciation keeps its denouncer's identity protected.
    """
    from danvan.accounts.actors import Actor, System
    from danvan.voice.cases import services as cases
    from danvan.voice.cases.models import Case, Kind
    from danvan.voice.deadlines import seed as voice_seed
    from danvan.voice.deadlines.models import DeadlineRule

    if Case.objects.exists() or not Unit.objects.filter(code="STP").exists():
        return 0
    voice_seed.ensure(DeadlineRule)
    stp, snv = Unit.objects.get(code="STP"), Unit.objects.get(code="SNV")
    handler = User.objects.filter(username=CASE_HANDLER).first()
    # The persona handles the cases; without it (a partial load) the demonstration data acts.
    actor: Actor = handler or System("danvan demo")

    def receive(kind, days_ago, subject, content, *, channel="desk", person=None, unit=stp, **more):
        spec = cases.NewCase(
            unit=unit,
            kind=kind,
            channel=channel,
            subject=subject,
            content=content,
            received_on=_days_ago(days_ago),
            identity=person,
            handler=handler if unit == stp else None,
            **more,
        )
        return cases.case_receive(spec=spec, by=actor)[0]

    def classify(case, **flags):
        return cases.case_classify(case=case, spec=cases.Classification(kind=case.kind, **flags), by=actor)

    people = [
        {
            "name": "Nguyễn Văn Hùng",
            "address": "Tổ 5, khu phố 3, phường Tân Mai, Biên Hòa",
            "phone": "0913 456 789",
        },
        {"name": "Trần Thị Mai", "address": "Ấp 2, xã Hóa An, Biên Hòa", "phone": "0908 112 233"},
        {
            "name": "Lê Văn Tâm",
            "address": "12 Phan Chu Trinh, phường Quang Vinh, Biên Hòa",
            "id_number": "075085001234",
        },
        {
            "name": "Phạm Thị Hoa",
            "address": "Khu phố 1, phường Long Bình, Biên Hòa",
            "email": "hoa.pt@example.vn",
        },
    ]
    made = []

    slow = receive(
        Kind.COMPLAINT_FIRST,
        20,
        "Khiếu nại việc chậm cấp bản sao trích lục hộ tịch",
        "Đã nộp hồ sơ từ tháng trước nhưng chưa được trả kết quả, không được giải thích lý do.",
        person=people[0],
    )
    made.append(slow)  # not yet accepted: its 10-day accept period has run out

    verifying = receive(
        Kind.COMPLAINT_FIRST,
        40,
        "Khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực công chứng",
        "Đề nghị xem xét lại quyết định xử phạt vì cho rằng hành vi không thuộc trường hợp bị xử phạt.",
        person=people[1],
    )
    classify(verifying, is_complex=True)
    cases.case_accept(case=verifying, day=_days_ago(36), by=actor)
    cases.case_verify(case=verifying, day=_days_ago(30), by=actor)
    made.append(verifying)

    denunciation = receive(
        Kind.DENUNCIATION,
        12,
        "Tố cáo hành vi nhũng nhiễu khi giải quyết hồ sơ lý lịch tư pháp",
        "Người tố cáo nêu cụ thể thời gian, địa điểm và nội dung sự việc; có tài liệu kèm theo.",
        person=people[2],
    )
    cases.case_accept(case=denunciation, day=_days_ago(8), by=actor)
    made.append(denunciation)

    mass = receive(
        Kind.COMPLAINT_FIRST,
        5,
        "Khiếu nại của 7 hộ dân về việc chậm chi trả hỗ trợ tái định cư",
        "Bảy hộ dân cùng ký đơn, cử ông Nguyễn Văn Hùng làm người đại diện.",
        person=people[0],
        people_count=7,
        is_over_level=True,
    )
    classify(mass, people_count=7, is_over_level=True)
    made.append(mass)

    paused = receive(
        Kind.COMPLAINT_FIRST,
        25,
        "Khiếu nại việc từ chối chứng thực hợp đồng",
        "Đề nghị giải thích lý do từ chối chứng thực.",
        channel="post",
        person=people[3],
    )
    cases.case_accept(case=paused, day=_days_ago(22), by=actor)
    cases.case_pause(
        case=paused, day=_days_ago(10), reason="Chờ người khiếu nại bổ sung bản sao hợp đồng", by=actor
    )
    made.append(paused)

    resolved = receive(
        Kind.PETITION,
        60,
        "Kiến nghị niêm yết công khai thủ tục hành chính tại bộ phận một cửa",
        "Đề nghị niêm yết đầy đủ thành phần hồ sơ và lệ phí.",
        channel="hotline",
        person=people[1],
    )
    cases.case_accept(case=resolved, day=_days_ago(58), by=actor)
    cases.case_resolve(
        case=resolved,
        decision_number="",
        decision_date=_days_ago(45),
        summary="Đã niêm yết bổ sung danh mục thủ tục và lệ phí tại bộ phận một cửa.",
        public_note="Cơ quan đã niêm yết đầy đủ thủ tục hành chính theo kiến nghị. Cảm ơn ông/bà đã góp ý.",
        by=actor,
    )
    cases.case_close(case=resolved, day=_days_ago(44), by=actor)
    made.append(resolved)

    late = receive(
        Kind.COMPLAINT_FIRST,
        90,
        "Khiếu nại việc thu phí đăng ký giao dịch bảo đảm",
        "Cho rằng mức phí thu không đúng quy định.",
        person=people[3],
    )
    cases.case_accept(case=late, day=_days_ago(85), by=actor)
    cases.case_resolve(
        case=late,
        decision_number="25/QĐ-STP",
        decision_date=_days_ago(40),
        summary="Khiếu nại đúng một phần; hoàn trả phần phí thu vượt.",
        public_note="Đã ban hành quyết định giải quyết khiếu nại lần đầu số 25/QĐ-STP.",
        by=actor,
    )
    made.append(late)  # resolved after its 30 days: counts as late

    suggestion = receive(
        Kind.SUGGESTION,
        3,
        "Góp ý kéo dài giờ tiếp nhận hồ sơ vào sáng thứ Bảy",
        "Nhiều người lao động không thể đến trong giờ hành chính.",
        channel="online_box",
        anonymous=True,
    )
    made.append(suggestion)

    feedback = receive(
        Kind.FEEDBACK,
        1,
        "Phản ánh máy lấy số thứ tự tại bộ phận một cửa bị hỏng",
        "Máy lấy số không hoạt động từ đầu tuần.",
        channel="portal",
        anonymous=True,
    )
    made.append(feedback)

    moved = receive(
        Kind.COMPLAINT_FIRST,
        6,
        "Khiếu nại kết quả thi tuyển công chức",
        "Đề nghị phúc khảo bài thi môn nghiệp vụ.",
        person=people[2],
    )
    cases.case_transfer(
        case=moved,
        to_unit=snv,
        day=_days_ago(4),
        reason="Thuộc thẩm quyền giải quyết của Sở Nội vụ",
        by=actor,
    )
    made.append(moved)

    withdrawn = receive(
        Kind.COMPLAINT_FIRST,
        15,
        "Khiếu nại việc không tiếp nhận hồ sơ đăng ký khai sinh",
        "Hồ sơ bị từ chối tiếp nhận.",
        person=people[1],
    )
    cases.case_withdraw(
        case=withdrawn, day=_days_ago(9), reason="Người khiếu nại đã được giải quyết và rút đơn", by=actor
    )
    made.append(withdrawn)
    return len(made)


# ---------------------------------------------------------------- earlier half-years (the trends)

# Two half-years before HISTORY_PERIOD: with it and CURRENT_PERIOD, four periods of approved figures,
# so the dashboards' trends have something to show. Figures improve period after period, some units
# reported late, some never (they show as "no data").
EARLIER_PERIODS = ("2024S2", "2025S1")


def _earlier_figures(base: dict[str, int], steps_back: int, rng: random.Random) -> dict[str, int]:
    """A unit's figures `steps_back` half-years before `base`: fewer gathered, active, strong."""
    values = dict(base)
    staff = values["STAFF_ELIGIBLE"]
    gap = rng.randint(0, max(1, staff // 25)) * steps_back
    values["STAFF_IN_MASS_ORGS"] = max(0, values["STAFF_IN_MASS_ORGS"] - gap)
    values["MEMBERS_TOTAL"] = round(values["MEMBERS_TOTAL"] * (1 - 0.03 * steps_back))
    active = values["MEMBERS_ACTIVE"] * (1 - rng.uniform(0.02, 0.07) * steps_back)
    values["MEMBERS_ACTIVE"] = min(values["MEMBERS_TOTAL"], round(active))
    if rng.random() < 0.3 * steps_back:
        values["MASS_ORGS_STRONG"] = max(0, values["MASS_ORGS_STRONG"] - 1)
    return values


def _earlier_plan(form, period, period_code: str, steps_back: int) -> list[_Planned]:
    """Approved reports (a few late) of every expected unit but some, which never reported."""
    from danvan.reports import periods, selectors

    deadline = periods.deadline_for(form, period)
    places = list(selectors.expected_places(form, period))
    units = Unit.objects.in_bulk([p.unit_id for p in places])
    places.sort(key=lambda p: units[p.unit_id].code)
    mass_orgs = _mass_orgs_below(period)
    plan = []
    for index, place in enumerate(places):
        unit = units[place.unit_id]
        if unit.code in STATE_OVERRIDES or index % (6 + steps_back) != 4:
            base = _figures(
                unit.code, HISTORY_PERIOD, place.unit_type, place.groups, mass_orgs.get(place.unit_id, 0)
            )
            rng = random.Random(f"{unit.code}/{period_code}")
            late = index % 9 == 2
            day = (
                deadline + datetime.timedelta(days=4 + index % 6)
                if late
                else deadline - datetime.timedelta(days=1 + index % 10)
            )
            item = _Planned(
                unit, _earlier_figures(base, steps_back, rng), "approved_late" if late else "approved"
            )
            item.submitted, item.decided = _at(day), _at(day + datetime.timedelta(days=3), 15)
            plan.append(item)
    return plan


@transaction.atomic
def load_report_history() -> int:
    """Approved reports of BC-DV-6T for the half-years before HISTORY_PERIOD, unless they exist.

    Written in bulk with one roll-up rebuild per period, as `load_reports` writes its approved ones.
    Returns how many reports were created.
    """
    from danvan.reports import services
    from danvan.reports.models import Report, ReportForm

    form = ReportForm.objects.filter(code=REPORT_FORM).first()
    if form is None or Report.objects.filter(form=form, period__code__in=EARLIER_PERIODS).exists():
        return 0
    approver = User.objects.filter(username="bandanvan").first()
    created = 0
    for steps_back, period_code in zip((2, 1), EARLIER_PERIODS, strict=True):
        period = services.period_get(code=period_code, by=REPORTS_DEMO)
        plan = _earlier_plan(form, period, period_code, steps_back)
        _load_approved(form, period, plan, approver)
        created += len(plan)
    return created


# ---------------------------------------------------------------- the reception register

RECEPTION_DEMO = System("danvan demo: reception")
RECEPTION_PLACE = "Phòng tiếp công dân, trụ sở {agency}, Biên Hòa"
# (unit, leader, position): the heads who receive citizens every month (Luật Tiếp công dân 2013, Điều 18).
RECEPTION_LEADERS = [
    ("STP", "Đặng Thị Thu", "Giám đốc Sở Tư pháp"),
    ("SNV", "Lê Quang Vinh", "Giám đốc Sở Nội vụ"),
]
MISSED_REASON = "Lãnh đạo Sở dự họp đột xuất theo triệu tập của Ủy ban nhân dân tỉnh; đã thông báo dời lịch."


def _month_day(today: datetime.date, months: int, day: int = 10) -> datetime.date:
    month0 = today.month - 1 + months
    return datetime.date(today.year + month0 // 12, month0 % 12 + 1, day)


def _reception_days(unit: Unit, leader: str, position: str, by) -> list:
    """The leader's day of the last six months and the next one: most held, one missed, the last past
    one not yet logged, the next one ahead."""
    from django.utils import timezone

    from danvan.reception import services as reception

    today = timezone.localdate()
    agency = _unit_name_tail(unit.name)
    days = []
    for months in range(-6, 2):
        date = _month_day(today, months)
        day = reception.day_plan(
            unit=unit,
            date=date,
            leader_name=leader,
            leader_position=position,
            place=RECEPTION_PLACE.format(agency=agency),
            by=by,
        )
        days.append(day)
    past = [day for day in days if day.date <= today]
    for index, day in enumerate(past[:-1]):  # the last past day waits to be logged
        if index == 2:
            days[index] = reception.day_log(day=day, held=False, citizens=None, note=MISSED_REASON, by=by)
        else:
            days[index] = reception.day_log(day=day, held=True, citizens=2 + (index * 3) % 7, by=by)
    return days


def _case_person(case) -> dict:
    from danvan.voice.identity import crypto

    identity = getattr(case, "identity", None)
    return crypto.decrypt(bytes(identity.ciphertext)) if identity is not None else {}


def _register_desk_cases(unit: Unit, by) -> int:
    """A register line for each case of `unit` received at the desk before the register was kept.

    The line is written by the service (numbered, the person sealed) and then pointed at its case, as
    `entry_handle` would have done had the case been opened from the register.
    """
    from danvan.reception import services as reception
    from danvan.reception.models import Entry, Handling
    from danvan.voice.cases.models import Case, Channel

    desk = Case.objects.filter(unit=unit, channel=Channel.DESK, reception_entries__isnull=True)
    count = 0
    for case in desk.select_related("identity").order_by("received_on", "id"):
        person = _case_person(case)
        spec = reception.NewEntry(
            unit=unit,
            received_on=case.received_on,
            kind=case.kind,
            content=f"{case.subject}\n{case.content}",
            receiver="Trần Văn Phúc, chuyên viên Thanh tra Sở",
            people_count=case.people_count,
            anonymous=case.anonymous,
            name=person.get("name", ""),
            address=person.get("address", ""),
            id_number=person.get("id_number", ""),
        )
        entry = reception.entry_record(spec=spec, by=by)
        Entry.objects.filter(pk=entry.pk).update(handling=Handling.ACCEPT, case=case)
        count += 1
    return count


def _new_entries(unit: Unit, days: list, by) -> int:
    """Citizens received at the desk now: one accepted (a case due soon), one returned with guidance,
    one transferred, one not yet decided."""
    from django.utils import timezone

    from danvan.reception import services as reception
    from danvan.reception.models import Handling
    from danvan.voice.cases import services as cases
    from danvan.voice.cases.models import Kind

    today = timezone.localdate()
    held = [day for day in days if day.held]
    leader_day = held[-1] if held else None
    handler = User.objects.filter(username=CASE_HANDLER).first()
    specs = [
        reception.NewEntry(
            unit=unit,
            received_on=_days_ago(8),
            kind=Kind.COMPLAINT_FIRST,
            content="Khiếu nại việc chậm giải quyết hồ sơ đăng ký kết hôn có yếu tố nước ngoài\n"
            "Hồ sơ nộp đã quá hạn giải quyết nhưng chưa có kết quả.",
            receiver="Trần Văn Phúc, chuyên viên Thanh tra Sở",
            name="Võ Thị Kim Anh",
            address="Khu phố 4, phường Trảng Dài, Biên Hòa",
            id_number="075190004321",
            handling=Handling.ACCEPT,
        ),
        reception.NewEntry(
            unit=unit,
            received_on=leader_day.date if leader_day else _days_ago(20),
            kind=Kind.PETITION,
            content="Kiến nghị về việc tranh chấp ranh giới đất với hộ liền kề",
            receiver="Đặng Thị Thu, Giám đốc Sở Tư pháp",
            name="Huỳnh Văn Lộc",
            address="Ấp 3, xã Tân Hạnh, Biên Hòa",
            leader_day=leader_day,
            handling=Handling.RETURN,
            guidance="Hướng dẫn công dân gửi đơn đến Ủy ban nhân dân xã Tân Hạnh để được hòa giải theo quy định.",
        ),
        reception.NewEntry(
            unit=unit,
            received_on=_days_ago(11),
            kind=Kind.COMPLAINT_FIRST,
            content="Khiếu nại quyết định thu hồi đất làm đường giao thông",
            receiver="Trần Văn Phúc, chuyên viên Thanh tra Sở",
            people_count=3,
            name="Mai Văn Sang",
            address="Tổ 12, khu phố 2, phường Tam Hiệp, Biên Hòa",
            handling=Handling.TRANSFER,
            transfer_to="Ủy ban nhân dân thành phố Biên Hòa",
        ),
        reception.NewEntry(
            unit=unit,
            received_on=today,
            kind=Kind.FEEDBACK,
            content="Phản ánh thái độ của nhân viên bộ phận một cửa",
            receiver="Trần Văn Phúc, chuyên viên Thanh tra Sở",
            anonymous=True,
        ),
    ]
    entries = [reception.entry_record(spec=spec, by=by) for spec in specs]
    reception.entry_follow_up(
        entry=entries[1],
        result="Ủy ban nhân dân xã Tân Hạnh đã tổ chức hòa giải; hai bên thống nhất mốc ranh giới.",
        note="",
        by=by,
    )
    accepted = entries[0].case
    if accepted is not None and handler is not None:
        cases.case_assign(case=accepted, handler=handler, by=by)
    return len(entries)


@transaction.atomic
def load_reception() -> int:
    """Leaders' reception days (held, one missed, one to log, one ahead) at STP and SNV, and STP's
    reception register: a line for each case received at the desk and four citizens received since.
    Unless any reception day exists; returns how many register lines were written."""
    from danvan.reception.models import ReceptionDay

    if ReceptionDay.objects.exists() or not Unit.objects.filter(code="STP").exists():
        return 0
    handler = User.objects.filter(username=CASE_HANDLER).first()
    stp_actor = handler or RECEPTION_DEMO
    units = {u.code: u for u in Unit.objects.filter(code__in=[code for code, _n, _p in RECEPTION_LEADERS])}
    days = {}
    for code, leader, position in RECEPTION_LEADERS:
        days[code] = _reception_days(
            units[code], leader, position, stp_actor if code == "STP" else RECEPTION_DEMO
        )
    stp = units["STP"]
    return _register_desk_cases(stp, stp_actor) + _new_entries(stp, days["STP"], stp_actor)


# ---------------------------------------------------------------- documents sent for study

DOCUMENTS_DEMO = System("danvan demo: documents")
STUDY_UNITS = 11  # besides STP and the committee
# (number, type, subject, issued days ago, study deadline in days from today)
STUDY_DOCUMENTS = [
    (
        "112-KH/ĐUK",
        "KH",
        "Triển khai thực hiện Kết luận số 114-KL/TW của Ban Bí thư về nâng cao hiệu quả công tác "
        "dân vận của cơ quan nhà nước các cấp",
        45,
        -5,
    ),
    (
        "15-HD/ĐUK",
        "HD",
        "Hướng dẫn đánh giá, công nhận mô hình “Dân vận khéo” năm 2026",
        10,
        20,
    ),
]


@transaction.atomic
def load_documents() -> int:
    """Two documents of the bloc sent to its grassroots organisations for study: some units
    acknowledged and studied them, some only acknowledged, some neither (STP has one to acknowledge
    and one overdue to study). Unless any exists; returns how many deliveries were made."""
    from django.utils import timezone

    from danvan.directives import dissemination
    from danvan.directives import services as directives
    from danvan.directives.models import Document, StudyForm

    root = Unit.objects.filter(code=ROOT_CODE).first()
    if (
        root is None
        or Document.objects.filter(unit=root, number_symbol__in=[d[0] for d in STUDY_DOCUMENTS]).exists()
    ):
        return 0
    today = timezone.localdate()
    sent = 0
    for number, doc_type, subject, issued_ago, due_in in STUDY_DOCUMENTS:
        spec = directives.DocumentSpec(
            unit=root,
            direction="out",
            doc_type=doc_type,
            number_symbol=number,
            issuer="Đảng ủy Khối các cơ quan tỉnh",
            parent_issuer="Tỉnh ủy Đồng Nai",
            place="Biên Hòa",
            issued_on=today - datetime.timedelta(days=issued_ago),
            subject=subject,
            recipients=["Các đảng ủy, chi bộ cơ sở trực thuộc", "Lưu Văn phòng Đảng ủy Khối"],
            signing_authority="T/M",
            signing_for="Ban Thường vụ",
            signer_title="Phó Bí thư",
            signer="Phan Văn Châu",
        )
        document = directives.document_save(spec=spec, by=DOCUMENTS_DEMO)
        # A dozen organisations, STP and the health committee among them: every delivery refreshes the
        # dissemination figures of its unit, and the demo stays quick to load.
        grassroots = dissemination.choose(document, unit_type="grassroots")
        units = [u for u in grassroots if u.code == "STP"] + [u for u in grassroots if u.code != "STP"][
            :STUDY_UNITS
        ]
        units += dissemination.choose(document, unit_type="committee")
        result = dissemination.send(
            document=document,
            units=units,
            study_due=today + datetime.timedelta(days=due_in),
            by=DOCUMENTS_DEMO,
        )
        for index, delivery in enumerate(result.sent):
            if delivery.unit.code == "STP":
                if due_in < 0:  # acknowledged, study overdue
                    dissemination.acknowledge(delivery=delivery, by=DOCUMENTS_DEMO)
                continue
            if index % 4 == 3:
                continue  # not even acknowledged
            if index % 4:  # acknowledged, not studied yet (a study session refreshes the figures: few)
                dissemination.acknowledge(delivery=delivery, by=DOCUMENTS_DEMO)
                continue
            held_on = max(document.issued_on, today - datetime.timedelta(days=1 + index % 7))
            expected = 20 + (index * 7) % 60
            dissemination.session_record(
                delivery=delivery,
                held_on=held_on,
                form=StudyForm.CELL_MEETING if index % 3 else StudyForm.CONFERENCE,
                participants=expected - index % 4,
                expected=expected,
                by=DOCUMENTS_DEMO,
            )
        sent += len(result.sent)
    return sent


# ---------------------------------------------------------------- programmes

PROGRAMME_DEMO = System("demo")
SEED_004 = Path(__file__).parent / "fixtures" / "seed_004.txt"  # công văn 84-CV/ĐU + Chương trình 60-CTr/ĐUK


def load_programme() -> int:
    """Đảng ủy Sở Tư pháp's action programme from seed 004, made as an officer makes one: the công văn
    registered with the fields the parser reads, then the programme created from it (parse → specs →
    create: the tasks, leads and deadlines the parser gives), started some seven months ago, with a few
    progress reports. Returns how many tasks were created (0 when the programme exists)."""
    from danvan.directives import parsing
    from danvan.directives import services as directive_services
    from danvan.directives.forms import initial_from_parsed
    from danvan.directives.models import Document
    from danvan.programmes import services as programme_services
    from danvan.programmes.models import Programme

    stp = Unit.objects.get(code="STP")
    text = SEED_004.read_text(encoding="utf-8")
    parsed = parsing.parse(text)
    document = Document.objects.filter(unit=stp, number_symbol=parsed.number_symbol).first()
    if document is not None and Programme.objects.filter(document=document).exists():
        return 0
    with transaction.atomic():
        if document is None:
            # what the register's import-then-review form offers for this text, accepted as it is
            fields = initial_from_parsed(parsed.as_dict(), text)
            fields["issuer"], fields["parent_issuer"] = "Đảng ủy Sở Tư pháp", "Đảng ủy Khối các cơ quan tỉnh"
            fields["subject"] = fields["subject"][:1].upper() + fields["subject"][1:]
            spec = directive_services.DocumentSpec(unit=stp, direction="out", **fields)
            document = directive_services.document_save(spec=spec, by=PROGRAMME_DEMO)
        today = _days_ago(0)
        # started on the first of a month over 200 days ago: a six-monthly deadline is always behind it
        start = _days_ago(200).replace(day=1)
        programme = programme_services.programme_create(document=document, starts_on=start, by=PROGRAMME_DEMO)
        _report_programme_progress(programme, today)
        return programme.tasks.count()


def _report_programme_progress(programme, today: datetime.date) -> None:
    """A few reports, as the cells would have sent them: items 1 and 3 under way, item 2 done, the first
    six-monthly report sent a few days after its deadline, the yearly report being prepared."""
    from danvan.programmes import services as programme_services
    from danvan.programmes.models import State

    def report(task, state, text, days_ago):
        occurrence = task.occurrences.exclude(state=State.DONE).first()
        on = today - datetime.timedelta(days=days_ago)
        if occurrence is None or on < programme.starts_on:
            return
        programme_services.progress_report(
            occurrence=occurrence, state=state, text=text, on=on, by=PROGRAMME_DEMO
        )

    tasks = {task.order: task for task in programme.tasks.all()}
    report(
        tasks[1],
        State.IN_PROGRESS,
        "Đã quán triệt Nghị quyết Trung ương 4 tại 4 chi bộ; đang kiểm điểm khắc phục.",
        40,
    )
    report(
        tasks[4],
        State.DONE,
        "Đã tổ chức học tập tư tưởng dân vận của Chủ tịch Hồ Chí Minh cho 86 đảng viên.",
        25,
    )
    report(
        tasks[6], State.IN_PROGRESS, "Chi bộ 2 đang rà soát quy chế phối hợp với Công đoàn Sở Tư pháp.", 12
    )
    six_monthly = next((task for task in tasks.values() if task.rule == "semiannual"), None)
    if six_monthly is not None:
        first = six_monthly.occurrences.filter(due_on__lt=today).first()
        if first is not None and first.due_on + datetime.timedelta(days=4) <= today:
            report(
                six_monthly,
                State.DONE,
                "Đã gửi báo cáo sơ kết 6 tháng về Đảng ủy Khối.",
                (today - first.due_on).days - 4,
            )
    yearly = next((task for task in tasks.values() if task.rule == "annual"), None)
    if yearly is not None:
        report(yearly, State.IN_PROGRESS, "Văn phòng đang tổng hợp báo cáo năm của các chi bộ.", 3)
