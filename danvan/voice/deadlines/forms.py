"""Forms of the deadline administration pages. They check the shape of the input; services check the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, TextField

from . import counting
from .models import CalendarDay, DeadlineRule


class RuleForm(forms.ModelForm):
    effective_from = DateField(label=_("Effective from"))
    effective_to = DateField(
        label=_("Effective to"),
        required=False,
        help_text=_("The last day the rule is in force (dd/mm/yyyy); empty while it is in force."),
    )

    class Meta:
        model = DeadlineRule
        fields = [
            "code",
            "procedure",
            "step",
            "counted_from",
            "days",
            "day_unit",
            "days_complex",
            "days_remote",
            "days_complex_remote",
            "extensions_allowed",
            "extension_days",
            "effective_from",
            "effective_to",
            "citation",
            "note",
        ]
        labels = {
            "code": _("Code"),
            "procedure": _("Procedure"),
            "step": _("Step"),
            "counted_from": _("Counted from"),
            "days": _("Days"),
            "day_unit": _("Day unit"),
            "days_complex": _("Days when complex"),
            "days_remote": _("Days in remote areas"),
            "days_complex_remote": _("Days when complex, in remote areas"),
            "extensions_allowed": _("Extensions allowed"),
            "extension_days": _("Days per extension"),
            "citation": _("Legal citation"),
            "note": _("Note"),
        }
        help_texts = {
            "code": _("Capital letters, digits and hyphens, e.g. KN1-RESOLVE-2026."),
            "days_complex": _("Empty: the same as the ordinary period."),
            "days_remote": _("Empty: the same as the ordinary period."),
            "days_complex_remote": _("Empty: the longer of the two above."),
            "citation": _("e.g. Luật Khiếu nại 2011, Điều 28"),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()


class RuleCloseForm(forms.Form):
    effective_to = DateField(label=_("Last day in force"))


class CalendarDayForm(forms.Form):
    date = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    reason = TextField(
        label=_("Reason"),
        max_length=200,
        help_text=_("e.g. Thông báo 6150/TB-BLĐTBXH: nghỉ bù ngày 02/5"),
    )


class CheckForm(forms.Form):
    """The same computation as `danvan deadline`."""

    start = DateField(label=_("Day of the event"))
    days = forms.IntegerField(label=_("Days"))
    unit = forms.ChoiceField(label=_("Day unit"), choices=DeadlineRule.DayUnit.choices)
    pauses = forms.CharField(
        label=_("Pauses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the first and the last paused day, e.g. 11/02/2026 – 13/02/2026."),
    )

    def clean_days(self) -> int:
        return counting.check_days(self.cleaned_data["days"])

    def clean_pauses(self) -> list[counting.Pause]:
        lines = [line for line in (self.cleaned_data.get("pauses") or "").splitlines() if line.strip()]
        found, problems = [], []
        for line in lines:
            try:
                found.append(counting.parse_pause(line))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return found
