"""Background jobs' URLs in the permission matrix (`danvan.core.testing.matrix`)."""

from django.core.files.base import ContentFile

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made


def job(world, unit):
    """A finished import job about `unit`, started by its bloc administrator (import jobs are shared
    with whoever holds the import right over the unit), with a file to download."""
    from danvan.jobs.models import Job
    from danvan.orgs.exchange.jobs import IMPORT_KIND

    people = {world.own: "bloc_admin", world.foreign: "outsider"}
    marker = f"job-result-{unit.code}"
    made = Job(
        kind=IMPORT_KIND,
        params={"import_id": 0},
        unit_path=unit.path,
        state=Job.State.DONE,
        done=3,
        total=3,
        message=marker,
        file_name="ket-qua.csv",
        file_type="text/csv",
        created_by=world.personas[people.get(unit, "admin")],
    )
    made.file.save("ket-qua", ContentFile(marker.encode()), save=False)
    made.save()
    return Made({"pk": made.pk}, marker)


def register(matrix):
    matrix.listing("jobs:list", perm=None)  # the signed-in person's own jobs
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        matrix.read(name, perm=Perm.UNIT_IMPORT, make=job, lacking=frozenset({404}))
