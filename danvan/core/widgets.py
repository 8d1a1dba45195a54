"""Form widgets shared by every app."""

import contextlib
import datetime
import re
from collections.abc import Callable
from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's locale (a browser date picker would show
    mm/dd/yyyy in an English browser). The fields behind it also accept ISO dates."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 10}
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")

    def format_value(self, value):
        # An ISO date in the address (a report figure's link to its records) is shown as dd/mm/yyyy too.
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            with contextlib.suppress(ValueError):
                value = datetime.date.fromisoformat(value.strip())
        return super().format_value(value)


class UnitPicker(forms.TextInput):
    """One unit, chosen by typing part of its name or its code (see `orgs.fields.UnitChoiceField`).

    Without JavaScript it is a text box: the server resolves what was typed, and when several units
    match the form comes back with a short list of them as radio buttons. With JavaScript
    (`core/unitpicker.js`) it is an ARIA combobox that asks `search_url` for the units matching
    what is typed. Either way the choice travels as `<name>__pick` (a unit code) beside `<name>__label`
    (the text it was chosen with): the code counts only while the box still holds that text.

    `describe(value)` (set by the field) returns {code, name, path_label} for a value that names one
    unit, or None; `matches` holds the units offered after an ambiguous entry.
    """

    template_name = "core/widgets/unit_picker.html"

    def __init__(self, attrs=None, *, search_url: str = ""):
        defaults = {"autocomplete": "off", "spellcheck": "false", "class": "unit-picker-input"}
        super().__init__({**defaults, **(attrs or {})})
        self.search_url = search_url
        self.describe: Callable[[Any], dict | None] = lambda value: None
        self.matches: list = []

    def value_from_datadict(self, data, files, name):
        text = data.get(name)
        pick, label = data.get(f"{name}__pick"), data.get(f"{name}__label")
        if pick and (text or "").strip() == (label or "").strip():
            return pick
        return text

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}__pick" not in data

    def get_context(self, name, value, attrs):
        picked = self.describe(value) if value not in (None, "") else None
        shown = picked["name"] if picked else (value if isinstance(value, str) else None)
        context = super().get_context(name, shown, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            picked=picked,
            matches=self.matches,
            search_url=self.search_url,
            listbox_id=f"{widget_id}__list",
            status_id=f"{widget_id}__status",
            typed=shown if not picked else "",
        )
        return context


class UnitsPicker(UnitPicker):
    """Several units (see `orgs.fields.UnitsChoiceField`): the chosen ones shown as chips with their
    place in the tree, each posting its code under the field's name, and a way to add more.

    Without JavaScript each chip is a ticked box (untick it to remove the unit) and more units are
    typed one per line in `<name>__lines`, resolved by the server; when a line matches several units
    they come back as boxes to tick. With JavaScript (`core/unitpicker.js`) the lines give way to the
    same combobox as `UnitPicker`: a chosen suggestion becomes a chip with a button removing it.

    The field sets `describe` as for `UnitPicker`; `matches` holds (line, [units]) for ambiguous lines.
    """

    template_name = "core/widgets/units_picker.html"

    def value_from_datadict(self, data, files, name):
        codes = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
        lines = str(data.get(f"{name}__lines") or "").splitlines()
        return [value for value in [*codes, *lines] if str(value).strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}__lines" not in data

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        items = list(value) if isinstance(value, list | tuple) else ([value] if value else [])
        ambiguous = {line for line, _units in self.matches}
        chips: dict[str, dict] = {}
        lines: list[str] = []
        for item in items:
            picked = self.describe(item)
            if picked is not None:
                above = picked["path_label"].split(" · ", 1)[1:]
                chips.setdefault(picked["code"], {**picked, "above": above[0] if above else ""})
            elif isinstance(item, str) and item.strip() not in ambiguous:
                lines.append(item.strip())
        context = forms.Widget.get_context(self, name, None, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            chips=list(chips.values()),
            lines="\n".join(dict.fromkeys(lines)),
            matches=self.matches,
            search_url=self.search_url,
            lines_id=f"{widget_id}__lines",
        )
        return context
