import datetime

from django.utils import timezone

from danvan.accounts.actors import System
from danvan.activities.boards import services
from danvan.activities.boards.models import term_end

SYSTEM = System("tests")


def today() -> datetime.date:
    return timezone.localdate()


def start() -> datetime.date:
    """A term that began about half a year ago: in term today."""
    return today() - datetime.timedelta(days=180)


def specs(count=3, **first):
    roles = ["chair", "deputy"] + ["member"] * 20
    made = [
        services.MemberSpec(full_name=f"Thành viên {index + 1}", position="Chuyên viên", role=roles[index])
        for index in range(count)
    ]
    if first and made:
        made[0] = services.MemberSpec(**{**made[0].__dict__, **first})
    return made


def make_board(unit, *, by=SYSTEM, starts_on=None, members=3, staff_count=25, **extra):
    starts_on = starts_on or start()
    return services.board_create(
        unit=unit,
        starts_on=starts_on,
        ends_on=extra.pop("ends_on", term_end(starts_on)),
        staff_count=staff_count,
        members=specs(members),
        by=by,
        **extra,
    )
