"""Pages of workplace democracy: the agencies' staff conferences for a year (on time, late, not yet
held, missing) with its XLSX, a conference's record and resolution file, the disclosures to staff and
each agency's checklist for a year.

Reading needs ACTIVITY_VIEW at the record's unit, writing ACTIVITY_RECORD there. A record outside
the user's scope answers 404, one they see without the right to change it 403. Lists show the
user's scope only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import itself, obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.dates import day_text
from danvan.core.downloads import stored_file
from danvan.core.http import post_only
from danvan.core.pages import saved
from danvan.orgs.fields import for_user
from danvan.orgs.models import Unit
from danvan.orgs.selectors import units_for

from . import selectors, services
from .forms import ConferenceForm, DisclosureForm, YearForm
from .models import Category, Conference, Disclosure, deadline

LIST_LIMIT = 500

STATE_LABELS = {
    selectors.ON_TIME: _("Held on time"),
    selectors.LATE: _("Held late"),
    selectors.PENDING: _("Not held yet"),
    selectors.MISSING: _("Missing: the deadline has passed"),
}


def _state_label(state: str) -> str:
    return _(str(STATE_LABELS[state]))


def _year(request, default: int) -> int:
    form = YearForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return default


def _years() -> range:
    """The years a list may show, this year first, back to 2020."""
    return range(timezone.localdate().year, 2019, -1)


def _last_year() -> int:
    return timezone.localdate().year - 1


def _unit_filter(request, perm: Perm = Perm.ACTIVITY_VIEW) -> Unit | None:
    """?unit=CODE: a unit in the user's scope (another answers 404, as if it did not exist)."""
    code = (request.GET.get("unit") or "").strip()
    if not code:
        return None
    visible = units_for(request.user, perm)
    return obtain(visible, user=request.user, unit=itself, code__iexact=code)


# ---------------------------------------------------------------- conferences


@login_required
def home(request):
    """The agencies in scope and their conference reviewing the year asked (last year by default)."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    year = _year(request, _last_year())
    within = _unit_filter(request)
    rows = selectors.standings(request.user, year, within=within)
    counts = selectors.count_states(rows)
    context = {
        "year": year,
        "within": within,
        "rows": [(row, _state_label(row.state)) for row in rows],
        "counts": [(_state_label(state), count, state) for state, count in counts.items()],
        "deadline": day_text(deadline(year)),
        "may_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
        "years": _years(),
    }
    return render(request, "workplace/home.html", context)


@login_required
def conferences_xlsx(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    year = _year(request, _last_year())
    within = _unit_filter(request)
    rows = selectors.standings(request.user, year, within=within)
    columns = [
        tables.Column(_("Code"), width=10),
        tables.Column(_("Agency"), width=40),
        tables.Column(_("Standing"), width=24),
        tables.Column(_("Date held"), kind="date", width=12),
        tables.Column(_("Staff convened"), kind="count"),
        tables.Column(_("Attendees"), kind="count"),
        tables.Column(_("Quorum (two thirds)"), kind="count"),
        tables.Column(_("Valid"), width=10),
        tables.Column(_("Resolution adopted"), width=12),
        tables.Column(_("Votes for"), kind="count"),
    ]

    def line(row):
        c = row.conference
        yes, no = _("Yes"), _("No")
        if c is None:
            return [
                row.unit.code,
                row.unit.name,
                _state_label(row.state),
                None,
                None,
                None,
                None,
                "",
                "",
                None,
            ]
        return [
            row.unit.code,
            row.unit.name,
            _state_label(row.state),
            c.held_on,
            c.staff_count,
            c.attendees,
            c.quorum,
            yes if c.valid else no,
            yes if c.resolution_adopted else no,
            c.votes_for,
        ]

    title = _("Staff conferences reviewing %(year)s (deadline %(deadline)s)") % {
        "year": year,
        "deadline": day_text(deadline(year)),
    }
    sheet = tables.Sheet(name=str(year), rows=[line(row) for row in rows], columns=columns, title=title)
    return xlsx_export(
        sheets=[sheet],
        filename=f"hoi-nghi-can-bo-{year}.xlsx",
        model=Conference._meta.label_lower,
        what=title,
        unit=within,
        changes={"year": year, "rows": len(rows)},
    )


def _conferences(user):
    return selectors.conferences_for(user)


def _conference_spec(data: dict) -> services.ConferenceSpec:
    return services.ConferenceSpec(
        unit=data["unit"],
        year=data["year"],
        held_on=data["held_on"],
        staff_count=data["staff_count"],
        attendees=data["attendees"],
        valid=data.get("valid", False),
        resolution_adopted=data.get("resolution_adopted", False),
        votes_for=data.get("votes_for"),
        notes=data.get("notes", ""),
    )


def _conference_form(request, conference: Conference | None):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    keep = [conference.unit] if conference else []
    if request.method == "POST":
        form = for_user(ConferenceForm(request.POST, request.FILES), request.user, keep=keep)
        done = saved(
            request,
            form,
            lambda data: services.conference_save(
                spec=_conference_spec(data),
                conference=conference,
                upload=data.get("resolution_file"),
                remove_file=data.get("remove_file", False),
                by=request.user,
            ),
            done=_("The staff conference was saved."),
            then=lambda made: redirect("workplace:conference", pk=made.pk),
        )
        if done is not None:
            return done
    else:
        if conference is not None:
            initial = {name: getattr(conference, name) for name in services.CONFERENCE_FIELDS}
        else:
            initial = {"year": _year(request, _last_year())}
            unit = _unit_filter(request, Perm.ACTIVITY_RECORD)
            if unit is not None:
                initial["unit"] = unit
        form = for_user(ConferenceForm(initial=initial), request.user, keep=keep)
    return render(request, "workplace/conference_form.html", {"form": form, "conference": conference})


@login_required
def conference_add(request):
    return _conference_form(request, None)


@login_required
def conference_edit(request, pk: int):
    conference = obtain(_conferences(request.user), user=request.user, do=Perm.ACTIVITY_RECORD, pk=pk)
    return _conference_form(request, conference)


@login_required
def conference_detail(request, pk: int):
    conference = obtain(_conferences(request.user), user=request.user, pk=pk)
    context = {
        "conference": conference,
        "state": _state_label(selectors.ON_TIME if conference.on_time else selectors.LATE),
        "may_record": policy.can(request.user, Perm.ACTIVITY_RECORD, conference.unit),
    }
    return render(request, "workplace/conference.html", context)


@login_required
@post_only("workplace:conference")
def conference_delete(request, pk: int):
    conference = obtain(_conferences(request.user), user=request.user, do=Perm.ACTIVITY_RECORD, pk=pk)
    year = conference.year
    services.conference_delete(conference=conference, by=request.user)
    messages.success(request, _("The staff conference was deleted."))
    return redirect(f"{_home_url()}?year={year}")


def _home_url() -> str:
    return reverse("workplace:home")


@login_required
def resolution(request, pk: int):
    conference = obtain(_conferences(request.user), user=request.user, pk=pk)
    if not conference.resolution_file:
        raise Http404
    return stored_file(
        conference.resolution_file, conference.resolution_name or "nghi-quyet", conference.resolution_type
    )


# ---------------------------------------------------------------- disclosures


def _disclosures(user):
    return selectors.disclosures_for(user)


@login_required
def disclosures(request):
    """The disclosures in scope, filtered by unit (its subtree) and year."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    year = _year(request, timezone.localdate().year)
    within = _unit_filter(request)
    qs = _disclosures(request.user).filter(disclosed_on__year=year)
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    shown = list(qs.order_by("-disclosed_on", "-id")[: LIST_LIMIT + 1])
    context = {
        "year": year,
        "within": within,
        "disclosures": shown[:LIST_LIMIT],
        "more": len(shown) > LIST_LIMIT,
        "may_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
        "agencies": selectors.agencies(request.user, year, within=within)[:LIST_LIMIT],
        "years": _years(),
    }
    return render(request, "workplace/disclosures.html", context)


