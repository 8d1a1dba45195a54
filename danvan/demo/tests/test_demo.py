import datetime

import pytest
from django.core.management import call_command

from danvan.accounts.models import Role, RoleAssignment
from danvan.demo import data
from danvan.orgs import selectors
from danvan.orgs.models import MobilisationLead, Unit, UnitLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("demo")
    return capsys.readouterr().out


def test_it_loads_a_provincial_bloc_modelled_on_the_seeds(demo):
    root = Unit.objects.get(code="DUK")
    assert root.name == "Đảng ủy Khối các cơ quan tỉnh"
    grassroots = selectors.descendants(root).filter(unit_type__code="grassroots")
    assert grassroots.count() >= 40
    groups = set(grassroots.values_list("groups__code", flat=True))
    assert {"admin_agency", "public_service_unit", "vocational_school", "enterprise"} <= groups
    stp = Unit.objects.get(name="Đảng ủy Sở Tư pháp")
    cells = [v.name for v in selectors.children(stp) if v.unit_type.code == "cell"]
    assert cells == ["Chi bộ 1", "Chi bộ 2", "Chi bộ 3", "Chi bộ 4"]
    mass_orgs = {v.name for v in selectors.children(stp) if v.unit_type.code == "mass_org"}
    assert "Công đoàn Sở Tư pháp" in mass_orgs


def test_most_but_not_all_grassroots_have_a_mobilisation_lead(demo):
    grassroots = list(
        selectors.versions_on().filter(unit_type__code="grassroots").values_list("unit_id", flat=True)
    )
    with_lead = MobilisationLead.objects.filter(unit_id__in=grassroots, ended_on__isnull=True).count()
    assert len(grassroots) * 0.6 < with_lead < len(grassroots)


def test_it_includes_a_merge_effective_on_1_march_2025(demo):
    merge = UnitLink.objects.filter(kind="merge", effective_on=datetime.date(2025, 3, 1))
    successor = Unit.objects.get(code="STC2025")
    assert set(merge.filter(successor=successor).values_list("predecessor__code", flat=True)) == {
        "STC",
        "SKHDT",
    }
    assert selectors.version_of(Unit.objects.get(code="SKHDT"), datetime.date(2025, 2, 28)) is not None
    assert selectors.version_of(Unit.objects.get(code="SKHDT"), datetime.date(2025, 3, 1)) is None
    # The cells of the merged committees now sit under the successor.
    assert selectors.descendants(successor).filter(unit__code="SKHDT-CB1").exists()


def test_it_prints_one_account_per_role(demo):
    for account in data.ACCOUNTS:
        assert account.username in demo
        assert RoleAssignment.objects.filter(user__username=account.username, role=account.role).exists()
    assert {a.role for a in data.ACCOUNTS} == set(Role.values)
    assert data.DEMO_PASSWORD in demo


def test_running_it_again_changes_nothing(demo, capsys):
    units = Unit.objects.count()
    call_command("demo")
    assert Unit.objects.count() == units
    assert RoleAssignment.objects.count() == len(data.ACCOUNTS)
    assert "đã có sẵn" in capsys.readouterr().out
