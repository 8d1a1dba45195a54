"""On PostgreSQL, `danvan_sum(bigint)`: a sum kept in a plain BIGINT, for the roll-up rebuild.

The built-in SUM of a BIGINT keeps a 128-bit state per group and returns a NUMERIC; over the
hundreds of thousands of groups of a rebuild that costs a good part of its time (see `rollup._sum`).
This one adds with the BIGINT `+` (an overflow is an error, as casting a too large SUM would be),
and parallel workers combine their partial sums the same way.
"""

from django.db import migrations

CREATE = """
CREATE AGGREGATE danvan_sum(bigint) (
    SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE
);
"""

DROP = "DROP AGGREGATE IF EXISTS danvan_sum(bigint);"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_voice_elements")]
    operations = [migrations.RunPython(forward, backward)]
