"""Openings of physical suggestion boxes (hòm thư góp ý): when, by whom, before whom, how many letters.

One function, one transaction, validated before anything is written. The caller has checked
the permission (CASE_HANDLE at the unit) through `policy`; the row is audited by the registration
in apps.py. Each letter found is then received as a case of its own (channel "box").
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.text import clean_text
from danvan.orgs.models import Unit

from .models import BoxOpening

MAX_LETTERS = 100_000
TEXT_LIMITS = {"opened_by": 200, "witnesses": 300, "note": 4_000}


@transaction.atomic
def box_opening_add(
    *,
    unit: Unit,
    opened_on: datetime.date,
    opened_by: str,
    letters: int,
    witnesses: str = "",
    note: str = "",
    by=None,
) -> BoxOpening:
    """Record that the unit's suggestion box was opened and how many letters it held."""
    errors: dict = {}
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit whose box was opened.")
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}
    if not isinstance(opened_on, datetime.date) or isinstance(opened_on, datetime.datetime):
        errors["opened_on"] = _("Give the day the box was opened.")
    elif opened_on > timezone.localdate():
        errors["opened_on"] = _("The date cannot be in the future.")
    opened_by = clean_text(opened_by, "opened_by", errors, limit=TEXT_LIMITS["opened_by"], multiline=True)
    if not opened_by and "opened_by" not in errors:
        errors["opened_by"] = _("Say who opened the box.")
    witnesses = clean_text(witnesses, "witnesses", errors, limit=TEXT_LIMITS["witnesses"], multiline=True)
    note = clean_text(note, "note", errors, limit=TEXT_LIMITS["note"], multiline=True)
    if isinstance(letters, bool) or not isinstance(letters, int):
        errors["letters"] = _("Give the number of letters found (0 if the box was empty).")
    elif not 0 <= letters <= MAX_LETTERS:
        errors["letters"] = _("The number of letters must be between 0 and %(max)s.") % {"max": MAX_LETTERS}
    if errors:
        raise ValidationError(errors)
    return BoxOpening.objects.create(
        unit=unit,
        opened_on=opened_on,
        opened_by=opened_by,
        witnesses=witnesses,
        letters=letters,
        note=note,
        created_by=by if getattr(by, "pk", None) else None,
    )
