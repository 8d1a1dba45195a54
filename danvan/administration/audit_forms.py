"""The audit browser's filter form: parses the query string into a selectors.EventFilter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.audit.models import AuditEvent
from danvan.core.forms import DateField
from danvan.orgs.selectors import unit_by_code

from .audit_display import record_type
from .audit_selectors import EventFilter, models_in_log


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    model = forms.ChoiceField(label=_("Record type"), required=False)
    actor = forms.CharField(label=_("Done by (username)"), max_length=150, required=False)
    unit_code = forms.CharField(
        label=_("Unit code"), max_length=64, required=False, help_text=_("The unit and all units under it.")
    )
    date_from = DateField(label=_("From"), required=False, help_text="")
    date_to = DateField(label=_("To"), required=False, help_text="")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["action"].choices = [("", _("All")), *AuditEvent.Action.choices]
        self.fields["model"].choices = [
            ("", _("All")),
            *((label, record_type(label)) for label in models_in_log()),
        ]

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip()
        if not code:
            return None
        unit = unit_by_code(code)
        # A unit the user may not audit is reported as unknown: its existence is not theirs to learn.
        if unit is None or not policy.can(self.user, policy.Perm.AUDIT_VIEW, unit):
            raise forms.ValidationError(_("No unit found with code %(code)s."), params={"code": code})
        return unit

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def spec(self) -> EventFilter:
        """The filter to apply; call after is_valid()."""
        data = self.cleaned_data
        return EventFilter(
            action=data.get("action") or "",
            model=data.get("model") or "",
            actor=(data.get("actor") or "").strip(),
            unit=data.get("unit_code"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
