"""How the unit carried out its assigned tasks replaces the one "extra conditions for excellent" flag: the
conditions of Quy định 366-QĐ/TW Điều 11 khoản 2 and 3 ("tốt", "hoàn thành") are checked too. An evaluation
classified before keeps what its classification said of it."""

from django.db import migrations, models

STATED = {"outstanding": "beyond", "good": "on_time", "passed": "done", "failed": "short"}


def backwards(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Evaluation.objects.filter(completion="beyond").update(conditions_met=True)


def forwards(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    for level, completion in STATED.items():
        Evaluation.objects.filter(state="final", classification=level).update(completion=completion)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_default_thresholds_and_history")]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="completion",
            field=models.CharField(
                blank=True,
                choices=[
                    ("beyond", "Every assigned task completed on time with quality, at least 30 % beyond what was required, no subordinate unit or leadership member disciplined"),
                    ("on_time", "Every assigned task completed on time, with quality and efficiency"),
                    ("done", "Every assigned task completed, at most 20 % of them behind schedule"),
                    ("short", "Short of the above"),
                ],
                max_length=10,
                verbose_name="how the assigned tasks were carried out",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="evaluation", name="conditions_met"),
    ]
