"""Audit rows are written once: the ORM refuses changes, and on PostgreSQL so does the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from danvan.audit.models import AuditEvent
from danvan.audit.services import record


@pytest.fixture
def event(db):
    return record(action=AuditEvent.Action.LOGIN, model="accounts.user", object_repr="someone")


def test_a_saved_event_cannot_be_saved_again(event):
    event.object_repr = "someone else"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "someone"


def test_an_event_cannot_be_deleted_through_the_orm(event):
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_raw_updates_and_deletes_where_it_can(event):
    table = AuditEvent._meta.db_table
    statements = [f"UPDATE {table} SET object_repr = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"]
    if connection.vendor == "postgresql":
        for sql in statements:
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [event.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")
    else:
        # SQLite has no such trigger: the model's own guard is the line of defence.
        with pytest.raises(ValueError, match="append-only"):
            event.save()
        with pytest.raises(ValueError, match="append-only"):
            event.delete()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "someone"
