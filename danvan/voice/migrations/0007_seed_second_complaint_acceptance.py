"""The acceptance period of a second complaint (Luật Khiếu nại 2011, Điều 36), added to the seeded rules."""

from django.db import migrations


def load(apps, schema_editor):
    from danvan.voice.deadlines.seed import ensure

    ensure(apps.get_model("voice", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("voice", "0006_patterns_backfill")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
