"""Pages of the review reports: choose a unit and a period, the preview (every figure a link to the
records it counts), the versions, editing the official's parts, finalising, downloads.

A unit is looked up among those where the user sees the figures (REPORT_VIEW; another unit answers 404);
editing needs REPORT_ENTER there, finalising also DOCUMENT_MANAGE (403 when the unit is seen but the
right is missing). Reading a page writes nothing: the first save opens the draft.
"""

import io
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import itself, obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.core.downloads import stored_content
from danvan.core.http import post_only
from danvan.core.pages import acted, saved
from danvan.formats.office import ConversionFailed, ConverterMissing, docx_to_pdf
from danvan.orgs.fields import unit_filter
from danvan.orgs.selectors import units_for
from danvan.reports.periods import period_words

from . import annex, document, narrative, rendering, selectors, services
from .forms import NarrativeForm
from .models import ReviewDraft, ReviewVersion, State

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _unit(request, code: str, do: Perm | None = None):
    visible = units_for(request.user, Perm.REPORT_VIEW)
    return obtain(visible, user=request.user, do=do, unit=itself, code__iexact=code)


def _rights(user, unit) -> dict:
    return {
        "can_edit": policy.can(user, Perm.REPORT_ENTER, unit),
        "can_finalise": policy.can(user, Perm.REPORT_ENTER, unit)
        and policy.can(user, Perm.DOCUMENT_MANAGE, unit),
    }


@login_required
def home(request):
    """Choose a unit (the unit picker) and a period: the preview, or the unit's periods."""
    require_somewhere(request.user, Perm.REPORT_VIEW)
    picker = unit_filter(request.GET, user=request.user, perm=Perm.REPORT_VIEW, label=_("Unit"))
    offered = selectors.periods_offered()
    if picker.is_bound and picker.is_valid() and picker.cleaned_data.get("unit") is not None:
        code = picker.cleaned_data["unit"].code
        period = (request.GET.get("period") or "").strip()
        if period in {o.code for o in offered}:
            return redirect("reviews:preview", code=code, period=period)
        return redirect("reviews:unit", code=code)
    return render(request, "reviews/home.html", {"picker": picker, "offered": offered})


@login_required
def unit_page(request, code: str):
    """The periods a report of the unit can cover (prepared half-years and years), with its reports."""
    unit = _unit(request, code)
    return _unit_page(request, unit)


def _unit_page(request, unit, *, error: str = "", status: int = 200):
    reports: dict[str, list[ReviewDraft]] = {}
    for draft in selectors.drafts_for(request.user, unit).prefetch_related("versions"):
        reports.setdefault(draft.period_code, []).append(draft)
    offered = selectors.periods_offered()
    codes = {o.code for o in offered}
    # A report of a period no longer prepared still shows.
    offered += [selectors.Offered(c, period_words(c)) for c in reports if c not in codes]
    rows = [(o, reports.get(o.code, [])) for o in offered]
    context = {"unit": unit, "rows": rows, "error": error, **_rights(request.user, unit)}
    return render(request, "reviews/unit.html", context, status=status)


def _period(request, unit, period: str):
    """The period's code, or None after drawing the unit's page with the reason (404)."""
    try:
        return narrative.period_checked(period), None
    except ValidationError as error:
        return None, _unit_page(request, unit, error=" ".join(error.messages), status=404)


@login_required
def preview(request, code: str, period: str):
    unit = _unit(request, code)
    found, refused = _period(request, unit, period)
    if refused is not None:
        return refused
    drafts = selectors.drafts_of(unit, found)
    current = drafts[0] if drafts else None
    version = selectors.latest_version(current)
    context = {
        "unit": unit,
        "period": found,
        "words": period_words(found),
        "drafts": drafts,
        "current": current,
        "version": version,
        **_rights(request.user, unit),
    }
    if current is not None and current.state == State.FINAL and version is not None:
        context["report_html"] = version.frozen_html
    else:
        review = narrative.build(
            unit=unit, period_code=found, narrative=narrative.narrative_of(version), day=timezone.localdate()
        )
        context["review"] = review
        context["report_html"] = rendering.html(review, selectors.figure_links(review))
    return render(request, "reviews/preview.html", context)


