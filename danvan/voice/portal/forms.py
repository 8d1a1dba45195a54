"""Forms of the public portal: a submission, the search for a unit, a tracking-code lookup.

They check the shape of the input (required fields, lengths, the files); the cases' services check
the rest (`cases.services.case_receive`) and their messages are shown on the same form.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from danvan.core.forms import TextField
from danvan.voice.cases import attachments, tracking
from danvan.voice.cases.forms import MultipleFileField
from danvan.voice.cases.models import ANONYMOUS_KINDS, Kind
from danvan.voice.cases.services import CONTENT_MAX, MAX_PEOPLE, SUBJECT_MAX

from .services import CONSENT_MISSING

HONEYPOT = "website"  # a field people never see; bots fill it

# The kinds a citizen can choose, in the order a citizen thinks of them. A second complaint is a
# complaint the unit reclassifies; the content says so.
PORTAL_KINDS = [
    (Kind.FEEDBACK.value, _("Feedback")),
    (Kind.SUGGESTION.value, _("Suggestion")),
    (Kind.PETITION.value, _("Petition")),
    (Kind.COMPLAINT_FIRST.value, _("Complaint")),
    (Kind.DENUNCIATION.value, _("Denunciation")),
]
KIND_HELP = {
    Kind.FEEDBACK: _(
        "Tell the unit about a situation or a problem you have noticed, so that it looks into it."
    ),
    Kind.SUGGESTION: _("Propose an idea for the unit to work better. You may send it without your name."),
    Kind.PETITION: _("Ask the unit to consider, settle or change a policy, a rule or a way of working."),
    Kind.COMPLAINT_FIRST: _(
        "Ask for a review of an administrative decision or act that you believe is unlawful and harms your "
        "rights or lawful interests (Luật Khiếu nại 2011)."
    ),
    Kind.DENUNCIATION: _(
        "Report an unlawful act of an official, an agency or an organisation (Luật Tố cáo 2018). Your full "
        "name and address are required and are kept secret."
    ),
}
PERSONAL_FIELDS = ("name", "address", "phone", "email", "id_number")
_PHONE = re.compile(r"^[0-9+().\s-]+$")
_ID_NUMBER = re.compile(r"^[0-9A-Za-z]+$")


class PortalText(TextField):
    """The kit's text field, whose length message says how much was typed: a citizen on a phone
    cannot count the characters of a long complaint."""

    default_error_messages = {"max_length": _("At most %(limit_value)d characters (now %(show_value)d).")}


def _input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you sending?"),
        choices=PORTAL_KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you are sending."),
            "invalid_choice": _("Choose what you are sending."),
        },
    )
    subject = PortalText(
        label=_("Subject"), max_length=SUBJECT_MAX, error_messages={"required": _("Give the subject.")}
    )
    content = PortalText(
        label=_("Content"),
        max_length=CONTENT_MAX,
        rows=8,
        error_messages={"required": _("Write the content of your submission.")},
    )
    people_count = forms.IntegerField(
        label=_("Number of people sending it"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        help_text=_(
            "If five people or more send it together, give their number; they appoint a representative "
            "(Nghị định 124/2020/NĐ-CP, Điều 7)."
        ),
        error_messages={
            "required": _("Give the number of people (1 if you send it alone)."),
            "invalid": _("The number of people must be a whole number."),
            "min_value": _("The number of people must be at least 1."),
            "max_value": _("The number of people must be at most %(limit_value)s."),
        },
    )
    anonymous = forms.BooleanField(
        label=_("Send without my name (feedback and suggestions only)"), required=False
    )
    name = PortalText(
        label=_("Full name"), max_length=150, required=False, widget=_input(autocomplete="name")
    )
    address = PortalText(
        label=_("Address"), max_length=300, required=False, widget=_input(autocomplete="street-address")
    )
    phone = PortalText(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=_input(autocomplete="tel", inputmode="tel", type="tel"),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid e-mail address, e.g. ten@example.vn.")},
    )
    id_number = PortalText(
        label=_("Identity card (CCCD) or passport number"),
        max_length=20,
        required=False,
        widget=_input(autocomplete="off"),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my personal data is processed for this submission as described in the notice above."
        ),
        required=False,
    )
    attachments = MultipleFileField(label=_("Attached files"), required=False)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits, for the page's script to warn before a too heavy form is sent (the server decides).
        self.fields["attachments"].widget.attrs.update(
            {
                "data-max-files": attachments.max_files(),
                "data-max-file-bytes": attachments.max_file_bytes(),
                "data-max-total-bytes": attachments.max_total_bytes(),
            }
        )

    @sensitive_variables()
    def personal_data(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {field: data[field].strip() for field in PERSONAL_FIELDS if (data.get(field) or "").strip()}

    @sensitive_variables()
    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and (not _PHONE.match(phone) or not 8 <= len(digits) <= 15):
            raise ValidationError(_("Enter a phone number of 8 to 15 digits, e.g. 0912 345 678."))
        return phone

    @sensitive_variables()
    def clean_id_number(self):
        number = self.cleaned_data["id_number"].strip().replace(" ", "")
        if number and not _ID_NUMBER.match(number):
            raise ValidationError(_("An identity document number has only letters and digits."))
        return number

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        attachments.check_all(files)
        return files

    @sensitive_variables()
    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        person = self.personal_data()
        if data.get("anonymous"):
            if kind and kind not in ANONYMOUS_KINDS:
                self.add_error(
                    "anonymous",
                    _(
                        "Only feedback and suggestions may be sent without a name: complaints, petitions and "
                        "denunciations need your full name and address."
                    ),
                )
            elif person:
                self.add_error(
                    "anonymous",
                    _(
                        "You chose to send without your name: leave your name and contacts empty, or untick the box."
                    ),
                )
        elif kind and kind not in ANONYMOUS_KINDS:
            if not person.get("name") and "name" not in self.errors:
                self.add_error("name", _("Give your full name."))
            if not person.get("address") and "address" not in self.errors:
                self.add_error("address", _("Give your address."))
        if person and not data.get("consent"):
            self.add_error("consent", CONSENT_MISSING)
        return data


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name of the unit"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": _("e.g. so tu phap")}
        ),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX",
            }
        ),
        error_messages={"required": _("Enter the tracking code you were given.")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if tracking.normalise(code) is None:
            raise ValidationError(
                _(
                    "A tracking code has 20 letters and digits in five groups of four, e.g. 7KQ2-M9XD-4TJA-0RWE-5HNC."
                )
            )
        return code
