"""Serializers of the action programmes API: input serializers that parse shapes, plain outputs.

The services (`services.programme_create`, `task_save`, `progress_report`) decide what is allowed and say
why not in Vietnamese: a lead or coordinating unit outside the programme unit's tree, a day that does
not exist every year (29/02, 31/04), a file of the wrong type or too big, a link that is not a web
address. So text fields are optional here and an empty one gets the service's message.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from danvan.core.api import DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import OVERDUE, DueRule, Occurrence, ProgressUpdate, RelativeBase, State, Task, TaskKind
from .selectors import Progress, progress


def _date(help_text=None) -> DateField:
    return DateField(required=False, allow_null=True, default=None, help_text=help_text)


# --- query parameters ---------------------------------------------------------------------------


class ProgrammeListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the programmes of its whole subtree.")
    )
    document = serializers.IntegerField(
        required=False, min_value=1, max_value=10**18, help_text=_("Id of the document they implement.")
    )


class OccurrenceListParams(serializers.Serializer):
    state = serializers.ChoiceField(
        required=False,
        choices=State.choices,
        help_text=_("Only this state; without it, the open ones (not done)."),
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: the due date has passed and it is not done; false: the others."),
    )
    programme = serializers.IntegerField(required=False, min_value=1, max_value=10**18)
    lead = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: tasks led by a unit of its subtree.")
    )
    due_until = DateField(
        required=False, help_text=_("Due on or before this day (those without a date too).")
    )


# --- input --------------------------------------------------------------------------------------


class ProgrammeCreateInput(serializers.Serializer):
    document = serializers.IntegerField(
        min_value=1, max_value=10**18, help_text=_("Id of the registered document the programme implements.")
    )
    unit = UnitCodeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Code of the unit whose programme it is (default: the unit that holds the document)."),
    )
    title = TextField(trim_whitespace=False, help_text=_("Default: “Action programme: number — subject”."))
    starts_on = _date(_("The programme's first day (default: today; not before the document's date)."))


class TaskInput(serializers.Serializer):
    """A task of a programme. A field left out of a PATCH keeps the task's value."""

    text = TextField(trim_whitespace=False, help_text=_("What is to be done."))
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False, default=TaskKind.TASK)
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The target in per cent, for a target."),
    )
    lead = UnitCodeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Code of the lead unit, within the programme unit's tree; null: to be chosen."),
    )
    lead_text = TextField(trim_whitespace=False, help_text=_("The lead as the document wrote it."))
    coordinating = serializers.ListField(
        child=UnitCodeField(),
        required=False,
        default=list,
        max_length=200,
        help_text=_("Codes of the coordinating units, within the programme unit's tree."),
    )
    coordinating_text = serializers.ListField(
        child=TextField(required=True), required=False, default=list, max_length=200
    )
    rule = serializers.ChoiceField(choices=DueRule.choices, required=False, default=DueRule.NONE)
    due_on = _date(_("The due date (rule “fixed”)."))
    day = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=31,
        help_text=_("Day of the deadline (rules “annual” and “semiannual”), e.g. 15 for 15/12."),
    )
    month = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=12,
        help_text=_("Month of the deadline (rules “annual” and “semiannual”), e.g. 12 for 15/12."),
    )
    relative_base = serializers.ChoiceField(
        choices=RelativeBase.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "What a relative rule counts from: a date, the document's date, the programme's start or "
            "another task's deadline (default: the task if one is given, else the date)."
        ),
    )
    relative_to = _date(_("The date counted from (rule “relative”)."))
    relative_task = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=10**18,
        help_text=_("Id of the task of this programme whose deadline is counted from."),
    )
    relative_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Days after that date (rule “relative”)."),
    )


class ProgressInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False, allow_blank=True, default="")
    text = TextField(trim_whitespace=False, help_text=_("What has been done."))
    links = serializers.ListField(
        child=TextField(required=True),
        required=False,
        default=list,
        max_length=100,
        help_text=_("Web addresses of records (http:// or https://)."),
    )
    file = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        allow_empty_file=True,
        use_url=False,
        help_text=_("Evidence: PDF, Word, Excel, text, JPEG or PNG (multipart/form-data)."),
    )


# --- output -------------------------------------------------------------------------------------


class ProgressSummaryOutput(serializers.Serializer):
    """Over the occurrences due by today, those without a deadline and those already done."""

    total = serializers.IntegerField()
    done = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text=_("Done by their due date."))
    overdue = serializers.IntegerField()
    upcoming = serializers.IntegerField(help_text=_("Deadlines still ahead (not counted in the total)."))
    done_share = serializers.FloatField(allow_null=True, help_text=_("Done / total, in per cent."))
    on_time_share = serializers.FloatField(allow_null=True, help_text=_("On time / done, in per cent."))


class OccurrenceBriefOutput(serializers.ModelSerializer):
    state = serializers.CharField(help_text=_("not_started, in_progress or done."))
    status = serializers.SerializerMethodField(help_text=_("The state, or “overdue”."))

    class Meta:
        model = Occurrence
        fields = ["id", "due_on", "state", "status", "done_on"]

    def get_status(self, occurrence) -> str:
        return occurrence.status(self.context.get("today"))


