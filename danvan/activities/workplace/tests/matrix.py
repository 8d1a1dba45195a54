"""The workplace registers in the permission matrix."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

HELD = datetime.date(2026, 3, 10)


def conference(world, unit):
    from django.core.files.base import ContentFile

    from danvan.activities.workplace.models import Conference

    marker = f"MATRIX-CONFERENCE-{unit.code}"
    made = Conference.objects.create(
        unit=unit,
        year=2025,
        held_on=HELD,
        staff_count=30,
        attendees=25,
        valid=True,
        resolution_adopted=True,
        votes_for=20,
        notes=marker,
        resolution_name="nghi-quyet.pdf",
        resolution_type="application/pdf",
    )
    made.resolution_file.save(
        f"matrix-{unit.code}.pdf", ContentFile(f"%PDF-1.4\n{marker}\n%%EOF\n".encode()), save=True
    )
    return Made({"pk": made.pk}, marker=marker)


def disclosure(world, unit):
    from danvan.activities.workplace.models import Category, Disclosure, Form

    marker = f"MATRIX-DISCLOSURE-{unit.code}"
    made = Disclosure.objects.create(
        unit=unit,
        category=Category.PLANS,
        title=marker,
        disclosed_on=HELD,
        form=Form.NOTICE_BOARD,
    )
    return Made({"pk": made.pk}, marker=marker, query={"year": "2026"})


def disclosure_listed(world, unit):
    made = disclosure(world, unit)
    return Made({}, marker=made.marker, query={"year": "2026"})


def checklist(world, unit):
    return Made({"code": unit.code}, query={"year": "2026"})


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("workplace:home", perm=view)
    matrix.listing("workplace:conferences_xlsx", perm=view, writes=EXPORT)
    matrix.read("workplace:conference_add", perm=record)
    matrix.read("workplace:conference", perm=view, make=conference)
    matrix.read("workplace:conference_edit", perm=record, make=conference, see=view)
    matrix.write_only("workplace:conference_delete", perm=record, make=conference, note="POST: delete")
    matrix.read("workplace:resolution", perm=view, make=conference)
    matrix.listing("workplace:disclosures", perm=view, make=disclosure_listed)
    matrix.read("workplace:disclosure_add", perm=record)
    matrix.read("workplace:disclosure_edit", perm=record, make=disclosure, see=view)
    matrix.write_only("workplace:disclosure_delete", perm=record, make=disclosure, note="POST: delete")
    matrix.read("workplace:checklist", perm=view, make=checklist)
    matrix.listing(
        "staff-conference-list", perm=view, make=lambda w, u: Made({}, marker=conference(w, u).marker)
    )
    matrix.read("staff-conference-detail", perm=view, make=conference)
    matrix.write_only(
        "staff-conference-resolution", perm=record, make=conference, note="POST: attach the file"
    )
    matrix.listing("disclosure-list", perm=view, make=disclosure_listed)
    matrix.read("disclosure-detail", perm=view, make=disclosure)
