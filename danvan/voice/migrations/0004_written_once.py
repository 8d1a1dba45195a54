"""On PostgreSQL the database itself refuses to change or remove case events and identity views."""

from django.db import migrations

TABLES = ("voice_caseevent", "voice_identityaccess")

FORBID = """
CREATE OR REPLACE FUNCTION voice_written_once() RETURNS trigger AS $$
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
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION voice_written_once()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION voice_written_once()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS voice_written_once()")


class Migration(migrations.Migration):
    dependencies = [("voice", "0003_cases")]
    operations = [migrations.RunPython(forward, backward)]
