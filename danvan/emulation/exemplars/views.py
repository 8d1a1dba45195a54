"""Pages of the “Dân vận khéo” models (/emulation/models/): the list (filters, XLSX), a model (results,
evidence, history, review, replications), its form, the review queue, the campaigns.

A model is seen with EMULATION_VIEW at its unit or above (a recognised one also by the units its
campaign reaches); it is written with EMULATION_RECORD there; the level above (EMULATION_REVIEW at a
strict ancestor; for a root unit's model, EMULATION_MANAGE at that root: `selectors.may_review`)
reviews, recognises or returns it. A campaign with no model yet may be deleted (EMULATION_MANAGE). A record out of reach answers 404, one seen
without the right to act 403. Pages only read; the actions are POSTs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.downloads import stored_file
from danvan.core.http import post_only
from danvan.core.pages import acted, filtered_page, saved
from danvan.emulation import earned

from . import selectors, services
from .criteria import CRITERIA
from .forms import (
    CampaignForm,
    EvidenceForm,
    ExemplarForm,
    FilterForm,
    RecogniseForm,
    ReplicationForm,
    ResultFormSet,
    ReturnForm,
    ReviewForm,
)
from .models import EDITABLE, WAITING, Campaign, Evidence, Exemplar, Replication, Stage
from .rules import default_dates

PAGE_SIZE = 50

COLUMNS = [
    ("year", gettext_lazy("Year"), "count", 8),
    ("campaign", gettext_lazy("Campaign"), "text", 30),
    ("unit", gettext_lazy("Unit"), "text", 30),
    ("title", gettext_lazy("Name of the model"), "text", 40),
    ("field", gettext_lazy("Field"), "text", 22),
    ("authors", gettext_lazy("People or collective behind it"), "text", 30),
    ("started_on", gettext_lazy("Started on"), "date", 12),
    ("stage", gettext_lazy("Stage"), "text", 20),
    ("score", gettext_lazy("Total score"), "count", 10),
    ("decision", gettext_lazy("Decision"), "text", 20),
    ("decision_date", gettext_lazy("Decision date"), "date", 12),
    ("level", gettext_lazy("Level of recognition"), "text", 16),
    ("spread", gettext_lazy("Replications"), "count", 12),
]


def _filter(request):
    campaigns = selectors.campaigns_for(request.user).select_related("unit")
    form = FilterForm(request.GET or None, user=request.user, campaigns=campaigns)
    wanted = selectors.ExemplarFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        wanted = selectors.ExemplarFilter(
            unit=data["unit"],
            year=data["year"],
            campaign=data["campaign"],
            field=data["field"],
            stage=data["stage"],
            replicated=data["replicated"],
        )
    return form, wanted


@login_required
def exemplar_list(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    form, wanted = _filter(request)
    found = filtered_page(
        request,
        selectors.listed(request.user, wanted),
        form=form,
        query=selectors.query_of(wanted),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "exemplars/list.html",
        {
            "form": form,
            "page": found.page,
            "query": found.query,
            "can_record": policy.has_any(request.user, Perm.EMULATION_RECORD),
            "can_review": policy.has_any(request.user, Perm.EMULATION_REVIEW),
        },
    )


@login_required
def exemplar_xlsx(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    form, wanted = _filter(request)
    rows = list(selectors.listed(request.user, wanted)) if not form.errors else []
    columns = [tables.Column(str(label), kind=kind, width=width) for _key, label, kind, width in COLUMNS]

    def cells(exemplar):
        return [
            exemplar.campaign.year,
            exemplar.campaign.title,
            exemplar.unit.name,
            exemplar.title,
            exemplar.get_field_display(),
            exemplar.authors,
            exemplar.started_on,
            exemplar.get_stage_display(),
            exemplar.total_score,
            exemplar.decision_number,
            exemplar.decision_date,
            exemplar.get_level_display() if exemplar.level else "",
            exemplar.spread,
        ]

    sheet = tables.Sheet(
        name=str(_("“Dân vận khéo” models"))[:31],
        rows=(cells(row) for row in rows),
        columns=columns,
        title=str(_("“Dân vận khéo” models")),
    )
    return xlsx_export(
        sheets=[sheet],
        filename=f"mo-hinh-dan-van-kheo-{timezone.localdate():%Y%m%d}.xlsx",
        model=Exemplar._meta.label_lower,
        what=_("“Dân vận khéo” models (%(count)s lines)") % {"count": len(rows)},
        unit=wanted.unit,
        changes={"filter": selectors.query_of(wanted), "rows": len(rows)},
    )


def _visible(request):
    return selectors.exemplars_for(request.user).select_related("campaign", "campaign__unit", "unit")


def _exemplar(request, pk: int, perm: Perm | None = None) -> Exemplar:
    return obtain(_visible(request), user=request.user, do=perm, pk=pk)


def _detail(request, exemplar: Exemplar, **forms):
    user = request.user
    can_record = policy.can(user, Perm.EMULATION_RECORD, exemplar.unit)
    can_review = selectors.may_review(user, exemplar.unit)
    scores = {score.criterion: score.points for score in exemplar.scores.all()}
    replications = list(exemplar.replications.select_related("unit").order_by("adopted_on", "id"))
    editable = exemplar.stage in EDITABLE
    waiting = exemplar.stage in WAITING
    context = {
        "exemplar": exemplar,
        "results": list(exemplar.results.all()),
        "evidence": list(exemplar.evidence.all()),
        "transitions": list(exemplar.transitions.select_related("by")),
        "scores": [(criterion, scores.get(criterion.code)) for criterion in CRITERIA],
        "has_scores": bool(scores),
        "replications": replications,
        "can_edit": can_record and editable,
        "can_review": can_review and waiting,
        "can_recognise": can_review and exemplar.stage == Stage.REVIEWED,
        "can_replicate": exemplar.stage == Stage.RECOGNISED and policy.has_any(user, Perm.EMULATION_RECORD),
        "can_record": can_record,
        "evidence_form": forms.get("evidence_form") or (EvidenceForm() if can_record and editable else None),
        "review_form": forms.get("review_form")
        or ReviewForm(
            initial={f"score_{code}": points for code, points in scores.items()}
            | {"opinion": exemplar.opinion}
        ),
        "recognise_form": forms.get("recognise_form") or RecogniseForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "replication_form": forms.get("replication_form") or ReplicationForm(user=user),
        "earned": earned.shown(user, exemplar),
    }
    return render(request, "exemplars/detail.html", context)


@login_required
def exemplar_detail(request, pk: int):
    return _detail(request, _exemplar(request, pk))


def _results(formset) -> list[services.ResultSpec]:
    return [
        services.ResultSpec(
            measure=item.cleaned_data.get("measure") or "",
            unit_of_measure=item.cleaned_data.get("unit_of_measure") or "",
            before=item.cleaned_data.get("before"),
            after=item.cleaned_data.get("after"),
        )
        for item in formset.forms
        if not item.is_blank()
    ]


def _edit(request, exemplar: Exemplar | None):
    campaigns = selectors.open_campaigns_for(request.user)
    initial: dict = {}
    results_initial: list = []
    if exemplar is not None:
        campaigns = campaigns | Campaign.objects.filter(pk=exemplar.campaign_id)
        initial = {
            "campaign": exemplar.campaign_id,
            "unit": exemplar.unit.code,
            "field": exemplar.field,
            "title": exemplar.title,
            "authors": exemplar.authors,
            "description": exemplar.description,
            "started_on": exemplar.started_on,
        }
        results_initial = [
            {"measure": r.measure, "unit_of_measure": r.unit_of_measure, "before": r.before, "after": r.after}
            for r in exemplar.results.all()
        ]
    elif request.GET.get("campaign", "").isdecimal():
        initial["campaign"] = int(request.GET["campaign"])
    post = request.POST if request.method == "POST" else None
    form = ExemplarForm(post, initial=initial, user=request.user, campaigns=campaigns.distinct())
    formset = ResultFormSet(post, prefix="r", initial=results_initial or None)

    def save(data: dict) -> Exemplar:
        spec = services.ExemplarSpec(
            campaign=data["campaign"],
            unit=data["unit"],
            field=data["field"],
            title=data["title"],
            authors=data["authors"],
            description=data["description"],
            started_on=data["started_on"],
            results=_results(formset),
        )
        if exemplar is None:
            return services.exemplar_create(spec=spec, by=request.user)
        return services.exemplar_update(exemplar=exemplar, spec=spec, by=request.user)

    if form.is_valid() and formset.is_valid():
        done = saved(
            request,
            form,
            save,
            done=_("The model was saved."),
            then=lambda written: redirect("exemplars:detail", pk=written.pk),
        )
        if done is not None:
            return done
    return render(
        request,
        "exemplars/form.html",
        {"form": form, "formset": formset, "exemplar": exemplar, "campaigns_exist": campaigns.exists()},
    )


@login_required
def exemplar_create(request):
    require_somewhere(request.user, Perm.EMULATION_RECORD)
    return _edit(request, None)


@login_required
def exemplar_edit(request, pk: int):
    exemplar = _exemplar(request, pk, Perm.EMULATION_RECORD)
    if exemplar.stage not in EDITABLE:
        messages.error(request, _("The model can be changed only as a draft or once returned."))
        return redirect("exemplars:detail", pk=exemplar.pk)
    return _edit(request, exemplar)


def _act(request, exemplar: Exemplar, action, success: str, form_name: str = "", form=None):
    back = redirect("exemplars:detail", pk=exemplar.pk)
    try:
        if form is None:
            acted(request, action, done=success)
        elif saved(request, form, lambda _data: action(), done=success, then=back) is None:
            return _detail(request, exemplar, **{form_name: form})
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    return back


@login_required
@post_only("exemplars:detail")
def exemplar_nominate(request, pk: int):
    exemplar = _exemplar(request, pk, Perm.EMULATION_RECORD)
    return _act(
        request,
        exemplar,
        lambda: services.exemplar_nominate(exemplar=exemplar, by=request.user),
        _("The model was nominated to the level above."),
    )


@login_required
@post_only("exemplars:detail")
def evidence_add(request, pk: int):
    exemplar = _exemplar(request, pk, Perm.EMULATION_RECORD)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, exemplar, evidence_form=form)
    return _act(
        request,
        exemplar,
        lambda: services.evidence_add(exemplar=exemplar, upload=form.cleaned_data["file"], by=request.user),
        _("The file was attached."),
        "evidence_form",
        form,
    )


@login_required
@post_only("exemplars:detail", keep=("pk",))
def evidence_remove(request, pk: int, evidence_pk: int):
    exemplar = _exemplar(request, pk, Perm.EMULATION_RECORD)
    evidence = obtain(
        Evidence.objects.filter(exemplar=exemplar),
        user=request.user,
        unit=lambda e: exemplar.unit,
        pk=evidence_pk,
    )
    return _act(
        request,
        exemplar,
        lambda: services.evidence_remove(evidence=evidence, by=request.user),
        _("The file was removed."),
    )


@login_required
def evidence_download(request, pk: int, evidence_pk: int):
    exemplar = _exemplar(request, pk)
    evidence = Evidence.objects.filter(exemplar=exemplar, pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return stored_file(evidence.file, evidence.name, evidence.content_type)


def _reviewed(request, pk: int) -> Exemplar:
    exemplar = _exemplar(request, pk)
    if not selectors.may_review(request.user, exemplar.unit):
        raise PermissionDenied
    return exemplar


@login_required
@post_only("exemplars:detail")
def exemplar_review(request, pk: int):
    exemplar = _reviewed(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, exemplar, review_form=form)
    return _act(
        request,
        exemplar,
        lambda: services.exemplar_review(
            exemplar=exemplar, scores=form.scores(), opinion=form.cleaned_data["opinion"], by=request.user
        ),
        _("The review was recorded."),
        "review_form",
        form,
    )


@login_required
@post_only("exemplars:detail")
def exemplar_recognise(request, pk: int):
    exemplar = _reviewed(request, pk)
    form = RecogniseForm(request.POST)
    if not form.is_valid():
        return _detail(request, exemplar, recognise_form=form)
    data = form.cleaned_data
    return _act(
        request,
        exemplar,
        lambda: services.exemplar_recognise(
            exemplar=exemplar,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            level=data["level"],
            by=request.user,
        ),
        _("The model was recognised."),
        "recognise_form",
        form,
    )


@login_required
@post_only("exemplars:detail")
def exemplar_return(request, pk: int):
    exemplar = _reviewed(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, exemplar, return_form=form)
    return _act(
        request,
        exemplar,
        lambda: services.exemplar_return(
            exemplar=exemplar, reason=form.cleaned_data["reason"], by=request.user
        ),
        _("The model was returned to its unit."),
        "return_form",
        form,
    )


@login_required
@post_only("exemplars:detail")
def replication_add(request, pk: int):
    exemplar = _exemplar(request, pk)
    require_somewhere(request.user, Perm.EMULATION_RECORD)
    form = ReplicationForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail(request, exemplar, replication_form=form)
    data = form.cleaned_data
    spec = services.ReplicationSpec(
        unit=data["unit"], adopted_on=data["adopted_on"], note=data["note"], results=data["results"]
    )
    return _act(
        request,
        exemplar,
        lambda: services.replication_record(exemplar=exemplar, spec=spec, by=request.user),
        _("The replication was recorded."),
        "replication_form",
        form,
    )


@login_required
@post_only("exemplars:detail", keep=("pk",))
def replication_remove(request, pk: int, replication_pk: int):
    exemplar = _exemplar(request, pk)
    replication = obtain(
        Replication.objects.filter(exemplar=exemplar).select_related("unit"),
        user=request.user,
        do=Perm.EMULATION_RECORD,
        pk=replication_pk,
    )
    return _act(
        request,
        exemplar,
        lambda: services.replication_delete(replication=replication, by=request.user),
        _("The replication was deleted."),
    )


@login_required
def review_queue(request):
    """Models nominated or reviewed by units below the user's, waiting for a decision."""
    require_somewhere(request.user, Perm.EMULATION_REVIEW)
    rows = (
        selectors.waiting_for(request.user)
        .select_related("campaign", "unit")
        .order_by("campaign__review_until", "nominated_on", "id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exemplars/review_queue.html", {"page": page, "criteria": CRITERIA})


# ---------------------------------------------------------------- campaigns


@login_required
def campaign_list(request):
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    campaigns = list(selectors.campaigns_for(request.user).select_related("unit")[:300])
    return render(
        request,
        "exemplars/campaigns.html",
        {"campaigns": campaigns, "can_manage": policy.has_any(request.user, Perm.EMULATION_MANAGE)},
    )


def _campaign(request, pk: int, perm: Perm | None = None) -> Campaign:
    return obtain(
        selectors.campaigns_for(request.user).select_related("unit"), user=request.user, do=perm, pk=pk
    )


@login_required
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    counts = {
        stage: selectors.exemplars_for(request.user).filter(campaign=campaign, stage=stage).count()
        for stage in Stage.values
    }
    return render(
        request,
        "exemplars/campaign.html",
        {
            "campaign": campaign,
            "counts": [(label, counts[value]) for value, label in Stage.choices],
            "can_manage": policy.can(request.user, Perm.EMULATION_MANAGE, campaign.unit),
        },
    )


def _campaign_form(request, campaign: Campaign | None):
    if campaign is None:
        year = timezone.localdate().year
        nominations, review, recognition = default_dates(year)
        initial = {
            "year": year,
            "title": _("“Dân vận khéo” movement %(year)s") % {"year": year},
            "nominations_until": nominations,
            "review_until": review,
            "recognition_by": recognition,
        }
    else:
        initial = {
            "year": campaign.year,
            "title": campaign.title,
            "nominations_until": campaign.nominations_until,
            "review_until": campaign.review_until,
            "recognition_by": campaign.recognition_by,
            "state": campaign.state,
        }
    post = request.POST if request.method == "POST" else None
    form = CampaignForm(post, initial=initial, user=request.user, editing=campaign is not None)

    def save(data: dict) -> Campaign:
        spec = services.CampaignSpec(
            unit=data.get("unit") or (campaign.unit if campaign else None),  # type: ignore[arg-type]
            year=data["year"],
            title=data["title"],
            nominations_until=data["nominations_until"],
            review_until=data["review_until"],
            recognition_by=data["recognition_by"],
            state=data["state"],
        )
        if campaign is None:
            return services.campaign_create(spec=spec, by=request.user)
        return services.campaign_update(campaign=campaign, spec=spec, by=request.user)

    done = saved(
        request,
        form,
        save,
        done=_("The campaign was saved."),
        then=lambda written: redirect("exemplars:campaign", pk=written.pk),
    )
    return done or render(request, "exemplars/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_create(request):
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    return _campaign_form(request, None)


@login_required
def campaign_edit(request, pk: int):
    return _campaign_form(request, _campaign(request, pk, Perm.EMULATION_MANAGE))


@login_required
def campaign_delete(request, pk: int):
    """Confirm, then delete a campaign in which no model is registered (the service refuses otherwise)."""
    campaign = _campaign(request, pk, Perm.EMULATION_MANAGE)
    models = campaign.exemplars.count()
    error = ""
    if request.method == "POST":
        try:
            services.campaign_delete(campaign=campaign, by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("The campaign “%(title)s” was deleted.") % {"title": campaign.title})
            return redirect("exemplars:campaigns")
    return render(
        request,
        "exemplars/campaign_delete.html",
        {"campaign": campaign, "models": models, "error": error},
        status=400 if error else 200,
    )
