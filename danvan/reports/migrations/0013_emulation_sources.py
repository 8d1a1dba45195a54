"""The figures emulation and evaluation count (issue 15): "Dân vận khéo" models registered, recognised and
replicated; collectives and individuals commended; units classified in each level (and the share of each);
quiz attempts, takers and right answers (participation, average score). Elements and indicators are added
where missing; nothing an administrator changed is overwritten.

Periods prepared before this migration get the counted figures at their next rebuild
(`danvan rollup --rebuild`); new periods get them when first used.
"""

from django.db import migrations


def load(apps, schema_editor):
    from danvan.reports.catalogue import ensure

    ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_activity_sources")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
