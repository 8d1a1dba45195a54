"""Forms of the dialogues pages; the services check everything again (forms.attach_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField

from .models import Audience, Format, IssueState
from .services import LINE_MAX, MAX_PEOPLE, NAME_MAX, TEXT_MAX


class DialogueForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), perm=Perm.ACTIVITY_RECORD)
    held_on = DateField(label=_("Date held"))
    leader_name = TextField(label=_("Leader"), max_length=NAME_MAX)
    leader_position = TextField(label=_("Position"), max_length=NAME_MAX, required=False)
    audience = forms.ChoiceField(label=_("With"), choices=Audience.choices)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=MAX_PEOPLE, initial=0)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    place = TextField(label=_("Place"), max_length=LINE_MAX, required=False)
    note = TextField(label=_("Note"), max_length=TEXT_MAX, required=False, rows=3)


class IssueForm(forms.Form):
    content = TextField(label=_("Issue raised"), max_length=TEXT_MAX, rows=3)
    answerer = TextField(
        label=_("To be answered by"),
        max_length=LINE_MAX,
        required=False,
        help_text=_("A person or a unit, in words."),
    )
    due_on = DateField(label=_("Answer due by"), required=False)


class IssueAnswerForm(IssueForm):
    state = forms.ChoiceField(label=_("Follow-up"), choices=IssueState.choices)
    answer = TextField(label=_("Answer"), max_length=TEXT_MAX, required=False, rows=4)
    answered_on = DateField(label=_("Answered on"), required=False)
