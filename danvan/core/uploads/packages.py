"""Office files (DOCX, XLSX): ZIP packages checked from their central directory, never unpacked whole.

- Unpacks too far (a zip bomb): more than MAX_ENTRIES entries, or the sizes the central directory
  declares add up to more than the rules' `max_unpacked_bytes`, or to more than RATIO times the file's
  size once past UNPACKED_FLOOR (small packages may have any ratio). zipfile reads only the central
  directory to list the entries, and never returns more than an entry declares (an entry that lies
  fails its CRC check), so the declared sizes bound what any later reader of the file gets.
- Not a real package of its kind: no `[Content_Types].xml`, or not the kind's main part
  (`word/document.xml`, `xl/workbook.xml`). Part names are compared without regard to case, as Office
  does.
- Macros or ActiveX: a part named `vbaProject.bin` or `vbaData.xml` anywhere, a part under an
  `activeX/` or `macrosheets/` folder (Excel 4.0 macros), or `[Content_Types].xml` naming a
  macro-enabled main part (docm/xlsm/dotm renamed .docx/.xlsx: "macroEnabled"), a VBA project, an
  ActiveX control or a macro sheet. The content types are read after decoding XML character
  references (`&#77;` = "M"), so an escaped name does not slip through.
"""

import io
import re
import zipfile

from .kinds import DOCX, MB, XLSX, Kind

MAX_ENTRIES = 2000
RATIO = 100
UNPACKED_FLOOR = MB
CONTENT_TYPES = "[content_types].xml"
CONTENT_TYPES_MAX_BYTES = MB

_MACRO_PARTS = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)(activex|macrosheets)/")
_MACRO_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"macrosheet")
_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});")

# What `problem` answers (checks.py turns each into its message).
UNPACKS, DAMAGED, MACROS = "unpacks", "damaged", "macros"


def problem(content: bytes, kind: Kind, max_unpacked_bytes: int) -> str | None:
    """Why an Office file is refused (UNPACKS, DAMAGED, MACROS), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if unpacks_too_far(entries, len(content), max_unpacked_bytes):
                return UNPACKS
            parts = {entry.filename.lower(): entry for entry in entries}
            if CONTENT_TYPES not in parts or kind.package_part not in parts:
                return DAMAGED
            if any(_MACRO_PARTS.search(name) for name in parts):
                return MACROS
            types = parts[CONTENT_TYPES]
            if types.file_size > CONTENT_TYPES_MAX_BYTES:
                return DAMAGED
            if _names_macros(archive.read(types)):
                return MACROS
    except Exception:  # not a ZIP, a mangled directory, an encrypted entry, an unknown compression …
        return DAMAGED
    return None


def zip_entries(content: bytes) -> list[zipfile.ZipInfo] | None:
    """The entries a ZIP's central directory declares (names, sizes; nothing is unpacked), or None
    when the content is not a ZIP that can be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.infolist()
    except Exception:  # not a ZIP at all, or a mangled directory
        return None


def office_kind(content: bytes) -> Kind | None:
    """The Office kind of a ZIP whose first entries did not tell (producers order parts as they like):
    the one whose main part it holds next to `[Content_Types].xml`, read from the central directory."""
    entries = zip_entries(content)
    parts = {entry.filename.lower() for entry in entries or ()}
    if CONTENT_TYPES not in parts:
        return None
    return next((kind for kind in (DOCX, XLSX) if kind.package_part in parts), None)


def unpacks_too_far(entries: list[zipfile.ZipInfo], packed: int, max_unpacked_bytes: int) -> bool:
    """Whether a ZIP's declared sizes make it a possible zip bomb (see the module docstring)."""
    if len(entries) > MAX_ENTRIES:
        return True
    unpacked = sum(entry.file_size for entry in entries)
    return unpacked > max_unpacked_bytes or (unpacked > UNPACKED_FLOOR and unpacked > RATIO * packed)


def _names_macros(content_types: bytes) -> bool:
    text = _CHAR_REF.sub(_char, content_types).lower()
    return any(marker in text for marker in _MACRO_TYPES)


def _char(match: re.Match) -> bytes:
    code = match.group(1)
    number = int(code[1:], 16) if code[:1] == b"x" else int(code)
    return chr(number).encode("utf-8", "ignore") if number < 0x110000 else b""
