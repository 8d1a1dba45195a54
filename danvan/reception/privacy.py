"""Who came to the reception desk: sealed under the identity keys, shown only to those who may see it.

The person (name, address, identity document with its issue date and place, the group's other
representatives) is one JSON document sealed with the voice module's identity cipher
(`danvan.voice.identity.crypto`: keys that are not SECRET_KEY; `danvan rotate-identity-key` re-encrypts it
with the case identities, see apps.py).
`crypto.encrypt` keeps only the case identity's fields, so the register's fuller record is sealed
with `crypto.encrypt_bytes`, under the same keys.

Who may see it is the voice rule (`policy.can_see_identity`): a denunciation's identity only to the
users holding the case-handler role at the register's own unit; any other identity to whoever may
see the register. An entry is protected (`is_protected`, the one rule every page, print and export
asks) when it was written as a denunciation or when the case it opened is protected: a complaint
accepted at the desk and reclassified as a denunciation later protects its denouncer in the register
too. The case's flag is read when the register is read (callers select_related("case")), as the
register never writes to the voice module's cases.

The functions that hold the person in plain text are `sensitive_variables`: Django's error reports
(the DEBUG page, the error e-mail) show their variables as stars.
"""

import datetime
import json
from types import SimpleNamespace

from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from danvan.accounts import policy
from danvan.core.dates import day_text
from danvan.voice.identity import crypto

from .models import Entry, IdentityView

PERSON_FIELDS = ("name", "address", "id_number", "id_issued_on", "id_issued_by", "representatives")


@sensitive_variables()
def seal(person: dict) -> bytes:
    """The person as a token; nothing (b"") for nobody (an anonymous entry)."""
    kept = {key: person[key] for key in PERSON_FIELDS if person.get(key)}
    if not kept:
        return b""
    return crypto.encrypt_bytes(json.dumps(kept, ensure_ascii=False).encode())


@sensitive_variables()
def unseal(token) -> dict:
    token = bytes(token or b"")
    if not token:
        return {}
    return json.loads(crypto.decrypt_bytes(token))


def is_protected(entry: Entry) -> bool:
    """Is who came protected: written as a denunciation, or its case is (or was ever) a denunciation."""
    return bool(entry.identity_protected or (entry.case_id and entry.case.identity_protected))


def can_see_identity(user, entry: Entry) -> bool:
    """The voice rule, asked of the policy for the register's unit (not the unit a case moved to later)."""
    subject = SimpleNamespace(identity_protected=is_protected(entry), unit=entry.unit)
    return policy.can_see_identity(user, subject)


@sensitive_variables()
def person_text(person: dict) -> str:
    """ "Name – address – identity document no. …, issued on dd/mm/yyyy by …" and the representatives."""
    parts = [person.get("name", ""), person.get("address", "")]
    if person.get("id_number"):
        document = _("identity document no. %(number)s") % {"number": person["id_number"]}
        if person.get("id_issued_on"):
            issued = datetime.date.fromisoformat(person["id_issued_on"])
            document += _(", issued on %(date)s") % {"date": day_text(issued)}
        if person.get("id_issued_by"):
            document += _(" by %(place)s") % {"place": person["id_issued_by"]}
        parts.append(document)
    text = " – ".join(part for part in parts if part)
    if person.get("representatives"):
        text += "; " + _("other representatives: %(names)s") % {"names": ", ".join(person["representatives"])}
    return text


@sensitive_variables()
def shown_identity(user, entry: Entry, *, seen: list | None = None) -> str:
    """What `user` sees in the register's identity column for `entry`.

    A protected identity the user may see is added to `seen` (to be logged by `log_views`).
    """
    if entry.anonymous:
        return _("(anonymous)")
    if not can_see_identity(user, entry):
        return _("(protected)")
    if is_protected(entry) and seen is not None:
        seen.append(entry)
    return person_text(unseal(entry.ciphertext))


def log_views(user, entries: list[Entry], what: str) -> None:
    """One write-once row per protected identity shown to `user`."""
    if entries and getattr(user, "pk", None):
        IdentityView.objects.bulk_create([IdentityView(entry=e, user=user, what=what) for e in entries])
