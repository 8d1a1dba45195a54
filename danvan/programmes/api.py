"""The action programmes API (`/api/v1/programmes/`, `/api/v1/tasks/`, `/api/v1/occurrences/`).

The same rules as the programmes' pages (views.py), through the same services and selectors:

- A programme is seen with DOCUMENT_VIEW at its unit (`selectors.programmes_for`), created and changed
  (its tasks too) with DOCUMENT_MANAGE there. An occurrence is seen by the programme unit's people and
  by the lead unit's (`selectors.occurrences_for`); progress is reported with DOCUMENT_MANAGE at the
  programme's unit or at the task's lead unit. A user who holds DOCUMENT_VIEW nowhere gets 403
  everywhere; a record outside the scope answers 404, like one that does not exist; a record the user
  sees without the right to change it answers 403.
- A unit named in a body field (the programme's unit, a lead, coordinating units) is looked up among
  the units the user may see (DOCUMENT_VIEW): one outside that scope gets the "no unit with code"
  message, like an unknown code. A document named by id is looked up among the visible documents.
- The services say what the data must satisfy (a lead within the programme unit's tree, a day that
  exists every year, an evidence file of an accepted type and size, web addresses): 400 with their
  Vietnamese messages, nothing saved.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.permissions import HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import JSONParser, narrow_references, query_params
from danvan.directives.selectors import visible_documents
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit
from danvan.orgs.selectors import unit_by_code

from . import selectors, services, specs
from . import serializers as s
from .models import Occurrence, Programme, State, Task

_TASK_FIELDS = [
    "text",
    "lead",
    "lead_text",
    "coordinating",
    "coordinating_text",
    "kind",
    "percent",
    "rule",
    "due_on",
    "day",
    "month",
    "relative_base",
    "relative_to",
    "relative_task",
    "relative_days",
]


def _today():
    return timezone.localdate()


def _input(serializer_class, request, *, partial: bool = False) -> dict:
    """The validated body; every unit code in it is looked up among the units the user may see."""

    def narrow(qs: QuerySet) -> QuerySet:
        return policy.scope(request.user, Perm.DOCUMENT_VIEW, qs, field="path") if qs.model is Unit else qs

    serializer = serializer_class(data=request.data, partial=partial)
    narrow_references(serializer, narrow)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _may_report(user, task: Task) -> bool:
    """Progress is reported by the managers of the programme's unit or of the lead unit, or its reporter."""
    return policy.can_report_progress(user, task)


def _task_values(task: Task) -> dict:
    return {
        "text": task.text,
        "lead": task.lead,
        "lead_text": task.lead_text,
        "coordinating": list(task.coordinating.all()),
        "coordinating_text": list(task.coordinating_text or []),
        "kind": task.kind,
        "percent": task.percent,
        "rule": task.rule,
        "due_on": task.due_on,
        "day": task.day,
        "month": task.month,
        "relative_base": task.relative_base,
        "relative_to": task.relative_to,
        "relative_task": task.relative_task,
        "relative_days": task.relative_days,
    }


def _spec(programme: Programme, data: dict, task: Task | None = None) -> specs.TaskSpec:
    """The TaskSpec of `data` over the task's current values (PATCH); `relative_task` is an id of a
    task of the same programme (another programme's task is not looked up at all)."""
    data = dict(data)
    if data.get("relative_task") is not None:
        other = programme.tasks.filter(pk=data["relative_task"]).first()
        if other is None:
            raise DjangoValidationError({"relative_task": _("Choose a task of this programme.")})
        data["relative_task"] = other
    values = _task_values(task) if task is not None else {}
    if task is not None and "relative_base" not in data and ({"relative_to", "relative_task"} & set(data)):
        values["relative_base"] = ""  # read again from what is given now
    values.update(data)
    return specs.TaskSpec(**{name: values[name] for name in _TASK_FIELDS if name in values})


class _DocumentViewRequired:
    """Every endpoint here needs DOCUMENT_VIEW somewhere (403 otherwise)."""

    permission_classes = [HoldsPerm]
    required_perm = Perm.DOCUMENT_VIEW


