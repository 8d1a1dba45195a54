import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.orgs import selectors, services
from danvan.orgs.models import RestructuringEvent, Unit, UnitLink, UnitVersion
from danvan.orgs.services import NewUnit

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db


def codes(versions):
    return sorted(v.unit.code for v in versions.select_related("unit"))


def test_descendants_follow_the_tree_of_the_date(tree):
    assert codes(selectors.descendants(tree.root)) == ["STP", "STP-CB1", "STP-CB2", "SYT", "SYT-CB1"]
    assert codes(selectors.descendants(tree.stp)) == ["STP-CB1", "STP-CB2"]
    assert codes(selectors.descendants(tree.root, D(2019, 12, 31))) == []


def test_it_moves_a_subtree_from_a_date_and_keeps_the_past(tree):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1), by=SYSTEM)
    assert codes(selectors.descendants(tree.stp, D(2024, 4, 30))) == ["STP-CB1", "STP-CB2"]
    assert codes(selectors.descendants(tree.stp, D(2024, 5, 1))) == ["STP-CB1"]
    assert codes(selectors.descendants(tree.syt, D(2024, 5, 1))) == ["STP-CB2", "SYT-CB1"]
    tree.stp_cb2.refresh_from_db()
    assert tree.stp_cb2.path.startswith(tree.syt.path)


def test_moving_a_unit_carries_its_grandchildren(tree, catalogue):
    grandchild = make_unit(catalogue, "STP-CB1-T1", "Tổ đảng 1", "cell", tree.stp_cb1)
    services.unit_move(unit=tree.stp, new_parent=tree.syt, effective_on=D(2023, 1, 1), by=SYSTEM)
    assert "STP-CB1-T1" in codes(selectors.descendants(tree.syt, D(2023, 1, 1)))
    assert "STP-CB1-T1" not in codes(selectors.descendants(tree.syt, D(2022, 12, 31)))
    grandchild.refresh_from_db()
    assert selectors.version_of(grandchild, D(2023, 6, 1)).depth == 4


def test_it_refuses_a_cycle_and_changes_nothing(tree):
    with pytest.raises(ValidationError, match="cấp dưới của chính nó"):
        services.unit_move(unit=tree.stp, new_parent=tree.stp_cb1, effective_on=D(2024, 1, 1), by=SYSTEM)
    assert UnitVersion.objects.filter(unit=tree.stp).count() == 1


def test_it_renames_from_a_date(tree):
    services.unit_change(unit=tree.stp, name="Đảng bộ Sở Tư pháp", effective_on=D(2025, 7, 1), by=SYSTEM)
    assert selectors.version_of(tree.stp, D(2025, 6, 30)).name == "Đảng ủy Sở Tư pháp"
    assert selectors.version_of(tree.stp, D(2025, 7, 1)).name == "Đảng bộ Sở Tư pháp"
    assert RestructuringEvent.objects.filter(unit=tree.stp, kind="rename").exists()


def test_it_merges_units_and_records_predecessors(tree, catalogue):
    successor = services.unit_merge(
        units=[tree.stp, tree.syt],
        effective_on=D(2025, 3, 1),
        new=NewUnit(
            code="STP-SYT", name="Đảng ủy Sở Tư pháp – Y tế", unit_type=catalogue.types["grassroots"]
        ),
        by=SYSTEM,
    )
    assert codes(selectors.descendants(successor, D(2025, 3, 1))) == ["STP-CB1", "STP-CB2", "SYT-CB1"]
    assert set(UnitLink.objects.filter(successor=successor).values_list("predecessor__code", flat=True)) == {
        "STP",
        "SYT",
    }
    assert Unit.objects.get(code="STP").valid_to == D(2025, 3, 1)
    assert selectors.successors_on(tree.stp, D(2025, 6, 1)) == [successor]
    # Before the merge the old tree stands.
    assert codes(selectors.descendants(tree.stp, D(2025, 2, 28))) == ["STP-CB1", "STP-CB2"]