class TaskOutput(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="programme_id")
    kind = serializers.CharField(help_text=_("task (an assignment) or target."))
    percent = serializers.FloatField(allow_null=True)
    lead = serializers.CharField(source="lead.code", allow_null=True, default=None)
    lead_name = serializers.CharField(source="lead.name", allow_null=True, default=None)
    coordinating = serializers.SerializerMethodField(help_text=_("Codes of the coordinating units."))
    coordinating_text = serializers.ListField(child=serializers.CharField())
    rule_display = serializers.CharField(source="get_rule_display")
    rule_text = serializers.CharField(help_text=_("The due rule in words."))
    relative_task = serializers.IntegerField(source="relative_task_id", allow_null=True)
    occurrences = OccurrenceBriefOutput(many=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "programme",
            "order",
            "kind",
            "text",
            "percent",
            "lead",
            "lead_name",
            "lead_text",
            "coordinating",
            "coordinating_text",
            "rule",
            "rule_display",
            "due_on",
            "day",
            "month",
            "relative_base",
            "relative_to",
            "relative_task",
            "relative_days",
            "rule_text",
            "occurrences",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_coordinating(self, task) -> list[str]:
        return [unit.code for unit in task.coordinating.all()]


class ProgrammeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    document = serializers.IntegerField(source="document_id", allow_null=True)
    document_number_symbol = serializers.CharField(
        source="document.number_symbol", allow_null=True, default=None
    )
    title = serializers.CharField()
    starts_on = serializers.DateField()
    created_at = serializers.DateTimeField()
    progress = serializers.SerializerMethodField()

    @extend_schema_field(ProgressSummaryOutput)
    def get_progress(self, programme):
        # A list passes every programme's progress at once (`progress_by_programme`, one query);
        # a programme without any occurrence is missing from it and has nothing to count.
        known = self.context.get("progress")
        if known is not None:
            summary = known.get(programme.pk) or Progress(total=0, done=0, on_time=0, overdue=0)
        else:
            summary = progress(programme, self.context.get("today"))
        return ProgressSummaryOutput(
            {
                "total": summary.total,
                "done": summary.done,
                "on_time": summary.on_time,
                "overdue": summary.overdue,
                "upcoming": summary.upcoming,
                "done_share": round(summary.done_share, 1) if summary.done_share is not None else None,
                "on_time_share": round(summary.on_time_share, 1)
                if summary.on_time_share is not None
                else None,
            }
        ).data


class ProgrammeDetailOutput(ProgrammeOutput):
    tasks = TaskOutput(many=True)
    may_manage = serializers.SerializerMethodField(
        help_text=_("Whether the user may change the programme and its tasks.")
    )

    def get_may_manage(self, programme) -> bool:
        return bool(self.context.get("may_manage"))


class EvidenceOutput(serializers.Serializer):
    name = serializers.CharField(source="file_name")
    content_type = serializers.CharField(source="file_type")
    size = serializers.IntegerField(source="file_size", allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("Download address (the programmes' page)."))

    def get_url(self, update) -> str:
        url = reverse("programmes:evidence", args=[update.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ProgressUpdateOutput(serializers.ModelSerializer):
    state = serializers.CharField(help_text=_("not_started, in_progress or done."))
    by = serializers.IntegerField(source="by_id", allow_null=True, help_text=_("User id."))
    links = serializers.ListField(child=serializers.CharField())
    file = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "state", "text", "links", "file", "reported_on", "by", "created_at"]

    @extend_schema_field(EvidenceOutput(allow_null=True))
    def get_file(self, update):
        return EvidenceOutput(update, context=self.context).data if update.file else None


class OccurrenceOutput(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id")
    task_text = serializers.CharField(source="task.text")
    kind = serializers.CharField(source="task.kind")
    programme = serializers.IntegerField(source="task.programme_id")
    programme_title = serializers.CharField(source="task.programme.title")
    unit = serializers.CharField(
        source="task.programme.unit.code", help_text=_("Code of the programme's unit.")
    )
    lead = serializers.CharField(source="task.lead.code", allow_null=True, default=None)
    lead_name = serializers.CharField(source="task.lead.name", allow_null=True, default=None)
    state = serializers.CharField(help_text=_("not_started, in_progress or done."))
    state_display = serializers.CharField(source="get_state_display")
    status = serializers.SerializerMethodField(help_text=_("The state, or “overdue”."))
    overdue = serializers.SerializerMethodField()
    on_time = serializers.BooleanField(help_text=_("Done by its due date."))

    class Meta:
        model = Occurrence
        fields = [
            "id",
            "task",
            "task_text",
            "kind",
            "programme",
            "programme_title",
            "unit",
            "lead",
            "lead_name",
            "due_on",
            "state",
            "state_display",
            "status",
            "overdue",
            "done_on",
            "on_time",
            "updated_at",
        ]

    def get_status(self, occurrence) -> str:
        return occurrence.status(self.context.get("today"))

    def get_overdue(self, occurrence) -> bool:
        return occurrence.status(self.context.get("today")) == OVERDUE


class OccurrenceDetailOutput(OccurrenceOutput):
    updates = serializers.SerializerMethodField(help_text=_("The progress reported, oldest first."))
    may_report = serializers.SerializerMethodField(help_text=_("Whether the user may report progress."))

    class Meta(OccurrenceOutput.Meta):
        fields = [*OccurrenceOutput.Meta.fields, "updates", "may_report"]

    @extend_schema_field(ProgressUpdateOutput(many=True))
    def get_updates(self, occurrence):
        return ProgressUpdateOutput(occurrence.updates.all(), many=True, context=self.context).data

    def get_may_report(self, occurrence) -> bool:
        return bool(self.context.get("may_report"))
