from django.db import migrations


def load(apps, schema_editor):
    from danvan.voice.deadlines.seed import ensure

    ensure(apps.get_model("voice", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
