"""Pages of grassroots mediation: the register of cases (filter, print, XLSX), a case, the teams.

A record is seen with ACTIVITY_VIEW at its unit or above and written with ACTIVITY_RECORD there; a
record out of reach answers 404 as if it did not exist, one seen without the right to change it 403.
Pages only read: the figures are recomputed by the services that write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import tables
from danvan.core.dates import day_text
from danvan.core.http import post_only
from danvan.core.pages import acted, filtered_page, saved

from . import selectors, services
from .forms import CaseFilterForm, CaseForm, ConfirmForm, MediatorForm, MediatorFormSet, TeamForm
from .models import LAW, Case, Mediator, Result, Team
from .rules import split_names

PAGE_SIZE = 100

#: The register's columns in the order of the Ministry of Justice's form (sổ theo dõi hoạt động hòa
#: giải ở cơ sở, phần ghi chép của hòa giải viên), then the concluding date, the unit and the team.
COLUMNS = [
    ("number", gettext_lazy("No.")),
    ("received_on", gettext_lazy("Date received")),
    ("mediators", gettext_lazy("Mediators")),
    ("parties", gettext_lazy("Parties")),
    ("content", gettext_lazy("Main content of the case")),
    ("outcome", gettext_lazy("Agreement of the parties (or each party's demands) after mediation")),
    ("result", gettext_lazy("Result")),
    ("concluded_on", gettext_lazy("Concluded on")),
    ("notes", gettext_lazy("Notes")),
    ("unit", gettext_lazy("Unit")),
    ("team", gettext_lazy("Mediation team")),
]


def _headings():
    return [str(label) for _key, label in COLUMNS]


def _filter(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    wanted = selectors.CaseFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        wanted = selectors.CaseFilter(
            unit=data["unit"], result=data["result"], start=data["from"], end=data["to"], year=data["year"]
        )
    return form, wanted


def _period_label(wanted: selectors.CaseFilter) -> str:
    parts = []
    if wanted.year:
        parts.append(_("Year %(year)s") % {"year": wanted.year})
    if wanted.start or wanted.end:
        parts.append(
            _("received from %(start)s to %(end)s")
            % {"start": day_text(wanted.start) or "…", "end": day_text(wanted.end) or "…"}
        )
    return ", ".join(parts)


@login_required
def case_list(request):
    """The mediation register: the lines the user may see, filtered, with their totals."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    form, wanted = _filter(request)
    found = filtered_page(
        request,
        selectors.register_rows(request.user, wanted),
        form=form,
        query=selectors.query_of(wanted),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "mediation/cases.html",
        {
            "form": form,
            "page": found.page,
            "offset": found.offset,
            "totals": selectors.totals(found.rows),
            "query": found.query,
            "period": _period_label(wanted),
            "headings": _headings(),
            "can_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
            "law": LAW,
        },
    )


def _rows(cases):
    for number, case in enumerate(cases, start=1):
        yield [
            number,
            case.received_on,
            case.mediators,
            case.parties,
            case.content,
            case.outcome,
            case.get_result_display(),
            case.concluded_on,
            case.notes,
            case.unit.name,
            case.team.name if case.team else "",
        ]


def _audit_export(request, wanted: selectors.CaseFilter, fmt: str, count: int) -> None:
    record(
        action=AuditEvent.Action.EXPORT,
        model=Case._meta.label_lower,
        object_repr=_("Mediation register (%(count)s lines)") % {"count": count},
        unit=wanted.unit,
        changes={"format": fmt, "filter": selectors.query_of(wanted), "rows": count},
    )


