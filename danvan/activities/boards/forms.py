"""Forms of the People's Inspection Board pages; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField

from .models import MAX_MEMBERS, Office, Role


class BoardForm(forms.Form):
    unit = UnitChoiceField(label=_("Agency"), perm=Perm.ACTIVITY_RECORD)
    starts_on = DateField(label=_("Term starts on"))
    ends_on = DateField(
        label=_("Term ends on"),
        required=False,
        help_text=_("dd/mm/yyyy; left empty: two years after the start (Điều 60, khoản 3)."),
    )
    staff_count = forms.IntegerField(
        label=_("Staff of the agency"),
        min_value=0,
        help_text=_("Cadres, civil servants, public employees and workers of the agency."),
    )
    decision_number = TextField(label=_("Decision number"), required=False, max_length=60)
    decision_on = DateField(label=_("Decision date"), required=False)
    decision_text = TextField(label=_("Decision"), required=False, rows=3)


class BoardEditForm(BoardForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


class MemberForm(forms.Form):
    full_name = TextField(label=_("Full name"), max_length=150)
    position = TextField(label=_("Position in the agency"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role on the board"), choices=Role.choices, initial=Role.MEMBER)
    office = forms.ChoiceField(
        label=_("Head, deputy head or chief accountant?"),
        choices=Office.choices,
        initial=Office.NONE,
        help_text=_("They cannot be members (Điều 60, khoản 2)."),
    )


class MemberRowForm(MemberForm):
    """A row of the members' table on the new board's page: an empty row is skipped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "role", "office"):
            self.fields[name].required = False


MemberFormSet = forms.formset_factory(MemberRowForm, extra=MAX_MEMBERS, max_num=MAX_MEMBERS)


class ActivityForm(forms.Form):
    held_on = DateField(label=_("Date"))
    subject = TextField(label=_("Subject supervised"), max_length=300)
    content = TextField(label=_("Content"), required=False, rows=3)
    findings = TextField(label=_("Findings"), required=False, rows=3)


class RecommendationForm(forms.Form):
    content = TextField(label=_("Recommendation"), rows=3)
    sent_on = DateField(label=_("Sent on"))
    due_on = DateField(label=_("Answer due by"))
    activity = forms.TypedChoiceField(label=_("Supervision"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("None"))] + [
            (activity.pk, f"{activity.held_on:%d/%m/%Y} · {activity.subject}") for activity in activities
        ]


class AnswerForm(forms.Form):
    answer = TextField(label=_("Answer"), rows=3)
    answered_on = DateField(label=_("Answered on"))


class ListForm(forms.Form):
    STATES = [
        ("", _("Every state")),
        ("in_term", _("In term")),
        ("ended", _("Term ended")),
        ("not_started", _("Term not started")),
    ]
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
