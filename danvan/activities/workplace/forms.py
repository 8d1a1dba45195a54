"""Forms of the workplace pages; the services check everything again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField

from .files import RESOLUTION_KINDS, resolution_rules
from .models import Category, Form


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class ConferenceForm(forms.Form):
    unit = UnitChoiceField(label=_("Agency"), perm=Perm.ACTIVITY_RECORD)
    year = forms.IntegerField(
        label=_("Year reviewed"),
        min_value=2000,
        max_value=2100,
        help_text=_("The conference reviewing a year is held by 31/03 of the next year."),
    )
    held_on = DateField(label=_("Date held"))
    staff_count = forms.IntegerField(
        label=_("Staff convened"),
        min_value=1,
        help_text=_("The whole staff, or the delegates convened at a conference of delegates."),
    )
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0)
    valid = forms.BooleanField(
        label=_("The conference is valid (at least two thirds attended)"), required=False
    )
    resolution_adopted = forms.BooleanField(label=_("The resolution was adopted"), required=False)
    votes_for = forms.IntegerField(label=_("Votes for the resolution"), min_value=0, required=False)
    resolution_file = forms.FileField(
        label=_("Resolution file"),
        required=False,
        help_text=_("A .pdf or .docx file."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept(RESOLUTION_KINDS)}),
    )
    remove_file = forms.BooleanField(label=_("Remove the resolution file"), required=False)
    notes = TextField(label=_("Notes"), rows=3, required=False, max_length=4000)

    def clean_resolution_file(self):
        upload = self.cleaned_data.get("resolution_file")
        return uploads.check(upload, resolution_rules()) if upload else None


class DisclosureForm(forms.Form):
    unit = UnitChoiceField(label=_("Agency"), perm=Perm.ACTIVITY_RECORD)
    category = forms.ChoiceField(label=_("What was disclosed"), choices=Category.choices)
    title = TextField(label=_("Title"), max_length=300)
    content = TextField(label=_("Content"), rows=4, required=False, max_length=10000)
    disclosed_on = DateField(label=_("Date disclosed"))
    form = forms.ChoiceField(label=_("Form of disclosure"), choices=Form.choices)
    period = TextField(
        label=_("Period covered"),
        required=False,
        max_length=120,
        help_text=_("For example: năm 2025, quý I/2026."),
    )