@login_required
def case_xlsx(request):
    """The register as an XLSX workbook, in the form's column order."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    form, wanted = _filter(request)
    cases = list(selectors.register_rows(request.user, wanted)) if not form.errors else []
    kinds = {"number": "count", "received_on": "date", "concluded_on": "date"}
    widths = {"number": 6, "received_on": 12, "concluded_on": 12, "content": 40, "outcome": 36, "parties": 30}
    columns = [
        tables.Column(str(label), kind=kinds.get(key, "text"), width=widths.get(key, 20))
        for key, label in COLUMNS
    ]
    title = _("Register of grassroots mediation activities")
    if _period_label(wanted):
        title = f"{title} – {_period_label(wanted)}"
    sheet = tables.Sheet(name=_("Mediation register")[:31], rows=_rows(cases), columns=columns, title=title)
    response = tables.xlsx_response(
        tables.workbook([sheet]), filename=f"so-hoa-giai-{timezone.localdate():%Y%m%d}.xlsx"
    )
    _audit_export(request, wanted, "xlsx", len(cases))
    return response


@login_required
def case_print(request):
    """The register laid out for printing (the form's columns, a line per case)."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    form, wanted = _filter(request)
    cases = list(selectors.register_rows(request.user, wanted)) if not form.errors else []
    _audit_export(request, wanted, "print", len(cases))
    query = selectors.query_of(wanted)
    return render(
        request,
        "mediation/cases_print.html",
        {
            "rows": list(_rows(cases)),
            "headings": _headings(),
            "period": _period_label(wanted),
            "unit": wanted.unit,
            "query": f"?{query}" if query else "",
            "printed_on": timezone.localdate(),
        },
    )


def _case_spec(data: dict) -> services.CaseSpec:
    return services.CaseSpec.of(data, mediators=split_names(data["mediators"]))


def _case_form(request, case: Case | None = None):
    teams = selectors.teams_for(request.user, Perm.ACTIVITY_RECORD).select_related("unit")
    initial = {}
    if case is not None:
        initial = {
            "unit": case.unit.code,
            "team": case.team_id,
            "received_on": case.received_on,
            "mediators": case.mediators,
            "parties": case.parties,
            "content": case.content,
            "result": case.result,
            "agreement": case.agreement,
            "demands": case.demands,
            "concluded_on": case.concluded_on,
            "notes": case.notes,
        }
    elif request.GET.get("team"):
        team = teams.filter(pk=request.GET["team"]).first() if request.GET["team"].isdecimal() else None
        if team is not None:
            initial = {"unit": team.unit.code, "team": team.pk}
    data = request.POST if request.method == "POST" else None
    return CaseForm(data, initial=initial, user=request.user, teams=teams)


@login_required
def case_create(request):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    form = _case_form(request)
    done = saved(
        request,
        form,
        lambda data: services.case_record(spec=_case_spec(data), by=request.user),
        done=_("The case was written in the mediation register."),
        then=lambda case: redirect("mediation:case", pk=case.pk),
    )
    return done or render(request, "mediation/case_form.html", {"form": form, "case": None, "law": LAW})


@login_required
def case_detail(request, pk: int):
    case = obtain(selectors.cases_for(request.user).select_related("unit", "team"), user=request.user, pk=pk)
    return render(
        request,
        "mediation/case.html",
        {
            "case": case,
            "can_record": policy.can(request.user, Perm.ACTIVITY_RECORD, case.unit),
            "successful": case.result == Result.SUCCESSFUL,
        },
    )


@login_required
def case_edit(request, pk: int):
    case = obtain(
        selectors.cases_for(request.user).select_related("unit", "team"),
        user=request.user,
        do=Perm.ACTIVITY_RECORD,
        pk=pk,
    )
    form = _case_form(request, case)
    done = saved(
        request,
        form,
        lambda data: services.case_update(case=case, spec=_case_spec(data), by=request.user),
        done=_("The line of the register was corrected."),
        then=redirect("mediation:case", pk=case.pk),
    )
    return done or render(request, "mediation/case_form.html", {"form": form, "case": case, "law": LAW})


@login_required
def case_delete(request, pk: int):
    case = obtain(
        selectors.cases_for(request.user).select_related("unit"),
        user=request.user,
        do=Perm.ACTIVITY_RECORD,
        pk=pk,
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_delete(case=case, by=request.user)
        messages.success(request, _("The line was deleted from the mediation register."))
        return redirect("mediation:cases")
    return render(request, "mediation/case_delete.html", {"case": case, "form": form})


# ---------------------------------------------------------------- teams


@login_required
def team_list(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    form = CaseFilterForm(request.GET or None, user=request.user)
    unit = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None
    teams = list(selectors.teams_with_counts(request.user, unit)[:500])
    return render(
        request,
        "mediation/teams.html",
        {
            "teams": teams,
            "form": form,
            "unit": unit,
            "can_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
            "law": LAW,
        },
    )


def _mediator_spec(data: dict) -> services.MediatorSpec:
    return services.MediatorSpec(
        name=data.get("name") or "",
        sex=data.get("sex") or "",
        recognised_on=data.get("recognised_on"),
        trained=bool(data.get("trained")),
        trained_on=data.get("trained_on"),
        leader=bool(data.get("leader")),
    )


@login_required
def team_create(request):
    """A new team with its first mediators (at least three, a woman among them)."""
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    post = request.POST if request.method == "POST" else None
    form = TeamForm(post, user=request.user)
    formset = MediatorFormSet(post, prefix="m")
    if post is not None and form.is_valid() and formset.is_valid():
        people = [_mediator_spec(item.cleaned_data) for item in formset.forms if not item.is_blank()]
        data = form.cleaned_data
        try:
            team = services.team_create(
                spec=services.TeamSpec(
                    unit=data["unit"],
                    name=data["name"],
                    place=data["place"],
                    established_on=data["established_on"],
                ),
                mediators=people,
                by=request.user,
            )
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                if key.startswith("mediators."):
                    _prefix, index, name = key.split(".")
                    row = [item for item in formset.forms if not item.is_blank()][int(index)]
                    row.add_error(name if name in row.fields else None, problems)
                elif key == "mediators":
                    form.add_error(None, problems)
                else:
                    form.add_error(key if key in form.fields else None, problems)
        else:
            messages.success(request, _("The mediation team was created."))
            return redirect("mediation:team", pk=team.pk)
    return render(request, "mediation/team_form.html", {"form": form, "formset": formset, "law": LAW})


def _team(request, pk: int, perm: Perm | None = None) -> Team:
    return obtain(selectors.teams_for(request.user).select_related("unit"), user=request.user, do=perm, pk=pk)


def _team_page(request, team: Team, form: MediatorForm | None = None):
    can_record = policy.can(request.user, Perm.ACTIVITY_RECORD, team.unit)
    return render(
        request,
        "mediation/team.html",
        {
            "team": team,
            "mediators": list(team.mediators.all()),
            "can_record": can_record,
            "form": form or (MediatorForm() if can_record else None),
            "law": LAW,
            "recent": list(team.cases.order_by("-received_on", "-id")[:10]),
        },
    )


@login_required
def team_detail(request, pk: int):
    return _team_page(request, _team(request, pk))


@login_required
@post_only("mediation:team")
def mediator_add(request, pk: int):
    team = _team(request, pk, Perm.ACTIVITY_RECORD)
    form = MediatorForm(request.POST)
    done = saved(
        request,
        form,
        lambda data: services.mediator_add(team=team, spec=_mediator_spec(data), by=request.user),
        done=_("The mediator was added to the team."),
        then=redirect("mediation:team", pk=team.pk),
    )
    return done or _team_page(request, team, form)


@login_required
@post_only("mediation:team")
def mediator_remove(request, pk: int):
    """Remove the mediator named in the form (`mediator`: its id) from the team."""
    team = _team(request, pk, Perm.ACTIVITY_RECORD)
    mediator = obtain(
        Mediator.objects.filter(team=team),
        user=request.user,
        unit=lambda m: team.unit,
        pk=request.POST.get("mediator", ""),
    )
    acted(
        request,
        lambda: services.mediator_remove(mediator=mediator, by=request.user),
        done=_("%(name)s was removed from the team.") % {"name": mediator.name},
    )
    return redirect("mediation:team", pk=team.pk)
