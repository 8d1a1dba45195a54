"""Abstract models shared by the apps (core itself has no models; its one table is the shared cache's,
made by its migration: danvan/core/cache.py)."""

from django.db import models


class WrittenOnce(models.Model):
    """A row that is written once and never changed or deleted: histories and access logs.

    The model refuses a second save and any delete; each app's migration adds a trigger that
    refuses UPDATE and DELETE on PostgreSQL too.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are written once")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are written once")
