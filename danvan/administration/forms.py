"""Forms for user and role management. They parse and check input; administration.services writes."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.models import Role
from danvan.core.forms import TextField
from danvan.orgs.selectors import unit_by_code

from .selectors import sees_roleless_users

ROLE_CHOICES = [("", "—"), *Role.choices]


class _UnitRoleMixin:
    """A unit code the administrator may grant roles at, and a role."""

    admin = None

    def clean_unit_code(self):
        code = self.cleaned_data.get("unit_code", "").strip()
        if not code:
            return None
        unit = unit_by_code(code)
        # A unit the administrator cannot even see reads exactly like one that does not exist.
        if unit is None or not policy.can(self.admin, policy.Perm.UNIT_VIEW, unit):
            raise forms.ValidationError(_("No unit found with code %(code)s."), params={"code": code})
        if not policy.can(self.admin, policy.Perm.ROLE_MANAGE, unit):
            raise forms.ValidationError(
                _("You may not manage roles at unit %(code)s: it is outside the units you administer."),
                params={"code": unit.code},
            )
        if not unit.is_active:
            raise forms.ValidationError(_("Unit %(code)s is dissolved."), params={"code": unit.code})
        return unit


class RoleGrantForm(_UnitRoleMixin, forms.Form):
    unit_code = forms.CharField(
        label=_("Unit code"),
        max_length=64,
        help_text=_("The role holds for this unit and all units under it."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin


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
    unit_code = forms.CharField(label=_("Unit code of the first role"), max_length=64, required=False)
    role = forms.ChoiceField(label=_("First role"), choices=ROLE_CHOICES, required=False)

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
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