def test_it_refuses_to_merge_into_a_dissolved_unit(tree):
    services.unit_dissolve(unit=tree.syt_cb1, effective_on=D(2024, 1, 1), by=SYSTEM)
    with pytest.raises(ValidationError):
        services.unit_merge(units=[tree.stp_cb1], into=tree.syt_cb1, effective_on=D(2024, 6, 1), by=SYSTEM)
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_it_splits_a_unit_and_hands_over_children(tree, catalogue):
    cell = catalogue.types["grassroots"]
    new_units = services.unit_split(
        unit=tree.stp,
        effective_on=D(2025, 3, 1),
        into=[
            NewUnit(code="STP-A", name="Đảng ủy A", unit_type=cell),
            NewUnit(code="STP-B", name="Đảng ủy B", unit_type=cell),
        ],
        children={"STP-CB2": "STP-B"},
        by=SYSTEM,
    )
    a, b = new_units
    assert codes(selectors.descendants(a, D(2025, 3, 1))) == ["STP-CB1"]
    assert codes(selectors.descendants(b, D(2025, 3, 1))) == ["STP-CB2"]
    assert a.path[:10] == tree.root.path


def test_it_refuses_to_dissolve_a_unit_with_children(tree):
    with pytest.raises(ValidationError):
        services.unit_dissolve(unit=tree.stp, effective_on=D(2024, 1, 1), by=SYSTEM)
    assert Unit.objects.get(code="STP").valid_to is None


def test_it_refuses_a_unit_before_its_parent(tree, catalogue):
    with pytest.raises(ValidationError, match=r"01/01/2020"):
        make_unit(catalogue, "OLD", "Chi bộ cũ", "cell", tree.stp, day=D(2019, 1, 1))
    assert not Unit.objects.filter(code="OLD").exists()


def test_it_refuses_a_duplicate_code(tree, catalogue):
    with pytest.raises(ValidationError):
        make_unit(catalogue, "stp", "Trùng mã", "cell", tree.root)


def test_search_ignores_diacritics_and_case(tree):
    assert [v.unit.code for v in selectors.search("so tu phap")] == ["STP"]
    assert [v.unit.code for v in selectors.search("DANG UY KHOI")] == ["DUK"]
    assert [v.unit.code for v in selectors.search("đảng ủy khối")] == ["DUK"]


def test_subtree_takes_two_queries_whatever_the_depth(tree, catalogue, django_assert_num_queries):
    # One to read the root's path on the date, one range scan on the path index.
    parent = tree.stp_cb1
    for level in range(6):
        parent = make_unit(catalogue, f"DEEP{level}", f"Tổ {level}", "cell", parent)
    with django_assert_num_queries(2):
        result = list(selectors.descendants(tree.root).values_list("unit__code", flat=True))
    assert "DEEP5" in result


def test_the_creation_of_a_unit_is_audited_with_its_place_in_the_tree(tree):
    from danvan.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="create", model="orgs.unit", object_id=str(tree.stp_cb1.pk))
    assert event.unit_path == tree.stp_cb1.path and event.unit_path.startswith(tree.stp.path)
    assert event.changes["code"] == [None, "STP-CB1"]


# --- found in review: each of these failed before the fix ----------------------------------------


def test_a_split_cannot_put_a_new_unit_under_a_child_of_the_split_unit(tree, catalogue):
    grassroots = catalogue.types["grassroots"]
    with pytest.raises(ValidationError, match="đang được kết thúc"):
        services.unit_split(
            unit=tree.stp,
            effective_on=D(2026, 6, 1),
            into=[
                NewUnit(code="STP-A", name="A", unit_type=grassroots, parent=tree.stp_cb1),
                NewUnit(code="STP-B", name="B", unit_type=grassroots),
            ],
            children={"STP-CB1": "STP-A"},
            by=SYSTEM,
        )
    assert not Unit.objects.filter(code__in=["STP-A", "STP-B"]).exists()
    assert selectors.version_of(tree.stp_cb1, D(2026, 7, 1)).parent == tree.stp


def test_a_merge_cannot_put_the_new_unit_under_a_child_of_a_merged_unit(tree, catalogue):
    with pytest.raises(ValidationError, match="đang được kết thúc"):
        services.unit_merge(
            units=[tree.stp, tree.syt],
            effective_on=D(2026, 6, 1),
            new=NewUnit(code="NEW", name="Mới", unit_type=catalogue.types["grassroots"], parent=tree.syt_cb1),
            by=SYSTEM,
        )
    assert Unit.objects.get(code="STP").valid_to is None


