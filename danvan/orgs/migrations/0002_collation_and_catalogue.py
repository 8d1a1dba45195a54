"""Byte-order comparison for the path and sort columns on PostgreSQL, and the built-in catalogue.

Paths and sort keys are compared as plain bytes (subtree ranges, Vietnamese order); a locale
collation would reorder them, so on PostgreSQL those columns use the "C" collation.
"""

from django.db import migrations

from danvan.orgs.catalogue import ensure

C_COLUMNS = [
    ("orgs_unit", "path", 400),
    ("orgs_unitversion", "path", 400),
    ("orgs_unitversion", "sort_name", 255),
    ("orgs_unitversion", "search_name", 400),
]

def collate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, length in C_COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


def catalogue(apps, schema_editor):
    ensure(apps.get_model("orgs", "UnitType"), apps.get_model("orgs", "UnitGroup"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [
        migrations.RunPython(collate, migrations.RunPython.noop),
        migrations.RunPython(catalogue, migrations.RunPython.noop),
    ]