def _disclosure_spec(data: dict) -> services.DisclosureSpec:
    return services.DisclosureSpec(
        unit=data["unit"],
        category=data["category"],
        title=data["title"],
        content=data.get("content", ""),
        disclosed_on=data["disclosed_on"],
        form=data["form"],
        period=data.get("period", ""),
    )


def _disclosure_form(request, disclosure: Disclosure | None):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    keep = [disclosure.unit] if disclosure else []
    if request.method == "POST":
        form = for_user(DisclosureForm(request.POST), request.user, keep=keep)
        done = saved(
            request,
            form,
            lambda data: services.disclosure_save(
                spec=_disclosure_spec(data), disclosure=disclosure, by=request.user
            ),
            done=_("The disclosure was saved."),
            then=lambda made: redirect(f"{_checklist_url(made.unit)}?year={made.disclosed_on.year}"),
        )
        if done is not None:
            return done
    else:
        if disclosure is not None:
            initial = {name: getattr(disclosure, name) for name in services.DISCLOSURE_FIELDS}
        else:
            initial = {}
            unit = _unit_filter(request, Perm.ACTIVITY_RECORD)
            if unit is not None:
                initial["unit"] = unit
            if request.GET.get("category") in Category.values:
                initial["category"] = request.GET["category"]
        form = for_user(DisclosureForm(initial=initial), request.user, keep=keep)
    return render(request, "workplace/disclosure_form.html", {"form": form, "disclosure": disclosure})


def _checklist_url(unit: Unit) -> str:
    return reverse("workplace:checklist", args=[unit.code])


@login_required
def disclosure_add(request):
    return _disclosure_form(request, None)


@login_required
def disclosure_edit(request, pk: int):
    disclosure = obtain(_disclosures(request.user), user=request.user, do=Perm.ACTIVITY_RECORD, pk=pk)
    return _disclosure_form(request, disclosure)


@login_required
@post_only("workplace:disclosure_edit")
def disclosure_delete(request, pk: int):
    disclosure = obtain(_disclosures(request.user), user=request.user, do=Perm.ACTIVITY_RECORD, pk=pk)
    unit, year = disclosure.unit, disclosure.disclosed_on.year
    services.disclosure_delete(disclosure=disclosure, by=request.user)
    messages.success(request, _("The disclosure was deleted."))
    return redirect(f"{_checklist_url(unit)}?year={year}")


@login_required
def checklist(request, code: str):
    """What the law requires an agency to disclose to its staff, and what it disclosed in the year."""
    visible = units_for(request.user, Perm.ACTIVITY_VIEW)
    unit = obtain(visible, user=request.user, unit=itself, code__iexact=code.strip())
    year = _year(request, timezone.localdate().year)
    lines = selectors.checklist(unit, year)
    context = {
        "unit": unit,
        "year": year,
        "lines": lines,
        "missing": sum(1 for line in lines if not line.done),
        "may_record": policy.can(request.user, Perm.ACTIVITY_RECORD, unit),
        "years": _years(),
    }
    return render(request, "workplace/checklist.html", context)
