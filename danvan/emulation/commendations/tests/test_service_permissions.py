"""The commendation services check EMULATION_RECORD at the recipient's unit for `by` themselves: a user of
another unit (or without the right) is refused by the service and nothing is written; the System may."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.emulation.commendations import services
from danvan.emulation.commendations.models import Commendation

from .helpers import SYSTEM, spec

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["outsider", "viewer", "case_handler"])
def test_recording_needs_the_right_over_the_recipients_unit(tree, personas, who):
    with pytest.raises(PermissionDenied):
        services.commendation_record(spec=spec(tree.stp), by=personas[who])
    assert not Commendation.objects.exists()
    assert services.commendation_record(spec=spec(tree.stp), by=SYSTEM).created_by is None


def test_correcting_deleting_and_moving_need_the_right_at_both_units(tree, personas):
    item = services.commendation_record(spec=spec(tree.stp, reason="Lý do ban đầu"), by=SYSTEM)
    outsider, officer = personas["outsider"], personas["mobilisation_officer"]
    with pytest.raises(PermissionDenied):
        services.commendation_update(commendation=item, spec=spec(tree.stp, reason="Khác"), by=outsider)
    with pytest.raises(PermissionDenied):
        services.commendation_delete(commendation=item, by=outsider)
    with pytest.raises(PermissionDenied):  # the STP officer may not move it to SYT
        services.commendation_update(commendation=item, spec=spec(tree.syt, reason="Khác"), by=officer)
    item.refresh_from_db()
    assert item.unit == tree.stp and item.reason == "Lý do ban đầu"


def test_an_import_needs_the_right_somewhere(tree, personas):
    with pytest.raises(PermissionDenied):
        services.import_rows(rows=[], by=personas["case_handler"])
