"""The documents and dissemination API (`/api/v1/documents/`, `/api/v1/deliveries/`).

The same rules as the register's pages (views.py, views_dissemination.py), through the same services:

- Reading needs DOCUMENT_VIEW: the documents of the registers in the user's scope and those sent to
  their units for study (`selectors.visible_documents`, searched with `selectors.search`), each with
  its attachments, its original file and its relations both ways (`selectors.relations_of`); the
  deliveries received by a unit in the user's scope or sent from a register in it
  (`dissemination.visible_deliveries`). A document's coverage needs DOCUMENT_VIEW at its register's
  unit. A user who holds DOCUMENT_VIEW nowhere gets 403 everywhere; a record outside the scope answers
  404, exactly like one that does not exist.
- Writing needs DOCUMENT_MANAGE: at the register's unit to register, correct, attach and send; at the
  recipient unit to acknowledge and record study sessions; anywhere to read a file (`documents/parse/`,
  as the import page). A record the user sees without that permission answers 403.
- A unit named in a body field or a query parameter is looked up among the units the user may see
  (DOCUMENT_VIEW): one outside that scope gets the "no unit with code" message, like an unknown code.
- Files are checked as the pages check them (`core.uploads.check` with the register's rules: type read
  from the content, size limit DIRECTIVES_MAX_FILE_MB) before anything is saved; a service's refusal
  answers 400 with its Vietnamese messages per field.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.permissions import HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core import uploads
from danvan.core.api import narrow_references, query_params
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit
from danvan.orgs.selectors import unit_by_code

from . import dissemination, extract, files, parsing, selectors, services
from . import serializers as s
from .forms import DocumentForm
from .models import Delivery, Document


def _visible_units(user):
    """Narrow the unit references of a body to the units where the user may see documents."""

    def narrow(qs: QuerySet) -> QuerySet:
        return policy.scope(user, Perm.DOCUMENT_VIEW, qs, field="path") if qs.model is Unit else qs

    return narrow


def _input(serializer_class, request, *, partial: bool = False) -> dict:
    """The validated body (`core.api.body`, with PATCH's partial form); unit codes narrowed to the scope."""
    serializer = serializer_class(data=request.data, partial=partial)
    narrow_references(serializer, _visible_units(request.user))
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _checked(uploaded, rules: uploads.Rules) -> uploads.Checked:
    """The uploaded file checked as the pages check it; the refusal is the `file` field's message."""
    try:
        return uploads.check(uploaded, rules)
    except DjangoValidationError as error:
        raise DjangoValidationError({"file": error.messages}) from None


def _unknown_unit(code: str) -> str:
    return _("There is no unit with code “{value}”.").format(value=code)


def _today():
    return timezone.localdate()


@extend_schema(tags=["documents"])
class DocumentViewSet(mixins.ListModelMixin, AuditedViewSet):
    """The document register: incoming and outgoing documents of the units the user may see."""

    serializer_class = s.DocumentOutput
    queryset = Document.objects.none()
    lookup_value_regex = r"\d+"
    permission_classes = [HoldsPerm]
    required_perm = Perm.DOCUMENT_VIEW
    action_perms = {"create": Perm.DOCUMENT_MANAGE, "parse": Perm.DOCUMENT_MANAGE}
    throttle_scope: str | None = None  # the parse action's own, stricter allowance: "parse"

    def get_object(self, perm: Perm | None = None) -> Document:
        """The document if the user may read it (404 otherwise): their registers' and those sent to
        their units for study. With `perm`, the user must hold it at the register's unit (403)."""
        visible = selectors.visible_documents(self.request.user).select_related("unit")
        return obtain(visible, user=self.request.user, do=perm, pk=self.kwargs["pk"])

    def document_data(self, pk: int) -> dict:
        document = Document.objects.select_related("unit").get(pk=pk)
        context = {
            "request": self.request,
            "relations": selectors.relations_of(self.request.user, document),
            "may_manage": policy.can(self.request.user, Perm.DOCUMENT_MANAGE, document.unit),
        }
        return s.DocumentDetailOutput(document, context=context).data

    # --- reading ------------------------------------------------------------------------------

    @extend_schema(parameters=[s.DocumentListParams], responses=s.DocumentOutput(many=True))
    def list(self, request):
        """Documents, newest first: accent-free search and filters by type, direction, year, unit, dates."""
        params = query_params(s.DocumentListParams, request)
        qs = selectors.search(
            request.user,
            params.get("q", ""),
            doc_type=params.get("type", ""),
            direction=params.get("direction", ""),
            year=params.get("year"),
        )
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            qs = qs.none() if unit is None else org_selectors.in_subtree(qs, unit.path, field="unit__path")
        if params.get("issued_from"):
            qs = qs.filter(issued_on__gte=params["issued_from"])
        if params.get("issued_to"):
            qs = qs.filter(issued_on__lte=params["issued_to"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.DocumentOutput(page, many=True).data)

    @extend_schema(responses=s.DocumentDetailOutput)
    def retrieve(self, request, pk: str):
        """The document with its text, original file, attachments and relations both ways."""
        return Response(self.document_data(self.get_object().pk))

    # --- registering and correcting -----------------------------------------------------------

    def _save(self, request, document: Document | None, *, partial: bool = False):
        data = _input(s.DocumentInput, request, partial=partial)
        values = DocumentForm.initial_of(document) if document is not None else {}
        values.update(data)
        policy.require(request.user, Perm.DOCUMENT_MANAGE, values["unit"])  # the register it goes to
        spec = services.DocumentSpec(**{name: values.get(name, "") for name in _SPEC_FIELDS})
        return services.document_save(spec=spec, by=request.user, document=document)

    @extend_schema(request=s.DocumentInput, responses={201: s.DocumentDetailOutput})
    def create(self, request):
        """Register a document in a unit's register (DOCUMENT_MANAGE at the unit)."""
        document = self._save(request, None)
        return Response(self.document_data(document.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DocumentInput, responses=s.DocumentDetailOutput)
    def update(self, request, pk: str):
        """Correct a document: every field is given again."""
        document = self._save(request, self.get_object(Perm.DOCUMENT_MANAGE))
        return Response(self.document_data(document.pk))

    @extend_schema(request=s.DocumentInput, responses=s.DocumentDetailOutput)
    def partial_update(self, request, pk: str):
        """Correct a document: the fields left out keep their values."""
        document = self._save(request, self.get_object(Perm.DOCUMENT_MANAGE), partial=True)
        return Response(self.document_data(document.pk))

    # --- files --------------------------------------------------------------------------------

    @extend_schema(
        request={"multipart/form-data": s.FileInput},
        responses={200: s.ParsedDocumentOutput},
    )
    @action(detail=False, methods=["post"], parser_classes=[parsers.MultiPartParser], throttle_scope="parse")
    def parse(self, request):
        """Read the fields of a .txt, .docx or .pdf document, as `danvan parse-document --json`. Saves nothing."""
        data = _input(s.FileInput, request)
        upload = _checked(data["file"], files.import_rules())
        try:
            text = extract.text_of(upload.name, upload.content)
        except DjangoValidationError as error:
            raise DjangoValidationError({"file": error.messages}) from None
        return Response(parsing.parse(text).as_dict())

    @extend_schema(request={"multipart/form-data": s.FileInput}, responses={201: s.AttachmentOutput})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def attachments(self, request, pk: str):
        """Attach a file to the document (PDF, Word, Excel, text, JPEG or PNG, within the size limit)."""
        document = self.get_object(Perm.DOCUMENT_MANAGE)
        data = _input(s.FileInput, request)
        upload = _checked(data["file"], files.attachment_rules())
        attachment = services.attachment_add(document=document, upload=upload, by=request.user)
        return Response(
            s.AttachmentOutput(attachment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    # --- dissemination ------------------------------------------------------------------------

    @extend_schema(tags=["dissemination"], request=s.SendInput, responses=s.SendOutput)
    @action(detail=True, methods=["post"])
    def send(self, request, pk: str):
        """Send the document for study to units below its unit: by code, type, group or subtree."""
        document = self.get_object(Perm.DOCUMENT_MANAGE)
        data = _input(s.SendInput, request)
        subtree = data["subtree"]
        if subtree is not None and not dissemination.candidates(document).filter(unit=subtree).exists():
            raise DjangoValidationError(
                {
                    "subtree": _(
                        "%(unit)s is not an active unit under the unit that holds the document: "
                        "it cannot receive it."
                    )
                    % {"unit": subtree.name}
                }
            )
        chosen = dissemination.choose(
            document,
            units=data["units"],
            unit_type=data["unit_type"].code if data["unit_type"] else "",
            group=data["group"].code if data["group"] else "",
            subtree=subtree,
        )
        # Units named one by one that cannot receive it go to the service, which says why.
        named = {unit.pk: unit for unit in data["units"]}
        units = {unit.pk: unit for unit in chosen}
        for pk_, unit in named.items():
            units.setdefault(pk_, unit)
        result = dissemination.send(
            document=document,
            units=sorted(units.values(), key=lambda unit: unit.path),
            by=request.user,
            study_due=data["study_due"],
        )
        sent = Delivery.objects.filter(pk__in=[d.pk for d in result.sent]).select_related(
            "document__unit", "unit"
        )
        output = {"sent": sent.order_by("unit__path"), "skipped": result.skipped}
        return Response(s.SendOutput(output, context={"today": _today()}).data)

    @extend_schema(tags=["dissemination"], parameters=[s.CoverageParams], responses=s.CoverageOutput)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk: str):
        """The study of the document below a unit: per branch and in total, units and people."""
        document = self.get_object(Perm.DOCUMENT_VIEW)  # at the register: not for a unit it was sent to
        params = query_params(s.CoverageParams, request)
        parent = document.unit
        code = (params.get("parent") or "").strip()
        if code:  # a unit outside the document's tree or the user's scope answers like an unknown code
            parent = unit_by_code(code)
            if (
                parent is None
                or not policy.can(request.user, Perm.DOCUMENT_VIEW, parent)
                or not parent.path.startswith(document.unit.path)
            ):
                raise DjangoValidationError({"parent": _unknown_unit(code)})
        cover = dissemination.coverage(document, parent)
        below = org_selectors.in_subtree(document.deliveries.all(), parent.path, field="unit__path")
        overdue = dissemination.overdue(below.select_related("document__unit", "unit")).order_by("unit__path")
        return Response(
            s.CoverageOutput({"cover": cover, "overdue": overdue}, context={"today": _today()}).data
        )


_SPEC_FIELDS = [
    "unit",
    "direction",
    "doc_type",
    "number_symbol",
    "issuer",
    "issued_on",
    "subject",
    "parent_issuer",
    "place",
    "addressees",
    "recipients",
    "signing_authority",
    "signing_for",
    "signer_title",
    "signer",
    "body",
]


@extend_schema(tags=["dissemination"])
class DeliveryViewSet(mixins.ListModelMixin, AuditedViewSet):
    """Documents sent to units for study: receipt, study sessions, overdue study."""

    serializer_class = s.DeliveryOutput
    queryset = Delivery.objects.none()
    lookup_value_regex = r"\d+"
    permission_classes = [HoldsPerm]
    required_perm = Perm.DOCUMENT_VIEW

    def get_object(self, perm: Perm | None = None) -> Delivery:
        """The delivery if the user may see it (404 otherwise); acting needs `perm` at the recipient (403)."""
        visible = dissemination.visible_deliveries(self.request.user).select_related("document__unit", "unit")
        return obtain(visible, user=self.request.user, do=perm, pk=self.kwargs["pk"])

    def delivery_data(self, pk: int) -> dict:
        delivery = Delivery.objects.select_related("document__unit", "unit").get(pk=pk)
        context = {
            "today": _today(),
            "may_act": policy.can(self.request.user, Perm.DOCUMENT_MANAGE, delivery.unit),
        }
        return s.DeliveryDetailOutput(delivery, context=context).data

    @extend_schema(parameters=[s.DeliveryListParams], responses=s.DeliveryOutput(many=True))
    def list(self, request):
        """Deliveries the user may see, the ones still to study first; `to_study=true`: my units' only."""
        params = query_params(s.DeliveryListParams, request)
        if params["to_study"]:
            qs = dissemination.to_study(request.user)
        else:
            qs = dissemination.visible_deliveries(request.user).order_by(
                F("studied_on").asc(nulls_first=True), "study_due", "-sent_on", "id"
            )
        qs = qs.select_related("document__unit", "unit")
        today = _today()
        if params["overdue"] is True:
            qs = dissemination.overdue(qs, today)
        elif params["overdue"] is False:
            qs = qs.exclude(pk__in=dissemination.overdue(Delivery.objects.all(), today).values("pk"))
        if params["studied"] is not None:
            qs = qs.filter(studied_on__isnull=not params["studied"])
        if params.get("document"):
            qs = qs.filter(document_id=params["document"])
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            qs = qs.none() if unit is None else org_selectors.in_subtree(qs, unit.path, field="unit__path")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.DeliveryOutput(page, many=True, context={"today": today}).data)

    @extend_schema(responses=s.DeliveryDetailOutput)
    def retrieve(self, request, pk: str):
        """The delivery with its study sessions."""
        return Response(self.delivery_data(self.get_object().pk))

    @extend_schema(request=None, responses=s.DeliveryDetailOutput)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk: str):
        """Acknowledge receipt (DOCUMENT_MANAGE at the recipient unit); the first acknowledgment is kept."""
        delivery = self.get_object(Perm.DOCUMENT_MANAGE)
        dissemination.acknowledge(delivery=delivery, by=request.user)
        return Response(self.delivery_data(delivery.pk))

    @extend_schema(request=s.SessionInput, responses={201: s.DeliveryDetailOutput})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk: str):
        """Record a study session of the recipient unit (it acknowledges receipt too)."""
        delivery = self.get_object(Perm.DOCUMENT_MANAGE)
        data = _input(s.SessionInput, request)
        dissemination.session_record(
            delivery=delivery,
            held_on=data["held_on"],
            form=data["form"],
            participants=data["participants"],
            expected=data["expected"],
            note=data["note"],
            by=request.user,
        )
        return Response(self.delivery_data(delivery.pk), status=status.HTTP_201_CREATED)
