"""Unit imports uploaded through the interface: kept as UnitImport rows, run in the background.

The upload, checked by the page (core.tables.check_upload), is stored under a random name with its
SHA-256 (core.uploads.store). The task (`orgs.tasks.import_units`) reads it back against that hash,
checks it again and runs it with the uploader's permissions and in the language of the upload; the
job keeps the outcome (summary, the first errors) for its page.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from danvan.accounts.actors import Actor, recorded_user
from danvan.core import uploads
from danvan.core.tables import RowError

from ..models import UnitImport
from .apply import ImportResult, import_file
from .plan import Permitted

MAX_STORED_ERRORS = 1000


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
