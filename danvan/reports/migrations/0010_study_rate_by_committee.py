"""STUDY_RATE counts committees: the party organisations that received documents for study in the
period, and those of them that studied every one (two new elements from the directives records).

Periods prepared before this migration get the new figures at their next rebuild
(`danvan rollup --rebuild`); new periods get them when first used.
"""

from django.db import migrations


def load(apps, schema_editor):
    from danvan.reports.catalogue import ensure, study_rate_by_committee

    ensure(apps)
    study_rate_by_committee(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_directives_elements")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
