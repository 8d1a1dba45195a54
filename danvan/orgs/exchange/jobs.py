"""Unit imports and large unit exports as background jobs (danvan.jobs).

Imports. The upload, checked by the page (core.tables.check_upload), is kept as a UnitImport: stored
under a random name with its SHA-256 (core.uploads.store). A job of kind `IMPORT_KIND` (or the task
`orgs.tasks.import_units`) reads it back against that hash, checks it again and runs it with the
uploader's permissions and in the language of the upload; the UnitImport keeps the outcome (summary,
the first errors) for its page, the job its progress. A job found dead marks its import failed.

Exports. An export larger than settings.JOBS_BACKGROUND_ROWS rows is a job of kind `EXPORT_KIND`:
the file is written with the job's progress and offered on the job's page; smaller ones stay a
direct download.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from danvan.accounts import policy
from danvan.accounts.actors import Actor, System, recorded_user
from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.paths import PATH_SEGMENT
from danvan.core.tables import RowError
from danvan.jobs import kinds

from ..models import Unit, UnitImport, UnitVersion
from ..selectors import versions_on
from .apply import ImportResult, import_file, summary_text
from .export import units_export
from .plan import Permitted

logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 1000
IMPORT_KIND = "orgs.units_import"
EXPORT_KIND = "orgs.units_export"


def import_job_create(*, checked: uploads.Checked, by: Actor, language: str) -> UnitImport:
    """Keep a checked upload as a pending import (the task `tasks.import_units` runs it)."""
    job = UnitImport(original_name=checked.name, created_by=recorded_user(by), summary={"language": language})
    stored = uploads.store(job.file, checked)
    job.sha256 = stored.sha256
    try:
        job.save()
    except Exception:
        uploads.discard([stored])  # the row was not saved: its file must not stay behind
        raise
    return job


def import_job_run(*, job: UnitImport, permitted: Permitted, by: Actor) -> UnitImport:
    """Run a pending import for `by` (its uploader) and store its outcome on the job."""
    language = job.summary.get("language") or settings.LANGUAGE_CODE
    with override(language):
        try:
            data = uploads.read(job.file, sha256=job.sha256)
        except (OSError, uploads.DamagedFile):
            result = ImportResult([RowError(None, None, _("The uploaded file can no longer be read."))], {})
        else:
            result = import_file(data=data, filename=job.original_name, permitted=permitted, by=by, job=job)
        job.summary = {**result.summary, "language": language, "error_count": len(result.errors)}
        job.errors = [error.as_dict() for error in result.errors[:MAX_STORED_ERRORS]]
        job.status = UnitImport.Status.DONE if result.ok else UnitImport.Status.FAILED
        job.finished_at = timezone.now()
        job.save(update_fields=["summary", "errors", "status", "finished_at"])
    return job


def import_job_execute(job_id: int) -> str:
    """Run the pending import `job_id` for its uploader, whose permissions decide where units may go;
    its status, or "skipped" when it is not pending. An unexpected error fails it (nothing saved)."""
    job = UnitImport.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != UnitImport.Status.PENDING:
        return "skipped"
    user = job.created_by

    def permitted(unit) -> bool:
        return policy.can(user, Perm.UNIT_IMPORT, unit)

    try:
        # An uploader since deleted may place units nowhere (`permitted`): the file is refused.
        job = import_job_run(
            job=job, permitted=permitted, by=user if user is not None else System("unit import")
        )
    except Exception:
        # The import ran in one transaction, so nothing was saved; the job must not stay "waiting".
        logger.exception("Unit import %s failed", job_id)
        with override(job.summary.get("language")):
            import_fail(job_id, _("The import stopped on an unexpected error; nothing was saved."))
        return UnitImport.Status.FAILED
    return job.status


def import_fail(import_id: int, message: str) -> None:
    """A pending import ends failed with `message` (its job failed, or was found dead)."""
    UnitImport.objects.filter(pk=import_id, status=UnitImport.Status.PENDING).update(
        status=UnitImport.Status.FAILED,
        errors=[{"row": None, "column": None, "message": message}],
        finished_at=timezone.now(),
    )


def _import_run(job, progress: kinds.Progress) -> kinds.Outcome:
    import_id = job.params["import_id"]
    progress(0)
    status = import_job_execute(import_id)
    unit_import = UnitImport.objects.filter(pk=import_id).first()
    summary = unit_import.summary if unit_import is not None else {}
    if status == UnitImport.Status.FAILED:
        count = summary.get("error_count") or 1
        raise kinds.JobFailed(
            _("The file was refused (%(count)s errors); nothing was saved.") % {"count": count}
        )
    return kinds.Outcome(message=summary_text(summary) if summary else "", done=summary.get("rows", 0))


def _import_failed(job, message: str) -> None:
    import_fail(job.params["import_id"], message)


def _import_page(job) -> str:
    return reverse("orgs:import_detail", kwargs={"pk": job.params["import_id"]})


# --- large exports ----------------------------------------------------------------------------


def export_size(*, units: QuerySet[Unit] | None, as_of: datetime.date | None) -> int:
    """About how many rows an export of `units` (None: all) has: one per version (one per unit in
    force on `as_of`)."""
    versions = versions_on(as_of) if as_of is not None else UnitVersion.objects.all()
    return (versions if units is None else versions.filter(unit__in=units)).count()


def exportable_units(user) -> QuerySet[Unit] | None:
    """The units `user` may export; None when that is every unit (the export then needs no
    `unit IN (…)` filter, which SQLite runs slowly over a whole-country tree)."""
    paths = policy.scope_paths(user, Perm.UNIT_EXPORT)
    if paths is None:
        return None
    roots = Unit.objects.annotate(length=Length("path")).filter(length=PATH_SEGMENT)
    if paths and set(roots.values_list("path", flat=True)) <= set(paths):
        return None  # a grant at every root: the whole tree
    return policy.scope(user, Perm.UNIT_EXPORT, Unit.objects.all(), field="path")


def _export_run(job, progress: kinds.Progress) -> kinds.Outcome:
    user = job.created_by
    if user is None:
        raise kinds.JobFailed(_("The person who started this export no longer has an account."))
    as_of = datetime.date.fromisoformat(job.params["as_of"]) if job.params.get("as_of") else None
    units = exportable_units(user)
    progress(0, export_size(units=units, as_of=as_of))
    exported = units_export(units=units, as_of=as_of, fmt=job.params["format"], progress=progress)
    message = _("%(count)s rows exported.") % {"count": number_format(exported.rows, force_grouping=True)}
    return kinds.Outcome(exported.file, exported.filename, exported.content_type, message, done=exported.rows)


def register() -> None:
    """Declare the registry's job kinds (orgs.apps.ready)."""
    kinds.register(
        kinds.Kind(
            name=IMPORT_KIND,
            label=gettext_lazy("Unit import"),
            run=_import_run,
            perm=Perm.UNIT_IMPORT,
            shared=True,  # as the import pages: administrators at a root follow every import
            on_fail=_import_failed,
            result_url=_import_page,
        )
    )
    kinds.register(
        kinds.Kind(
            name=EXPORT_KIND,
            label=gettext_lazy("Unit export"),
            run=_export_run,
            perm=Perm.UNIT_EXPORT,
            reads_replica=True,
        )
    )
