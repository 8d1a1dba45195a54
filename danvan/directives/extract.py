"""Plain text of an uploaded document: .txt, .docx (python-docx) or .pdf (pypdf text layer).

`text_of(name, content)` returns the text with one line per paragraph (a blank line after each table
cell, so the two columns of a header table stay apart) or raises django ValidationError with a
Vietnamese message: unknown type, empty file, damaged DOCX/PDF, a DOCX that unpacks to far more than its
size (a zip bomb), PDF without a text layer. It never raises anything else, whatever the bytes.
"""

import io
import logging
import unicodedata
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.core import uploads

EXTENSIONS = (".txt", ".docx", ".pdf")
MAX_PDF_PAGES = 500
# A DOCX is a zip archive: what it unpacks to is checked before python-docx reads it (a "zip bomb" of a
# few kilobytes can unpack to gigabytes), from the sizes its central directory declares, read by the
# uploads kit (`uploads.zip_entries`; zipfile never returns more than an entry declares: one that lies
# fails its CRC check). The kit's bounds hold (`uploads.unpacks_too_far`: entries, every entry together,
# the ratio to the file's size); python-docx holds the whole text part in memory, so the text reader
# adds its own: the text part's size, and the ratio of each entry. They also guard `parse-document`,
# which reads local files that no upload check has seen.
MAX_DOCX_TEXT_BYTES = 50 * 2**20  # word/document.xml
MAX_DOCX_TOTAL_BYTES = uploads.UNPACKED_MAX_BYTES  # every entry together
MAX_DOCX_RATIO = 100  # unpacked / packed size of an entry over 1 MB; real documents stay under 20
_RATIO_FROM_BYTES = 2**20


def text_of(name: str, content: bytes) -> str:
    extension = PurePath(name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("Unsupported file type “%(extension)s”: upload a .txt, .docx or .pdf file.")
            % {"extension": extension or name or ""},
            code="file_type",
        )
    if not content or not content.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if extension == ".txt":
        text = _text(content)
    elif extension == ".docx":
        text = _docx(content)
    else:
        text = _pdf(content)
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    if not text.strip():
        raise ValidationError(_("The file contains no text."), code="empty")
    return text


def _text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or evident from NUL bytes), else Windows-1258."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = content[:2000]
    if sample.count(b"\x00") > len(sample) // 4:
        even_nuls = sample[0::2].count(b"\x00")
        odd_nuls = sample[1::2].count(b"\x00")
        return content.decode("utf-16-be" if even_nuls > odd_nuls else "utf-16-le", errors="replace")
    return content.decode("cp1258", errors="replace")


def _check_docx_archive(content: bytes) -> None:
    """Refuse a DOCX whose unpacked size is out of proportion (ValidationError), before it is unpacked."""
    entries = uploads.zip_entries(content)
    if entries is None:
        raise ValidationError(_("The DOCX file is damaged or is not a Word document."), code="corrupt")
    if uploads.unpacks_too_far(entries, len(content), MAX_DOCX_TOTAL_BYTES) or any(map(_too_big, entries)):
        raise ValidationError(
            _(
                "The DOCX file unpacks to far more than its size (over %(size)s MB of text, or compressed "
                "abnormally): it is refused as a possible zip bomb."
            )
            % {"size": MAX_DOCX_TEXT_BYTES // 2**20},
            code="docx_too_large",
        )


def _too_big(entry: zipfile.ZipInfo) -> bool:
    """The text part over its cap, or an entry over 1 MB packed abnormally tight."""
    if entry.filename == "word/document.xml" and entry.file_size > MAX_DOCX_TEXT_BYTES:
        return True
    packed = max(entry.compress_size, 1)
    return entry.file_size > _RATIO_FROM_BYTES and entry.file_size > MAX_DOCX_RATIO * packed


def _docx(content: bytes) -> str:
    _check_docx_archive(content)
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(content))
        lines: list[str] = []
        _docx_block(document.element.body, lines, qn, Paragraph)
    except Exception:  # python-docx raises many kinds (BadZipFile, KeyError, lxml errors …)
        raise ValidationError(
            _("The DOCX file is damaged or is not a Word document."), code="corrupt"
        ) from None
    return "\n".join(lines)


def _docx_block(element, lines: list[str], qn, Paragraph) -> None:
    """Paragraphs and tables of a body or cell, in document order (nested tables included)."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, None).text)
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                for cell in row.iterchildren(qn("w:tc")):
                    _docx_block(cell, lines, qn, Paragraph)
                    lines.append("")
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _docx_block(content, lines, qn, Paragraph)


def _pdf(content: bytes) -> str:
    try:
        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("The PDF file is protected by a password."), code="encrypted")
        pages = []
        for page in list(reader.pages)[:MAX_PDF_PAGES]:
            pages.append(page.extract_text() or "")
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on damaged files (PdfReadError, KeyError, ValueError …)
        raise ValidationError(_("The PDF file is damaged or cannot be read."), code="corrupt") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ValidationError(
            _("The PDF file has no text layer (it is probably a scanned image); convert it with OCR first."),
            code="no_text",
        )
    return text
