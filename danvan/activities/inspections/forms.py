"""Forms of the inspection pages; the services validate again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField, UnitsChoiceField

from .models import Kind, RemedyState, State
from .selectors import STATE_FILTERS


class InspectionForm(forms.Form):
    unit = UnitChoiceField(label=_("Inspecting unit"), perm=Perm.ACTIVITY_RECORD)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = TextField(label=_("Programme title"), max_length=300)
    reference = TextField(
        label=_("Plan document"),
        required=False,
        max_length=300,
        help_text=_("Number and date of the plan, for example: Kế hoạch số 12-KH/ĐUK ngày 10/02/2026."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    starts_on = DateField(label=_("Planned from"))
    ends_on = DateField(label=_("Planned to"))
    units = UnitsChoiceField(
        label=_("Inspected units"),
        perm=Perm.ACTIVITY_RECORD,
        help_text=_("Units below the inspecting unit; type part of a name, then choose it in the list."),
    )


class InspectionEditForm(InspectionForm):
    state = forms.ChoiceField(label=_("State"), choices=State.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]  # the inspecting unit of a programme does not change


class FindingsForm(forms.Form):
    conducted_on = DateField(label=_("Conducted on"))
    strengths = TextField(label=_("Strengths"), rows=4, required=False, max_length=10000)
    shortcomings = TextField(label=_("Shortcomings"), rows=4, required=False, max_length=10000)
    conclusion = TextField(label=_("Conclusion"), rows=4, max_length=10000)


class RemedyForm(forms.Form):
    content = TextField(label=_("Recommendation or remedy required"), rows=3, max_length=10000)
    due_on = DateField(label=_("Deadline"))


class FollowUpForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=RemedyState.choices)
    remedied_on = DateField(label=_("Remedied on"), required=False)
    result = TextField(label=_("Result of the remedy"), rows=4, required=False, max_length=10000)


class RemedyFilterForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), perm=Perm.ACTIVITY_VIEW, required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *STATE_FILTERS], required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
