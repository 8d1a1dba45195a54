from django.db import migrations


def load(apps, schema_editor):
    from danvan.orgs.catalogue import ensure as ensure_orgs
    from danvan.reports.catalogue import ensure

    ensure_orgs(apps.get_model("orgs", "UnitType"), apps.get_model("orgs", "UnitGroup"))
    apps.get_model("reports", "ReportingCalendar").objects.get_or_create(id=1)
    ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("orgs", "0003_unit_code_upper_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
