"""The default classification thresholds (Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11: excellent from 90,
good from 70, completed from 50 points; no share cap nor criterion floor, not verified in the text) valid
from 01/01/2025, and, on PostgreSQL, the database refusing to change or remove an evaluation's history."""

import datetime

from django.db import migrations

TABLE = "evaluations_transition"

FORBID = """
CREATE OR REPLACE FUNCTION evaluations_written_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is written once: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def seed(apps, schema_editor):
    from danvan.emulation.evaluations.defaults import ensure_thresholds

    ensure_thresholds(apps.get_model("evaluations", "Thresholds"))


def unseed(apps, schema_editor):
    apps.get_model("evaluations", "Thresholds").objects.filter(valid_from=datetime.date(2025, 1, 1)).delete()


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FORBID, params=None)
    for op in ("UPDATE", "DELETE"):
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION evaluations_written_once()"
        )


def allow(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for op in ("update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op} ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS evaluations_written_once()")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed), migrations.RunPython(forbid, allow)]
