"""Pages of the evaluations (/emulation/evaluations/).

Lists and an evaluation's page need EMULATION_VIEW (the evaluations of the units where the user holds it);
the self-assessment EMULATION_RECORD at the unit; the review and classification (forms on the evaluation's
page, posted to addresses of their own) EMULATION_REVIEW at a unit strictly above — the services refuse
anyone else. Scorecards and thresholds are seen by every holder of EMULATION_VIEW and changed only with
EMULATION_MANAGE at a root. GET never writes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danvan.accounts import policy
from danvan.accounts.permissions import AtRoot, obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.downloads import stored_file
from danvan.core.http import post_only
from danvan.core.pages import acted, saved
from danvan.emulation import earned
from danvan.orgs.fields import for_user, unit_filter
from danvan.orgs.selectors import unit_by_code, units_for
from danvan.reports.periods import period_words

from . import selectors, services
from .forms import (
    AssessForm,
    ClassifyForm,
    CopyForm,
    CriterionForm,
    ListForm,
    RankingForm,
    ReviewForm,
    ScorecardForm,
    SectionForm,
    StartForm,
    ThresholdsForm,
)
from .models import LAW, Classification, Criterion, Evaluation, Score, Scorecard, Section, State, Thresholds

LIST_LIMIT = 500
MANAGE = AtRoot(Perm.EMULATION_MANAGE)


def _can_manage(user) -> bool:
    return policy.can(user, Perm.EMULATION_MANAGE, None)


def _evaluation(request, pk: int, do: Perm | None = None) -> Evaluation:
    return obtain(selectors.evaluations_for(request.user), user=request.user, do=do, pk=pk)


def _error_messages(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# ---------------------------------------------------------------- evaluations


@login_required
def home(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    unit_form = unit_filter(request.GET, user=request.user, perm=Perm.EMULATION_VIEW, label=_("Unit"))
    unit = unit_form.cleaned_data.get("unit") if unit_form.is_bound and unit_form.is_valid() else None
    list_form = ListForm(request.GET or None)
    code = state = ""
    if list_form.is_bound and list_form.is_valid():
        code = list_form.cleaned_data.get("period", "").strip().upper()
        state = list_form.cleaned_data.get("state", "")
    rows = list(selectors.listed(request.user, unit=unit, code=code, state=state)[: LIST_LIMIT + 1])
    context = {
        "rows": [(e, period_words(e.period)) for e in rows[:LIST_LIMIT]],
        "more": len(rows) > LIST_LIMIT,
        "unit_form": unit_form,
        "list_form": list_form,
        "can_record": policy.has_any(request.user, Perm.EMULATION_RECORD),
        "can_manage": _can_manage(request.user),
        "law": LAW,
    }
    return render(request, "evaluations/home.html", context)


@login_required
def start(request):
    require_somewhere(request.user, Perm.EMULATION_RECORD)
    form = for_user(StartForm(request.POST or None, initial=_start_initial(request)), request.user)
    done = saved(
        request,
        form,
        lambda data: services.evaluation_start(
            unit=data["unit"], period=data["period"].strip().upper(), by=request.user
        ),
        done=_("The evaluation was opened; computed scores were filled from the figures."),
        then=lambda evaluation: redirect("evaluations:evaluation", pk=evaluation.pk),
    )
    return done or render(
        request, "evaluations/form.html", {"form": form, "title": _("Open a unit's evaluation")}
    )


def _scores(evaluation: Evaluation) -> list[Score]:
    return list(evaluation.scores.select_related("criterion__section"))


@login_required
def evaluation_page(request, pk: int):
    evaluation = _evaluation(request, pk)
    scores = _scores(evaluation)
    can_record = policy.can(request.user, Perm.EMULATION_RECORD, evaluation.unit)
    can_review = policy.can_above(request.user, Perm.EMULATION_REVIEW, evaluation.unit)
    review_form = classify_form = None
    if can_review and evaluation.state in (State.SUBMITTED, State.REVIEWED):
        review_form = ReviewForm(scores=scores)
    if can_review and evaluation.state == State.REVIEWED:
        classify_form = ClassifyForm(initial={"classification": evaluation.proposed})
    sections: dict[int, dict] = {}
    for score in scores:
        section = score.criterion.section
        sections.setdefault(section.pk, {"section": section, "scores": []})["scores"].append(score)
    context = {
        "evaluation": evaluation,
        "period": period_words(evaluation.period, dated=True),
        "sections": list(sections.values()),
        "transitions": evaluation.transitions.select_related("by"),
        "can_assess": can_record and evaluation.state == State.DRAFT,
        "review_form": review_form,
        "classify_form": classify_form,
        "allowed": [Classification(level).label for level in selectors.allowed_levels(evaluation)],
        "law": LAW,
        "thresholds": evaluation.thresholds or selectors.thresholds_on(evaluation.period_end),
        "earned": earned.shown(request.user, evaluation),
    }
    return render(request, "evaluations/evaluation.html", context)


@login_required
def assess(request, pk: int):
    evaluation = _evaluation(request, pk, Perm.EMULATION_RECORD)
    if evaluation.state != State.DRAFT:
        messages.info(request, _("The evaluation was submitted: the unit can no longer change it."))
        return redirect("evaluations:evaluation", pk=evaluation.pk)
    scores = _scores(evaluation)
    form = AssessForm(request.POST or None, request.FILES or None, scores=scores)
    done = saved(
        request,
        form,
        lambda _data: services.self_assess(evaluation=evaluation, scores=form.inputs(), by=request.user),
        done=_("The self-assessment was saved."),
        then=redirect("evaluations:evaluation", pk=evaluation.pk),
    )
    context = {"evaluation": evaluation, "form": form, "period": period_words(evaluation.period)}
    return done or render(request, "evaluations/assess.html", context)


@login_required
@post_only("evaluations:evaluation")
def submit(request, pk: int):
    evaluation = _evaluation(request, pk, Perm.EMULATION_RECORD)
    acted(
        request,
        lambda: services.evaluation_submit(evaluation=evaluation, by=request.user),
        done=_("The evaluation was submitted to the level above."),
    )
    return redirect("evaluations:evaluation", pk=evaluation.pk)


@login_required
@post_only("evaluations:evaluation")
def refresh(request, pk: int):
    evaluation = _evaluation(request, pk, Perm.EMULATION_RECORD)
    acted(
        request,
        lambda: services.evaluation_refresh(evaluation=evaluation, by=request.user),
        done=_("The computed scores were read again from the figures."),
    )
    return redirect("evaluations:evaluation", pk=evaluation.pk)


def _reviewed(request, pk: int) -> Evaluation:
    evaluation = _evaluation(request, pk)
    if not policy.can_above(request.user, Perm.EMULATION_REVIEW, evaluation.unit):
        raise PermissionDenied
    return evaluation


@login_required
@post_only("evaluations:evaluation")
def review(request, pk: int):
    evaluation = _reviewed(request, pk)
    form = ReviewForm(request.POST, scores=_scores(evaluation))
    done = saved(
        request,
        form,
        lambda _data: services.evaluation_review(
            evaluation=evaluation, scores=form.inputs(), by=request.user
        ),
        done=_("The review was saved; the classification is proposed from the total."),
        then=redirect("evaluations:evaluation", pk=evaluation.pk),
    )
    if done is not None:
        return done
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, text)
    return redirect("evaluations:evaluation", pk=evaluation.pk)


@login_required
@post_only("evaluations:evaluation")
def classify(request, pk: int):
    evaluation = _reviewed(request, pk)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        acted(
            request,
            lambda: services.evaluation_classify(evaluation=evaluation, by=request.user, **form.cleaned_data),
            done=_("The evaluation was classified."),
        )
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("evaluations:evaluation", pk=evaluation.pk)


@login_required
def evidence(request, pk: int):
    visible = policy.scope(
        request.user,
        Perm.EMULATION_VIEW,
        Score.objects.select_related("evaluation__unit"),
        field="evaluation__unit__path",
    )
    score = obtain(visible, user=request.user, unit=lambda s: s.evaluation.unit, pk=pk)
    if not score.evidence_file:
        raise Http404
    return stored_file(score.evidence_file, score.evidence_name)


# ---------------------------------------------------------------- ranking


def _ranking(request):
    """The ranking asked for; a unit named by its code that the user may not see answers 404."""
    typed = (request.GET.get("unit") or "").strip()
    if typed and unit_by_code(typed) is not None:
        obtain(units_for(request.user, Perm.EMULATION_VIEW), user=request.user, code__iexact=typed)
    unit_form = unit_filter(request.GET, user=request.user, perm=Perm.EMULATION_VIEW, label=_("Unit"))
    unit = unit_form.cleaned_data.get("unit") if unit_form.is_bound and unit_form.is_valid() else None
    form = RankingForm(request.GET or None)
    rows, code, unit_type = [], "", ""
    if form.is_bound and form.is_valid() and unit is not None:
        code = form.cleaned_data["period"].strip().upper()
        unit_type = form.cleaned_data["unit_type"].code if form.cleaned_data.get("unit_type") else ""
        try:
            rows = selectors.ranking(user=request.user, unit=unit, code=code, unit_type=unit_type)
            code = selectors.period_span(code).code
        except ValidationError as error:
            form.add_error("period", error)
            code = ""
    return unit_form, unit, form, rows, code


@login_required
def ranking(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    unit_form, unit, form, rows, code = _ranking(request)
    context = {
        "unit_form": unit_form,
        "unit": unit,
        "form": form,
        "rows": rows,
        "period": period_words(code) if code else "",
        "query": request.GET.urlencode(),
    }
    return render(request, "evaluations/ranking.html", context)


@login_required
def ranking_xlsx(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    _unit_form, unit, _form, rows, code = _ranking(request)
    if unit is None or not code:
        messages.error(request, _("Choose a unit and a period to download the ranking."))
        return redirect("evaluations:ranking")
    data = [
        (
            row.rank,
            row.unit.name,
            row.evaluation.total if row.evaluation and row.evaluation.state == State.FINAL else None,
            row.evaluation.get_classification_display()
            if row.evaluation and row.evaluation.classification
            else "",
        )
        for row in rows
    ]
    title = _("Emulation ranking: units under %(unit)s, %(period)s") % {
        "unit": unit.name,
        "period": period_words(code),
    }
    sheet = tables.Sheet(
        name=_("Ranking"),
        title=title,
        rows=data,
        columns=[
            tables.Column(_("Rank"), kind="count", width=8),
            tables.Column(_("Unit"), width=45),
            tables.Column(_("Total points"), kind="number"),
            tables.Column(pgettext("evaluation", "Classification"), width=30),
        ],
    )
    return xlsx_export(
        sheets=[sheet],
        filename=f"xep-hang-thi-dua-{unit.code}-{code}.xlsx",
        model=Evaluation._meta.label_lower,
        what=title,
        unit=unit,
        changes={"period": code, "rows": len(data)},
    )


# ---------------------------------------------------------------- scorecards


@login_required
def scorecards(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    context = {"rows": selectors.scorecards(), "can_manage": _can_manage(request.user)}
    return render(request, "evaluations/scorecards.html", context)


def _card(request, pk: int) -> Scorecard:
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    try:
        return Scorecard.objects.get(pk=pk)
    except (Scorecard.DoesNotExist, ValueError) as error:
        raise Http404 from error


@login_required
def scorecard_page(request, pk: int):
    card = _card(request, pk)
    sections = list(
        card.sections.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id"))
        )
    )
    names = selectors.catalogue_names()
    for section in sections:
        for criterion in section.criteria.all():
            criterion.source_name = names.get(criterion.code, _("a figure not in the catalogue yet"))
    context = {
        "card": card,
        "sections": sections,
        "total": selectors.total_points(card),
        "in_use": selectors.in_use(card),
        "can_manage": _can_manage(request.user),
        "copy_form": CopyForm(initial={"applies_from": card.applies_from + 1}),
    }
    return render(request, "evaluations/scorecard.html", context)


def _manager(request) -> None:
    require_somewhere(request.user, MANAGE)


@login_required
def scorecard_add(request):
    _manager(request)
    form = ScorecardForm(request.POST or None)
    done = saved(
        request,
        form,
        lambda data: services.scorecard_create(by=request.user, **data),
        done=_("The scorecard was created: add its sections and criteria."),
        then=lambda card: redirect("evaluations:scorecard", pk=card.pk),
    )
    return done or render(
        request, "evaluations/form.html", {"form": form, "title": _("New evaluation scorecard")}
    )


@login_required
def scorecard_edit(request, pk: int):
    card = _card(request, pk)
    _manager(request)
    initial = {"title": card.title, "applies_from": card.applies_from, "unit_types": card.unit_types.all()}
    form = ScorecardForm(request.POST or None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.scorecard_update(scorecard=card, by=request.user, **data),
        done=_("The scorecard was saved."),
        then=redirect("evaluations:scorecard", pk=card.pk),
    )
    return done or render(
        request, "evaluations/form.html", {"form": form, "title": _("Change the scorecard"), "card": card}
    )


@login_required
def section_add(request, pk: int):
    card = _card(request, pk)
    _manager(request)
    form = SectionForm(request.POST or None, initial={"order": card.sections.count() + 1})
    done = saved(
        request,
        form,
        lambda data: services.section_add(scorecard=card, by=request.user, **data),
        done=_("The section was added."),
        then=redirect("evaluations:scorecard", pk=card.pk),
    )
    return done or render(
        request, "evaluations/form.html", {"form": form, "title": _("New section"), "card": card}
    )


def _spec(data) -> services.CriterionSpec:
    return services.CriterionSpec(
        text=data["text"],
        max_points=data["max_points"],
        method=data["method"],
        code=data.get("code") or "",
        count=data.get("count"),
        order=data.get("order") or 1,
    )


@login_required
def criterion_add(request, pk: int):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    try:
        section = Section.objects.select_related("scorecard").get(pk=pk)
    except Section.DoesNotExist as error:
        raise Http404 from error
    _manager(request)
    form = CriterionForm(request.POST or None, initial={"order": section.criteria.count() + 1})
    done = saved(
        request,
        form,
        lambda data: services.criterion_add(section=section, spec=_spec(data), by=request.user),
        done=_("The criterion was added."),
        then=redirect("evaluations:scorecard", pk=section.scorecard_id),
    )
    context = {"form": form, "title": _("New criterion"), "card": section.scorecard}
    return done or render(request, "evaluations/form.html", context)


def _criterion(request, pk: int) -> Criterion:
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    try:
        return Criterion.objects.select_related("section__scorecard").get(pk=pk)
    except Criterion.DoesNotExist as error:
        raise Http404 from error


@login_required
def criterion_edit(request, pk: int):
    criterion = _criterion(request, pk)
    _manager(request)
    initial = {f: getattr(criterion, f) for f in ("text", "order", "max_points", "method", "code", "count")}
    form = CriterionForm(request.POST or None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.criterion_update(criterion=criterion, spec=_spec(data), by=request.user),
        done=_("The criterion was saved."),
        then=redirect("evaluations:scorecard", pk=criterion.section.scorecard_id),
    )
    context = {"form": form, "title": _("Change the criterion"), "card": criterion.section.scorecard}
    return done or render(request, "evaluations/form.html", context)


@login_required
@post_only("evaluations:scorecards", keep=())
def criterion_remove(request, pk: int):
    criterion = _criterion(request, pk)
    _manager(request)
    card_pk = criterion.section.scorecard_id
    acted(
        request,
        lambda: services.criterion_remove(criterion=criterion, by=request.user),
        done=_("The criterion was removed."),
    )
    return redirect("evaluations:scorecard", pk=card_pk)


@login_required
@post_only("evaluations:scorecard")
def scorecard_activate(request, pk: int):
    card = _card(request, pk)
    _manager(request)
    try:
        services.scorecard_activate(scorecard=card, active=request.POST.get("active") == "1", by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("The scorecard is in use.") if card.active else _("The scorecard is no longer in use.")
        )
    return redirect("evaluations:scorecard", pk=card.pk)


@login_required
@post_only("evaluations:scorecard")
def scorecard_copy(request, pk: int):
    card = _card(request, pk)
    _manager(request)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            copy = services.scorecard_copy(scorecard=card, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The copy was made: change it, then put it in use."))
            return redirect("evaluations:scorecard", pk=copy.pk)
    else:
        messages.error(request, _("Give the year from which the copy applies."))
    return redirect("evaluations:scorecard", pk=card.pk)


# ---------------------------------------------------------------- thresholds


@login_required
def thresholds(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    context = {"rows": Thresholds.objects.all(), "can_manage": _can_manage(request.user), "law": LAW}
    return render(request, "evaluations/thresholds.html", context)


@login_required
def thresholds_add(request):
    _manager(request)
    form = ThresholdsForm(request.POST or None)
    done = saved(
        request,
        form,
        lambda data: services.thresholds_create(by=request.user, **data),
        done=_("The new thresholds were saved."),
        then=redirect("evaluations:thresholds"),
    )
    return done or render(
        request, "evaluations/form.html", {"form": form, "title": _("New classification thresholds")}
    )


def _start_initial(request) -> dict[str, str]:
    """The unit (its code) and the period a link to the opening form names (from the work home or the
    reminder), when the period is one that may be evaluated; the unit field shows only a unit in reach."""
    initial: dict[str, str] = {}
    period = request.GET.get("period", "").strip().upper()
    if period in dict(selectors.period_choices()):
        initial["period"] = period
    unit = request.GET.get("unit", "").strip()
    if unit and len(unit) <= 64:
        initial["unit"] = unit
    return initial
