"""Forms of the reception pages. They check the shape of the input; services.py checks the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.core.dates import day_text
from danvan.core.forms import DateField, TextField

from .models import Entry, Handling, ReceptionDay

HANDLING_CHOICES = [("", _("Not decided yet")), *Handling.choices]


LINE_MAX = 300  # one line of the register: an address, an agency


def transfer_to_field() -> TextField:
    """Where a submission was transferred: on the entry form and on the handling form."""
    return TextField(
        label=_("Transferred to"),
        required=False,
        max_length=LINE_MAX,
        help_text=_("The competent agency, organisation or unit."),
    )


class EntryForm(forms.Form):
    # Who came: masked in error reports (sensitive_post_parameters on the view).
    IDENTITY_FIELDS = ("name", "address", "id_number", "id_issued_on", "id_issued_by", "representatives")

    received_on = DateField(label=_("Date of reception"))
    anonymous = forms.BooleanField(
        label=_("The citizen does not give a name (feedback and suggestions only)"), required=False
    )
    name = TextField(label=_("Full name"), required=False, max_length=150)
    address = TextField(label=_("Address"), required=False, max_length=LINE_MAX)
    id_number = TextField(
        label=_("Identity document number"),
        required=False,
        max_length=40,
        help_text=_("Citizen identity card, ID card or passport."),
    )
    id_issued_on = DateField(label=_("Issued on"), required=False)
    id_issued_by = TextField(label=_("Issued by"), required=False, max_length=LINE_MAX)
    people_count = forms.IntegerField(label=_("Number of people"), initial=1)
    representatives = TextField(
        label=_("Other representatives of the group"),
        required=False,
        rows=3,
        help_text=_("One name per line; the citizen named above is the first representative."),
    )
    kind = forms.ChoiceField(label=_("Classification"), choices=Entry._meta.get_field("kind").choices)
    content = TextField(label=_("Content of the matter"), required=False, rows=5)
    previous_authority = TextField(
        label=_("Agency that already handled it"),
        required=False,
        max_length=LINE_MAX,
        help_text=_("If the matter was already handled somewhere."),
    )
    receiver = TextField(label=_("Received by"), max_length=150)
    leader_day = forms.ModelChoiceField(
        label=_("Leader's reception day"),
        queryset=ReceptionDay.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    handling = forms.ChoiceField(label=_("Handling"), choices=HANDLING_CHOICES, required=False)
    transfer_to = transfer_to_field()
    guidance = TextField(label=_("Guidance given"), required=False, rows=3)
    note = TextField(label=_("Note"), required=False, rows=3)

    def __init__(self, *args, days=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_day"].queryset = days if days is not None else ReceptionDay.objects.none()
        self.fields["leader_day"].label_from_instance = lambda day: (
            f"{day_text(day.date)} – {day.leader_name}, {day.leader_position}"
        )

    def representative_names(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("representatives", "").splitlines() if line.strip()
        ]


class HandleForm(forms.Form):
    handling = forms.ChoiceField(label=_("Handling"), choices=Handling.choices)
    transfer_to = transfer_to_field()
    guidance = TextField(label=_("Guidance given"), required=False, rows=3)


class FollowUpForm(forms.Form):
    result = TextField(label=_("Follow-up of the result"), required=False, rows=3)
    note = TextField(label=_("Note"), required=False, rows=3)


class PeriodForm(forms.Form):
    """The register's period: a year, or a range of dates."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=1995, max_value=2100)
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise ValidationError(_("Give both dates of the range, or a year."))
        if start and end and end < start:
            raise ValidationError(_("The range cannot end before it starts."))
        if start and end and (end - start).days > 3660:
            raise ValidationError(_("Choose a range of at most ten years."))
        return data


class DayPlanForm(forms.Form):
    date = DateField(label=_("Date"))
    leader_name = TextField(label=_("Leader"), max_length=150)
    leader_position = TextField(label=_("Position"), max_length=150)
    place = TextField(label=_("Place"), max_length=LINE_MAX)


class DayLogForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Was the reception day held?"),
        choices=[("yes", _("Yes, it was held")), ("no", _("No, it was not held"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    citizens = forms.IntegerField(label=_("Citizens received"), required=False)
    note = TextField(label=_("Note"), required=False, rows=3)


class SettingForm(forms.Form):
    commune_level = forms.BooleanField(
        label=_("Commune level: the leader receives citizens at least one day a week"), required=False
    )
