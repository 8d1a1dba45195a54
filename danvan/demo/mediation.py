"""Demo data of grassroots mediation: teams at STP (and a few units), the register of cases.

The register matches the report figures the demo already holds: for 2025S2 each unit gets as many
cases (and successful ones) as its approved report says, 2.276 over the bloc with 1.673 successful
(seed 001, 73,5 %); for 2026S1 the units that have a report get theirs too, a few cases still ongoing.
Without demo reports (a bare tree), the seed's totals are spread over the grassroots organisations.
Cases are written in bulk, then the prepared periods they touch are recomputed once.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.activities.mediation import services, sources
from danvan.activities.mediation.models import Case, Result, Team
from danvan.orgs.models import Unit

DEMO = System("danvan demo: mediation")
TOTALS_2025S2 = (2276, 1673)
HALVES = {
    "2025S2": (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
    "2026S1": (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
}
NAMES = [
    ("Nguyễn Thị Lan", "female"),
    ("Trần Văn Hùng", "male"),
    ("Lê Thị Thu Hà", "female"),
    ("Phạm Văn Dũng", "male"),
    ("Hoàng Văn Nam", "male"),
    ("Vũ Thị Mai", "female"),
    ("Đỗ Văn Tùng", "male"),
    ("Bùi Thị Hồng", "female"),
]
CONTENTS = [
    "Tranh chấp lối đi chung giữa hai hộ liền kề",
    "Mâu thuẫn về ranh giới đất vườn",
    "Mâu thuẫn gia đình về việc chăm sóc cha mẹ già",
    "Tranh chấp về tiếng ồn và vệ sinh môi trường trong khu dân cư",
    "Tranh chấp về vay mượn tài sản",
    "Mâu thuẫn về thoát nước sinh hoạt giữa các hộ",
]
TEAMS = [
    ("STP", "Tổ hòa giải tổ dân phố số 1", "Tổ dân phố số 1, phường Trung tâm", (0, 1, 2, 3, 4)),
    ("STP", "Tổ hòa giải thôn Phú Lộc", "Thôn Phú Lộc, xã Phú Hòa", (5, 6, 1)),
    ("STP-CB1", "Tổ hòa giải tổ dân phố số 3", "Tổ dân phố số 3, phường Trung tâm", (7, 3, 4)),
    ("SNV", "Tổ hòa giải khu phố 2", "Khu phố 2, phường Tân Tiến", (2, 6, 4, 5)),
]


def _teams() -> dict[str, Team]:
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={code for code, *_ in TEAMS})}
    made: dict[str, Team] = {}
    for code, name, place, members in TEAMS:
        if code not in units:
            continue
        mediators = [
            services.MediatorSpec(
                name=NAMES[i][0],
                sex=NAMES[i][1],
                recognised_on=datetime.date(2023, 3, 15),
                trained=n != 2,
                trained_on=datetime.date(2025, 5, 20) if n != 2 else None,
                leader=n == 0,
            )
            for n, i in enumerate(members)
        ]
        spec = services.TeamSpec(
            unit=units[code], name=name, place=place, established_on=datetime.date(2023, 3, 1)
        )
        team = services.team_create(spec=spec, mediators=mediators, by=DEMO)
        made.setdefault(code, team)
    return made


def _reported(period_code: str) -> dict[int, tuple[int, int]]:
    """unit id → (cases, successful) of the demo's reports of the period (entered values)."""
    from danvan.reports.models import DataValue

    rows = DataValue.objects.filter(
        period__code=period_code, category="", element__code__in=["MEDIATION_CASES", "MEDIATION_SUCCESSFUL"]
    ).values_list("unit_id", "element__code", "value")
    found: dict[int, list[int]] = {}
    for unit_id, code, value in rows:
        found.setdefault(unit_id, [0, 0])[code == "MEDIATION_SUCCESSFUL"] = int(value)
    return {unit_id: (max(cases, ok), ok) for unit_id, (cases, ok) in found.items()}


def _spread(units: list[int], total: int, successful: int) -> dict[int, tuple[int, int]]:
    plan = {}
    for index, unit_id in enumerate(units):
        share = total // len(units) + (index < total % len(units))
        good = successful // len(units) + (index < successful % len(units))
        plan[unit_id] = (share, min(good, share))
    return plan


def _cases(plan: dict[int, tuple[int, int]], start, end, teams: dict[int, Team], *, ongoing_every: int = 0):
    today = timezone.localdate()
    last = min(end, today)
    span = max((last - start).days, 1)
    made = []
    for unit_id, (count, good) in sorted(plan.items()):
        team = teams.get(unit_id)
        for i in range(count):
            received = start + datetime.timedelta(days=(unit_id * 7 + i * 13) % span)
            if i < good:
                result = Result.SUCCESSFUL
            elif ongoing_every and i % ongoing_every == 0:
                result = Result.ONGOING
            else:
                result = Result.UNSUCCESSFUL
            concluded = None
            if result != Result.ONGOING:
                concluded = min(received + datetime.timedelta(days=2 + i % 12), last)
            first, second = NAMES[(unit_id + i) % len(NAMES)][0], NAMES[(unit_id + i + 3) % len(NAMES)][0]
            made.append(
                Case(
                    unit_id=unit_id,
                    team=team if team is not None and i % 2 == 0 else None,
                    received_on=received,
                    mediators=f"{first}; {second}",
                    parties=f"Hộ gia đình số {i * 2 + 1} và hộ gia đình số {i * 2 + 2}",
                    content=CONTENTS[(unit_id + i) % len(CONTENTS)],
                    result=result,
                    agreement="Các bên thống nhất phương án giải quyết."
                    if result == Result.SUCCESSFUL
                    else "",
                    demands="Mỗi bên giữ yêu cầu của mình." if result == Result.UNSUCCESSFUL else "",
                    concluded_on=concluded,
                )
            )
    return made


def load() -> int:
    """Teams and the register; how many cases were written (0 when the demo's mediation exists)."""
    if Case.objects.exists() or Team.objects.exists():
        return 0
    with transaction.atomic():
        teams = {team.unit_id: team for team in _teams().values()}
        first = _reported("2025S2")
        if sum(cases for cases, _ok in first.values()) != TOTALS_2025S2[0]:
            from danvan.orgs.selectors import versions_on

            grassroots = sorted(
                versions_on(HALVES["2025S2"][1])
                .filter(unit_type__code="grassroots")
                .values_list("unit_id", flat=True)
            )
            first = _spread(grassroots, *TOTALS_2025S2)
        cases = _cases(first, *HALVES["2025S2"], teams)
        second = _reported("2026S1")
        if not second:
            stp_tree = (
                Unit.objects.filter(code__startswith="STP").order_by("code").values_list("id", flat=True)
            )
            second = _spread(list(stp_tree), 40, 26)
        cases += _cases(second, *HALVES["2026S1"], teams, ongoing_every=3)
        Case.objects.bulk_create(cases, batch_size=1000)
        sources.refresh({case.unit_id for case in cases}, {case.received_on for case in cases})
    return len(cases)
