"""The citizen voice figures in the catalogue: elements taken from the case records, the on-time
resolution rate, and a section for them on the seeded report forms.

Periods prepared before this migration get the new figures at their next rebuild
(`danvan rollup --rebuild`); new periods get them when first used.
"""

from django.db import migrations


def load(apps, schema_editor):
    from danvan.reports.catalogue import ensure, ensure_voice_section

    ensure(apps)
    ensure_voice_section(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_value_categorised_index"), ("orgs", "0003_unit_code_upper_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