def _task_data(request, pk: int) -> dict:
    task = Task.objects.select_related("lead").prefetch_related("coordinating", "occurrences").get(pk=pk)
    return s.TaskOutput(task, context={"today": _today(), "request": request}).data


@extend_schema(tags=["programmes"])
class ProgrammeViewSet(_DocumentViewRequired, mixins.ListModelMixin, AuditedViewSet):
    """Action programmes of the units the user may see, with their tasks and progress."""

    serializer_class = s.ProgrammeOutput
    queryset = Programme.objects.none()
    lookup_value_regex = r"\d+"
    action_perms = {"create": Perm.DOCUMENT_MANAGE}

    def get_object(self, perm: Perm | None = None) -> Programme:
        """The programme if the user may see it (404 otherwise) and holds `perm` at its unit (403)."""
        return obtain(
            selectors.programmes_for(self.request.user), user=self.request.user, do=perm, pk=self.kwargs["pk"]
        )

    def programme_data(self, pk: int) -> dict:
        programme = (
            Programme.objects.select_related("unit", "document")
            .prefetch_related("tasks__lead", "tasks__coordinating", "tasks__occurrences")
            .get(pk=pk)
        )
        context = {
            "today": _today(),
            "request": self.request,
            "may_manage": policy.can(self.request.user, Perm.DOCUMENT_MANAGE, programme.unit),
        }
        return s.ProgrammeDetailOutput(programme, context=context).data

    @extend_schema(parameters=[s.ProgrammeListParams], responses=s.ProgrammeOutput(many=True))
    def list(self, request):
        """Programmes, newest first, each with its progress (done / total, on time, overdue)."""
        params = query_params(s.ProgrammeListParams, request)
        qs = selectors.programmes_for(request.user)
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            qs = qs.none() if unit is None else org_selectors.in_subtree(qs, unit.path, field="unit__path")
        if params.get("document"):
            qs = qs.filter(document_id=params["document"])
        page = self.paginate_queryset(qs.select_related("unit", "document").order_by("-starts_on", "-id"))
        today = _today()
        counted = selectors.progress_by_programme([programme.pk for programme in page], today)
        return self.get_paginated_response(
            s.ProgrammeOutput(page, many=True, context={"today": today, "progress": counted}).data
        )

    @extend_schema(responses=s.ProgrammeDetailOutput)
    def retrieve(self, request, pk: str):
        """The programme with its tasks, their occurrences and its progress."""
        return Response(self.programme_data(self.get_object().pk))

    @extend_schema(request=s.ProgrammeCreateInput, responses={201: s.ProgrammeDetailOutput})
    def create(self, request):
        """A programme from a registered document: its assignments and targets become tasks."""
        data = _input(s.ProgrammeCreateInput, request)
        document = visible_documents(request.user).select_related("unit").filter(pk=data["document"]).first()
        if document is None:  # the same answer as a document that does not exist
            raise DjangoValidationError(
                {"document": _("There is no document with id %(id)s.") % {"id": data["document"]}}
            )
        unit = data["unit"] or document.unit
        policy.require(request.user, Perm.DOCUMENT_MANAGE, unit)
        programme = services.programme_create(
            document=document, unit=unit, title=data["title"], starts_on=data["starts_on"], by=request.user
        )
        return Response(self.programme_data(programme.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TaskInput, responses={201: s.TaskOutput})
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk: str):
        """Add a task (DOCUMENT_MANAGE at the programme's unit); its occurrences follow its due rule."""
        programme = self.get_object(Perm.DOCUMENT_MANAGE)
        data = _input(s.TaskInput, request)
        task = services.task_save(programme=programme, spec=_spec(programme, data), by=request.user)
        return Response(_task_data(request, task.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["programmes"])
class TaskViewSet(_DocumentViewRequired, AuditedViewSet):
    """A task of a programme: read it, change it (DOCUMENT_MANAGE at the programme's unit)."""

    serializer_class = s.TaskOutput
    queryset = Task.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Task:
        """The task if the user sees its programme or its lead unit (404 otherwise); with `perm`, the
        user must hold it at the programme's unit (403)."""
        user = self.request.user
        return obtain(
            Task.objects.select_related("programme__unit", "lead"),
            user=user,
            see=lambda task: policy.can_on_task(user, Perm.DOCUMENT_VIEW, task),
            do=perm,
            unit=lambda task: task.programme.unit,
            pk=self.kwargs["pk"],
        )

    @extend_schema(responses=s.TaskOutput)
    def retrieve(self, request, pk: str):
        """The task with its occurrences."""
        return Response(_task_data(request, self.get_object().pk))

    def _save(self, request, *, partial: bool) -> Response:
        task = self.get_object(Perm.DOCUMENT_MANAGE)
        data = _input(s.TaskInput, request, partial=partial)
        services.task_save(
            programme=task.programme, spec=_spec(task.programme, data, task), task=task, by=request.user
        )
        return Response(_task_data(request, task.pk))

    @extend_schema(request=s.TaskInput, responses=s.TaskOutput)
    def update(self, request, pk: str):
        """Change the task: every field is given again."""
        return self._save(request, partial=False)

    @extend_schema(request=s.TaskInput, responses=s.TaskOutput)
    def partial_update(self, request, pk: str):
        """Change the task: the fields left out keep their values."""
        return self._save(request, partial=True)


@extend_schema(tags=["programmes"])
class OccurrenceViewSet(_DocumentViewRequired, mixins.ListModelMixin, AuditedViewSet):
    """My units' tasks, one row per deadline: of their programmes, or led by them."""

    serializer_class = s.OccurrenceOutput
    queryset = Occurrence.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self) -> Occurrence:
        return obtain(
            selectors.occurrences_for(self.request.user), user=self.request.user, pk=self.kwargs["pk"]
        )

    def occurrence_data(self, pk: int) -> dict:
        occurrence = Occurrence.objects.select_related("task__programme__unit", "task__lead").get(pk=pk)
        context = {
            "today": _today(),
            "request": self.request,
            "may_report": _may_report(self.request.user, occurrence.task),
        }
        return s.OccurrenceDetailOutput(occurrence, context=context).data

    @extend_schema(parameters=[s.OccurrenceListParams], responses=s.OccurrenceOutput(many=True))
    def list(self, request):
        """By deadline (those without one last): the open ones, or those of the state asked for."""
        params = query_params(s.OccurrenceListParams, request)
        today = _today()
        qs = selectors.occurrences_for(request.user).select_related("task__programme__unit", "task__lead")
        qs = qs.filter(state=params["state"]) if params.get("state") else qs.exclude(state=State.DONE)
        if params["overdue"] is True:
            qs = selectors.overdue(qs, today)
        elif params["overdue"] is False:
            qs = qs.exclude(pk__in=selectors.overdue(Occurrence.objects.all(), today).values("pk"))
        if params.get("programme"):
            qs = qs.filter(task__programme_id=params["programme"])
        if params.get("lead"):
            unit = unit_by_code(params["lead"])
            qs = (
                qs.none()
                if unit is None
                else org_selectors.in_subtree(qs, unit.path, field="task__lead__path")
            )
        if params.get("due_until"):
            qs = qs.exclude(due_on__gt=params["due_until"])
        qs = qs.order_by(Occurrence._meta.ordering[0], "id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.OccurrenceOutput(page, many=True, context={"today": today}).data)

    @extend_schema(responses=s.OccurrenceDetailOutput)
    def retrieve(self, request, pk: str):
        """The occurrence with the progress reported on it."""
        return Response(self.occurrence_data(self.get_object().pk))

    @extend_schema(
        request={"application/json": s.ProgressInput, "multipart/form-data": s.ProgressInput},
        responses={201: s.OccurrenceDetailOutput},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, parsers.MultiPartParser])
    def progress(self, request, pk: str):
        """Report progress with its evidence (text, links, a file); the occurrence takes the state reported."""
        occurrence = self.get_object()
        if not _may_report(request.user, occurrence.task):
            raise PermissionDenied
        data = _input(s.ProgressInput, request)
        services.progress_report(
            occurrence=occurrence,
            state=data["state"],
            text=data["text"],
            links=data["links"],
            file=data["file"],
            by=request.user,
        )
        return Response(self.occurrence_data(occurrence.pk), status=status.HTTP_201_CREATED)
