"""Forms of the commendation pages; the services check everything again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core import tables, uploads
from danvan.core.forms import DateField, TextField
from danvan.emulation.evaluations import selectors as evaluation_selectors
from danvan.emulation.exemplars import selectors as exemplar_selectors
from danvan.orgs.fields import UnitChoiceField, for_user
from danvan.reports.periods import period_words

from . import selectors
from .files import DECISION_KINDS, decision_rules
from .models import Form, Kind


class FilterForm(forms.Form):
    """The list's filters: year of the movement, form, collective/individual, unit (its subtree),
    decision dates."""

    year = forms.IntegerField(label=_("Year of the movement"), required=False, min_value=1945, max_value=2100)
    form = forms.ChoiceField(
        label=_("Form of commendation"), choices=[("", _("All forms")), *Form.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Collective or individual"),
        choices=[("", _("Collectives and individuals")), *Kind.choices],
        required=False,
    )
    unit = UnitChoiceField(label=_("Unit (and the units below it)"), perm=Perm.EMULATION_VIEW, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(label=_("Decision from"), required=False)
        self.fields["to"] = DateField(label=_("Decision until"), required=False)
        self.fields["unit"].help_text = ""
        for_user(self, user)

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end of the period comes before its start."))
        return data


class CommendationForm(forms.Form):
    # Who is commended
    kind = forms.ChoiceField(label=_("Commended"), choices=Kind.choices, widget=forms.RadioSelect)
    unit = UnitChoiceField(
        label=_("Unit of the recipient"),
        perm=Perm.EMULATION_RECORD,
        help_text=_("The collective commended, or the unit of the named collective or person."),
    )
    recipient_name = TextField(
        label=_("Name of the collective or the person"),
        max_length=300,
        required=False,
        help_text=_("A person's full name; for a collective, empty when the unit itself is commended."),
    )
    position = TextField(label=_("Position (individual)"), max_length=200, required=False)
    # The decision
    form = forms.ChoiceField(label=_("Form of commendation"), choices=Form.choices)
    title = TextField(
        label=_("As written in the decision (optional)"),
        max_length=300,
        required=False,
        help_text=_("E.g. “Bằng khen của Thủ tướng Chính phủ”, “Huân chương Lao động hạng Ba”."),
    )
    issuer_unit = UnitChoiceField(
        label=_("Issuing unit (in the tree)"), perm=Perm.EMULATION_VIEW, required=False
    )
    issuer_name = TextField(
        label=_("Or issuing body outside the tree"),
        max_length=300,
        required=False,
        help_text=_("E.g. UBND tỉnh, Thủ tướng Chính phủ."),
    )
    decision_number = TextField(label=_("Decision number"), max_length=100)
    decision_date = DateField(label=_("Decision date"))
    year = forms.IntegerField(label=_("Year of the movement"), min_value=1945, max_value=2100)
    reason = TextField(label=_("Reason (what it is for)"), rows=3, max_length=10000)
    # What earned it: a "Dân vận khéo" model or an evaluation the user sees (one of them), and words
    exemplar = forms.TypedChoiceField(
        label=_("“Dân vận khéo” model that earned it"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("A model of the recipient's unit or of a unit below it."),
    )
    evaluation = forms.TypedChoiceField(
        label=_("Or the evaluation that earned it"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("An evaluation of the recipient's unit or of a unit below it."),
    )
    earned_for = TextField(
        label=_("Earned by (model, evaluation or achievement)"),
        rows=2,
        max_length=10000,
        required=False,
    )
    decision_file = forms.FileField(
        label=_("Decision file (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept(DECISION_KINDS)}),
    )
    remove_file = forms.BooleanField(label=_("Remove the decision file"), required=False)

    #: The sections of the form, in order (the page draws one fieldset each).
    SECTIONS = (
        (_("Who is commended"), ("kind", "unit", "recipient_name", "position")),
        (
            _("The decision"),
            (
                "form",
                "title",
                "issuer_unit",
                "issuer_name",
                "decision_number",
                "decision_date",
                "year",
                "reason",
            ),
        ),
        (_("What earned it"), ("exemplar", "evaluation", "earned_for")),
        (_("Decision file"), ("decision_file", "remove_file")),
    )

    def __init__(self, *args, user=None, keep=(), issuer_kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer_unit"].help_text = _(
            "Among the units you may see, or a unit above yours by its code. For a body outside the tree, write its name below."
        )
        for_user(self, user, keep=keep)
        if user is not None:  # a unit above the user's (the bloc issuing a Giấy khen) is accepted by its code
            issuer = self.fields["issuer_unit"]
            issuer.bind(
                user, keep=[*keep, *selectors.units_above(user), *([issuer_kept] if issuer_kept else [])]
            )
        self.fields["exemplar"].choices = [("", _("None")), *exemplar_choices(user)]
        self.fields["evaluation"].choices = [("", _("None")), *evaluation_choices(user)]

    def clean_decision_file(self):
        upload = self.cleaned_data.get("decision_file")
        return uploads.check(upload, decision_rules()) if upload else None

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


def exemplar_choices(user) -> list[tuple[int, str]]:
    """The models the user sees, named in words: the model's title and its unit."""
    if user is None:
        return []
    qs = exemplar_selectors.exemplars_for(user).select_related("unit", "campaign")
    qs = qs.order_by("-campaign__year", "unit__path", "title", "id")
    return [(item.pk, f"{item.title} — {item.unit.name} ({item.campaign.year})") for item in qs]


def evaluation_choices(user) -> list[tuple[int, str]]:
    """The evaluations the user sees, named in words: the unit evaluated and the period."""
    if user is None:
        return []
    qs = evaluation_selectors.evaluations_for(user).order_by("-period_end", "unit__path", "id")
    return [(item.pk, f"{item.unit.name} — {period_words(item.period)}") for item in qs]


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            return tables.check_upload(upload)
        except tables.FileRejected as rejected:
            raise forms.ValidationError(rejected.error.message, code=rejected.code) from None
