"""Forms for user and role management. They parse and check input; administration.services writes."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Role
from danvan.accounts.policy import Perm
from danvan.core.forms import TextField
from danvan.orgs.fields import UnitChoiceField, for_user

from .selectors import sees_roleless_users

ROLE_CHOICES = [("", "—"), *Role.choices]


class _UnitRoleMixin:
    """A unit the administrator may grant roles at (chosen with the unit picker: one outside the units
    they administer reads like one that does not exist), and a role."""

    admin = None

    def clean_unit_code(self):
        unit = self.cleaned_data.get("unit_code")
        if unit is None:
            return None
        if not unit.is_active:
            raise forms.ValidationError(_("Unit %(code)s is dissolved."), params={"code": unit.code})
        return unit


class RoleGrantForm(_UnitRoleMixin, forms.Form):
    unit_code = UnitChoiceField(
        label=_("Unit"),
        perm=Perm.ROLE_MANAGE,
        help_text=_("The role holds for this unit and all units under it."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
        for_user(self, admin)


class UserCreateForm(_UnitRoleMixin, forms.Form):
    SET_PASSWORD = "set"
    SEND_EMAIL = "email"

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = TextField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = TextField(label=_("Phone"), max_length=30, required=False)
    password_mode = forms.ChoiceField(
        label=_("Password"),
        choices=[
            (SET_PASSWORD, _("Set an initial password now")),
            (SEND_EMAIL, _("Email the user a link to choose their password")),
        ],
        initial=SET_PASSWORD,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Initial password (again)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    unit_code = UnitChoiceField(label=_("Unit of the first role"), perm=Perm.ROLE_MANAGE, required=False)
    role = forms.ChoiceField(label=_("First role"), choices=ROLE_CHOICES, required=False)

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
        for_user(self, admin)
        self.role_required = not sees_roleless_users(admin)
        if self.role_required:
            # A user without a role at one of my units would vanish from my list at once.
            self.fields["unit_code"].required = True
            self.fields["role"].required = True

    def clean(self):
        data = super().clean()
        if data.get("password_mode") == self.SET_PASSWORD:
            first, second = data.get("password1"), data.get("password2")
            if not first:
                self.add_error("password1", _("Enter the initial password."))
            elif first != second:
                self.add_error("password2", _("The two passwords differ."))
        elif data.get("password_mode") == self.SEND_EMAIL and not data.get("email"):
            self.add_error("email", _("An email address is needed to send the password-setting link."))
        if bool(data.get("unit_code")) != bool(data.get("role")) and "unit_code" not in self.errors:
            self.add_error("role", _("Choose both a unit and a role, or neither."))
        return data

    @property
    def password(self) -> str | None:
        """The initial password, or None when the user will choose it from the email link."""
        if self.cleaned_data["password_mode"] == self.SET_PASSWORD:
            return self.cleaned_data["password1"]
        return None


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
