"""The reception register in the permission matrix."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

DAY = datetime.date(2026, 3, 2)
# Showing a protected identity appends one row to its access log (`privacy.log_views`): the point of the read.
SEEN = frozenset({"reception.IdentityView"})


def unit(world, unit):
    return {"code": unit.code}


def entry(world, unit):
    from danvan.reception.models import Entry
    from danvan.voice.cases.models import Kind

    marker = f"MATRIX-ENTRY-{unit.code}"
    made = Entry.objects.create(
        unit=unit,
        year=DAY.year,
        number=1,
        received_on=DAY,
        kind=Kind.PETITION,
        content=marker,
        receiver="Cán bộ A",
    )
    return Made({"pk": made.pk}, marker=marker)


def day(world, unit):
    from danvan.reception.models import ReceptionDay

    made = ReceptionDay.objects.create(
        unit=unit, date=DAY, leader_name="Nguyễn Văn A", leader_position="Bí thư", place="Trụ sở"
    )
    return {"pk": made.pk}


def register(matrix):
    view, handle = Perm.CASE_VIEW, Perm.CASE_HANDLE
    matrix.listing("reception:home", perm=view)
    matrix.read("reception:register", perm=view, make=unit, writes=SEEN)
    matrix.read("reception:print", perm=view, make=unit, writes=EXPORT | SEEN)
    matrix.read("reception:xlsx", perm=view, make=unit, writes=EXPORT | SEEN)
    matrix.read("reception:entry_add", perm=handle, make=unit)
    matrix.read("reception:days", perm=view, make=unit)
    matrix.write_only("reception:setting", perm=handle, make=unit, note="POST: the unit's setting")
    matrix.read("reception:entry", perm=view, make=entry, writes=SEEN)
    matrix.write_only("reception:entry_handle", perm=handle, make=entry, note="POST: record the handling")
    matrix.write_only("reception:entry_follow_up", perm=handle, make=entry, note="POST: the follow-up")
    matrix.read("reception:day_log", perm=handle, make=day)
    matrix.write_only("reception:day_remove", perm=handle, make=day, note="POST: remove a day")
