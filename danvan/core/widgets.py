"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's locale (a browser date picker would show
    mm/dd/yyyy in an English browser). The fields behind it also accept ISO dates."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 10}
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")
