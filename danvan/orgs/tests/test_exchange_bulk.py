"""A file of new units is applied set-based (services.units_create_tree): the same rows as the services
one unit at a time, in every table they write, and the same all or nothing with the same messages."""

import datetime

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.core.paths import PATH_SEGMENT, path_segment
from danvan.orgs import services
from danvan.orgs.exchange import apply
from danvan.orgs.models import RestructuringEvent, Unit, UnitLink, UnitPickKey, UnitVersion
from danvan.search.models import Entry, Reach

pytestmark = pytest.mark.django_db

SYSTEM = System("tests")
HEADER = "code,name,parent_code,type,groups,valid_from,valid_to,predecessors"


def csv_file(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def varied_file() -> bytes:
    """Roots, children before their parents, groups by code and by name, types by name, units ended
    in the past and in the future, units starting in the future, merges, a split and a succession."""
    today = timezone.localdate()
    soon = (today + datetime.timedelta(days=400)).isoformat()
    later = (today + datetime.timedelta(days=30)).isoformat()
    return csv_file(
        [
            "BK-01-CB1,Chi bộ Phòng Kỹ thuật,BK-01,cell,,2020-02-01,,",  # before its parent
            "BK,Đảng ủy Khối Doanh nghiệp,,bloc,,2020-01-01,,",
            "BK-01,Đảng ủy Công ty Điện lực,BK,grassroots,enterprise,2020-01-01,,",
            "BK-01-CB2,Chi bộ   Phòng Kinh doanh,BK-01,Chi bộ,,2020-02-01,2021-03-01,",
            "BK-02,Đảng ủy Trường Cao đẳng Nghề,BK,grassroots,vocational_school;public_service_unit,2021-01-01,,",
            "BK-02-CB1,Chi bộ Khoa Cơ khí,BK-02,cell,,2021-01-01,2022-01-01,",
            "BK-02-CB2,Chi bộ Khoa Điện,BK-02,cell,,2021-01-01,2022-01-01,",
            "BK-02-CB3,Chi bộ Cơ điện,BK-02,cell,,2022-01-01,,BK-02-CB1;BK-02-CB2",  # a merge
            "BK-03,Công đoàn Khối,BK,mass_org,,2020-01-01,2023-01-01,",
            "BK-03-A,Công đoàn bộ phận A,BK-03,mass_org,,2020-05-01,2023-01-01,",  # ends with its parent
            "BK-04,Công đoàn Khối A,BK,mass_org,,2023-01-01,,BK-03",  # a split of BK-03
            "BK-05,Công đoàn Khối B,BK,mass_org,,2023-01-01,,BK-03",
            "BK-06,Đảng ủy Cảng Hàng không,BK,grassroots,Doanh nghiệp,2021-03-01,,BK-01-CB2",
            f"BK-07,Chi bộ sắp giải thể,BK,cell,,2020-06-01,{soon},",
            f"BK-08,Chi bộ sắp thành lập,BK,cell,,{later},,",
            f"BK-08-T1,Tổ đảng 1,BK-08,cell,,{later},,",
            "XN,Đảng bộ Xí nghiệp (gốc thứ hai),,grassroots,,2019-12-31,,",
            "XN-1,Chi bộ 1,XN,cell,,2019-12-31,,",
        ]
    )


def _path(path: str, codes: dict[int, str]) -> str:
    return "/".join(codes[int(path[i : i + PATH_SEGMENT])] for i in range(0, len(path), PATH_SEGMENT))


def _audit_changes(event: AuditEvent, codes: dict[int, str]) -> dict:
    changes = dict(event.changes)
    if "id" in changes:
        changes["id"] = [None, codes[changes["id"][1]]]
    if "path" in changes:
        changes["path"] = [None, _path(changes["path"][1], codes)]
    if "created_at" in changes:
        changes["created_at"] = [None, changes["created_at"][1] is not None]
    return changes


def state(audited_after: int = 0) -> dict:
    """Every row the import wrote, ids replaced by codes (the two states number their rows apart). The audit
    log: the events after `audited_after` (the catalogue's own events may be there before, as set up)."""
    codes = dict(Unit.objects.values_list("id", "code"))
    unit_entries = Entry.objects.filter(kind="unit")
    audit = AuditEvent.objects.filter(id__gt=audited_after).order_by("id")
    return {
        # How many rows every table of the project holds: a table one path writes and the other does not.
        "counts": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
        },
        "units": sorted(
            (u.code, u.name, _path(u.path, codes), u.valid_from, u.valid_to, u.regulation_number)
            for u in Unit.objects.all()
        ),
        "versions": sorted(
            (
                codes[v.unit_id],
                v.name,
                v.short_name,
                v.unit_type.code,
                codes.get(v.parent_id),
                _path(v.path, codes),
                v.depth,
                v.valid_from,
                v.valid_to,
                v.search_name,
                v.sort_name,
                tuple(sorted(g.code for g in v.groups.all())),
            )
            for v in UnitVersion.objects.select_related("unit_type")
        ),
        "pick_keys": sorted(
            (codes[k.unit_id], k.key, _path(k.path, codes)) for k in UnitPickKey.objects.all()
        ),
        "search": sorted(
            (
                codes[e.object_id],
                e.perm,
                _path(e.unit_path, codes),
                e.title,
                e.context,
                e.text,
                e.url,
                e.title_tokens,
                e.body_tokens,
            )
            for e in unit_entries
        ),
        "reach": Reach.objects.filter(entry__in=unit_entries).count(),
        "events": [
            (e.kind, e.effective_on, codes[e.unit_id], e.summary, e.details, e.decision, e.recorded_by_id)
            for e in RestructuringEvent.objects.order_by("id")
        ],
        "links": [
            (
                codes[link.predecessor_id],
                codes[link.successor_id],
                link.kind,
                link.effective_on,
                link.event_id,
            )
            for link in UnitLink.objects.order_by("id")
        ],
        "audit": [
            (
                e.action,
                e.actor_id,
                e.actor_label,
                e.ip_address,
                e.source,
                e.model,
                codes[int(e.object_id)] if e.model == "orgs.unit" and e.object_id else e.object_id,
                e.object_repr,
                codes.get(e.unit_id) if e.unit_id else None,
                e.unit_code,
                _path(e.unit_path, codes),
                _audit_changes(e, codes),
            )
            for e in audit
        ],
    }


