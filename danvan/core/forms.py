"""Form pieces every module uses: showing a service's refusal on a form, the text and date fields.

Services check their input and raise `ValidationError` (per field where they can). A view catches
it and calls `attach_service_errors`, so the user sees each message beside the field it concerns.
A form names where a service's field is shown with `service_fields` (service field -> form field,
or None for above the form); a call may add more with `fields`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dates import INPUT_FORMATS
from .text import validate_text
from .widgets import DateInput


def attach_service_errors(form: forms.Form, error: ValidationError, fields: dict | None = None) -> None:
    """Show a service's ValidationError on `form`: beside the field it names, else above the form."""
    aliases = {**getattr(form, "service_fields", {}), **(fields or {})}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = aliases.get(name, name)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy (or dd-mm-yyyy, or ISO), with a Vietnamese message when it is not one."""

    widget = DateInput
    input_formats = INPUT_FORMATS
    default_error_messages = {"invalid": _("Type the date as dd/mm/yyyy, e.g. 05/03/2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("dd/mm/yyyy"))
        super().__init__(**kwargs)


class TextField(forms.CharField):
    """Typed text, stripped and checked by `core.text.validate_text` (no control characters);
    `rows` shows it as a text area of that many rows."""

    def __init__(self, *, rows: int | None = None, **kwargs):
        if rows:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)
        self.validators.append(validate_text)
