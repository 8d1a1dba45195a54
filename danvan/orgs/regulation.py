"""The coordination regulation document's one check: the form, the API and `services.regulation_set`
ask it (PDF or DOCX, at most 10 MB, checked by the uploads kit)."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from danvan.core import uploads

REGULATION_MAX_BYTES = 10 * 1024 * 1024
REGULATION_KINDS = (uploads.PDF, uploads.DOCX)


def validate_regulation_file(file: File) -> uploads.Checked:
    """A coordination regulation document: PDF or DOCX, at most 10 MB, checked by the uploads kit (type by
    content and name, no macros or scripts …). The forms, the API and `regulation_set` use it.

    The kit's refusals keep this document's two short messages (type, size); the others (macros,
    scripts, zip bombs, polyglots) say what is wrong. `file`'s position is left at the start.
    """
    rules = uploads.Rules(REGULATION_KINDS, max_file_bytes=REGULATION_MAX_BYTES)
    try:
        return uploads.check(file, rules)
    except ValidationError as error:
        if error.code == "too_big":
            raise ValidationError(_("The file is larger than 10 MB."), code="file_too_large") from None
        if error.code in ("empty", "type", "extension"):
            raise ValidationError(_("Only PDF or DOCX files are accepted."), code="file_type") from None
        raise


def regulation_file_validator(file: File) -> None:
    """`validate_regulation_file` as a form's or a serializer's field validator (which returns nothing)."""
    validate_regulation_file(file)
