"""The unit picker's index (UnitPickKey), filled for the units in force today.

Keys and paths are compared as bytes (index ranges), so on PostgreSQL both columns use the "C"
collation, like the tree's other keys (0002).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

from danvan.core.text import search_key, search_suffixes


def collate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, length in (("key", 120), ("path", 400)):
        schema_editor.execute(f'ALTER TABLE orgs_unitpickkey ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


def fill(apps, schema_editor):
    Unit, UnitVersion, UnitPickKey = (apps.get_model("orgs", name) for name in ("Unit", "UnitVersion", "UnitPickKey"))
    day = timezone.localdate()
    codes = dict(Unit.objects.values_list("id", "code"))
    in_force = UnitVersion.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    rows = []
    for unit_id, name, short_name, path in in_force.values_list("unit_id", "name", "short_name", "path").iterator():
        keys = {key for text in (name, short_name) for key in search_suffixes(text or "")}
        keys.add(search_key(codes[unit_id])[:120])
        rows += [UnitPickKey(unit_id=unit_id, key=key, path=path) for key in sorted(keys) if key]
        if len(rows) >= 5000:
            UnitPickKey.objects.bulk_create(rows)
            rows = []
    UnitPickKey.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_unitimport_sha256")]

    operations = [
        migrations.CreateModel(
            name="UnitPickKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=120)),
                ("path", models.CharField(max_length=400)),
                (
                    "unit",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.unit"),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["key", "path"], name="orgs_pickkey_key"),
                    models.Index(fields=["unit"], name="orgs_pickkey_unit"),
                ],
            },
        ),
        migrations.RunPython(collate, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
