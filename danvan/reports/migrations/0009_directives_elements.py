"""The dissemination figures in the catalogue: documents received for study and those studied, counted
from the directives module's records, and the share of committees that organised the study.

Periods prepared before this migration get the new figures at their next rebuild
(`danvan rollup --rebuild`); new periods get them when first used.
"""

from django.db import migrations


def load(apps, schema_editor):
    from danvan.reports.catalogue import ensure

    ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_bigint_sum_aggregate")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
