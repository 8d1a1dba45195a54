"""The one upload checker: `check(file, rules)`, `check_all(files, rules)`.

Each refusal is a ValidationError with a Vietnamese message naming the file and a code:

- `empty`; `too_big` (per file: at most `max_file_bytes + 1` bytes are read, the `size` an upload
  announces is never trusted alone); `too_many` and `total_too_big` (check_all only);
- `type`: the content is not one of the accepted kinds. The kind is read from the content
  (`filetype`; a ZIP it does not place is an Office file when its central directory holds the
  kind's main part), never from the name or the browser; text kinds (TXT, CSV) have no signature and are
  recognised by a text check: UTF-16 with its byte order mark, or UTF-8 (with or without BOM), and
  no NUL character either way (binary renamed .txt fails);
- `extension`: the name's extension is not one of the detected kind's (a PDF named .exe or .png);
- `damaged`, `macros`, `unpacks`: Office files that are not a real package of their kind, that carry
  macros or ActiveX, or that unpack beyond a ratio or a cap (see packages.py); PDF object streams
  that cannot be read or inflate too far (see pdf.py);
- `active`: PDFs with scripts, launch actions, embedded files, rich media or XFA (see pdf.py);
- `polyglot`: files valid as two types at once. Refused precisely when:
  * a file that is not itself a ZIP package (every kind but DOCX and XLSX) holds a ZIP
    end-of-central-directory record (PK\\x05\\x06) in its last 64 KiB + 22 bytes — where every ZIP
    reader looks for it — whose central directory (offset + size) lies before it, or that points to
    a ZIP64 record: an image, PDF or recording with an archive appended;
  * a file that is not a PDF has "%PDF-" within its first 1024 bytes, where PDF readers look for
    the header: a JPEG (or a DOCX, a text) that a PDF reader would open;
  * an image or a recording holds an HTML or script tag anywhere (`<script`, `<html`, `<iframe`,
    `<body`, `<svg`, `<?php`, `<!doctype html`): media carry no markup, so one that does is meant
    to be opened as a web page too;
  * a PDF holds HTML markup (the same tags, `<svg` aside) in its structure, its comments, the data of
    a stream without a filter or its first 1024 bytes, or `<script`/`<iframe` anywhere (see
    pdf.html_inside): a PDF that a browser would also run as a web page.
    Other documents (Office, text) may quote markup; like every stored file they are served as
    downloads, never sniffed, sandboxed (core.downloads).
"""

import hashlib
import re
import struct
from dataclasses import dataclass, field
from functools import cached_property

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import packages, pdf
from .kinds import BY_MIME, PDF, Kind, Rules, megabytes_text
from .names import extension, sanitise_name

