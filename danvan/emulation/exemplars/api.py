"""The models' API (`/api/v1/emulation/models/`, `/api/v1/emulation/models/campaigns/`): the same rules
as the pages, through the same services and selectors.

A model is seen with EMULATION_VIEW at its unit or above (a recognised one also by the units its
campaign reaches; 404 outside that); registered and nominated with EMULATION_RECORD at its unit;
reviewed, recognised or returned by the level above (EMULATION_REVIEW at a strict ancestor; a root unit's
model by EMULATION_MANAGE at that root, `selectors.may_review`: 403 with the reason otherwise). The services' refusals are 400 with their Vietnamese messages, nothing saved.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import query_params
from danvan.orgs.selectors import unit_by_code

from . import selectors, services
from . import serializers as s
from .criteria import CRITERIA
from .models import Campaign, Exemplar


def _input(serializer_class, request, perm: Perm) -> dict:
    def narrow(qs: QuerySet) -> QuerySet:
        return selectors.open_campaigns_for(request.user) if qs.model is Campaign else qs

    return validated(serializer_class, request, perm=perm, narrow=narrow)


def _data(pk: int) -> dict:
    exemplar = (
        Exemplar.objects.select_related("unit").prefetch_related("results", "replications__unit").get(pk=pk)
    )
    return s.ExemplarOutput(exemplar).data


@extend_schema(tags=["exemplars"])
class CampaignViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """The “Dân vận khéo” campaigns that reach the user's units, and those of the units below them."""

    required_perm = Perm.EMULATION_VIEW
    action_perms = {"create": Perm.EMULATION_MANAGE}
    serializer_class = s.CampaignOutput
    queryset = Campaign.objects.none()
    lookup_value_regex = r"\d+"

    @extend_schema(responses=s.CampaignOutput(many=True))
    def list(self, request):
        page = self.paginate_queryset(selectors.campaigns_for(request.user).select_related("unit"))
        return self.get_paginated_response(s.CampaignOutput(page, many=True).data)

    @extend_schema(responses=s.CampaignOutput)
    def retrieve(self, request, pk: str):
        campaign = obtain(
            selectors.campaigns_for(request.user).select_related("unit"), user=request.user, pk=pk
        )
        return Response(s.CampaignOutput(campaign).data)

    @extend_schema(request=s.CampaignInput, responses={201: s.CampaignOutput})
    def create(self, request):
        data = _input(s.CampaignInput, request, Perm.EMULATION_MANAGE)
        campaign = services.campaign_create(spec=services.CampaignSpec(**data), by=request.user)
        return Response(s.CampaignOutput(campaign).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["exemplars"])
class ExemplarViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """“Dân vận khéo” models of the units the user may see."""

    required_perm = Perm.EMULATION_VIEW
    action_perms = {
        "create": Perm.EMULATION_RECORD,
        "nominate": Perm.EMULATION_RECORD,
        "replications": Perm.EMULATION_RECORD,
        "review": Perm.EMULATION_REVIEW,
        "recognise": Perm.EMULATION_REVIEW,
        "send_back": Perm.EMULATION_REVIEW,
    }
    serializer_class = s.ExemplarOutput
    queryset = Exemplar.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Exemplar:
        return obtain(
            selectors.exemplars_for(self.request.user).select_related("unit", "campaign"),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.ExemplarListParams], responses=s.ExemplarOutput(many=True))
    def list(self, request):
        """Filters: unit (its subtree), year, campaign, field, stage."""
        params = query_params(s.ExemplarListParams, request)
        qs = selectors.exemplars_for(request.user)
        unit = None
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            if unit is None:
                qs = qs.none()
        campaign = None
        if params.get("campaign"):
            campaign = selectors.campaigns_for(request.user).filter(pk=params["campaign"]).first()
            if campaign is None:
                qs = qs.none()
        wanted = selectors.ExemplarFilter(
            unit=unit,
            year=params.get("year"),
            campaign=campaign,
            field=params.get("field", ""),
            stage=params.get("stage", ""),
        )
        qs = (
            selectors.filter_exemplars(qs, wanted)
            .select_related("unit")
            .prefetch_related("results", "replications__unit")
            .order_by("-campaign__year", "unit__path", "title", "id")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ExemplarOutput(page, many=True).data)

    @extend_schema(responses=s.ExemplarOutput)
    def retrieve(self, request, pk: str):
        return Response(_data(self.get_object().pk))

    @extend_schema(request=s.ExemplarInput, responses={201: s.ExemplarOutput})
    def create(self, request):
        """Register a model (a draft) with its measurable results."""
        data = _input(s.ExemplarInput, request, Perm.EMULATION_RECORD)
        results = [services.ResultSpec(**row) for row in data.pop("results")]
        exemplar = services.exemplar_create(
            spec=services.ExemplarSpec(**data, results=results), by=request.user
        )
        return Response(_data(exemplar.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ExemplarOutput)
    @action(detail=True, methods=["post"])
    def nominate(self, request, pk: str):
        """Nominate the model to the level above, by the campaign's nomination deadline."""
        exemplar = self.get_object(Perm.EMULATION_RECORD)
        services.exemplar_nominate(exemplar=exemplar, by=request.user)
        return Response(_data(exemplar.pk))

    @extend_schema(request=s.ReviewInput, responses=s.ExemplarOutput)
    @action(detail=True, methods=["post"])
    def review(self, request, pk: str):
        """The level above scores each criterion and gives its opinion."""
        exemplar = self.get_object()
        data = _input(s.ReviewInput, request, Perm.EMULATION_REVIEW)
        scores = {criterion.code: data[criterion.code] for criterion in CRITERIA}
        services.exemplar_review(exemplar=exemplar, scores=scores, opinion=data["opinion"], by=request.user)
        return Response(_data(exemplar.pk))

    @extend_schema(request=s.RecogniseInput, responses=s.ExemplarOutput)
    @action(detail=True, methods=["post"])
    def recognise(self, request, pk: str):
        """The level above recognises the reviewed model by a decision (number, date, level)."""
        exemplar = self.get_object()
        data = _input(s.RecogniseInput, request, Perm.EMULATION_REVIEW)
        services.exemplar_recognise(exemplar=exemplar, by=request.user, **data)
        return Response(_data(exemplar.pk))

    @extend_schema(request=s.ReturnInput, responses=s.ExemplarOutput)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk: str):
        """The level above returns the model to its unit, with its reasons."""
        exemplar = self.get_object()
        data = _input(s.ReturnInput, request, Perm.EMULATION_REVIEW)
        services.exemplar_return(exemplar=exemplar, reason=data["reason"], by=request.user)
        return Response(_data(exemplar.pk))

    @extend_schema(request=s.ReplicationInput, responses={201: s.ExemplarOutput})
    @action(detail=True, methods=["post"])
    def replications(self, request, pk: str):
        """Another unit records that it replicates the recognised model."""
        exemplar = self.get_object()
        data = _input(s.ReplicationInput, request, Perm.EMULATION_RECORD)
        services.replication_record(exemplar=exemplar, spec=services.ReplicationSpec(**data), by=request.user)
        return Response(_data(exemplar.pk), status=status.HTTP_201_CREATED)
