"""Forms of signing in, passwords, API tokens and the second factor. User and role management forms: `danvan.administration.forms`."""

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User


def _same_email(first: str, second: str) -> bool:
    return unicodedata.normalize("NFKC", first).casefold() == unicodedata.normalize("NFKC", second).casefold()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, except that accounts whose password was never set can use it too.

    An account created with "email the user a link" has no usable password until the person
    follows the link; when that link has expired, "Forgot your password?" must still work.
    """

    def get_users(self, email):
        candidates = User.objects.filter(email__iexact=email, is_active=True)
        return (user for user in candidates if _same_email(email, user.email))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “Máy chủ báo cáo tỉnh”."),
        error_messages={
            "required": _("Give the token a name that says where it is used."),
            "max_length": _("The name may be at most 100 characters long."),
        },
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        error_messages={
            "required": _("Choose how long the token stays valid among the durations offered."),
            "invalid_choice": _("Choose how long the token stays valid among the durations offered."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.API_TOKEN_DAYS
        self.fields["days"].choices = [(d, _("%(days)s days") % {"days": d}) for d in days]
        self.fields["days"].initial = 90 if 90 in days else days[-1]


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
        error_messages={"required": _("Type the code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class SecondFactorEnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=20,
        error_messages={"required": _("Type the 6 digits your app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=400)
