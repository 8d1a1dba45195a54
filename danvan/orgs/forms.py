"""Forms of the organisation pages. They check the shape of the input; the services check the rest.

Errors raised by a service (django ValidationError, field-keyed or not) are attached to the
form by `attach_service_errors`, so the user sees them beside the field they concern.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField, UnitsChoiceField
from danvan.orgs.selectors import unit_by_code

from .models import Unit, UnitGroup, UnitType
from .regulation import regulation_file_validator

CODE_SPLIT = re.compile(r"[\s,;]+")


def find_unit(code: str) -> Unit | None:
    return unit_by_code(code)


def unit_not_found(code: str) -> str:
    return _("No unit with code %(code)s was found.") % {"code": code}


class AsOfForm(forms.Form):
    as_of = DateField(label=_("As of"), required=False, help_text="")


class SearchForm(AsOfForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


def decision_field() -> TextField:
    return TextField(
        label=_("Decision"),
        required=False,
        max_length=200,
        help_text=_("Number and symbol of the decision, e.g. 125-QĐ/ĐUK"),
    )


class _Restructure(forms.Form):
    """Every restructuring act is effective on a date and may cite the decision that ordered it."""

    effective_on = DateField(label=_("Effective date"))
    decision = decision_field()


def _type_field(label=None, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=UnitType.objects.all(), label=label or _("Type"), **kwargs)


def _groups_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=UnitGroup.objects.all(),
        label=_("Groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class UnitCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=64)
    name = TextField(label=_("Name"), max_length=255)
    short_name = TextField(label=_("Short name"), max_length=120, required=False)
    unit_type = _type_field()
    groups = _groups_field()
    valid_from = DateField(label=_("In force from"))
    decision = decision_field()


class UnitChangeForm(_Restructure):
    name = TextField(label=_("Name"), max_length=255)
    short_name = TextField(label=_("Short name"), max_length=120, required=False)
    unit_type = _type_field()
    groups = _groups_field()
    field_order = ["name", "short_name", "unit_type", "groups", "effective_on", "decision"]


class UnitMoveForm(_Restructure):
    parent_code = UnitChoiceField(label=_("New parent unit"), perm=Perm.UNIT_RESTRUCTURE)
    field_order = ["parent_code", "effective_on", "decision"]

    def clean_parent_code(self):
        self.parent = self.cleaned_data["parent_code"]
        return self.parent.code


class UnitMergeForm(_Restructure):
    EXISTING, NEW = "existing", "new"

    others = UnitsChoiceField(
        label=_("Other units merged with this one"), perm=Perm.UNIT_RESTRUCTURE, required=False
    )
    target = forms.ChoiceField(
        label=_("Merge into"),
        choices=[(EXISTING, _("an existing unit")), (NEW, _("a new unit"))],
        widget=forms.RadioSelect,
        initial=NEW,
        help_text=_("A new unit is placed under the parent of this unit."),
    )
    into_code = UnitChoiceField(label=_("Existing unit"), perm=Perm.UNIT_RESTRUCTURE, required=False)
    new_code = forms.CharField(label=_("Code of the new unit"), max_length=64, required=False)
    new_name = TextField(label=_("Name of the new unit"), max_length=255, required=False)
    new_type = _type_field(label=_("Type of the new unit"), required=False)
    field_order = ["others", "target", "into_code", "new_code", "new_name", "new_type", "effective_on"]

    def clean_others(self):
        self.other_units = list(self.cleaned_data["others"] or [])
        return self.other_units

    def clean(self):
        data = super().clean()
        self.into = None
        required = forms.Field.default_error_messages["required"]
        if data.get("target") == self.EXISTING:
            if data.get("into_code"):
                self.into = data["into_code"]
            elif "into_code" not in self.errors:
                self.add_error("into_code", required)
        elif data.get("target") == self.NEW:
            for name in ("new_code", "new_name", "new_type"):
                if not data.get(name):
                    self.add_error(name, required)
        return data


class SplitPartForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=64)
    name = TextField(label=_("Name"), max_length=255)
    unit_type = _type_field()


SPLIT_MIN_PARTS, SPLIT_MAX_PARTS = 2, 10


class SplitPartFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _("The form is incomplete; reload the page and try again."),
        "too_many_forms": _("Enter at most %(num)d new units."),
        "too_few_forms": _("Enter at least %(num)d new units."),
    }


def split_formset_class(parts: int):
    return forms.formset_factory(
        SplitPartForm,
        formset=SplitPartFormSet,
        extra=max(parts - SPLIT_MIN_PARTS, 0),
        min_num=SPLIT_MIN_PARTS,
        validate_min=True,
        max_num=SPLIT_MAX_PARTS,
        validate_max=True,
    )


class UnitSplitForm(_Restructure):
    """The act itself, plus one choice per unit under the split unit: which new unit takes it.

    The units offered are those under it on the effective date (see `effective_day`): each must be
    given a new unit, so changing the date shows the form again with that day's units.
    """

    @classmethod
    def effective_day(cls, data) -> datetime.date | None:
        """The effective date posted in `data`, when it is a valid date."""
        if data is None:
            return None
        field = cls.base_fields["effective_on"]
        try:
            return field.clean(field.widget.value_from_datadict(data, {}, "effective_on"))
        except ValidationError:
            return None

    def __init__(self, *args, children=(), parts: int = SPLIT_MIN_PARTS, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(i), _("New unit no. %(number)s") % {"number": i}) for i in range(1, parts + 1)]
        self.child_fields = []
        for child in children:
            name = f"child_{child.unit_id}"
            self.fields[name] = forms.ChoiceField(label=f"{child.name} ({child.unit.code})", choices=choices)
            self.child_fields.append((name, child.unit.code))

    def assignments(self, codes: list[str]) -> dict[str, str]:
        """{code of a unit under the split unit: code of the new unit that takes it}."""
        return {child: codes[int(self.cleaned_data[name]) - 1] for name, child in self.child_fields}


class UnitDissolveForm(_Restructure):
    confirm = forms.BooleanField(
        label=_("I confirm that this unit is dissolved on the effective date."),
        error_messages={"required": _("Tick the box to confirm the dissolution.")},
    )


class LeadForm(forms.Form):
    full_name = TextField(label=_("Full name"), max_length=150)
    position = TextField(label=_("Position"), max_length=150, required=False)
    phone = TextField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    assigned_on = DateField(label=_("Assigned on"))


class RegulationForm(forms.Form):
    number = TextField(label=_("Number and symbol"), max_length=60)
    signed_on = DateField(label=_("Signed on"))
    file = forms.FileField(
        label=_("Document (PDF or DOCX, at most 10 MB)"),
        required=False,
        validators=[regulation_file_validator],
    )


CATALOGUE_ERRORS = {"code": {"invalid": _("Use only letters without diacritics, digits, '-' or '_'.")}}


class _CatalogueForm(forms.ModelForm):
    """A new unit group or unit type: a code (letters, digits, '-' or '_') and a name."""

    def clean_code(self):
        code = self.cleaned_data["code"].strip().lower()
        if self._meta.model.objects.filter(code__iexact=code).exists():
            raise ValidationError(_("Code %(code)s is already used.") % {"code": code})
        return code


class UnitGroupForm(_CatalogueForm):
    class Meta:
        model = UnitGroup
        fields = ["code", "name", "description"]
        field_classes = {"name": TextField, "description": TextField}
        labels = {"code": _("Code"), "name": _("Name"), "description": _("Description")}
        error_messages = CATALOGUE_ERRORS


class UnitTypeForm(_CatalogueForm):
    class Meta:
        model = UnitType
        fields = ["code", "name"]
        field_classes = {"name": TextField}
        labels = {"code": _("Code"), "name": _("Name")}
        error_messages = CATALOGUE_ERRORS
