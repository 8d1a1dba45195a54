"""Forms of signing in and passwords. User and role management forms: `danvan.administration.forms`."""

import unicodedata

from django.contrib.auth import forms as auth_forms

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
