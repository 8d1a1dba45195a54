"""Forms of the thematic cell meeting pages; the services validate again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField, for_user


class MeetingForm(forms.Form):
    unit = UnitChoiceField(label=_("Party cell"), perm=Perm.ACTIVITY_RECORD)
    held_on = DateField(label=_("Date held"))
    topic = TextField(label=_("Topic"), max_length=300)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0, max_value=100_000)
    expected = forms.IntegerField(
        label=_("Members expected (optional)"), min_value=0, max_value=100_000, required=False
    )
    notes = TextField(label=_("Notes"), rows=3, required=False, max_length=4000)

    def __init__(self, *args, user, keep=(), **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user, keep=keep)


class FilterForm(forms.Form):
    """The list's filters: a unit (its subtree), a year, or dates from/to (ISO or dd/mm/yyyy)."""

    unit = UnitChoiceField(label=_("Unit"), perm=Perm.ACTIVITY_VIEW, required=False)
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1995,
        max_value=2100,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "6"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(label=_("From"), required=False, help_text="")
        self.fields["to"] = DateField(label=_("To"), required=False, help_text="")
        self.fields["unit"].help_text = ""
        for_user(self, user)


class CoverageForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1995, max_value=2100, required=False)
