"""Forms of the evaluation pages; the services check the rules (maximum points, reasons, thresholds)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField
from danvan.orgs.models import UnitType

from . import selectors, services
from .models import Classification, Completion, Method, State


class StartForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), perm=Perm.EMULATION_RECORD)
    period = forms.ChoiceField(label=_("Period"), choices=selectors.period_choices)


class ListForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), required=False, choices=lambda: [("", _("All")), *selectors.period_choices()]
    )
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *State.choices], required=False)


class ScorecardForm(forms.Form):
    title = TextField(label=_("Title"), max_length=300)
    applies_from = forms.IntegerField(label=_("Applies from the year"), min_value=2000, max_value=2100)
    unit_types = forms.ModelMultipleChoiceField(
        label=_("Unit types it applies to"),
        queryset=UnitType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every type of unit."),
    )


class CopyForm(forms.Form):
    applies_from = forms.IntegerField(
        label=_("The copy applies from the year"), min_value=2000, max_value=2100
    )


class SectionForm(forms.Form):
    title = TextField(label=_("Title"), max_length=300)
    order = forms.IntegerField(label=_("Order"), min_value=1, initial=1)


class CriterionForm(forms.Form):
    text = TextField(label=_("Criterion"), rows=3)
    order = forms.IntegerField(label=_("Order"), min_value=1, initial=1)
    max_points = forms.DecimalField(
        localize=True, label=_("Maximum points"), max_digits=5, decimal_places=2, min_value=0
    )
    method = forms.ChoiceField(label=_("How it is scored"), choices=Method.choices, initial=Method.MANUAL)
    code = forms.ChoiceField(
        label=_("Indicator or figure it is computed from"),
        required=False,
        choices=lambda: [("", "—"), *selectors.catalogue_choices()],
        help_text=_(
            "For a computed score only: the figure of the reports catalogue the points are read from."
        ),
    )
    count = forms.IntegerField(label=_("Count to reach"), min_value=1, required=False)


class ThresholdsForm(forms.Form):
    valid_from = DateField(label=_("Valid from"))
    outstanding_min = forms.DecimalField(
        localize=True, label=_("Excellent from (points)"), max_digits=5, decimal_places=2, initial=90
    )
    good_min = forms.DecimalField(
        localize=True, label=_("Good from (points)"), max_digits=5, decimal_places=2, initial=70
    )
    passed_min = forms.DecimalField(
        localize=True, label=_("Completed from (points)"), max_digits=5, decimal_places=2, initial=50
    )
    share_cap = forms.IntegerField(
        label=_("Most units classified excellent (%)"), min_value=0, max_value=100, required=False
    )
    criterion_floor = forms.IntegerField(
        label=_("No criterion below (% of its maximum) for excellent"),
        min_value=0,
        max_value=100,
        required=False,
    )
    citation = TextField(label=_("Legal basis"), max_length=300, required=False)


def _checked(upload):
    return uploads.check(upload, services.EVIDENCE_RULES) if upload else None


class AssessForm(forms.Form):
    """One row per criterion: points (manual only), note, evidence text and file."""

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = scores
        for score in scores:
            key = score.criterion_id
            if not score.criterion.computed:
                self.fields[f"points_{key}"] = forms.DecimalField(
                    localize=True,
                    label=_("Points"),
                    required=False,
                    max_digits=6,
                    decimal_places=2,
                    initial=score.self_points,
                )
            self.fields[f"note_{key}"] = TextField(
                label=_("Note"), required=False, rows=2, initial=score.note
            )
            self.fields[f"evidence_{key}"] = TextField(
                label=_("Evidence"), required=False, rows=2, initial=score.evidence
            )
            self.fields[f"file_{key}"] = forms.FileField(label=_("Evidence file"), required=False)

    def rows(self):
        for score in self.scores:
            key = score.criterion_id
            yield {
                "score": score,
                "points": self[f"points_{key}"] if f"points_{key}" in self.fields else None,
                "note": self[f"note_{key}"],
                "evidence": self[f"evidence_{key}"],
                "file": self[f"file_{key}"],
            }

    def clean(self):
        data = super().clean()
        for score in self.scores:
            name = f"file_{score.criterion_id}"
            try:
                data[name] = _checked(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def inputs(self) -> list[services.ScoreInput]:
        data = self.cleaned_data
        return [
            services.ScoreInput(
                criterion_id=s.criterion_id,
                points=data.get(f"points_{s.criterion_id}"),
                note=data.get(f"note_{s.criterion_id}", ""),
                evidence=data.get(f"evidence_{s.criterion_id}", ""),
                evidence_file=data.get(f"file_{s.criterion_id}"),
            )
            for s in self.scores
        ]


class ReviewForm(forms.Form):
    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = scores
        for score in scores:
            key = score.criterion_id
            initial = score.points if score.points is not None else score.self_points
            self.fields[f"points_{key}"] = forms.DecimalField(
                localize=True,
                label=_("Points after review"),
                required=True,
                max_digits=6,
                decimal_places=2,
                initial=initial,
            )
            self.fields[f"reason_{key}"] = TextField(
                label=_("Reason for the change"), required=False, rows=2, initial=score.change_reason
            )

    def rows(self):
        for score in self.scores:
            yield {
                "score": score,
                "points": self[f"points_{score.criterion_id}"],
                "reason": self[f"reason_{score.criterion_id}"],
            }

    def inputs(self) -> list[services.ReviewInput]:
        data = self.cleaned_data
        return [
            services.ReviewInput(
                criterion_id=s.criterion_id,
                points=data.get(f"points_{s.criterion_id}"),
                reason=data.get(f"reason_{s.criterion_id}", ""),
            )
            for s in self.scores
        ]


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(
        label=pgettext_lazy("evaluation", "Classification"), choices=Classification.choices
    )
    reason = TextField(label=_("Reason (required when below the proposed level)"), required=False, rows=2)
    completion = forms.ChoiceField(
        label=_("How the unit carried out its assigned tasks (Quy định 366-QĐ/TW, Điều 11)"),
        choices=Completion.choices,
        widget=forms.RadioSelect,  # four long statements: read whole, on a phone too
        required=False,
        help_text=_("Needed for every level but “task not completed”."),
    )


class RankingForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=selectors.period_choices)
    unit_type = forms.ModelChoiceField(
        label=_("Units of the type"),
        queryset=UnitType.objects.all(),
        required=False,
        empty_label=_("The units directly below"),
        to_field_name="code",
    )
