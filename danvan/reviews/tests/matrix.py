"""Review reports in the permission matrix: choosing a unit and a period, the preview, versions, editing,
finalising, downloads."""

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made

PERIOD = "2026S1"


def _version(unit):
    from danvan.reviews.models import ReviewDraft, ReviewVersion

    draft = ReviewDraft.objects.create(unit=unit, period_code=PERIOD)
    return ReviewVersion.objects.create(draft=draft, number=1, tasks=f"MATRIX-REVIEW-{unit.code}")


def unit(world, unit):
    return Made({"code": unit.code})


def report(world, unit):
    version = _version(unit)
    return Made({"code": unit.code, "period": PERIOD}, marker=version.tasks)


def report_unmarked(world, unit):
    _version(unit)
    return Made({"code": unit.code, "period": PERIOD})


def download(world, unit):
    _version(unit)
    return Made({"code": unit.code, "period": PERIOD, "fmt": "docx"})


def version(world, unit):
    made = _version(unit)
    return Made({"pk": made.pk}, marker=made.tasks)


def version_file(world, unit):
    return Made({"pk": _version(unit).pk, "fmt": "xlsx"})


def register(matrix):
    view, enter = Perm.REPORT_VIEW, Perm.REPORT_ENTER
    matrix.read("reviews:home", perm=view)
    matrix.read("reviews:unit", perm=view, make=unit)
    matrix.read("reviews:preview", perm=view, make=report)
    matrix.read("reviews:download", perm=view, make=download)
    matrix.read("reviews:version", perm=view, make=version)
    matrix.read("reviews:version_download", perm=view, make=version_file)
    matrix.read("reviews:edit", perm=enter, make=report, see=view)
    # Finalising registers an outgoing document: REPORT_ENTER and DOCUMENT_MANAGE (every role holding
    # the latter holds the former).
    matrix.read("reviews:finalise", perm=Perm.DOCUMENT_MANAGE, make=report_unmarked, see=view)
    matrix.write_only("reviews:correct", perm=enter, make=report_unmarked, note="starts a correction (POST)")
