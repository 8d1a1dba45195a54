"""Commendations in the permission matrix: the list, its export and import, a commendation (pages and API)."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

DAY = datetime.date(2025, 12, 15)


def _make(unit, with_file: bool = False):
    from django.core.files.base import ContentFile

    from danvan.emulation.commendations.models import Commendation

    made = Commendation.objects.create(
        kind="individual",
        unit=unit,
        recipient_name=f"MATRIX-COMMENDATION-{unit.code}",
        position="Chuyên viên",
        form="certificate",
        issuer_name="Đảng ủy Khối",
        decision_number="125-QĐ/ĐUK",
        decision_date=DAY,
        reason="Thành tích xuất sắc",
        year=2025,
    )
    if with_file:
        made.decision_file_name = "quyet-dinh.pdf"
        made.decision_file_type = "application/pdf"
        made.decision_file.save(
            f"matrix-{unit.code}.pdf",
            ContentFile(f"%PDF-1.4\n{made.recipient_name}\n%%EOF\n".encode()),
            save=True,
        )
    return made


def commendation(world, unit):
    made = _make(unit)
    return Made({"pk": made.pk}, marker=made.recipient_name)


def with_file(world, unit):
    made = _make(unit, with_file=True)
    return Made({"pk": made.pk}, marker=made.recipient_name)


def listed(world, unit):
    made = _make(unit)
    return Made({}, marker=made.recipient_name)


def register(matrix):
    view, record = Perm.EMULATION_VIEW, Perm.EMULATION_RECORD
    matrix.listing("commendations:list", perm=view, make=listed)
    matrix.read("commendations:xlsx", perm=view, writes=EXPORT)
    matrix.read("commendations:create", perm=record)
    matrix.read("commendations:import", perm=record)
    matrix.read("commendations:import_sample", perm=record)
    matrix.read("commendations:detail", perm=view, make=commendation)
    matrix.read("commendations:edit", perm=record, make=commendation, see=view)
    matrix.read("commendations:delete", perm=record, make=commendation, see=view)
    matrix.read("commendations:decision_file", perm=view, make=with_file)

    matrix.listing("commendation-list", perm=view, make=listed)
    matrix.read("commendation-detail", perm=view, make=commendation)
