"""Byte-order comparison for the path and sort columns on PostgreSQL, and the built-in catalogue.

Paths and sort keys are compared as plain bytes (subtree ranges, Vietnamese order); a locale
collation would reorder them, so on PostgreSQL those columns use the "C" collation.
"""

from django.db import migrations

C_COLUMNS = [
    ("orgs_unit", "path", 400),
    ("orgs_unitversion", "path", 400),
    ("orgs_unitversion", "sort_name", 255),
    ("orgs_unitversion", "search_name", 400),
]

UNIT_TYPES = [
    ("bloc", "Đảng bộ Khối", 10),
    ("committee", "Đảng bộ trực thuộc", 20),
    ("grassroots", "Tổ chức cơ sở đảng", 30),
    ("cell", "Chi bộ", 40),
    ("agency", "Cơ quan, đơn vị", 50),
    ("mass_org", "Đoàn thể chính trị – xã hội", 60),
]

UNIT_GROUPS = [
    ("admin_agency", "Cơ quan hành chính"),
    ("public_service_unit", "Đơn vị sự nghiệp"),
    ("vocational_school", "Trường trung cấp"),
    ("enterprise", "Doanh nghiệp"),
]


def collate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, length in C_COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


def catalogue(apps, schema_editor):
    UnitType = apps.get_model("orgs", "UnitType")
    UnitGroup = apps.get_model("orgs", "UnitGroup")
    for code, name, order in UNIT_TYPES:
        UnitType.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for code, name in UNIT_GROUPS:
        UnitGroup.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [
        migrations.RunPython(collate, migrations.RunPython.noop),
        migrations.RunPython(catalogue, migrations.RunPython.noop),
    ]
