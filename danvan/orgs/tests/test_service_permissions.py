"""The registry's services check their own permission (issue 12, item 4), as the pages and the API do:
restructuring needs UNIT_RESTRUCTURE at every unit involved (at a root for the top of the tree), the
unit's own records UNIT_EDIT. A user refused gets PermissionDenied from the service and nothing is
written; the installation (`System`) is allowed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.orgs import services
from danvan.orgs.models import MobilisationLead, RestructuringEvent, Unit, UnitLink, UnitVersion
from danvan.orgs.services import NewUnit

pytestmark = pytest.mark.django_db

SYSTEM = System("tests")
DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def foreign(tree):
    """An administrator of every right, at SYT only: STP is not theirs."""
    return make_user("admin_syt", unit=tree.syt, role=Role.BLOC_ADMIN)


def _new(tree, code: str, parent: Unit | None = None) -> NewUnit:
    return NewUnit(code=code, name=f"Đơn vị {code}", unit_type=tree.catalogue.types["cell"], parent=parent)


def _state() -> tuple:
    return (
        list(
            Unit.objects.order_by("code").values_list("code", "name", "path", "valid_to", "regulation_number")
        ),
        UnitVersion.objects.count(),
        RestructuringEvent.objects.count(),
        UnitLink.objects.count(),
        MobilisationLead.objects.count(),
        AuditEvent.objects.count(),
    )


def _operations(tree):
    """Each one touches STP's subtree (or the top of the tree) somewhere."""
    return {
        "create under STP": lambda by: services.unit_create(
            spec=_new(tree, "X1", tree.stp), valid_from=DAY, by=by
        ),
        "create a root": lambda by: services.unit_create(spec=_new(tree, "X2"), valid_from=DAY, by=by),
        "rename": lambda by: services.unit_change(
            unit=tree.stp_cb1, effective_on=DAY, name="Chi bộ Một", by=by
        ),
        "move STP's unit": lambda by: services.unit_move(
            unit=tree.stp_cb1, new_parent=tree.syt, effective_on=DAY, by=by
        ),
        "move under STP": lambda by: services.unit_move(
            unit=tree.syt_cb1, new_parent=tree.stp, effective_on=DAY, by=by
        ),
        "dissolve": lambda by: services.unit_dissolve(unit=tree.stp_cb2, effective_on=DAY, by=by),
        "merge into a new unit": lambda by: services.unit_merge(
            units=[tree.stp_cb1, tree.stp_cb2], effective_on=DAY, new=_new(tree, "X3"), by=by
        ),
        "merge into STP's unit": lambda by: services.unit_merge(
            units=[tree.syt_cb1], into=tree.stp_cb1, effective_on=DAY, by=by
        ),
        "split": lambda by: services.unit_split(
            unit=tree.stp_cb1, effective_on=DAY, into=[_new(tree, "X4"), _new(tree, "X5")], by=by
        ),
        "split under STP": lambda by: services.unit_split(
            unit=tree.syt_cb1,
            effective_on=DAY,
            into=[_new(tree, "X6", tree.stp), _new(tree, "X7", tree.stp)],
            by=by,
        ),
        "link": lambda by: services.unit_link_predecessors(
            successor=tree.syt_cb1, predecessors=[tree.stp_cb1], effective_on=DAY, by=by
        ),
        "lead": lambda by: services.lead_assign(
            unit=tree.stp, full_name="Nguyễn Văn An", assigned_on=DAY, by=by
        ),
        "regulation": lambda by: services.regulation_set(
            unit=tree.stp, number="01-QC/ĐU", signed_on=DAY, by=by
        ),
        "mirror": lambda by: services.unit_mirror_refresh(day=DAY, by=by),
    }


OPERATIONS = [
    "create under STP",
    "create a root",
    "rename",
    "move STP's unit",
    "move under STP",
    "dissolve",
    "merge into a new unit",
    "merge into STP's unit",
    "split",
    "split under STP",
    "link",
    "lead",
    "regulation",
    "mirror",
]


@pytest.mark.parametrize("name", OPERATIONS)
def test_an_administrator_of_another_unit_is_refused_and_nothing_is_written(tree, foreign, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        _operations(tree)[name](foreign)
    assert _state() == before


@pytest.mark.parametrize("name", OPERATIONS)
def test_the_installation_is_allowed(tree, name):
    before = _state()
    _operations(tree)[name](SYSTEM)
    assert name == "mirror" or _state() != before  # the mirror is already up to date


def test_a_unit_head_edits_the_units_records_but_does_not_restructure_it(tree, personas):
    head = personas[Role.UNIT_HEAD]
    before = _state()
    with pytest.raises(PermissionDenied) as refused:
        services.unit_change(unit=tree.stp_cb1, effective_on=DAY, name="Chi bộ Một", by=head)
    assert str(refused.value.args[0]) == "Bạn không có quyền sắp xếp lại đơn vị STP-CB1."
    assert _state() == before

    services.lead_assign(unit=tree.stp, full_name="Nguyễn Văn An", assigned_on=DAY, by=head)
    services.regulation_set(unit=tree.stp, number="01-QC/ĐU", signed_on=DAY, by=head)
    with pytest.raises(PermissionDenied) as refused:
        services.lead_assign(unit=tree.syt, full_name="Trần Thị Bình", assigned_on=DAY, by=head)
    assert str(refused.value.args[0]) == "Bạn không có quyền cập nhật thông tin của đơn vị SYT."


def test_an_administrator_restructures_their_own_subtree(tree, foreign):
    services.unit_change(unit=tree.syt_cb1, effective_on=DAY, name="Chi bộ Văn phòng Sở", by=foreign)
    unit = services.unit_create(spec=_new(tree, "SYT-CB2", tree.syt), valid_from=DAY, by=foreign)
    assert unit.path.startswith(tree.syt.path)
    event = RestructuringEvent.objects.filter(unit=unit).get()
    assert event.recorded_by == foreign
    assert RestructuringEvent.objects.filter(recorded_by__isnull=True).count() == 6  # the tree, by System