def test_merging_into_a_unit_that_moves_later_carries_the_children_along(tree, catalogue):
    other = make_unit(catalogue, "X", "Đảng ủy X", "grassroots", tree.root)
    services.unit_move(unit=tree.syt, new_parent=other, effective_on=D(2025, 6, 1), by=SYSTEM)
    services.unit_merge(units=[tree.stp], into=tree.syt, effective_on=D(2025, 1, 1), by=SYSTEM)
    assert codes(selectors.descendants(tree.syt, D(2025, 3, 1))) == ["STP-CB1", "STP-CB2", "SYT-CB1"]
    assert codes(selectors.descendants(tree.syt, D(2025, 7, 1))) == ["STP-CB1", "STP-CB2", "SYT-CB1"]
    assert "STP-CB1" in codes(selectors.descendants(other, D(2025, 7, 1)))
    assert "STP-CB1" not in codes(selectors.descendants(other, D(2025, 3, 1)))


def test_a_unit_moved_under_a_parent_that_moves_later_follows_it(tree, catalogue):
    # Recorded in this order: the parent's move first, then an earlier move into that parent.
    services.unit_move(unit=tree.stp, new_parent=tree.syt, effective_on=D(2026, 12, 10), by=SYSTEM)
    services.unit_move(unit=tree.syt_cb1, new_parent=tree.stp, effective_on=D(2026, 12, 5), by=SYSTEM)
    assert codes(selectors.descendants(tree.stp, D(2026, 12, 6))) == ["STP-CB1", "STP-CB2", "SYT-CB1"]
    assert codes(selectors.descendants(tree.syt, D(2026, 12, 6))) == []
    assert codes(selectors.descendants(tree.syt, D(2026, 12, 11))) == ["STP", "STP-CB1", "STP-CB2", "SYT-CB1"]
    assert selectors.version_of(tree.syt_cb1, D(2026, 12, 11)).depth == 3


def test_a_unit_moved_or_renamed_on_a_day_can_be_dissolved_that_same_day(tree):
    day = D(2025, 3, 1)
    services.unit_move(unit=tree.stp_cb1, new_parent=tree.syt, effective_on=day, by=SYSTEM)
    services.unit_dissolve(unit=tree.stp_cb1, effective_on=day, by=SYSTEM)
    services.unit_change(unit=tree.stp_cb2, name="Chi bộ Hai", effective_on=day, by=SYSTEM)
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=day, by=SYSTEM)
    for cell in (tree.stp_cb1, tree.stp_cb2):
        assert selectors.version_of(cell, day) is None
        assert selectors.version_of(cell, D(2025, 2, 28)).parent == tree.stp
        assert Unit.objects.get(pk=cell.pk).valid_to == day


def test_a_split_refuses_child_codes_that_are_not_under_the_unit(tree, catalogue):
    grassroots = catalogue.types["grassroots"]
    with pytest.raises(ValidationError, match="SYT-CB1 không phải là đơn vị trực thuộc STP"):
        services.unit_split(
            unit=tree.stp,
            effective_on=D(2026, 6, 1),
            into=[
                NewUnit(code="A1", name="A1", unit_type=grassroots),
                NewUnit(code="A2", name="A2", unit_type=grassroots),
            ],
            children={"SYT-CB1": "A2"},
            by=SYSTEM,
        )
    assert not Unit.objects.filter(code="A1").exists()


def test_a_unit_with_a_recorded_future_end_is_still_active_until_then(tree, catalogue):
    end = D.today().replace(day=1, month=1) + datetime.timedelta(days=4 * 366)
    services.unit_dissolve(unit=tree.syt_cb1, effective_on=end, by=SYSTEM)
    unit = Unit.objects.get(code="SYT-CB1")
    assert unit.is_active
    services.lead_assign(unit=unit, full_name="Trần Văn Bảo", assigned_on=D(2026, 1, 1), by=SYSTEM)
    with pytest.raises(ValidationError, match=f"sẽ kết thúc vào ngày {end:%d/%m/%Y}"):
        make_unit(catalogue, "T1", "Tổ 1", "cell", unit, day=D(2026, 1, 1))


def test_a_lead_cannot_be_assigned_before_the_unit_exists(tree):
    with pytest.raises(ValidationError, match="trước ngày đơn vị được thành lập"):
        services.lead_assign(unit=tree.stp, full_name="Lê Thị Cúc", assigned_on=D(1900, 1, 1), by=SYSTEM)


