"""The SQLite snapshot of the test database (`core.testing.snapshot`), as the journeys use it."""

import sqlite3

import pytest
from django.db import connection

from danvan.accounts.models import User
from danvan.core.testing import snapshot


def test_a_snapshot_puts_back_the_rows_written_after_it(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            assert snapshot.take() is None  # the journeys flush and load again instead
            return
        users = User.objects.count()
        taken = snapshot.take()
        assert taken is not None
        try:
            User.objects.create_user(username="after-the-snapshot", password="mat-khau-thu-nghiem-1")
            assert User.objects.count() == users + 1  # written outside any test transaction
        finally:
            snapshot.restore(taken)
        assert User.objects.count() == users
        assert not User.objects.filter(username="after-the-snapshot").exists()


@pytest.mark.django_db  # (also what makes pytest-django create the test database for this file alone)
def test_a_snapshot_is_neither_taken_nor_put_back_inside_a_transaction():
    if connection.vendor != "sqlite":
        assert snapshot.take() is None
        return
    assert connection.in_atomic_block  # the test's own transaction
    with pytest.raises(AssertionError, match="outside any transaction"):
        snapshot.take()  # (it would wait forever for the transaction's write lock)
    with pytest.raises(AssertionError, match="outside any transaction"):
        snapshot.restore(sqlite3.connect(":memory:"))
