"""Forms of the reports pages: the workflow action a user takes on a report.

The data entry grid itself is not a Django form: its cells are named `v_<ELEMENT>` (value) and
`c_<ELEMENT>` (comment) and go straight to `services.values_save`, which parses and validates.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import TextField

from . import workflow


class WorkflowForm(forms.Form):
    """One workflow step (`workflow.STEPS`): the action, the revision the user saw and, when the
    step asks for one, a reason."""

    action = forms.ChoiceField(choices=[(name, name) for name in workflow.NAMES])
    revision = forms.IntegerField(min_value=0)
    reason = TextField(required=False, max_length=2000, rows=2)

    def clean(self):
        data = super().clean()
        step = workflow.STEP.get(data.get("action") or "")
        if step is not None and step.reason and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason."))
        return data


def cell_values(post, codes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(values, comments) typed in the grid's cells for the element codes given."""
    values = {code: post[f"v_{code}"] for code in codes if f"v_{code}" in post}
    comments = {code: post[f"c_{code}"] for code in codes if f"c_{code}" in post}
    return values, comments
