"""The shared cache's table (danvan/core/cache.py): made wherever `migrate` runs, so that `make run`, the
tests, the demo and a fresh deployment all have it, whether or not Redis is the cache today."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "danvan_cache"  # danvan.core.cache.TABLE (a migration keeps its own copy)


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [migrations.RunPython(create, drop)]
