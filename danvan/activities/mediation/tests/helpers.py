import datetime

from danvan.accounts.actors import System
from danvan.activities.mediation import services
from danvan.activities.mediation.services import CaseSpec, MediatorSpec, TeamSpec

SYSTEM = System("tests")
D = datetime.date


def people(*sexes: str) -> list[MediatorSpec]:
    names = ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Văn Nam", "Phạm Thị Hoa", "Đỗ Văn Tú"]
    return [MediatorSpec(name=names[i], sex=sex, leader=i == 0) for i, sex in enumerate(sexes)]


def make_team(unit, *, by=SYSTEM, name="Tổ hòa giải tổ dân phố 1", sexes=("female", "male", "male")):
    return services.team_create(
        spec=TeamSpec(unit=unit, name=name, place="Tổ dân phố 1", established_on=D(2024, 3, 1)),
        mediators=people(*sexes),
        by=by,
    )


def spec(unit, **extra) -> CaseSpec:
    values = {
        "unit": unit,
        "received_on": D(2025, 9, 1),
        "parties": "Ông Nguyễn Văn A; bà Trần Thị B",
        "content": "Tranh chấp lối đi chung",
        "result": "successful",
        "mediators": ["Nguyễn Thị Lan", "Trần Văn Hùng"],
        "concluded_on": D(2025, 9, 10),
        "agreement": "Hai bên thống nhất mở lối đi rộng 2 m.",
    }
    values.update(extra)
    return CaseSpec(**values)
