"""Models of who sent a case: the encrypted identity, its indexed fingerprints, the log of who saw it.

They point at their case by the string "voice.Case" (a relation, not an import): the identity sits
below the cases, which seal and read it through this sub-package.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext

from danvan.core.models import WrittenOnce


class Identity(models.Model):
    """Who sent a case: name, address, contacts, identity document — encrypted, apart from the case file.

    `ciphertext` is a Fernet token (crypto.py) under a key that is not SECRET_KEY; `fingerprints`
    are keyed hashes of normalised contacts, so repeats from one person can be found without
    decrypting anything.
    """

    case = models.OneToOneField("voice.Case", on_delete=models.CASCADE, related_name="identity")
    ciphertext = models.BinaryField()
    fingerprints = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return gettext("Sender of case %(reference)s") % {"reference": self.case.reference}


class IdentityAccess(WrittenOnce):
    """Every time someone saw a protected identity: who, when, which case. Written once."""

    case = models.ForeignKey("voice.Case", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=40)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user_id} saw identity of {self.case_id} at {self.at}"


class CaseFingerprint(models.Model):
    """One identity fingerprint of a case, indexed: the same submitter is found by lookup, never by decrypting.

    A copy of `Identity.fingerprints` (keyed hashes), kept in step when an identity is saved.
    """

    case = models.ForeignKey("voice.Case", on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "value"], name="voice_fingerprint_once")]

    def __str__(self):
        return f"{self.case_id} {self.value[:8]}"
