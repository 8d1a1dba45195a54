import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_unit
from danvan.orgs import selectors, services
from danvan.orgs.models import RestructuringEvent, Unit, UnitLink, UnitVersion
from danvan.orgs.services import NewUnit

D = datetime.date
pytestmark = pytest.mark.django_db


def codes(versions):
    return sorted(v.unit.code for v in versions.select_related("unit"))


def test_descendants_follow_the_tree_of_the_date(tree):
    assert codes(selectors.descendants(tree.root)) == ["STP", "STP-CB1", "STP-CB2", "SYT", "SYT-CB1"]
    assert codes(selectors.descendants(tree.stp)) == ["STP-CB1", "STP-CB2"]
    assert codes(selectors.descendants(tree.root, D(2019, 12, 31))) == []


def test_it_moves_a_subtree_from_a_date_and_keeps_the_past(tree):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1))
    assert codes(selectors.descendants(tree.stp, D(2024, 4, 30))) == ["STP-CB1", "STP-CB2"]
    assert codes(selectors.descendants(tree.stp, D(2024, 5, 1))) == ["STP-CB1"]
    assert codes(selectors.descendants(tree.syt, D(2024, 5, 1))) == ["STP-CB2", "SYT-CB1"]
    tree.stp_cb2.refresh_from_db()
    assert tree.stp_cb2.path.startswith(tree.syt.path)


def test_moving_a_unit_carries_its_grandchildren(tree, catalogue):
    grandchild = make_unit(catalogue, "STP-CB1-T1", "Tổ đảng 1", "cell", tree.stp_cb1)
    services.unit_move(unit=tree.stp, new_parent=tree.syt, effective_on=D(2023, 1, 1))
    assert "STP-CB1-T1" in codes(selectors.descendants(tree.syt, D(2023, 1, 1)))
    assert "STP-CB1-T1" not in codes(selectors.descendants(tree.syt, D(2022, 12, 31)))
    grandchild.refresh_from_db()
    assert selectors.version_of(grandchild, D(2023, 6, 1)).depth == 4


def test_it_refuses_a_cycle_and_changes_nothing(tree):
    with pytest.raises(ValidationError, match="cấp dưới của chính nó"):
        services.unit_move(unit=tree.stp, new_parent=tree.stp_cb1, effective_on=D(2024, 1, 1))
    assert UnitVersion.objects.filter(unit=tree.stp).count() == 1


def test_it_renames_from_a_date(tree):
    services.unit_change(unit=tree.stp, name="Đảng bộ Sở Tư pháp", effective_on=D(2025, 7, 1))
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
    services.unit_dissolve(unit=tree.syt_cb1, effective_on=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.unit_merge(units=[tree.stp_cb1], into=tree.syt_cb1, effective_on=D(2024, 6, 1))
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
    )
    a, b = new_units
    assert codes(selectors.descendants(a, D(2025, 3, 1))) == ["STP-CB1"]
    assert codes(selectors.descendants(b, D(2025, 3, 1))) == ["STP-CB2"]
    assert a.path[:10] == tree.root.path


def test_it_refuses_to_dissolve_a_unit_with_children(tree):
    with pytest.raises(ValidationError):
        services.unit_dissolve(unit=tree.stp, effective_on=D(2024, 1, 1))
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
