"""Job.sent_at: when the job was handed to the broker (none: owed one, the broker was out of reach).
Jobs already there were sent when they were started."""

from django.db import migrations, models


def sent_when_created(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(sent_at__isnull=True).update(sent_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(sent_when_created, migrations.RunPython.noop),
    ]
