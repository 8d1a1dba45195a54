"""Forms of the register pages. They check the shape of the input; services.py checks the rest."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.forms import DateField, TextField
from danvan.orgs.fields import UnitChoiceField, UnitsChoiceField, for_user

from . import parsing
from .files import ATTACHMENT_KINDS, IMPORT_KINDS, attachment_rules, import_rules
from .models import Direction, RelationKind, SigningAuthority
from .numbers import document_types
from .services import DocumentSpec


def type_choices(blank: str = "") -> list[tuple[str, str]]:
    choices = [(code, f"{code} – {name}") for code, name in document_types().items()]
    return [("", blank), *choices] if blank else choices


class RegisterUnitField(UnitChoiceField):
    """The unit whose register holds the document: one the user manages documents of, still in force."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Register of the unit"), perm=Perm.DOCUMENT_MANAGE, **kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and value.valid_to is not None and value.valid_to <= timezone.localdate():
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": value.name}
            )


def _lines(label):
    return TextField(label=label, required=False, rows=3, help_text=_("One per line."))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    doc_type = forms.ChoiceField(label=_("Type"), required=False)
    direction = forms.ChoiceField(
        label=_("Incoming or outgoing"), required=False, choices=[("", _("All")), *Direction.choices]
    )
    issuer = forms.CharField(label=_("Issuing body"), required=False, max_length=300)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1930, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = type_choices(blank=str(_("All")))


class DocumentForm(forms.Form):
    unit = RegisterUnitField()
    direction = forms.ChoiceField(label=_("Incoming or outgoing"), choices=Direction.choices)
    doc_type = forms.ChoiceField(label=_("Type"))
    number_symbol = TextField(label=_("Number and symbol"), max_length=100, help_text=_("As “84-CV/ĐU”."))
    issuer = TextField(label=_("Issuing body"), max_length=300)
    parent_issuer = TextField(label=_("Parent body"), max_length=300, required=False)
    place = TextField(label=_("Place"), max_length=150, required=False)
    issued_on = DateField(label=_("Date of issue"))
    subject = TextField(label=_("Subject"), rows=2)
    addressees = _lines(_("Addressees (kính gửi)"))
    recipients = _lines(_("Recipients (nơi nhận)"))
    signing_authority = forms.ChoiceField(
        label=_("Signing authority"), choices=SigningAuthority.choices, required=False
    )
    signing_for = TextField(
        label=_("On behalf of"), max_length=150, required=False, help_text=_("As “ĐẢNG ỦY” in “T/M ĐẢNG ỦY”.")
    )
    signer_title = TextField(label=_("Signer's title"), max_length=150, required=False)
    signer = TextField(label=_("Signer"), max_length=150, required=False)
    body = TextField(label=_("Text"), required=False, rows=12)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)
        self.fields["doc_type"].choices = type_choices()

    def spec(self) -> DocumentSpec:
        data = self.cleaned_data
        return DocumentSpec(
            unit=data["unit"],
            direction=data["direction"],
            doc_type=data["doc_type"],
            number_symbol=data["number_symbol"],
            issuer=data["issuer"],
            issued_on=data["issued_on"],
            subject=data["subject"],
            parent_issuer=data["parent_issuer"],
            place=data["place"],
            addressees=data["addressees"].splitlines(),
            recipients=data["recipients"].splitlines(),
            signing_authority=data["signing_authority"],
            signing_for=data["signing_for"],
            signer_title=data["signer_title"],
            signer=data["signer"],
            body=data["body"],
        )

    @staticmethod
    def initial_of(document) -> dict:
        return {
            "unit": document.unit,
            "direction": document.direction,
            "doc_type": document.doc_type,
            "number_symbol": document.number_symbol,
            "issuer": document.issuer,
            "parent_issuer": document.parent_issuer,
            "place": document.place,
            "issued_on": document.issued_on,
            "subject": document.subject,
            "addressees": "\n".join(document.addressees),
            "recipients": "\n".join(document.recipients),
            "signing_authority": document.signing_authority,
            "signing_for": document.signing_for,
            "signer_title": document.signer_title,
            "signer": document.signer,
            "body": document.body,
        }


