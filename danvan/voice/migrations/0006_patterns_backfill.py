"""Cases received before patterns were found: their signatures, indexed fingerprints and marks.

Duplicates among them are not searched here (that compares texts); new cases are compared
with them as they arrive.
"""

from django.db import migrations

MASS_COMPLAINT_PEOPLE = 5


def forward(apps, schema_editor):
    from danvan.voice.cases.patterns import digest, words

    Case = apps.get_model("voice", "Case")
    Identity = apps.get_model("voice", "Identity")
    CaseSignature = apps.get_model("voice", "CaseSignature")
    CaseFingerprint = apps.get_model("voice", "CaseFingerprint")
    CaseFlag = apps.get_model("voice", "CaseFlag")

    signed = set(CaseSignature.objects.values_list("case_id", flat=True))
    batch = []
    for case_id, received_on, content in Case.objects.values_list("id", "received_on", "content").iterator():
        if case_id in signed:
            continue
        tokens = words(content)
        batch.append(
            CaseSignature(case_id=case_id, received_on=received_on, words=len(tokens), digest=digest(tokens))
        )
        if len(batch) >= 1000:
            CaseSignature.objects.bulk_create(batch)
            batch = []
    CaseSignature.objects.bulk_create(batch)

    indexed = set(CaseFingerprint.objects.values_list("case_id", "value"))
    CaseFingerprint.objects.bulk_create(
        [
            CaseFingerprint(case_id=case_id, value=value)
            for case_id, values in Identity.objects.values_list("case_id", "fingerprints").iterator()
            for value in sorted(set(values or []))
            if (case_id, value) not in indexed
        ],
        batch_size=1000,
    )

    marked = set(CaseFlag.objects.filter(other_case__isnull=True).values_list("case_id", "kind"))
    marks = []
    for case_id, people, over in Case.objects.values_list("id", "people_count", "is_over_level").iterator():
        if people >= MASS_COMPLAINT_PEOPLE and (case_id, "mass") not in marked:
            marks.append(CaseFlag(case_id=case_id, kind="mass"))
        if over and (case_id, "over_level") not in marked:
            marks.append(CaseFlag(case_id=case_id, kind="over_level"))
    CaseFlag.objects.bulk_create(marks, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("voice", "0005_patterns_and_indexes")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
