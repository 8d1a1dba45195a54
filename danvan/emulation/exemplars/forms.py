"""Forms of the “Dân vận khéo” pages; the services check again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField, for_user

from .criteria import CRITERIA
from .models import CampaignState, Field, Level, Stage
from .rules import EVIDENCE_KINDS, evidence_rules


class FilterForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit (and the units below it)"), perm=Perm.EMULATION_VIEW, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All campaigns")
    )
    field = forms.ChoiceField(
        label=pgettext_lazy("exemplar", "Field"),
        choices=[("", _("All fields")), *Field.choices],
        required=False,
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    replicated = forms.BooleanField(label=_("Replicated by other units"), required=False)

    def __init__(self, *args, user=None, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        for_user(self, user)


class CampaignForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit running the campaign"), perm=Perm.EMULATION_MANAGE)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = TextField(label=_("Title"), max_length=300)
    nominations_until = DateField(label=_("Nominations until"))
    review_until = DateField(label=_("Review until"))
    recognition_by = DateField(
        label=_("Recognition by"), help_text=_("dd/mm/yyyy, usually mid-October (15/10).")
    )
    state = forms.ChoiceField(label=_("State"), choices=CampaignState.choices, initial=CampaignState.OPEN)

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        for_user(self, user)


class ExemplarForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None)
    unit = UnitChoiceField(label=_("Unit registering the model"), perm=Perm.EMULATION_RECORD)
    field = forms.ChoiceField(label=pgettext_lazy("exemplar", "Field"), choices=Field.choices)
    title = TextField(label=_("Name of the model"), max_length=300)
    authors = TextField(
        label=_("People or collective behind it"),
        rows=2,
        max_length=10000,
    )
    description = TextField(label=_("Description"), rows=6, max_length=10000)
    started_on = DateField(label=_("Started on"))

    def __init__(self, *args, user=None, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        for_user(self, user)


class ResultForm(forms.Form):
    """One measurable result; a row left empty is skipped."""

    measure = TextField(label=_("What is measured"), max_length=200, required=False)
    unit_of_measure = TextField(label=_("Unit of measure"), max_length=50, required=False)
    before = forms.DecimalField(
        label=_("Before"), required=False, max_digits=14, decimal_places=2, localize=True
    )
    after = forms.DecimalField(
        label=_("After"), required=False, max_digits=14, decimal_places=2, localize=True
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(
            data.get(name) not in (None, "") for name in ("measure", "unit_of_measure", "before", "after")
        )


ResultFormSet = forms.formset_factory(ResultForm, extra=3, max_num=20)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or a photograph (JPEG, PNG)."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept(EVIDENCE_KINDS)}),
    )

    def clean_file(self):
        return uploads.check(self.cleaned_data["file"], evidence_rules())


class ReviewForm(forms.Form):
    opinion = TextField(label=_("Opinion of the review"), rows=4, max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for criterion in CRITERIA:
            fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=_("%(criterion)s (out of %(maximum)s)")
                % {"criterion": criterion.label, "maximum": criterion.maximum},
            )
        fields["opinion"] = self.fields.pop("opinion")
        self.fields.update(fields)

    def scores(self) -> dict:
        return {criterion.code: self.cleaned_data[f"score_{criterion.code}"] for criterion in CRITERIA}


class RecogniseForm(forms.Form):
    decision_number = TextField(label=_("Decision number"), max_length=60, required=False)
    decision_date = DateField(label=_("Decision date"), required=False)
    level = forms.ChoiceField(
        label=_("Level of recognition"), choices=[("", "—"), *Level.choices], required=False
    )


class ReturnForm(forms.Form):
    reason = TextField(label=_("Reasons for returning"), rows=3, max_length=10000, required=False)


class ReplicationForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit replicating the model"), perm=Perm.EMULATION_RECORD)
    adopted_on = DateField(label=_("Adopted on"))
    note = TextField(label=_("Note"), rows=2, max_length=10000, required=False)
    results = TextField(label=_("Results"), rows=2, max_length=10000, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)
