"""The form of a review report's version: the parts the official writes and the header details."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import TextField

from .models import Layout
from .narrative import Narrative


def _line(label, help_text="") -> TextField:
    """A header detail; its length is checked by the service (`services.LINE_MAX`), with its message."""
    return TextField(label=label, required=False, help_text=help_text)


class NarrativeForm(forms.Form):
    limitations = TextField(
        label=_("II. Limitations and their causes"),
        required=False,
        rows=8,
        help_text=_("One paragraph a line. Required before the report is finalised."),
    )
    tasks = TextField(
        label=_("III. Tasks ahead"),
        required=False,
        rows=8,
        help_text=_("One paragraph a line. Required before the report is finalised."),
    )
    layout = forms.ChoiceField(
        label=_("Document form"),
        choices=Layout.choices,
        initial=Layout.PARTY,
        required=False,  # a form sent without it keeps the party's
        help_text=_("The header, number and signature of a party document or of a state body's one."),
    )
    place = _line(_("Place"), _("As in the date line: “Đồng Nai, ngày … tháng … năm …”."))
    symbol = _line(
        _("Abbreviation of the issuing body"),
        _("In the number: “Số …-BC/ĐU” (party), “Số: …/BC-UBND” (state). Empty: from the unit's name."),
    )
    superior = _line(_("Superior body"), _("Empty: from the unit above."))
    on_behalf = _line(
        _("Signing on behalf of"),
        _("For example: T/M BAN THƯỜNG VỤ (party), TM. ỦY BAN NHÂN DÂN or KT. GIÁM ĐỐC (state)."),
    )
    signer_title = _line(
        _("Signer's title"), _("For example: BÍ THƯ, PHÓ BÍ THƯ (party), CHỦ TỊCH, PHÓ GIÁM ĐỐC (state).")
    )
    signer = _line(_("Signer's full name"))

    def narrative(self) -> Narrative:
        return Narrative(**{name: self.cleaned_data.get(name) or "" for name in self.fields})
