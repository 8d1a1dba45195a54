"""The one sent-record of every reminder kind."""

from django.conf import settings
from django.db import models


class Sent(models.Model):
    """One item of one reminder kind, e-mailed to one user on one day.

    `key` is the item's key within the e-mail's section ("own_overdue:BC-DV-6T/STP/2026S1/overdue"):
    the same item is never sent twice to the same user on the same day. The unique constraint's
    index (kind, day, …) also serves the one lookup per run: what this kind already sent today.
    """

    kind = models.CharField(max_length=40)
    day = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "day", "recipient", "key"], name="reminder_sent_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.day} {self.recipient_id} {self.key}"
