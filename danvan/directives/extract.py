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

EXTENSIONS = (".txt", ".docx", ".pdf")
MAX_PDF_PAGES = 500
# A DOCX is a zip archive: what it unpacks to is checked before python-docx reads it (a "zip bomb" of a
# few kilobytes can unpack to gigabytes). The sizes are those the archive declares (ZipInfo.file_size);
# zipfile never returns more than a member declares (a member that lies fails its CRC check).
MAX_DOCX_TEXT_BYTES = 50 * 2**20  # word/document.xml
MAX_DOCX_TOTAL_BYTES = 200 * 2**20  # every member together
MAX_DOCX_MEMBERS = 2000
MAX_DOCX_RATIO = 100  # unpacked / packed size of a member over 1 MB; real documents stay under 20
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
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except Exception:  # not a zip archive at all (BadZipFile, or ValueError/OSError on a mangled directory)
        raise ValidationError(
            _("The DOCX file is damaged or is not a Word document."), code="corrupt"
        ) from None
    total = 0
    too_big = len(members) > MAX_DOCX_MEMBERS
    for member in members:
        total += member.file_size
        if member.filename == "word/document.xml" and member.file_size > MAX_DOCX_TEXT_BYTES:
            too_big = True
        if member.file_size > _RATIO_FROM_BYTES and member.file_size > MAX_DOCX_RATIO * max(
            member.compress_size, 1
        ):
            too_big = True
    if too_big or total > MAX_DOCX_TOTAL_BYTES:
        raise ValidationError(
            _(
                "The DOCX file unpacks to far more than its size (over %(size)s MB of text, or compressed "
                "abnormally): it is refused as a possible zip bomb."
            )
            % {"size": MAX_DOCX_TEXT_BYTES // 2**20},
            code="docx_too_large",
        )


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