@login_required
def edit(request, code: str, period: str):
    unit = _unit(request, code, do=Perm.REPORT_ENTER)
    found, refused = _period(request, unit, period)
    if refused is not None:
        return refused
    draft = selectors.open_draft(unit, found)
    finalised = draft is None and any(d.state == State.FINAL for d in selectors.drafts_of(unit, found))
    version = selectors.latest_version(draft)
    initial = narrative.narrative_of(version).__dict__
    form = NarrativeForm(request.POST if request.method == "POST" else None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.version_save(
            unit=unit, period_code=found, narrative=form.narrative(), by=request.user
        ),
        done=_("The report is saved as a new version."),
        then=redirect("reviews:preview", code=unit.code, period=found),
    )
    if done is not None:
        return done
    context = {
        "unit": unit,
        "period": found,
        "words": period_words(found),
        "form": form,
        "version": version,
        "finalised": finalised,
    }
    return render(request, "reviews/edit.html", context)


@login_required
def finalise(request, code: str, period: str):
    unit = _unit(request, code, do=Perm.REPORT_ENTER)
    policy.require(request.user, Perm.DOCUMENT_MANAGE, unit)
    found, refused = _period(request, unit, period)
    if refused is not None:
        return refused
    draft = selectors.open_draft(unit, found)
    if request.method == "POST" and acted(
        request,
        lambda: services.draft_finalise(unit=unit, period_code=found, by=request.user),
        done=_("The report is finalised and registered as an outgoing document."),
    ):
        return redirect("reviews:preview", code=unit.code, period=found)
    context = {
        "unit": unit,
        "period": found,
        "words": period_words(found),
        "draft": draft,
        "version": selectors.latest_version(draft),
    }
    return render(request, "reviews/finalise.html", context)


@login_required
@post_only("reviews:preview")
def correct(request, code: str, period: str):
    unit = _unit(request, code, do=Perm.REPORT_ENTER)
    found, refused = _period(request, unit, period)
    if refused is not None:
        return refused
    acted(
        request,
        lambda: services.draft_correct(unit=unit, period_code=found, by=request.user),
        done=_("A correction of the report is open: edit it, then finalise it again."),
    )
    return redirect("reviews:preview", code=unit.code, period=found)


@login_required
def download(request, code: str, period: str, fmt: str):
    """The report as it stands (the last version's texts with the current figures), or the finalised one."""
    unit = _unit(request, code)
    found, refused = _period(request, unit, period)
    if refused is not None:
        return refused
    drafts = selectors.drafts_of(unit, found)
    version = selectors.latest_version(drafts[0] if drafts else None)
    return _file(request, unit, found, version, fmt)


@login_required
def version_page(request, pk: int):
    version = obtain(selectors.versions_for(request.user), user=request.user, unit=_unit_of_version, pk=pk)
    draft = version.draft
    if version.frozen:
        report_html = version.frozen_html
    else:
        review = narrative.build(
            unit=draft.unit,
            period_code=draft.period_code,
            narrative=narrative.narrative_of(version),
            day=timezone.localdate(),
        )
        report_html = rendering.html(review, selectors.figure_links(review))
    context = {
        "version": version,
        "draft": draft,
        "unit": draft.unit,
        "period": draft.period_code,
        "words": period_words(draft.period_code),
        "report_html": report_html,
    }
    return render(request, "reviews/version.html", context)


@login_required
def version_download(request, pk: int, fmt: str):
    version = obtain(selectors.versions_for(request.user), user=request.user, unit=_unit_of_version, pk=pk)
    return _file(request, version.draft.unit, version.draft.period_code, version, fmt)


def _unit_of_version(version: ReviewVersion):
    return version.draft.unit


def _file(request, unit, period: str, version: ReviewVersion | None, fmt: str) -> HttpResponse:
    """The report (DOCX, or PDF converted from it) or its annex (XLSX): the finalised one as it was kept,
    else built now from the data with `version`'s texts."""
    if fmt not in ("docx", "xlsx", "pdf"):
        raise Http404
    name = narrative.file_name(unit.name, period, fmt)
    if version is not None and version.frozen:
        kept = version.frozen_xlsx if fmt == "xlsx" else version.frozen_docx
        content = bytes(kept or b"")
    else:
        review = narrative.build(
            unit=unit, period_code=period, narrative=narrative.narrative_of(version), day=timezone.localdate()
        )
        out = io.BytesIO()
        (annex.write if fmt == "xlsx" else document.write)(review, out)
        content = out.getvalue()
    if fmt == "pdf":
        try:
            content = _pdf(content)
        except (ConverterMissing, ConversionFailed) as error:
            return render(
                request,
                "reviews/unavailable.html",
                {"message": str(error), "unit": unit, "period": period},
                status=503,
            )
    return stored_content(content, name, TYPES[fmt])


def _pdf(docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="danvan-review-") as folder:
        source, target = Path(folder, "bao-cao.docx"), Path(folder, "bao-cao.pdf")
        source.write_bytes(docx)
        docx_to_pdf(source, target)
        return target.read_bytes()
