"""The figures the activity registers count (issue 14): mediation cases and those successful,
training classes and participants, dialogues held take their sources; the cell-meeting elements,
CELL_MEETING_RATE (target 100 % for every unit) and the form section are added.

Periods prepared before this migration get the counted figures at their next rebuild
(`danvan rollup --rebuild`); new periods get them when first used.
"""

from django.db import migrations


def load(apps, schema_editor):
    from danvan.reports.catalogue import activity_sources

    activity_sources(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_report_head_signoff")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
