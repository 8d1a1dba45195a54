"""The unit picker's form field: a unit named by its code or by (part of) its name, among the units
where the user holds the right the form needs.

    class MoveForm(forms.Form):
        parent = UnitChoiceField(label=_("New parent unit"), perm=Perm.UNIT_RESTRUCTURE)

    form = MoveForm(request.POST, user=…)   # or: for_user(form, request.user)

The widget (`core.widgets.UnitPicker`) asks `orgs:unit_pick` for suggestions as the user types;
without JavaScript the typed text is resolved here on submit: one unit is accepted, several come back
as a short list to choose from, none (or one out of reach, which is refused the same way) is an error.
"""

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.text import check_text
from danvan.core.widgets import UnitPicker

from . import selectors
from .models import Unit

FormT = TypeVar("FormT", bound=forms.BaseForm)


class UnitChoiceField(forms.Field):
    """A unit the user may act on with `perm`: cleaned to a `Unit`. Its value (what the form posts and
    what `initial` may be) is the unit's code; a typed name works too."""

    widget = UnitPicker
    default_error_messages = {
        "required": _("Choose a unit."),
        "unknown": _("No unit matching “%(text)s” was found among the units you may choose."),
        "ambiguous": _("Several units match “%(text)s”. Choose one of them in the list."),
    }

    def __init__(self, *, perm: Perm = Perm.UNIT_VIEW, **kwargs):
        kwargs.setdefault("help_text", _("Type part of the unit's name, then choose it in the list."))
        super().__init__(**kwargs)
        self.perm = perm
        self.user = None
        self.widget.describe = self.describe

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.widget.describe = copy.describe
        copy.widget.matches = []
        return copy

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["placeholder"] = _("Name or code of the unit")
        return attrs

    def bind(self, user) -> None:
        """Scope the field to `user` (the suggestions' address carries the right the form needs)."""
        self.user = user
        self.widget.search_url = f"{reverse('orgs:unit_pick')}?{urlencode({'perm': self.perm.value})}"

    def describe(self, value) -> dict | None:
        """{code, name, path_label} of the unit `value` (a Unit or a code) when the user may choose it."""
        unit = value if isinstance(value, Unit) else selectors.unit_by_code(str(value))
        if unit is None or self.user is None or not policy.can(self.user, self.perm, unit):
            return None
        return {"code": unit.code, "name": unit.name, "path_label": selectors.path_label(unit)}

    def prepare_value(self, value):
        return value  # a Unit stays one: the widget shows its name and place, never its code

    def to_python(self, value) -> Unit | None:
        if isinstance(value, Unit):
            return value
        text = check_text(value, limit=255)
        if not text:
            return None
        assert self.user is not None, "bind the field to the user first (UnitChoiceField.bind / for_user)"
        versions = selectors.match_units(self.user, text, self.perm)
        if len(versions) == 1:
            return versions[0].unit
        if not versions:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"text": text})
        labels = selectors.path_labels(versions)
        self.widget.matches = [
            selectors.Picked(v.unit.code, v.name, labels[v.unit_id]) for v in versions[: selectors.PICK_LIMIT]
        ]
        raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"text": text})


def for_user(form: FormT, user) -> FormT:
    """Scope every unit field of `form` to `user`; returns the form."""
    for field in form.fields.values():
        if isinstance(field, UnitChoiceField):
            field.bind(user)
    return form


def unit_filter(
    data, *, user, perm: Perm, label, current: Unit | None = None, name: str = "unit"
) -> forms.Form:
    """A page's unit filter (?unit=…) as a form with the unit picker alone: bound to `data` when it
    names a unit, else showing `current`. `form.is_valid()` then gives the unit in `cleaned_data`."""
    form_class = type(
        "UnitFilterForm", (forms.Form,), {name: UnitChoiceField(label=label, perm=perm, required=False)}
    )
    bound = data if data is not None and (data.get(name) or data.get(f"{name}__pick")) else None
    form = form_class(bound, initial={name: current})
    form.fields[name].help_text = ""
    return for_user(form, user)
