"""Forms of the action programme pages; the services validate again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DueRule, State


class TaskForm(forms.Form):
    text = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    lead = forms.ChoiceField(label=_("Lead unit"), required=False)
    coordinating = forms.MultipleChoiceField(label=_("Coordinating units"), required=False)
    rule = forms.ChoiceField(label=_("Due rule"), choices=DueRule.choices)
    due_on = forms.DateField(label=_("Due date"), required=False)
    day_month = forms.CharField(
        label=_("Day of the year (dd/mm)"), required=False, max_length=5, help_text=_("For example 15/12.")
    )
    relative_to = forms.DateField(label=_("Counted from"), required=False)
    relative_days = forms.IntegerField(label=_("Days after"), required=False, min_value=1, max_value=3660)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(unit.pk), unit.name) for unit in units]
        self.fields["lead"].choices = [("", _("— to be chosen —")), *choices]
        self.fields["coordinating"].choices = choices

    def clean_day_month(self):
        value = (self.cleaned_data.get("day_month") or "").strip()
        if not value:
            return None
        parts = value.replace("-", "/").split("/")
        if len(parts) != 2 or not all(part.strip().isdigit() for part in parts):
            raise forms.ValidationError(_("Write the day as dd/mm, for example 15/12."))
        return int(parts[0]), int(parts[1])


class ProgressForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=State.choices)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    links = forms.CharField(
        label=_("Links to records"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address per line."),
    )
    file = forms.FileField(label=_("Evidence file"), required=False)


def attach_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationError on the form's fields (or the form when the field is not on it)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = {"day": "day_month"}.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
