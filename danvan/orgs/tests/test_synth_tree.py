"""`danvan synth-tree`: a large synthetic tree written in bulk, consistent with the services' rows."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.accounts.actors import System
from danvan.core.paths import PATH_SEGMENT
from danvan.core.text import search_key, sort_key
from danvan.orgs import selectors
from danvan.orgs.models import Unit, UnitVersion

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


def synth(*args):
    out = io.StringIO()
    call_command("synth-tree", *args, stdout=out)
    return out.getvalue()


def test_it_builds_the_requested_number_of_units_under_one_root(catalogue):
    out = synth("--units", "500", "--seed", "7")
    assert "Đã dựng 500 đơn vị" in out
    root = Unit.objects.get(code="SYN")
    assert Unit.objects.count() == UnitVersion.objects.count() == 500
    assert selectors.descendants(root, datetime.date(2025, 1, 1)).count() == 499
    assert {v.depth for v in UnitVersion.objects.all()} >= {0, 1, 2, 3}
    assert max(v.depth for v in UnitVersion.objects.all()) <= 5


def test_its_rows_are_what_the_services_would_write(catalogue):
    synth("--units", "500")
    versions = {v.unit_id: v for v in UnitVersion.objects.select_related("unit", "parent")}
    for version in versions.values():
        unit = version.unit
        assert unit.path == version.path and unit.name == version.name
        assert version.path.endswith(str(unit.id).zfill(PATH_SEGMENT))
        assert len(version.path) == (version.depth + 1) * PATH_SEGMENT
        assert version.search_name == search_key(f"{version.name} {unit.code}")
        assert version.sort_name == sort_key(version.name)
        if version.parent_id is not None:
            parent = versions[version.parent_id]
            assert version.path.startswith(parent.path)
            assert version.valid_from >= parent.valid_from
    assert UnitVersion.groups.through.objects.exists()
    assert selectors.search("chi bo 1").exists()


def test_the_same_seed_builds_the_same_tree(catalogue):
    synth("--units", "300", "--seed", "3")
    first = sorted(Unit.objects.values_list("code", "name", "valid_from"))
    synth("--units", "300", "--seed", "3", "--clear")
    assert sorted(Unit.objects.values_list("code", "name", "valid_from")) == first


def test_it_refuses_to_build_twice_without_clear(catalogue):
    synth("--units", "200")
    with pytest.raises(CommandError, match="--clear"):
        synth("--units", "200")
    assert Unit.objects.count() == 200


def test_clear_replaces_only_the_synthetic_subtree(tree):
    synth("--units", "300")
    out = synth("--units", "150", "--clear")
    assert "Đã xóa cây tổng hợp cũ (300 đơn vị)" in out
    assert Unit.objects.filter(code__startswith="SYN").count() == 150
    assert Unit.objects.filter(code__in=["DUK", "STP", "SYT-CB1"]).count() == 3


def test_it_keeps_clear_of_codes_already_in_use(catalogue):
    from conftest import make_unit

    make_unit(catalogue, "SYN-01", "Đơn vị thật", "bloc")
    with pytest.raises(CommandError, match="SYN-01"):
        synth("--units", "200")
    assert Unit.objects.count() == 1


def test_it_refuses_bad_arguments(catalogue):
    with pytest.raises(CommandError):
        synth("--units", "1")
    with pytest.raises(CommandError):
        synth("--root-code", "mã gốc")


def test_clear_refuses_when_a_real_unit_was_once_under_the_synthetic_tree(catalogue):
    from conftest import make_unit
    from danvan.orgs import services

    synth("--units", "200")
    real = make_unit(catalogue, "THAT", "Chi bộ thật", "cell", Unit.objects.get(code="SYN-01"))
    services.unit_move(unit=real, new_parent=None, effective_on=datetime.date(2025, 6, 1), by=SYSTEM)
    with pytest.raises(CommandError, match="THAT"):
        synth("--units", "200", "--clear")
    assert Unit.objects.count() == 201
