"""`danvan synth-tree --units 250000`: a national-size synthetic organisation tree, for benchmarks.

One root bloc, about sixty provincial committees, then grassroots organisations, branch
committees, cells and party teams (4 to 6 levels). Rows are written with bulk_create in batches,
paths, depths and text keys computed here, without the per-unit service calls (which would take
hours at this size); ids are reserved first so that each path can be computed before its row is
written. The whole build is one transaction.
"""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danvan.accounts.models import RoleAssignment
from danvan.audit.context import Actor, acting_as
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.paths import path_segment, path_upper_bound
from danvan.core.text import search_key, sort_key
from danvan.orgs.models import (
    MobilisationLead,
    RestructuringEvent,
    Unit,
    UnitGroup,
    UnitLink,
    UnitPickKey,
    UnitType,
    UnitVersion,
)
from danvan.orgs.services import CODE_RE

BATCH = 5000
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2024, 12, 31)

# fmt: off
PROVINCES = [
    "tỉnh An Giang", "tỉnh Bà Rịa – Vũng Tàu", "tỉnh Bắc Giang", "tỉnh Bắc Kạn", "tỉnh Bạc Liêu",
    "tỉnh Bắc Ninh", "tỉnh Bến Tre", "tỉnh Bình Định", "tỉnh Bình Dương", "tỉnh Bình Phước",
    "tỉnh Bình Thuận", "tỉnh Cà Mau", "thành phố Cần Thơ", "tỉnh Cao Bằng", "thành phố Đà Nẵng",
    "tỉnh Đắk Lắk", "tỉnh Đắk Nông",
    "tỉnh Điện Biên", "tỉnh Đồng Nai", "tỉnh Đồng Tháp", "tỉnh Gia Lai", "tỉnh Hà Giang", "tỉnh Hà Nam",
    "thành phố Hà Nội", "tỉnh Hà Tĩnh", "tỉnh Hải Dương", "thành phố Hải Phòng", "tỉnh Hậu Giang",
    "tỉnh Hòa Bình", "tỉnh Hưng Yên", "tỉnh Khánh Hòa", "tỉnh Kiên Giang", "tỉnh Kon Tum", "tỉnh Lai Châu",
    "tỉnh Lâm Đồng", "tỉnh Lạng Sơn", "tỉnh Lào Cai", "tỉnh Long An", "tỉnh Nam Định", "tỉnh Nghệ An",
    "tỉnh Ninh Bình", "tỉnh Ninh Thuận", "tỉnh Phú Thọ", "tỉnh Phú Yên", "tỉnh Quảng Bình", "tỉnh Quảng Nam",
    "tỉnh Quảng Ngãi", "tỉnh Quảng Ninh", "tỉnh Quảng Trị", "tỉnh Sóc Trăng", "tỉnh Sơn La", "tỉnh Tây Ninh",
    "tỉnh Thái Bình", "tỉnh Thái Nguyên", "tỉnh Thanh Hóa", "tỉnh Thừa Thiên Huế", "tỉnh Tiền Giang",
    "Thành phố Hồ Chí Minh", "tỉnh Trà Vinh", "tỉnh Tuyên Quang", "tỉnh Vĩnh Long", "tỉnh Vĩnh Phúc",
    "tỉnh Yên Bái",
]
# Agency name -> the unit group it belongs to ("" for none).
AGENCIES = [
    ("Sở Tư pháp", "admin_agency"), ("Sở Y tế", "admin_agency"), ("Sở Giáo dục và Đào tạo", "admin_agency"),
    ("Sở Tài chính", "admin_agency"), ("Sở Xây dựng", "admin_agency"),
    ("Sở Giao thông vận tải", "admin_agency"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "admin_agency"), ("Sở Công Thương", "admin_agency"),
    ("Sở Kế hoạch và Đầu tư", "admin_agency"), ("Sở Lao động – Thương binh và Xã hội", "admin_agency"),
    ("Sở Văn hóa, Thể thao và Du lịch", "admin_agency"), ("Sở Tài nguyên và Môi trường", "admin_agency"),
    ("Sở Thông tin và Truyền thông", "admin_agency"), ("Sở Khoa học và Công nghệ", "admin_agency"),
    ("Sở Nội vụ", "admin_agency"), ("Sở Ngoại vụ", "admin_agency"), ("Thanh tra tỉnh", "admin_agency"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "admin_agency"), ("Ban Dân tộc", "admin_agency"),
    ("Ban Quản lý các khu công nghiệp", "admin_agency"), ("Bệnh viện Đa khoa tỉnh", "public_service_unit"),
    ("Bệnh viện Nhi", "public_service_unit"), ("Bệnh viện Y dược cổ truyền", "public_service_unit"),
    ("Trung tâm Kiểm soát bệnh tật", "public_service_unit"),
    ("Đài Phát thanh và Truyền hình", "public_service_unit"), ("Báo Nhân dân tỉnh", "public_service_unit"),
    ("Trường Chính trị", "public_service_unit"), ("Trường Cao đẳng Y tế", "vocational_school"),
    ("Trường Cao đẳng Nghề", "vocational_school"),
    ("Trường Trung cấp Kinh tế – Kỹ thuật", "vocational_school"),
    ("Trường Cao đẳng Sư phạm", "vocational_school"), ("Công ty Điện lực", "enterprise"),
    ("Công ty Cấp nước", "enterprise"), ("Công ty Xổ số kiến thiết", "enterprise"),
    ("Ngân hàng Nông nghiệp chi nhánh tỉnh", "enterprise"), ("Công ty Môi trường đô thị", "enterprise"),
    ("Kho bạc Nhà nước tỉnh", ""), ("Cục Thuế tỉnh", ""), ("Cục Hải quan", ""), ("Bảo hiểm Xã hội tỉnh", ""),
    ("Hội Nông dân tỉnh", ""), ("Tỉnh đoàn", ""), ("Hội Liên hiệp Phụ nữ tỉnh", ""),
]
DEPARTMENTS = [
    "Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính", "Phòng Nghiệp vụ", "Phòng Thanh tra",
    "Khoa Nội", "Khoa Ngoại", "Khoa Sản", "Khoa Dược", "Khoa Cơ khí", "Khoa Điện", "Phòng Đào tạo",
    "Phòng Kinh doanh", "Phòng Kỹ thuật", "Xí nghiệp số 1", "Xí nghiệp số 2", "Trung tâm Dịch vụ",
]
MASS_ORGS = ["Công đoàn cơ sở", "Đoàn Thanh niên", "Hội Cựu chiến binh", "Chi hội Phụ nữ"]
# fmt: on