# The first link of a signing authority may be written without its dot ("TM ĐẢNG ỦY"); a later link of a
# chain ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH") needs its dot or slash, so that words of a name never count.
_AUTHORITY_FIRST = re.compile(
    r"^(T\s?/\s?M|T\.\s?M|TM|K\s?/\s?T|KT|TL|TUQ|Q(?=[.\s]+"
    + parsing.ACTING_TITLES
    + r"))(?:\s*[./]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_AUTHORITY_LINK = re.compile(
    r"(?<=\s)(T\s?/\s?M\.?|T\.\s?M\.?|TM\.|K\s?/\s?T\.?|KT\.|TL\.|TUQ\.|Q\.(?=\s*"
    + parsing.ACTING_TITLES
    + r"))\s*(?=\S)",
    re.IGNORECASE,
)
_AUTHORITY_CODES = {"TM": "T/M", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}


def split_authority(text: str) -> tuple[str, str]:
    """The signer's own authority and what it is held for, as the register stores them.

    "T/M ĐẢNG ỦY" (also "TM.", "T.M", "T/M.") -> ("T/M", "ĐẢNG ỦY"); "K/T TRƯỞNG BAN" -> ("KT.", "TRƯỞNG
    BAN"); a chain "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH" -> ("KT.", "CHỦ TỊCH"): the last link is how the
    signer signs (the collective is the issuer). "Q. GIÁM ĐỐC" (quyền, acting) -> ("Q.", "GIÁM ĐỐC") when
    the register knows "Q.", else ("", "Q. GIÁM ĐỐC") so that nothing is lost. No authority -> ("", "").
    """
    text = " ".join((text or "").split())
    first = _AUTHORITY_FIRST.match(text)
    if not first:
        return "", ""
    links: list[tuple[str, str]] = []
    code, position = first.group(1), first.end()
    for link in _AUTHORITY_LINK.finditer(text, position):
        links.append((code, text[position : link.start()].strip()))
        code, position = link.group(1), link.end()
    links.append((code, text[position:].strip()))
    written, holder = links[-1]
    code = _AUTHORITY_CODES.get(re.sub(r"[\s./]", "", written).upper(), "")
    if code and code not in SigningAuthority.values:
        return "", f"{code} {holder}".strip()
    return code, holder


def _iso(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def initial_from_parsed(parsed: dict, text: str) -> dict:
    """The review form's initial values from parsing.parse(text).as_dict()."""
    authority, signing_for = split_authority(parsed.get("signing_authority") or "")
    doc_type = parsed.get("type") or ""

    def _list(key):
        value = parsed.get(key) or []
        return "\n".join(str(item) for item in value) if isinstance(value, list) else str(value)

    return {
        "doc_type": doc_type if doc_type in document_types() else "",
        "number_symbol": parsed.get("number_symbol") or "",
        "issuer": parsed.get("issuer") or "",
        "parent_issuer": parsed.get("parent_issuer") or "",
        "place": parsed.get("place") or "",
        "issued_on": _iso(parsed.get("issued_on")),
        "subject": parsed.get("subject") or "",
        "addressees": _list("addressees"),
        "recipients": _list("recipients"),
        "signing_authority": authority,
        "signing_for": signing_for,
        "signer_title": parsed.get("signer_title") or "",
        "signer": parsed.get("signer") or "",
        "body": text,
    }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Document file"),
        help_text=_("A .txt, .docx or .pdf file (with a text layer)."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept(IMPORT_KINDS)}),
    )
    unit = RegisterUnitField()
    direction = forms.ChoiceField(label=_("Incoming or outgoing"), choices=Direction.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)

    def clean_file(self):
        return uploads.check(self.cleaned_data["file"], import_rules())


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("A .pdf, .docx, .xlsx, .txt, .jpg or .png file."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept(ATTACHMENT_KINDS)}),
    )

    def clean_file(self):
        return uploads.check(self.cleaned_data["file"], attachment_rules())


class ReviewForm(DocumentForm):
    pending = forms.CharField(widget=forms.HiddenInput)


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    cited_number_symbol = TextField(label=_("Number and symbol of the other document"), max_length=100)
    cited_type = forms.ChoiceField(label=_("Its type"), required=False)
    cited_date = DateField(label=_("Its date"), required=False, help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cited_type"].choices = type_choices(blank="—")


class DisseminationForm(forms.Form):
    """The units a document is sent to one by one, among those under its unit (the panel's other ways of
    choosing, by type, group or subtree, are read by the view)."""

    units = UnitsChoiceField(label=_("Units"), perm=Perm.DOCUMENT_MANAGE, required=False)

    def __init__(self, *args, user, document, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user, within=document.unit)
        self.document = document

    def clean_units(self):
        units = self.cleaned_data["units"]
        if any(unit.pk == self.document.unit_id for unit in units):
            raise forms.ValidationError(
                _("The document's own unit does not receive it: choose units under it."), code="own"
            )
        return units
