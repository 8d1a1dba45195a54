"""Demo data modelled on the seed documents: a provincial bloc party committee and its units.

Loaded by `danvan demo`; safe to run again (what exists is left as it is).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.orgs import catalogue
from danvan.orgs.models import Unit, UnitGroup, UnitType
from danvan.orgs.services import NewUnit, lead_assign, regulation_set, unit_create, unit_merge

START = datetime.date(2015, 1, 1)
MERGE_DAY = datetime.date(2025, 3, 1)
DEMO_PASSWORD = "danvan-demo-2026"
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
        return unit_create(spec=spec, valid_from=day)

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
            )
        if index % 5:  # most, not all, have a coordination regulation
            regulation_set(
                unit=unit, number=f"{index:02d}-QC/ĐU", signed_on=datetime.date(2022, 1 + index % 12, 10)
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
    )
    regulation_set(unit=root, number="60-CTr/ĐUK", signed_on=datetime.date(2014, 5, 29))
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
    )
    # … and one absorbed into another on the same day.
    unit_merge(
        units=[units["SGTVT"]],
        into=units["SXD"],
        effective_on=MERGE_DAY,
        decision="Quyết định số 1235/QĐ-UBND ngày 28/02/2025",
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