HEAD_BYTES = 8192  # what filetype reads to recognise a type
HEADER_WINDOW = 1024  # where PDF readers look for "%PDF-"
ZIP_END_WINDOW = 22 + 65535  # an end-of-central-directory record and the longest comment
_MARKUP = re.compile(rb"<(?:script|html|iframe|body|svg|\?php|!doctype\s+html)[\s>/]", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """A file that passed the checks: its clean name, the type read from its content, the content."""

    name: str
    content_type: str
    content: bytes = field(repr=False)

    @property
    def kind(self) -> Kind:
        return BY_MIME[self.content_type]

    @property
    def mime(self) -> str:
        return self.content_type

    @property
    def size(self) -> int:
        return len(self.content)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check(file, rules: Rules, *, name: str | None = None) -> Checked:
    """The checks on one file: an upload (any django File), or bytes with `name`.

    Raises ValidationError (Vietnamese message, code as in the module docstring). An upload's
    position is left at its start.
    """
    if isinstance(file, bytes | bytearray | memoryview):
        name, content = sanitise_name(name or ""), bytes(file)
    else:
        name = sanitise_name(name if name is not None else getattr(file, "name", ""))
        content = _read(file, rules.max_file_bytes, name)
    return _checked(content, name, rules)


def check_all(files, rules: Rules) -> list[Checked]:
    """The checks on every file of one sending, and on their number and total size.

    Raises one ValidationError listing every problem, so the sender can fix them all at once.
    """
    files = list(files)
    problems: list[ValidationError] = []
    if len(files) > rules.max_files:
        message = _("Send at most %(count)s files.") % {"count": rules.max_files}
        problems.append(ValidationError(message, code="too_many"))
    checked = []
    for file in files:
        try:
            checked.append(check(file, rules))
        except ValidationError as error:
            problems.extend(error.error_list)
    if sum(item.size for item in checked) > rules.total_bytes:
        message = _("The files together are larger than %(mb)s MB: send fewer or smaller files.") % {
            "mb": megabytes_text(rules.total_bytes)
        }
        problems.append(ValidationError(message, code="total_too_big"))
    if problems:
        raise ValidationError(problems)
    return checked


def _read(file, limit: int, name: str) -> bytes:
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_big(name, limit)  # no need to read what is announced too big
    file.seek(0)
    content = file.read(limit + 1)
    file.seek(0)
    return content


def _too_big(name: str, limit: int) -> ValidationError:
    return ValidationError(
        _("The file “%(name)s” is larger than %(mb)s MB: send a smaller file.")
        % {"name": name, "mb": megabytes_text(limit)},
        code="too_big",
    )


def _checked(content: bytes, name: str, rules: Rules) -> Checked:
    if not content:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    if len(content) > rules.max_file_bytes:
        raise _too_big(name, rules.max_file_bytes)
    kind = _kind_of(content, name, rules)
    if kind not in rules.kinds:
        raise ValidationError(
            _("The content of the file “%(name)s” is not an accepted type (%(types)s).")
            % {"name": name, "types": rules.extensions_text()},
            code="type",
        )
    if extension(name) not in kind.extensions:
        raise ValidationError(
            _(
                "The file “%(name)s” holds a %(type)s document, but its name does not end in “.%(expected)s” "
                "(its content does not match its name): rename it and send it again."
            )
            % {"name": name, "type": kind.label, "expected": kind.extensions[0]},
            code="extension",
        )
    _check_inside(content, name, kind, rules)
    other = _also(content, kind)
    if other:
        raise ValidationError(
            _(
                "The file “%(name)s” is a %(type)s document but can also be read as %(other)s, which is not "
                "accepted: save it again as a plain %(type)s document."
            )
            % {"name": name, "type": kind.label, "other": other},
            code="polyglot",
        )
    return Checked(name=name, content_type=kind.mime, content=content)


def _kind_of(content: bytes, name: str, rules: Rules) -> Kind | None:
    guessed = filetype.guess(content[:HEAD_BYTES])
    if guessed is not None and guessed.mime == "application/zip":
        return packages.office_kind(content)  # filetype reads only the first entries' names
    if guessed is not None:
        return BY_MIME.get(guessed.mime)
    text_kinds = [kind for kind in rules.kinds if kind.family == "text"]
    if not text_kinds or not is_text(content):
        return None
    return next((kind for kind in text_kinds if extension(name) in kind.extensions), text_kinds[0])


def is_text(content: bytes) -> bool:
    """UTF-16 with its byte order mark, or UTF-8 with or without one; no NUL character."""
    encoding = "utf-16" if content.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return "\x00" not in content.decode(encoding)
    except UnicodeDecodeError:
        return False


def _check_inside(content: bytes, name: str, kind: Kind, rules: Rules) -> None:
    if kind.family == "office":
        problem = packages.problem(content, kind, rules.max_unpacked_bytes)
    elif kind is PDF:
        problem = pdf.problem(content, rules.max_unpacked_bytes)
    else:
        return
    values = {"name": name, "type": kind.label}
    if problem in (packages.DAMAGED, pdf.DAMAGED):
        message = _("The file “%(name)s” is damaged or is not a real %(type)s document.")
    elif problem == packages.MACROS:
        message = _(
            "The file “%(name)s” contains macros, which are not accepted: save it as an ordinary document "
            "and send it again."
        )
    elif problem in (packages.UNPACKS, pdf.UNPACKS):
        message = _(
            "The file “%(name)s” unpacks to far more than its size: it is refused as a possible zip bomb."
        )
    elif problem == pdf.ACTIVE_CONTENT:
        message = _(
            "The PDF file “%(name)s” contains scripts, launch actions or embedded files, which are not "
            "accepted: print it to a new PDF and send it again."
        )
    else:
        return
    raise ValidationError(message % values, code=problem)


def _also(content: bytes, kind: Kind) -> str:
    """The other type a file is valid as (see the module docstring), or ""."""
    if kind.family != "office" and _ends_as_zip(content):
        return "ZIP"
    if kind is not PDF and b"%PDF-" in content[:HEADER_WINDOW]:
        return "PDF"
    if kind.family in ("image", "audio") and _MARKUP.search(content):
        return "HTML"
    if kind is PDF and pdf.html_inside(content):
        return "HTML"
    return ""


def _ends_as_zip(content: bytes) -> bool:
    window = max(0, len(content) - ZIP_END_WINDOW)
    at = content.rfind(b"PK\x05\x06", window)
    while at >= 0:
        record = content[at : at + 22]
        if len(record) == 22:
            size, offset = struct.unpack("<II", record[12:20])
            if offset + size <= at or content[at - 20 : at - 16] == b"PK\x06\x07":  # ZIP64 locator
                return True
        at = content.rfind(b"PK\x05\x06", window, at)
    return False
