"""Forms of the training register's pages; the services validate again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.core.text import check_text
from danvan.orgs.fields import UnitChoiceField, for_user

from .specs import AttendeeSpec

LIST_LINES_MAX = 2000


class ClassForm(forms.Form):
    service_fields = {"attendees": "attendees"}
    unit = UnitChoiceField(label=_("Organising unit"), perm=Perm.ACTIVITY_RECORD)
    title = TextField(label=_("Title of the class"), max_length=300)
    topic = TextField(label=_("Topic"), required=False, max_length=500)
    organiser = TextField(
        label=_("Organised by"),
        required=False,
        max_length=255,
        help_text=_("In words, e.g. Ban Dân vận Đảng ủy Khối with the Sở Tư pháp."),
    )
    held_on = DateField(label=_("First day (dd/mm/yyyy)"))
    ended_on = DateField(
        label=_("Last day (dd/mm/yyyy)"), required=False, help_text=_("Empty: a one-day class.")
    )
    place = TextField(label=_("Place"), required=False, max_length=255)
    participants = forms.IntegerField(label=_("Number of participants"), min_value=0, max_value=100_000)
    attendees = TextField(
        label=_("List of participants (optional)"),
        required=False,
        rows=6,
        max_length=200_000,
        help_text=_("One person per line: full name; position; unit. The number above counts at least them."),
    )
    notes = TextField(label=_("Notes"), required=False, rows=3, max_length=5000)

    def __init__(self, *args, user, keep=(), **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user, keep=keep)

    def clean_attendees(self) -> list[AttendeeSpec]:
        text = self.cleaned_data.get("attendees") or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > LIST_LINES_MAX:
            raise forms.ValidationError(
                _("The list can name at most %(max)s participants.") % {"max": LIST_LINES_MAX}
            )
        people = []
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.split(";")]
            if len(parts) > 3:
                raise forms.ValidationError(
                    _("Line %(number)s has more than three parts: write full name; position; unit.")
                    % {"number": number}
                )
            parts += [""] * (3 - len(parts))
            if not parts[0]:
                raise forms.ValidationError(_("Line %(number)s has no name.") % {"number": number})
            try:
                name, position, unit_name = (check_text(part, limit=255) for part in parts)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Line %(number)s: %(message)s") % {"number": number, "message": error.messages[0]}
                ) from error
            people.append(AttendeeSpec(name=name, position=position, unit_name=unit_name))
        return people


def attendees_text(training_class) -> str:
    """The class's list as the form shows it: one person per line (full name; position; unit)."""
    lines = []
    for person in training_class.attendees.all():
        parts = [person.name, person.position, person.unit_name]
        while parts and not parts[-1]:
            parts.pop()
        lines.append("; ".join(parts))
    return "\n".join(lines)


class FilterForm(forms.Form):
    """The list's filters: a unit (its subtree, or itself with below=0), a year, first days from/to."""

    unit = UnitChoiceField(label=_("Unit"), perm=Perm.ACTIVITY_VIEW, required=False, help_text="")
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=9999)
    below = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(label=_("From (first day)"), required=False, help_text="")
        self.fields["to"] = DateField(label=_("To (first day)"), required=False, help_text="")
        for_user(self, user)

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end of the range is before its start."))
        return data