@dataclass(slots=True)
class Node:
    code: str
    name: str
    type_code: str
    parent: int  # index in the node list, -1 for the root
    depth: int
    valid_from: datetime.date
    group: str = ""


class TreeBuilder:
    """Generates the nodes, parents always before their children."""

    def __init__(self, total: int, root_code: str, seed: int):
        self.total, self.root_code, self.rng = total, root_code, random.Random(seed)
        self.nodes: list[Node] = []

    def add(self, parent: int, suffix: str, name: str, type_code: str, group: str = "") -> int:
        if parent < 0:
            code, depth, day = self.root_code, 0, FIRST_DAY
        else:
            above = self.nodes[parent]
            code, depth = f"{above.code}-{suffix}", above.depth + 1
            day = min(above.valid_from + datetime.timedelta(days=self.rng.randint(0, 1500)), LAST_DAY)
        self.nodes.append(Node(code, name, type_code, parent, depth, day, group))
        return len(self.nodes) - 1

    def build(self) -> list[Node]:
        root = self.add(-1, "", "Đảng bộ Khối các cơ quan Trung ương (tổng hợp)", "bloc")
        rest = self.total - 1
        committees = min(60, max(1, rest // 100))
        rest -= committees
        for index in range(committees):
            province = PROVINCES[index % len(PROVINCES)]
            committee = self.add(
                root, f"{index + 1:02d}", f"Đảng bộ Khối các cơ quan {province}", "committee"
            )
            share = rest // committees + (1 if index < rest % committees else 0)
            self.fill_committee(committee, share)
        return self.nodes

    def fill_committee(self, committee: int, budget: int) -> None:
        number = 0
        while budget > 0:
            number += 1
            agency, group = AGENCIES[(number - 1) % len(AGENCIES)]
            if number > len(AGENCIES):
                agency = f"{agency} số {(number - 1) // len(AGENCIES) + 1}"
            prefix = self.rng.choice(["Đảng ủy", "Đảng bộ", "Đảng ủy"])
            size = min(budget, self.rng.randint(10, 150))
            org = self.add(committee, f"{number:03d}", f"{prefix} {agency}", "grassroots", group)
            self.fill_grassroots(org, size - 1)
            budget -= size

    def fill_grassroots(self, org: int, budget: int) -> None:
        number = 0
        while budget > 0:
            number += 1
            roll = self.rng.random()
            if budget > 40 and roll < 0.15:
                size = min(budget, self.rng.randint(8, 30))
                department = DEPARTMENTS[number % len(DEPARTMENTS)]
                branch = self.add(org, f"{number}", f"Đảng bộ bộ phận {department}", "grassroots")
                self.fill_cells(branch, size - 1, teams_depth_ok=True)
            elif roll < 0.23:
                size = 1
                self.add(org, f"{number}", f"{MASS_ORGS[number % len(MASS_ORGS)]} {number}", "mass_org")
            else:
                size = min(budget, 1 if self.rng.random() < 0.85 else self.rng.randint(2, 6))
                name = (
                    f"Chi bộ {number}"
                    if self.rng.random() < 0.7
                    else f"Chi bộ {DEPARTMENTS[number % len(DEPARTMENTS)]}"
                )
                cell = self.add(org, f"{number}", name, "cell")
                self.fill_teams(cell, size - 1)
            budget -= size

    def fill_cells(self, branch: int, budget: int, teams_depth_ok: bool) -> None:
        number = 0
        while budget > 0:
            number += 1
            size = min(budget, 1 if self.rng.random() < 0.85 else self.rng.randint(2, 5))
            cell = self.add(branch, f"{number}", f"Chi bộ {number}", "cell")
            self.fill_teams(cell, size - 1)
            budget -= size

    def fill_teams(self, cell: int, budget: int) -> None:
        for number in range(1, budget + 1):
            self.add(cell, f"T{number}", f"Tổ đảng {number}", "cell")


def _reserve_ids(model, count: int) -> list[int]:
    """Ids for `count` new rows of `model`, taken before the rows are written."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _write(nodes: list[Node]) -> None:
    types = dict(UnitType.objects.values_list("code", "id"))
    groups = dict(UnitGroup.objects.values_list("code", "id"))
    unit_ids = _reserve_ids(Unit, len(nodes))
    version_ids = _reserve_ids(UnitVersion, len(nodes))
    paths: list[str] = []
    Through = UnitVersion.groups.through
    for start in range(0, len(nodes), BATCH):
        units, versions, links, keys = [], [], [], []
        for index in range(start, min(start + BATCH, len(nodes))):
            node = nodes[index]
            parent_path = paths[node.parent] if node.parent >= 0 else ""
            path = parent_path + path_segment(unit_ids[index])
            paths.append(path)
            units.append(
                Unit(
                    id=unit_ids[index], code=node.code, name=node.name, path=path, valid_from=node.valid_from
                )
            )
            versions.append(
                UnitVersion(
                    id=version_ids[index],
                    unit_id=unit_ids[index],
                    name=node.name,
                    unit_type_id=types[node.type_code],
                    parent_id=unit_ids[node.parent] if node.parent >= 0 else None,
                    path=path,
                    depth=node.depth,
                    valid_from=node.valid_from,
                    search_name=search_key(f"{node.name} {node.code}")[:400],
                    sort_name=sort_key(node.name),
                )
            )
            keys += UnitPickKey.rows(unit_id=unit_ids[index], code=node.code, path=path, names=[node.name])
            if node.group:
                links.append(Through(unitversion_id=version_ids[index], unitgroup_id=groups[node.group]))
        Unit.objects.bulk_create(units, batch_size=BATCH)
        UnitVersion.objects.bulk_create(versions, batch_size=BATCH)
        Through.objects.bulk_create(links, batch_size=BATCH)
        UnitPickKey.objects.bulk_create(keys, batch_size=BATCH)


def _clear(root: Unit) -> int:
    """Delete the subtree of `root` with a few set-based statements (no per-row signals)."""
    lower, upper = root.path, path_upper_bound(root.path)
    subtree = Unit.objects.filter(path__gte=lower, path__lt=upper)
    count = subtree.count()
    ids = "SELECT id FROM {unit} WHERE path >= %s AND path < %s"
    statements = [
        (
            "DELETE FROM {through} WHERE unitversion_id IN (SELECT id FROM {version} WHERE unit_id IN ("
            + ids
            + "))"
        ),
        "DELETE FROM {version} WHERE unit_id IN (" + ids + ")",
        "DELETE FROM {pickkey} WHERE unit_id IN (" + ids + ")",
        "DELETE FROM {link} WHERE successor_id IN (" + ids + ")",
        "DELETE FROM {link} WHERE predecessor_id IN (" + ids + ")",
        "DELETE FROM {event} WHERE unit_id IN (" + ids + ")",
        "DELETE FROM {lead} WHERE unit_id IN (" + ids + ")",
    ]
    names = {
        "unit": Unit._meta.db_table,
        "version": UnitVersion._meta.db_table,
        "pickkey": UnitPickKey._meta.db_table,
        "through": UnitVersion.groups.through._meta.db_table,
        "link": UnitLink._meta.db_table,
        "event": RestructuringEvent._meta.db_table,
        "lead": MobilisationLead._meta.db_table,
    }
    quoted = {key: connection.ops.quote_name(value) for key, value in names.items()}
    moved_out = UnitVersion.objects.filter(parent__in=subtree).exclude(unit__in=subtree)
    codes = sorted(set(moved_out.values_list("unit__code", flat=True)[:100]))
    if codes:
        raise CommandError(
            _("Units outside the synthetic tree were once under it (%(codes)s); it cannot be deleted.")
            % {"codes": ", ".join(codes[:5])}
        )
    RoleAssignment.objects.filter(unit__in=subtree).delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # any other reference fails here, not at commit
        for statement in statements:
            cursor.execute(statement.format(**quoted), [lower, upper])
        cursor.execute(("DELETE FROM {unit} WHERE path >= %s AND path < %s").format(**quoted), [lower, upper])
    return count


class Command(BaseCommand):
    help = "Dựng cây đơn vị tổng hợp cỡ toàn quốc (mặc định 250.000 đơn vị) để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=250_000, help="Tổng số đơn vị (mặc định 250000).")
        parser.add_argument("--root-code", default="SYN", help="Mã của đơn vị gốc (mặc định SYN).")
        parser.add_argument("--clear", action="store_true", help="Xóa cây tổng hợp đã có rồi dựng lại.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng cây)."
        )

    def handle(self, *args, **options):
        total, root_code = options["units"], options["root_code"].strip()
        if total < 2:
            raise CommandError(_("The tree needs at least 2 units."))
        if not CODE_RE.match(root_code) or len(root_code) > 20:
            raise CommandError(_("“%(code)s” is not a valid root code.") % {"code": root_code})
        started = time.monotonic()
        with acting_as(Actor(id=None, label="synth-tree", source="command")):
            try:
                with transaction.atomic():
                    cleared = self.clear_or_refuse(root_code, options["clear"])
                    nodes = TreeBuilder(total, root_code, options["seed"]).build()
                    _write(nodes)
                    record(
                        action=AuditEvent.Action.CREATE,
                        model=Unit._meta.label_lower,
                        object_repr=f"synth-tree {root_code}: {len(nodes)}",
                        changes={"units": len(nodes), "seed": options["seed"], "cleared": cleared},
                    )
            except IntegrityError as exc:
                raise CommandError(
                    _("The synthetic tree could not be written: %(problem)s") % {"problem": exc}
                ) from None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Unit, UnitVersion, UnitVersion.groups.through):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.report(nodes, cleared, time.monotonic() - started)

    def clear_or_refuse(self, root_code: str, clear: bool) -> int:
        root = Unit.objects.filter(code=root_code).first()
        cleared = 0
        if root is not None:
            if not clear:
                raise CommandError(
                    _("Unit %(code)s already exists; add --clear to delete and rebuild the synthetic tree.")
                    % {"code": root_code}
                )
            cleared = _clear(root)
        taken = Unit.objects.filter(code__startswith=f"{root_code}-").values_list("code", flat=True).first()
        if taken is not None:
            raise CommandError(
                _("Code %(code)s is already used outside the synthetic tree; choose another --root-code.")
                % {"code": taken}
            )
        return cleared

    def report(self, nodes: list[Node], cleared: int, seconds: float) -> None:
        fmt = lambda n: number_format(n, force_grouping=True)  # noqa: E731
        if cleared:
            self.stdout.write(
                _("Deleted the previous synthetic tree (%(count)s units).") % {"count": fmt(cleared)}
            )
        by_depth = Counter(node.depth for node in nodes)
        by_type = Counter(node.type_code for node in nodes)
        self.stdout.write(
            _("Built %(count)s units in %(seconds)s s.")
            % {"count": fmt(len(nodes)), "seconds": number_format(seconds, 1)}
        )
        self.stdout.write(
            _("By depth: %(levels)s")
            % {"levels": ", ".join(f"{depth}: {fmt(n)}" for depth, n in sorted(by_depth.items()))}
        )
        self.stdout.write(
            _("By type: %(types)s")
            % {"types": ", ".join(f"{code}: {fmt(n)}" for code, n in sorted(by_type.items()))}
        )