def test_lead_and_regulation_changes_are_audited_with_before_and_after(tree):
    from danvan.audit.models import AuditEvent

    lead = services.lead_assign(
        unit=tree.stp, full_name="Phan Văn Châu", assigned_on=D(2024, 1, 1), by=SYSTEM
    )
    services.lead_assign(unit=tree.stp, full_name="Ngô Thị Dung", assigned_on=D(2025, 1, 1), by=SYSTEM)
    services.regulation_set(unit=tree.stp, number="05-QC/ĐU", signed_on=D(2024, 2, 1), by=SYSTEM)
    ended = AuditEvent.objects.get(action="update", model="orgs.mobilisationlead", object_id=str(lead.pk))
    assert ended.changes["ended_on"] == [None, "2025-01-01"]
    assert ended.unit_path == tree.stp.path
    regulation = AuditEvent.objects.filter(
        action="update", model="orgs.unit", object_id=str(tree.stp.pk)
    ).latest("id")
    assert regulation.changes["regulation_number"] == ["", "05-QC/ĐU"]


def test_the_built_in_types_and_groups_come_from_the_migrations(db):
    import importlib

    from django.apps import apps

    from danvan.orgs.models import UnitGroup, UnitType

    # The migration's own step, run again: the tables may have been emptied by a browser test's flush
    # that ran earlier in this process, and the step only adds what is missing.
    importlib.import_module("danvan.orgs.migrations.0002_collation_and_catalogue").catalogue(apps, None)
    assert {"bloc", "committee", "grassroots", "cell", "agency", "mass_org"} <= set(
        UnitType.objects.values_list("code", flat=True)
    )
    assert {"admin_agency", "public_service_unit", "vocational_school", "enterprise"} <= set(
        UnitGroup.objects.values_list("code", flat=True)
    )


def test_the_subtree_query_is_served_by_the_path_index(tree):
    from django.db import connection

    sql, params = selectors.descendants(tree.stp).values("unit_id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole anyway
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "orgs_version_path" in plan


def test_the_service_itself_refuses_a_regulation_file_that_is_not_pdf_or_docx(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("quy-che.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.regulation_set(unit=tree.stp, number="01-QC", signed_on=D(2024, 1, 1), file=fake, by=SYSTEM)
    assert Unit.objects.get(pk=tree.stp.pk).regulation_number == ""


NOT_ALLOWED = "Nội dung chứa ký tự không được phép."


def _cell(tree, **fields) -> NewUnit:
    values = {
        "code": "STP-CB3",
        "name": "Chi bộ 3",
        "unit_type": tree.catalogue.types["cell"],
        "parent": tree.stp,
    }
    return NewUnit(**{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "decision", "field"),
    [
        ({"name": "Chi bộ\x07 3"}, "", "name"),
        ({"short_name": "CB\x1b3"}, "", "short_name"),
        ({}, "125-QĐ/\x00ĐUK", "decision"),
    ],
)
def test_a_control_character_in_a_name_or_a_decision_is_refused_and_nothing_is_created(
    tree, fields, decision, field
):
    events = RestructuringEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.unit_create(
            spec=_cell(tree, **fields), valid_from=D(2026, 1, 1), decision=decision, by=SYSTEM
        )
    assert refused.value.message_dict[field] == [NOT_ALLOWED]
    assert not Unit.objects.filter(code="STP-CB3").exists()
    assert RestructuringEvent.objects.count() == events


def test_a_control_character_in_a_renaming_a_lead_or_a_regulation_is_refused_and_nothing_changes(tree):
    with pytest.raises(ValidationError) as refused:
        services.unit_change(unit=tree.stp_cb1, effective_on=D(2026, 1, 1), name="Chi bộ\x07 Một", by=SYSTEM)
    assert refused.value.message_dict["name"] == [NOT_ALLOWED]
    assert tree.stp_cb1.versions.count() == 1
    with pytest.raises(ValidationError) as refused:
        services.lead_assign(
            unit=tree.stp,
            full_name="Trần Văn Bảo",
            position="Phó\x08 Bí thư",
            assigned_on=D(2026, 1, 1),
            by=SYSTEM,
        )
    assert refused.value.message_dict["position"] == [NOT_ALLOWED]
    assert not tree.stp.leads.exists()
    with pytest.raises(ValidationError) as refused:
        services.regulation_set(unit=tree.stp, number="01-QC/\x07ĐU", signed_on=D(2026, 1, 1), by=SYSTEM)
    assert refused.value.message_dict["regulation_number"] == [NOT_ALLOWED]
    tree.stp.refresh_from_db()
    assert tree.stp.regulation_number == ""
