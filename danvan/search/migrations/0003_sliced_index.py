"""PostgreSQL: the full-text index in eight slices (`mod(id, 8)`), partial GIN indexes of one eighth each.

A GIN index answers a query by reading the whole list of every word asked, so a phrase found in a tenth of
a million records costs the reading of a hundred thousand entries even when twenty results are shown. The
search asks the slices one after another and stops once it has its candidates (`selectors._candidates`):
a common phrase is found in the first slice at an eighth of the cost, a rare one in all eight at little
more than one. SQLite keeps its one FTS5 table.
"""

from django.db import migrations

SLICES = 8

FORWARD = [
    "DROP INDEX IF EXISTS search_entry_vector",
    *(
        f"CREATE INDEX search_entry_vector_{k} ON search_entry USING gin (vector) WHERE mod(id, {SLICES}) = {k}"
        for k in range(SLICES)
    ),
    # The planner's estimate of a slice's share (1/8, not the 0,5 % it assumes of an expression).
    "CREATE STATISTICS search_entry_slice ON (mod(id, 8)) FROM search_entry",
]
BACKWARD = [
    "DROP STATISTICS IF EXISTS search_entry_slice",
    *(f"DROP INDEX IF EXISTS search_entry_vector_{k}" for k in range(SLICES)),
    "CREATE INDEX search_entry_vector ON search_entry USING gin (vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
