"""On PostgreSQL the database itself refuses to change or remove the history of a model's stages."""

from django.db import migrations

TABLE = "exemplars_transition"

FORBID = """
CREATE OR REPLACE FUNCTION exemplars_written_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is written once: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FORBID, params=None)
    for op in ("UPDATE", "DELETE"):
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION exemplars_written_once()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for op in ("update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op} ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS exemplars_written_once()")


class Migration(migrations.Migration):
    dependencies = [("exemplars", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
