"""The catalogue of file kinds, and the rules of one use: which kinds, how big, how many."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MB = 1024 * 1024
UNPACKED_MAX_BYTES = 200 * MB  # what an Office file (or a PDF's object streams) may unpack to at most


@dataclass(frozen=True)
class Kind:
    """A kind of file the kit recognises by its content."""

    code: str
    mime: str
    label: str  # shown in messages; the same in every language
    extensions: tuple[str, ...]  # lower case, without the dot; the first is the one to suggest
    family: str  # "pdf", "office", "text", "image" or "audio": which deeper checks apply
    package_part: str = ""  # Office: the part every real document of this kind holds


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PDF = Kind("pdf", "application/pdf", "PDF", ("pdf",), "pdf")
JPEG = Kind("jpeg", "image/jpeg", "JPEG", ("jpg", "jpeg"), "image")
PNG = Kind("png", "image/png", "PNG", ("png",), "image")
DOCX = Kind("docx", DOCX_MIME, "Word (DOCX)", ("docx",), "office", "word/document.xml")
XLSX = Kind("xlsx", XLSX_MIME, "Excel (XLSX)", ("xlsx",), "office", "xl/workbook.xml")
TXT = Kind("txt", "text/plain", "TXT", ("txt",), "text")
CSV = Kind("csv", "text/csv", "CSV", ("csv",), "text")
MP3 = Kind("mp3", "audio/mpeg", "MP3", ("mp3",), "audio")
M4A = Kind("m4a", "audio/mp4", "M4A", ("m4a",), "audio")

CATALOGUE: tuple[Kind, ...] = (PDF, JPEG, PNG, DOCX, XLSX, TXT, CSV, MP3, M4A)
BY_MIME: dict[str, Kind] = {kind.mime: kind for kind in CATALOGUE}


def accept(kinds: tuple[Kind, ...]) -> str:
    """The `accept` attribute of a file input for these kinds: ".pdf,.jpg,.jpeg"."""
    return ",".join(f".{ext}" for kind in kinds for ext in kind.extensions)


def megabytes_text(size: int) -> str:
    """A size in MB as people read it here: "10", "0,5"."""
    value = round(size / MB, 2)
    return number_format(int(value) if value == int(value) else value, use_l10n=True)


def setting_bytes(name: str, default_mb: float) -> int:
    """A limit set in MB in the settings (read at each call, so tests and operators may change it)."""
    return int(float(getattr(settings, name, default_mb)) * MB)


@dataclass(frozen=True)
class Rules:
    """What one use accepts: kinds, bytes per file, number of files, bytes together, bytes unpacked."""

    kinds: tuple[Kind, ...]
    max_file_bytes: int
    max_files: int = 1
    max_total_bytes: int | None = None  # None: max_files × max_file_bytes
    max_unpacked_bytes: int = UNPACKED_MAX_BYTES

    @property
    def total_bytes(self) -> int:
        return self.max_files * self.max_file_bytes if self.max_total_bytes is None else self.max_total_bytes

    @property
    def accept(self) -> str:
        return accept(self.kinds)

    def extensions_text(self) -> str:
        return ", ".join(f".{ext}" for kind in self.kinds for ext in kind.extensions)

    def accepted_text(self) -> str:
        """ "Accepted files: …" with the kinds and the limits, for help texts and refusals."""
        values = {
            "kinds": ", ".join(kind.label for kind in self.kinds),
            "count": self.max_files,
            "file_mb": megabytes_text(self.max_file_bytes),
            "total_mb": megabytes_text(self.total_bytes),
        }
        if self.max_files == 1:
            return _("Accepted files: %(kinds)s; at most %(file_mb)s MB.") % values
        return (
            _(
                "Accepted files: %(kinds)s; at most %(count)s files, %(file_mb)s MB each, %(total_mb)s MB together."
            )
            % values
        )
