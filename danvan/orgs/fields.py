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
from danvan.core.widgets import UnitPicker, UnitsPicker

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
        self.within: Unit | None = None
        self.kept: dict[str, Unit] = {}
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

    def bind(self, user, *, within: Unit | None = None, keep=()) -> None:
        """Scope the field to `user` (the suggestions' address carries the right the form needs) and,
        with `within`, to that unit's subtree; the units in `keep` (say the ones a record already names,
        which may have moved away since) stay acceptable."""
        self.user = user
        self.within = within
        self.kept = {unit.code.upper(): unit for unit in keep if unit is not None}
        params = {"perm": self.perm.value, **({"within": within.code} if within is not None else {})}
        self.widget.search_url = f"{reverse('orgs:unit_pick')}?{urlencode(params)}"

    def _in_scope(self, unit: Unit) -> bool:
        if unit.code.upper() in self.kept:
            return True
        if self.user is None or not policy.can(self.user, self.perm, unit):
            return False
        return self.within is None or unit.path.startswith(self.within.path)

    def describe(self, value) -> dict | None:
        """{code, name, path_label} of the unit `value` (a Unit or a code) when the user may choose it."""
        unit = value if isinstance(value, Unit) else selectors.unit_by_code(str(value))
        if unit is None or not self._in_scope(unit):
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
        versions = self.resolve(text)
        if len(versions) == 1:
            return versions[0].unit
        if not versions:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"text": text})
        self.widget.matches = self.offered(versions)
        raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"text": text})

    def resolve(self, text: str) -> list:
        """The units (today's versions) `text` may mean for this field: one, several or none."""
        assert self.user is not None, "bind the field to the user first (UnitChoiceField.bind / for_user)"
        kept = self.kept.get(text.upper())
        if kept is not None:
            return [selectors.version_of(kept) or selectors.latest_version(kept)]
        return selectors.match_units(self.user, text, self.perm, within=self.within)

    @staticmethod
    def offered(versions) -> list:
        labels = selectors.path_labels(versions)
        return [
            selectors.Picked(v.unit.code, v.name, labels[v.unit_id]) for v in versions[: selectors.PICK_LIMIT]
        ]


class UnitsChoiceField(UnitChoiceField):
    """Several units the user may act on with `perm`: cleaned to a list of `Unit` (in the tree's
    order). The form posts one code per chosen unit under the field's name, and, without JavaScript,
    more units typed one per line in `<name>__lines`; `initial` may be units or codes."""

    widget = UnitsPicker
    default_error_messages = {
        "required": _("Choose at least one unit."),
        "unknown_lines": _("No unit was found among the units you may choose for: %(lines)s."),
        "ambiguous_lines": _(
            "Several units match: %(lines)s. Tick the ones you mean below, or type more of the name."
        ),
        "too_many": _("Choose at most %(limit)s units at a time."),
    }
    limit = 1000

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Type part of a unit's name, then choose it in the list; each chosen unit can be removed."),
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)

    def prepare_value(self, value):
        return list(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[Unit]:  # type: ignore[override]
        items = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(items) > self.limit:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": self.limit}
            )
        chosen: dict[int, Unit] = {}
        unknown: list[str] = []
        ambiguous: list[tuple[str, list]] = []
        for item in items:
            if isinstance(item, Unit):
                chosen[item.pk] = item
                continue
            text = check_text(item, limit=255)
            if not text:
                continue
            versions = self.resolve(text)
            if len(versions) == 1:
                chosen[versions[0].unit_id] = versions[0].unit
            elif not versions:
                unknown.append(self._shown(text))
            else:
                ambiguous.append((text, self.offered(versions)))
        self.widget.matches = ambiguous
        errors = []
        if unknown:
            lines = ", ".join(f"“{line}”" for line in dict.fromkeys(unknown))
            errors.append(
                ValidationError(self.error_messages["unknown_lines"], code="unknown", params={"lines": lines})
            )
        if ambiguous:
            lines = ", ".join(f"“{line}”" for line, _units in ambiguous)
            errors.append(
                ValidationError(
                    self.error_messages["ambiguous_lines"], code="ambiguous", params={"lines": lines}
                )
            )
        if errors:
            raise ValidationError(errors)
        return sorted(chosen.values(), key=lambda unit: unit.path)

    def _shown(self, text: str) -> str:
        """What to name an unknown entry by: a unit's name rather than its code (when the user may see it)."""
        unit = selectors.unit_by_code(text)
        if unit is not None and self.user is not None and policy.can(self.user, Perm.UNIT_VIEW, unit):
            return unit.name
        return text

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def for_user(form: FormT, user, *, within: Unit | None = None, keep=()) -> FormT:
    """Scope every unit field of `form` to `user` (and to `within`'s subtree, accepting the units in
    `keep` wherever they are, when given); returns the form."""
    for field in form.fields.values():
        if isinstance(field, UnitChoiceField):
            field.bind(user, within=within, keep=keep)
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
