"""The reception services check CASE_HANDLE at the register's unit for `by` themselves: a user of another
unit (or without the role) is refused by the service and nothing is written; the System may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.reception import services
from danvan.reception.models import Entry, Handling, ReceptionDay, UnitSetting
from danvan.voice.cases.models import Case, Kind

SYSTEM = System("tests")
D = datetime.date
LAST_YEAR = timezone.localdate().year - 1

pytestmark = pytest.mark.django_db


def _spec(unit, **more):
    values = {
        "unit": unit,
        "received_on": D(LAST_YEAR, 3, 10),
        "kind": Kind.COMPLAINT_FIRST,
        "content": "Khiếu nại quyết định thu hồi đất của hộ gia đình.",
        "receiver": "Trần Thị Tiếp",
        "name": "Nguyễn Văn Tố",
        "address": "12 Lê Lợi, Biên Hòa",
        **more,
    }
    return services.NewEntry(**values)


def _day(unit, by=SYSTEM):
    return services.day_plan(
        unit=unit,
        date=D(LAST_YEAR, 2, 3),
        leader_name="Lê Văn A",
        leader_position="Bí thư",
        place="Trụ sở",
        by=by,
    )


@pytest.mark.parametrize("who", ["outsider", "reporter"])  # another unit; no case handling at the unit
def test_entry_record_refuses_who_does_not_handle_cases_there(tree, personas, who):
    with pytest.raises(PermissionDenied):
        services.entry_record(spec=_spec(tree.stp, handling=Handling.ACCEPT), by=personas[who])
    assert not Entry.objects.exists() and not Case.objects.exists()
    entry = services.entry_record(spec=_spec(tree.stp, handling=Handling.ACCEPT), by=SYSTEM)
    assert entry.created_by is None and entry.case is not None


def test_entry_handle_and_follow_up_refuse_a_user_of_another_unit(tree, personas):
    entry = services.entry_record(spec=_spec(tree.stp), by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.entry_handle(entry=entry, handling=Handling.ACCEPT, by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.entry_follow_up(entry=entry, result="Đã giải quyết", note="", by=personas["outsider"])
    entry.refresh_from_db()
    assert entry.handling == "" and entry.result == "" and not Case.objects.exists()
    services.entry_handle(entry=entry, handling=Handling.ACCEPT, by=personas["case_handler"])
    services.entry_follow_up(entry=entry, result="Đã giải quyết", note="", by=SYSTEM)
    entry.refresh_from_db()
    assert entry.handling == Handling.ACCEPT and entry.result == "Đã giải quyết"


def test_reception_days_and_the_setting_refuse_a_user_of_another_unit(tree, personas):
    outsider = personas["outsider"]
    with pytest.raises(PermissionDenied):
        _day(tree.stp, by=outsider)
    with pytest.raises(PermissionDenied):
        services.setting_save(unit=tree.stp, commune_level=True, by=outsider)
    assert not ReceptionDay.objects.exists() and not UnitSetting.objects.exists()
    day = _day(tree.stp)
    with pytest.raises(PermissionDenied):
        services.day_log(day=day, held=True, citizens=3, by=outsider)
    with pytest.raises(PermissionDenied):
        services.day_remove(day=day, by=outsider)
    day.refresh_from_db()
    assert day.held is None
    services.day_log(day=day, held=True, citizens=3, by=SYSTEM)
    day.refresh_from_db()
    assert day.held is True and day.logged_by is None
    assert services.setting_save(unit=tree.stp, commune_level=True, by=SYSTEM).commune_level is True
    services.day_remove(day=_day(tree.stp_cb1), by=personas["case_handler"])  # the subtree is theirs
