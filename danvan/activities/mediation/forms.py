"""Forms of the mediation pages; the services check again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField, for_user

from .models import Result, Sex, Team


class CaseFilterForm(forms.Form):
    """The register's filters: unit (its subtree), result, received from/to (ISO or dd/mm/yyyy), year."""

    unit = UnitChoiceField(label=_("Unit (and the units below it)"), perm=Perm.ACTIVITY_VIEW, required=False)
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("All results")), *Result.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(label=_("Received from"), required=False)
        self.fields["to"] = DateField(label=_("Received until"), required=False)
        for_user(self, user)

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end of the period comes before its start."))
        return data


class CaseForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit that received the case"), perm=Perm.ACTIVITY_RECORD)
    team = forms.ModelChoiceField(
        label=_("Mediation team (optional)"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    received_on = DateField(label=_("Date received"))
    mediators = TextField(
        label=_("Mediators"),
        required=False,
        max_length=2000,
        help_text=_("Full names separated by “;”. Empty: the mediators of the team chosen."),
    )
    parties = TextField(label=_("Parties (name, age, address)"), rows=3, max_length=10000)
    content = TextField(label=_("Main content of the case"), rows=4, max_length=10000)
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    agreement = TextField(
        label=_("Agreement of the parties (successful mediation)"), rows=3, required=False, max_length=10000
    )
    demands = TextField(
        label=_("Demands of each party (unsuccessful mediation)"), rows=3, required=False, max_length=10000
    )
    concluded_on = DateField(
        label=_("Concluded on"),
        required=False,
        help_text=_("dd/mm/yyyy. Empty while the mediation is ongoing."),
    )
    notes = TextField(label=_("Notes"), rows=2, required=False, max_length=10000)

    def __init__(self, *args, user=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)
        if teams is not None:
            self.fields["team"].queryset = teams


class TeamForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), perm=Perm.ACTIVITY_RECORD)
    name = TextField(label=_("Name of the team"), max_length=200)
    place = TextField(label=_("Village or residential group"), max_length=200, required=False)
    established_on = DateField(label=_("Established on"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)


class MediatorForm(forms.Form):
    """One mediator; on the new team's page a row left empty is skipped."""

    name = TextField(label=_("Full name"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    recognised_on = DateField(label=_("Recognised on"), required=False)
    trained = forms.BooleanField(label=_("Trained"), required=False)
    trained_on = DateField(label=_("Last trained on"), required=False)
    leader = forms.BooleanField(label=_("Leader of the team"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(
            data.get(name) for name in ("name", "sex", "recognised_on", "trained", "trained_on", "leader")
        )


MediatorFormSet = forms.formset_factory(MediatorForm, extra=5, max_num=30)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)
