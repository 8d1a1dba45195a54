"""Two records of one unit saved at the same moment are both counted in the live figures.

On PostgreSQL two transactions refresh the unit's figures side by side; each used to count the records
as they stood without the other's, so the figure stayed one short (deploy/smoke found it: the roll-up of
petitions received fell behind a rebuild while citizens sent at the same time). They now take turns per
unit and period (danvan/reports/sources.py). SQLite has one writer at a time: the same saves, in turn.
"""

import datetime
import threading

import pytest
from django.db import connection, transaction

from danvan.accounts.actors import System
from danvan.activities.training import services
from danvan.reports.models import DataValue

pytestmark = pytest.mark.django_db(transaction=True)
SYSTEM = System("tests")
D = datetime.date


def _classes(unit, period) -> int | None:
    row = DataValue.objects.filter(unit=unit, period=period, element__code="TRAINING_CLASSES").first()
    return row.value if row else None


def test_two_classes_of_one_unit_saved_at_once_are_both_counted(tree, reports, spec):
    period = reports.period("2025S2")
    if connection.vendor != "postgresql":
        services.class_save(spec=spec(tree.stp, held_on=D(2025, 8, 6), participants=10), by=SYSTEM)
        services.class_save(spec=spec(tree.stp, held_on=D(2025, 9, 6), participants=20), by=SYSTEM)
        assert _classes(tree.stp, period) == 2
        return

    first_counted = threading.Event()
    errors: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():
                services.class_save(spec=spec(tree.stp, held_on=D(2025, 8, 6), participants=10), by=SYSTEM)
                first_counted.set()  # counted itself, not committed yet: the second one saves now
                threading.Event().wait(1.5)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
            first_counted.set()
        finally:
            connection.close()

    def second():
        try:
            first_counted.wait(10)
            services.class_save(spec=spec(tree.stp, held_on=D(2025, 9, 6), participants=20), by=SYSTEM)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert _classes(tree.stp, period) == 2