class _Undo(Exception):
    pass


def applied(data: bytes, *, bulk: bool, monkeypatch) -> tuple[dict, int]:
    """The state after importing `data` (then undone); how many times the set-based path ran."""
    calls = []
    original = services.units_create_tree

    def counted(**kwargs):
        calls.append(1)
        return original(**kwargs)

    monkeypatch.setattr(services, "units_create_tree", counted)
    try:
        with transaction.atomic():
            audited_before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            result = apply.import_file(data=data, filename="don-vi.csv", by=SYSTEM, bulk=bulk)
            assert result.ok, [str(error) for error in result.errors]
            after = state(audited_before)
            raise _Undo
    except _Undo:
        pass
    return after, len(calls)


def test_the_set_based_path_writes_exactly_the_rows_of_the_services(catalogue, monkeypatch):
    # The audit log may hold events of before (append-only, they outlive a flush): not the import's.
    AuditEvent.objects.create(
        action="create", model="orgs.unittype", object_id="271", changes={"id": [None, 271]}
    )
    data = varied_file()
    one_by_one, calls = applied(data, bulk=False, monkeypatch=monkeypatch)
    assert calls == 0
    assert Unit.objects.count() == 0  # undone
    at_once, calls = applied(data, bulk=True, monkeypatch=monkeypatch)
    assert calls == 1
    for table in one_by_one:
        assert at_once[table] == one_by_one[table], table
    # The file had something of each kind to compare.
    assert len(at_once["units"]) == 18 and len(at_once["links"]) == 5
    assert {event[0] for event in at_once["events"]} == {"create", "dissolve"}
    assert [e[0] for e in at_once["audit"]].count("restructure") == 18 + 6
    assert not any(key[0] == "BK-03" for key in at_once["pick_keys"])  # ended: in no picker
    assert any(key[0] == "BK-07" for key in at_once["pick_keys"])  # ends next year: still offered


def _big_file(count: int) -> list[str]:
    lines = ["R,Đảng bộ gốc,,bloc,,2020-01-01,,"]
    for index in range(1, count):
        parent = "R" if index <= 20 else f"R-{index // 20}"
        lines.append(f"R-{index},Chi bộ số {index},{parent},cell,,2020-02-01,,")
    return lines


def test_a_large_file_of_new_units_is_applied_at_once(catalogue, monkeypatch):
    calls = []
    original = services.units_create_tree
    monkeypatch.setattr(services, "units_create_tree", lambda **kw: calls.append(1) or original(**kw))
    result = apply.import_file(data=csv_file(_big_file(5000)), filename="don-vi.csv", by=SYSTEM)
    assert result.ok and result.summary["units"] == 5000
    assert calls == [1]
    child = Unit.objects.get(code="R-4321")
    parent = Unit.objects.get(code="R-216")
    assert child.path == parent.path + path_segment(child.pk)
    assert parent.path.startswith(Unit.objects.get(code="R").path)
    assert UnitVersion.objects.get(unit=child).parent == parent


def test_an_error_in_a_late_row_of_a_large_file_saves_nothing(catalogue):
    lines = _big_file(5000)
    lines[4500] = lines[4500].replace(",cell,", ",cel,")
    before = AuditEvent.objects.count()
    result = apply.import_file(data=csv_file(lines), filename="don-vi.csv", by=SYSTEM)
    assert [(error.row, error.column) for error in result.errors] == [(4502, "type")]
    assert "“cel”" in str(result.errors[0])
    assert Unit.objects.count() == 0 and UnitPickKey.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_code_taken_in_another_case_is_refused_with_the_services_message(catalogue):
    existing = make_unit(catalogue, "r-350", "Đơn vị có sẵn", "bloc")
    lines = _big_file(400)
    results = {}
    for bulk in (False, True):
        before = (Unit.objects.count(), AuditEvent.objects.count(), Entry.objects.count())
        result = apply.import_file(data=csv_file(lines), filename="don-vi.csv", by=SYSTEM, bulk=bulk)
        assert not result.ok
        assert (Unit.objects.count(), AuditEvent.objects.count(), Entry.objects.count()) == before
        results[bulk] = [(error.row, error.column, str(error)) for error in result.errors]
    assert results[True] == results[False]
    assert results[True][0][:2] == (352, "code") and "R-350" in results[True][0][2]
    assert Unit.objects.get(pk=existing.pk).code == "r-350"


def test_a_file_that_refers_to_units_of_the_system_goes_through_the_services(catalogue, monkeypatch):
    make_unit(catalogue, "R", "Đảng bộ gốc", "bloc")
    calls = []
    monkeypatch.setattr(services, "units_create_tree", lambda **kw: calls.append(1))
    result = apply.import_file(
        data=csv_file(["R-1,Chi bộ 1,R,cell,,2020-02-01,,"]), filename="don-vi.csv", by=SYSTEM
    )
    assert result.ok and result.summary["units"] == 1
    assert calls == []
    assert UnitPickKey.objects.filter(unit__code="R-1").exists()
