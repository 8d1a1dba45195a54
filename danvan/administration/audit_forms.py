"""The audit browser's filter form: parses the query string into a selectors.EventFilter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.core.forms import DateField
from danvan.orgs.fields import UnitChoiceField, for_user

from .audit_display import record_type
from .audit_selectors import EventFilter, models_in_log


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    model = forms.ChoiceField(label=_("Record type"), required=False)
    actor = forms.CharField(label=_("Done by (username)"), max_length=150, required=False)
    unit_code = UnitChoiceField(
        label=_("Unit"), perm=Perm.AUDIT_VIEW, required=False, help_text=_("The unit and all units under it.")
    )
    date_from = DateField(label=_("From"), required=False, help_text="")
    date_to = DateField(label=_("To"), required=False, help_text="")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for_user(self, user)  # a unit the user may not audit reads like an unknown one
        self.fields["action"].choices = [("", _("All")), *AuditEvent.Action.choices]
        self.fields["model"].choices = [
            ("", _("All")),
            *((label, record_type(label)) for label in models_in_log()),
        ]

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
