"""Forms of the staff pages for cases. They check the shape of the input; services.py checks the rest.

Fields the services validate (required text, dates, numbers) are optional here, so the service's
own Vietnamese message is the one shown. Every message Django would give in its own words
(required, invalid, invalid choice) is replaced by one of ours: Django's Vietnamese is incomplete.
Each action form carries the service it calls (`perform`) and the message shown after it worked;
which actions exist, from which states and in which order is `workflow.ACTIONS`.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, TextField
from danvan.core.paths import PATH_SEGMENT
from danvan.core.text import whole
from danvan.orgs.models import Unit
from danvan.orgs.selectors import unit_by_code

from . import attachments, services, workflow
from .models import Channel, Kind, State

UNIT_SELECT_LIMIT = 300  # more units than this: the unit is typed by its code
STAFF_CHANNELS = [
    (value, label) for value, label in Channel.choices if value != Channel.PORTAL
]  # the portal records its own cases

NBSP = "\u00a0"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list is checked by attachments.check_all in the form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": attachments.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


def active_units() -> QuerySet[Unit]:
    today = timezone.localdate()
    return Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))


def needed(field: forms.Field) -> forms.Field:
    """Mark a field the service requires (the form leaves the check, and its message, to the service)."""
    field.needed = True
    return field


def _today() -> datetime.date:
    return timezone.localdate()


def _flag(label, **kwargs) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, **kwargs)


def _count(label, *, needed: bool = False, **kwargs) -> forms.IntegerField:
    field = forms.IntegerField(
        label=label,
        required=False,
        error_messages={"invalid": _("Type a whole number.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        **kwargs,
    )
    field.needed = needed
    return field


def _choice(label, choices, message, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "—"), *choices],
        error_messages={"invalid_choice": message},
        **kwargs,
    )


def unit_label(unit: Unit, top: int = 0) -> str:
    depth = max(0, (len(unit.path) - top) // PATH_SEGMENT)
    return f"{NBSP * 2 * depth}{unit.name} ({unit.code})"


class UnitField(forms.Field):
    """A unit picked from a list when there are few to choose from, typed by its code otherwise.

    `units` is every unit that may be chosen; anything else, an unknown id or code included,
    gets `message`. Empty means no unit (the service then says what is missing).
    """

    def __init__(self, *, units: QuerySet[Unit], message, **kwargs):
        self.units = units
        self.message = message
        options = list(units.order_by("path")[: UNIT_SELECT_LIMIT + 1])
        self.by_code = len(options) > UNIT_SELECT_LIMIT
        if self.by_code:
            kwargs["widget"] = forms.TextInput(attrs={"size": 14, "autocomplete": "off"})
            kwargs.setdefault("help_text", _("Type the unit's code, e.g. STP."))
        else:
            top = min((len(unit.path) for unit in options), default=0)
            kwargs["widget"] = forms.Select(
                choices=[("", "—"), *((unit.pk, unit_label(unit, top)) for unit in options)]
            )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> Unit | None:
        text = str(value or "").strip()
        if not text:
            return None
        if self.by_code:
            found = unit_by_code(text)
            unit = self.units.filter(pk=found.pk).first() if found is not None else None
        else:
            pk = whole(text)
            unit = self.units.filter(pk=pk).first() if pk is not None else None
        if unit is None:
            raise ValidationError(self.message)
        return unit

    def prepare_value(self, value):
        if isinstance(value, Unit):
            return value.code if self.by_code else value.pk
        return value


# ---------------------------------------------------------------- the list


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search for at most 100 characters.")},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("reference or subject")}),
    )
    kind = _choice(_("Kind"), Kind.choices, _("Choose a kind from the list."))
    channel = _choice(_("Channel"), Channel.choices, _("Choose a channel from the list."))
    state = _choice(_("State"), State.choices, _("Choose a state from the list."))
    received_from = DateField(label=_("Received from"), required=False, help_text="")
    received_to = DateField(label=_("Received to"), required=False, help_text="")
    overdue = _flag(_("Overdue only"))

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(
            label=_("Unit"),
            units=units,
            message=_("No unit you may see has this code."),
            help_text=_("The unit and all units under it."),
        )
        self.order_fields(["q", "unit", "kind", "channel", "state", "received_from", "received_to"])

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", gettext("The end date is before the start date."))
        return data


# ---------------------------------------------------------------- intake


class IntakeForm(forms.Form):
    service_fields = {"identity": "name"}  # a service's error about the sender is shown at the name
    """A submission received by staff: at the desk, by post, on the hotline, from a box."""

    kind = needed(
        _choice(
            _("Kind"),
            Kind.choices,
            _("Choose what the submission is (complaint, denunciation, petition, feedback or suggestion)."),
        )
    )
    channel = needed(_choice(_("Channel"), STAFF_CHANNELS, _("Choose how the submission arrived.")))
    subject = needed(
        TextField(label=_("Subject"), required=False, help_text=_("A short summary, as in the register."))
    )
    content = needed(TextField(label=_("Content"), required=False, rows=6))
    received_on = needed(DateField(label=_("Received on"), required=False, initial=_today))
    people_count = _count(
        _("Number of people"),
        initial=1,
        needed=True,
        help_text=_("Five people or more make a mass complaint."),
    )
    anonymous = _flag(_("Anonymous"), help_text=_("Only feedback and suggestions may be anonymous."))
    is_over_level = _flag(_("Over-level"), help_text=_("Sent above the level competent to resolve it."))
    name = TextField(label=_("Sender's full name"), required=False)
    address = TextField(label=_("Sender's address"), required=False)
    phone = TextField(label=_("Phone"), required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Type a valid e-mail address, e.g. ten@example.vn.")},
    )
    id_number = TextField(label=_("Identity document number"), required=False)
    receipt = _flag(
        _("Print a receipt with a tracking code"),
        help_text=_("The code is shown once, on the receipt: the sender follows the case with it."),
    )
    attachments = MultipleFileField(label=_("Attached files"), required=False)
    attachments_protected = _flag(
        _("Protected files (handwriting, identity papers)"),
        help_text=_(
            "Kept encrypted and shown only to those who may see the sender's identity. Every file of a "
            "denunciation is protected."
        ),
    )

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = needed(
            UnitField(
                label=_("Responsible unit"),
                units=units,
                message=_("Choose one of the units whose cases you handle."),
            )
        )
        self.order_fields(["unit"])
        self.fields["attachments"].help_text = attachments.accepted_types_text()
        if not self.is_bound:
            only = list(units[:2])
            if len(only) == 1:
                self.initial["unit"] = only[0].pk

    SENDER_FIELDS = ("name", "address", "phone", "email", "id_number")
    FILE_FIELDS = ("attachments", "attachments_protected")

    def case_part(self) -> list[forms.BoundField]:
        others = (*self.SENDER_FIELDS, *self.FILE_FIELDS, "receipt")
        return [self[name] for name in self.fields if name not in others]

    def sender_part(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SENDER_FIELDS]

    def files_part(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FILE_FIELDS]

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        attachments.check_all(files)  # every problem at once, in Vietnamese
        return files

    def spec(self) -> services.NewCase:
        data = self.cleaned_data
        person = {field: data.get(field) or "" for field in self.SENDER_FIELDS}
        return services.NewCase(
            unit=data.get("unit"),
            kind=data.get("kind") or "",
            channel=data.get("channel") or "",
            subject=data.get("subject") or "",
            content=data.get("content") or "",
            received_on=data.get("received_on"),
            people_count=data.get("people_count"),
            anonymous=bool(data.get("anonymous")),
            identity=person,
            is_over_level=bool(data.get("is_over_level")),
        )

    def clean(self):
        data = super().clean()
        if data.get("people_count") is None and "people_count" not in self.errors:
            self.add_error("people_count", gettext("Give the number of people."))
        return data


# ---------------------------------------------------------------- actions on a case


class ActionForm(forms.Form):
    """One action on the case detail page. Subclasses say which service they call."""

    action = ""
    title = ""
    button = _("Save")
    done = ""  # the success message; %(reference)s is the case's reference

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.case = case

    def perform(self, case, *, by):
        raise NotImplementedError


def _day_field():
    return needed(DateField(label=_("Day"), required=False, initial=_today))


def _reason_field(label=None):
    return needed(TextField(label=label or _("Reason"), required=False, rows=3))


class ClassifyForm(ActionForm):
    action = "classify"
    title = _("Classify")
    button = _("Save the classification")
    done = _("The classification of case %(reference)s was saved.")

    kind = _choice(
        _("Kind"),
        Kind.choices,
        _("Choose what the submission is (complaint, denunciation, petition, feedback or suggestion)."),
    )
    is_complex = _flag(_("Complex case"))
    is_especially_complex = _flag(_("Especially complex case"))
    is_remote = _flag(_("Remote area"))
    is_over_level = _flag(_("Over-level"))
    people_count = _count(_("Number of people"))
    reason = TextField(label=_("Reason (required when the kind changes)"), required=False, rows=3)
    day = DateField(
        label=_("Day of the reclassification"),
        required=False,
        help_text=_("When the kind changes, the periods of the old kind stop on this day (today if empty)."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    "kind": case.kind,
                    "is_complex": case.is_complex,
                    "is_especially_complex": case.is_especially_complex,
                    "is_remote": case.is_remote,
                    "is_over_level": case.is_over_level,
                    "people_count": case.people_count,
                }
            )

    def perform(self, case, *, by):
        data = self.cleaned_data
        spec = services.Classification(
            kind=data.get("kind") or "",
            is_complex=data["is_complex"],
            is_especially_complex=data["is_especially_complex"],
            is_remote=data["is_remote"],
            is_over_level=data["is_over_level"],
            people_count=data.get("people_count"),
            reason=data.get("reason") or "",
            day=data.get("day"),
        )
        return services.case_classify(case=case, spec=spec, by=by)


class AssignForm(ActionForm):
    action = "assign"
    title = _("Assign a handler")
    button = _("Assign")
    done = _("The handler of case %(reference)s was assigned.")

    def __init__(self, *args, case, handlers=(), **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.handlers = {str(user.pk): user for user in handlers}
        self.fields["handler"] = forms.ChoiceField(
            label=_("Handler"),
            choices=[
                ("", "—"),
                *((pk, user.get_full_name() or user.username) for pk, user in self.handlers.items()),
            ],
            error_messages={
                "required": _("Choose the handler."),
                "invalid_choice": _("Choose one of the people who handle cases of this unit."),
            },
        )
        if not self.is_bound and case.handler_id:
            self.initial["handler"] = str(case.handler_id)

    def perform(self, case, *, by):
        return services.case_assign(case=case, handler=self.handlers[self.cleaned_data["handler"]], by=by)


class DayForm(ActionForm):
    """Actions that only need the day they happened."""

    day = _day_field()
    service = None

    def perform(self, case, *, by):
        return type(self).service(case=case, day=self.cleaned_data.get("day"), by=by)


class AcceptForm(DayForm):
    action = "accept"
    title = _("Accept for handling")
    button = _("Accept")
    done = _("Case %(reference)s was accepted for handling.")
    service = staticmethod(services.case_accept)


class NotifyForm(DayForm):
    action = "notify"
    title = _("Notify acceptance")
    button = _("Record the notification")
    done = _("The notification of acceptance of case %(reference)s was recorded.")
    service = staticmethod(services.case_notify)


class VerifyForm(DayForm):
    action = "verify"
    title = _("Start verifying")
    button = _("Start verifying")
    done = _("Verification of case %(reference)s started.")
    service = staticmethod(services.case_verify)


class ResumeForm(DayForm):
    action = "resume"
    title = _("Resume")
    button = _("Resume")
    done = _("Case %(reference)s resumed.")
    service = staticmethod(services.case_resume)


class CloseForm(DayForm):
    action = "close"
    title = _("Close the case")
    button = _("Close")
    done = _("Case %(reference)s was closed.")
    service = staticmethod(services.case_close)


class DayReasonForm(ActionForm):
    day = _day_field()
    reason = _reason_field()
    service = None

    def perform(self, case, *, by):
        data = self.cleaned_data
        return type(self).service(case=case, day=data.get("day"), reason=data.get("reason") or "", by=by)


class PauseForm(DayReasonForm):
    action = "pause"
    title = _("Pause, waiting for the submitter")
    button = _("Pause")
    done = _("Case %(reference)s is paused: its clocks stopped.")
    service = staticmethod(services.case_pause)


class WithdrawForm(DayReasonForm):
    action = "withdraw"
    title = _("Withdrawn by the submitter")
    button = _("Record the withdrawal")
    done = _("Case %(reference)s was withdrawn.")
    service = staticmethod(services.case_withdraw)


class RejectForm(ActionForm):
    action = "reject"
    title = _("Reject (not accepted)")
    button = _("Reject")
    done = _("Case %(reference)s was rejected.")

    day = _day_field()
    reason = _reason_field()
    public_note = TextField(
        label=_("Answer shown to the submitter"),
        required=False,
        rows=3,
        help_text=_("e.g. the guidance on where to send it."),
    )

    def perform(self, case, *, by):
        data = self.cleaned_data
        return services.case_reject(
            case=case,
            day=data.get("day"),
            reason=data.get("reason") or "",
            public_note=data.get("public_note") or "",
            by=by,
        )


class TransferForm(ActionForm):
    action = "transfer"
    title = _("Transfer to another unit")
    button = _("Transfer")
    done = _("Case %(reference)s was transferred.")

    day = _day_field()
    reason = _reason_field()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["to_unit"] = needed(
            UnitField(
                label=_("To unit"),
                units=active_units(),
                message=gettext("Choose a unit of the organisation tree to transfer to."),
            )
        )
        self.order_fields(["to_unit"])

    def perform(self, case, *, by):
        data = self.cleaned_data
        return services.case_transfer(
            case=case,
            to_unit=data.get("to_unit"),
            day=data.get("day"),
            reason=data.get("reason") or "",
            by=by,
        )


class ExtendForm(ActionForm):
    action = "extend"
    title = _("Extend the resolution period")
    button = _("Extend")
    done = _("The resolution period of case %(reference)s was extended.")

    decision_number = needed(TextField(label=_("Decision number"), required=False))
    decision_date = needed(DateField(label=_("Decision date"), required=False))
    reason = _reason_field()

    def perform(self, case, *, by):
        data = self.cleaned_data
        return services.case_extend(
            case=case,
            decision_number=data.get("decision_number") or "",
            decision_date=data.get("decision_date"),
            reason=data.get("reason") or "",
            by=by,
        )


class ResolveForm(ActionForm):
    action = "resolve"
    title = _("Resolve")
    button = _("Record the decision")
    done = _("The decision on case %(reference)s was recorded.")

    decision_number = TextField(
        label=_("Decision number"), required=False, help_text=_("Required for complaints and denunciations.")
    )
    decision_date = needed(DateField(label=_("Decision date"), required=False))
    summary = needed(TextField(label=_("Summary of the decision"), required=False, rows=4))
    public_note = TextField(label=_("Answer shown to the submitter"), required=False, rows=3)

    def perform(self, case, *, by):
        data = self.cleaned_data
        return services.case_resolve(
            case=case,
            decision_number=data.get("decision_number") or "",
            decision_date=data.get("decision_date"),
            summary=data.get("summary") or "",
            public_note=data.get("public_note") or "",
            by=by,
        )


_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        ClassifyForm,
        AssignForm,
        AcceptForm,
        RejectForm,
        TransferForm,
        NotifyForm,
        VerifyForm,
        ExtendForm,
        PauseForm,
        ResumeForm,
        ResolveForm,
        CloseForm,
        WithdrawForm,
    )
}
# The case file's forms, in the order of `workflow.ACTIONS` (a declared action without a form fails here).
ACTION_FORMS: dict[str, type[ActionForm]] = {
    spec.action: _FORMS[spec.action] for spec in workflow.ACTIONS if spec.on_page
}


# ---------------------------------------------------------------- suggestion boxes


class BoxOpeningForm(forms.Form):
    opened_on = needed(DateField(label=_("Opened on"), required=False, initial=_today))
    opened_by = needed(TextField(label=_("Opened by"), required=False))
    witnesses = TextField(
        label=_("Witnesses"), required=False, help_text=_("Who was present when the box was opened.")
    )
    letters = needed(
        forms.IntegerField(
            label=_("Letters found"),
            required=False,
            error_messages={"invalid": _("Type a whole number.")},
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        )
    )
    note = TextField(label=_("Note"), required=False, rows=3)

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = needed(
            UnitField(
                label=_("Unit"), units=units, message=_("Choose one of the units whose cases you handle.")
            )
        )
        self.order_fields(["unit"])
        if not self.is_bound:
            only = list(units[:2])
            if len(only) == 1:
                self.initial["unit"] = only[0].pk
