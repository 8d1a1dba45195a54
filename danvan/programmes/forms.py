"""Forms of the action programme pages; the services validate again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.core.text import whole
from danvan.orgs.fields import UnitChoiceField, UnitsChoiceField, for_user

from .models import DueRule, RelativeBase, State

OUTSIDE_TREE = _("This unit is not in the tree of the programme's unit: choose one of the units offered.")
OUTSIDE_TREE_LINES = _(
    "These units are not in the tree of the programme's unit: %(lines)s. Choose among the units offered."
)


class ProgrammeForm(forms.Form):
    """A new programme from a document (the document itself is looked up by the view, in the user's scope)."""

    unit = UnitChoiceField(
        label=_("Unit of the programme (empty: the document's unit)"),
        perm=Perm.DOCUMENT_MANAGE,
        required=False,
    )
    title = TextField(label=_("Title (optional)"), required=False, max_length=300)
    starts_on = DateField(
        label=_("Starts on (dd/mm/yyyy)"),
        required=False,
        help_text=_("Empty: today. Not before the document's date; no deadline falls before the start."),
    )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=False)


class TaskForm(forms.Form):
    service_fields = {"day": "day_month"}  # the service's recurring day is typed as dd/mm
    text = TextField(label=_("Task"), rows=4, max_length=5000)
    lead = UnitChoiceField(
        label=_("Lead unit"),
        perm=Perm.DOCUMENT_MANAGE,
        required=False,
        error_messages={"unknown": OUTSIDE_TREE},
    )
    coordinating = UnitsChoiceField(
        label=_("Coordinating units"),
        perm=Perm.DOCUMENT_MANAGE,
        required=False,
        error_messages={"unknown_lines": OUTSIDE_TREE_LINES},
    )
    rule = forms.ChoiceField(label=_("Due rule"), choices=DueRule.choices)
    due_on = DateField(label=_("Due date"), required=False, help_text="")
    day_month = forms.CharField(
        label=_("Day of the year (dd/mm)"), required=False, max_length=5, help_text=_("For example 15/12.")
    )
    relative_base = forms.ChoiceField(
        label=_("Counted from"), choices=RelativeBase.choices, required=False, initial=RelativeBase.DATE
    )
    relative_to = DateField(label=_("Date counted from (dd/mm/yyyy)"), required=False, help_text="")
    relative_task = forms.ChoiceField(label=_("Task counted from"), required=False)
    relative_days = forms.IntegerField(label=_("Days after"), required=False, min_value=1, max_value=3660)

    def __init__(self, *args, user, programme, keep=(), tasks=(), **kwargs):
        """The units are chosen in the tree of the programme's unit; those in `keep` (the task's own,
        which may have moved away since) stay acceptable."""
        super().__init__(*args, **kwargs)
        for_user(self, user, within=programme.unit, keep=keep)
        self.fields["relative_task"].choices = [
            ("", "—"),
            *[(str(task.pk), f"{task.order}. {task.text[:90]}") for task in tasks],
        ]

    def clean_day_month(self):
        value = (self.cleaned_data.get("day_month") or "").strip()
        if not value:
            return None
        parts = value.replace("-", "/").split("/")
        numbers = [whole(part, digits=2) for part in parts]
        if len(numbers) != 2 or numbers[0] is None or numbers[1] is None:
            raise forms.ValidationError(_("Write the day as dd/mm, for example 15/12."))
        return numbers[0], numbers[1]


class ProgressForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=State.choices)
    text = TextField(label=_("Progress"), rows=4, max_length=5000)
    links = TextField(
        label=_("Links to records"), required=False, rows=2, help_text=_("One web address per line.")
    )
    file = forms.FileField(label=_("Evidence file"), required=False)
