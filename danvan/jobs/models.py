"""Long work done in the background (large imports and exports): one row per job, with its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A piece of long work a person started: what it is, how far it got, what it gave.

    The worker claims it (waiting → running), reports `done`/`total` and `heartbeat_at` as it goes,
    and ends it done (with a file to download, when it makes one) or failed (with a message). A job
    whose worker died is marked failed by `jobs.tasks.fail_stale` / `danvan fail-stale-jobs`; one the
    broker never got (it was out of reach) is sent again by `jobs.tasks.send_unsent`.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The unit the work is about ("" = the whole tree): shared kinds show the job to holders of the
    # kind's right there.
    unit_path = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the job was handed to the broker; none while it is owed one (the broker was out of reach when
    # the job was started: `runner.send_unsent` hands it over once the broker is back).
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="jobs_job_owner"),
            models.Index(fields=["state", "heartbeat_at"], name="jobs_job_state"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
