"""Active content in PDF files: scripts, launch actions, embedded files, rich media, XFA forms.

What is refused: a PDF that writes, as a PDF name, any of ACTIVE — `/JavaScript` (a script action,
or the document's script tree), `/JS` (the script itself, also in rendition actions), `/Launch` (runs
a program or opens a file), `/EmbeddedFile(s)` and `/GoToE` (files carried inside), `/RichMedia`
(Flash, video with scripts), `/XFA` (XML forms, which carry scripts). An `/OpenAction` or `/AA`
(additional actions) pointing at a script or a launch is refused through those names; one that only
opens a page is not.

How it is found, and why this way:
- Names are matched in their written form with every #xx escape allowed (PDF lets any character of
  a name be written so): `/J#61vaScript` is `/JavaScript`. A name matches only whole (followed by a
  delimiter, white space or the end), so `/JSON` is not `/JS`.
- The long names (five letters or more) are looked for in the WHOLE file, stream data included: no
  viewer can be fooled about where the structure ends, and six chosen bytes do not occur by chance.
- `/JS` and `/XFA` are short enough to occur by chance in compressed images (`/JS` about once in
  250 MB of random bytes), so they are looked for in the structure only: everything but the data
  between a dictionary's `>> stream` and the next `endstream`. A script action needs `/S /JavaScript` besides, which the first
  look finds wherever it is.
- Object streams (PDF 1.5+: objects packed, usually compressed, inside a stream) are decoded and read
  whole. FlateDecode without parameters (what producers write) is inflated here within a budget (the
  file's size × RATIO, at least 1 MB, at most the rules' unpacked limit; beyond it the file is refused
  as unpacking too far). Any other filter, predictor parameters, or an encrypted file (whose object
  streams are ciphertext) are read with pypdf instead, which decodes them (an empty user password is
  tried); when pypdf cannot, the file is refused as damaged.
HTML markup (a PDF that is also a web page) is found by `html_inside`, for checks.py's polyglot rule.
pypdf's object tree is not walked for every file: scanning the bytes also sees objects the
cross-reference table leaves out (viewers repair tables and find them), runs at the speed of `re`
on a 20 MB scan, and does not refuse the many slightly broken PDFs that viewers open.
"""

import io
import logging
import re
import zlib

from .kinds import MB

ACTIVE = frozenset(
    {"JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "GoToE", "RichMedia", "XFA"}
)
SHORT = frozenset({"JS", "XFA"})
RATIO = 100

# What `problem` answers (checks.py turns each into its message).
ACTIVE_CONTENT, UNPACKS, DAMAGED = "active", "unpacks", "damaged"

_END_OF_NAME = rb"(?=[\x00\t\n\x0c\r /%()<>\[\]{}]|\Z)"


def _written(names) -> re.Pattern:
    """A pattern for these names as a PDF may write them: each character as itself or as #xx."""

    def char(ch: str) -> bytes:
        code = f"{ord(ch):02x}"
        escaped = b"#" + b"".join(b"[" + c.encode() + c.upper().encode() + b"]" for c in code)
        return b"(?:" + re.escape(ch.encode()) + b"|" + escaped + b")"

    alternatives = sorted(names, key=len, reverse=True)
    return re.compile(
        b"/(?:" + b"|".join(b"".join(char(c) for c in name) for name in alternatives) + b")" + _END_OF_NAME
    )


_ANYWHERE = _written(ACTIVE - SHORT)
_ANY_ACTIVE = _written(ACTIVE)
_OBJECT_STREAM = _written({"ObjStm"})
_ENCRYPTED = _written({"Encrypt"})
_PARAMETERS = _written({"DecodeParms", "DP"})
_FLATE = _written({"FlateDecode", "Fl"})
_OTHER_FILTER = _written(
    {"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85", "LZWDecode", "LZW", "RunLengthDecode", "RL", "Crypt"}
    | {"DCTDecode", "DCT", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "CCF"}
)
_FILTER = _written({"Filter"})
# What makes a file a web page too (as checks._MARKUP, less `<svg`: SVG is an image, not a page).
_HTML = re.compile(rb"<(?:script|html|iframe|body|\?php|!doctype\s+html)[\s>/]", re.IGNORECASE)
_HTML_ANYWHERE = re.compile(rb"<(?:script|iframe)[\s>/]", re.IGNORECASE)
_KEYWORD = re.compile(rb"\bobj\b|>>[\x00\t\n\x0c\r ]*stream\b")  # a stream follows its dictionary


class _TooFar(Exception):
    """Object streams that inflate beyond the budget."""


def problem(content: bytes, max_unpacked_bytes: int) -> str | None:
    """Why a PDF is refused (ACTIVE_CONTENT, UNPACKS, DAMAGED), or None."""
    if _ANYWHERE.search(content):
        return ACTIVE_CONTENT
    segments, object_streams = _structure(content)
    if any(_ANY_ACTIVE.search(content, start, end) for start, end in segments):
        return ACTIVE_CONTENT
    if not object_streams:
        return None
    budget = min(max(RATIO * len(content), MB), max_unpacked_bytes)
    encrypted = any(_ENCRYPTED.search(content, start, end) for start, end in segments)
    try:
        found = None if encrypted else _active_in_object_streams(object_streams, budget)
    except _TooFar:
        return UNPACKS
    if found is None:
        found = _active_by_pypdf(content)
    if found is None:
        return DAMAGED
    return ACTIVE_CONTENT if found else None


def _structure(data: bytes) -> tuple[list[tuple[int, int]], list[tuple[bytes, bytes]]]:
    """Where the structure lies (everything but stream data), and the object streams as
    (their dictionary, their raw data)."""
    segments, object_streams, _ = _layout(data)
    return segments, object_streams


def _layout(data: bytes) -> tuple[list[tuple[int, int]], list[tuple[bytes, bytes]], list[tuple[int, int]]]:
    """`_structure`, and where the data of the streams without a filter lies (bytes kept as written)."""
    segments, object_streams, plain = [], [], []
    position = segment_start = object_start = 0
    while (match := _KEYWORD.search(data, position)) is not None:
        position = match.end()
        if match.group() == b"obj":
            object_start = position
            continue
        start = _data_start(data, position)
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        segments.append((segment_start, start))
        dictionary = data[object_start : match.start()]
        if _OBJECT_STREAM.search(dictionary):
            object_streams.append((dictionary, data[start:end]))
        if not _FILTER.search(dictionary):
            plain.append((start, end))
        position = segment_start = object_start = end + len(b"endstream")
    segments.append((segment_start, len(data)))
    return segments, object_streams, plain


def html_inside(content: bytes) -> bool:
    """Whether a PDF also reads as a web page (a PDF/HTML polyglot): HTML markup where a browser that
    took it for HTML would find it. Looked for, like the short names, where bytes are kept as written:
    the structure (comments included), the data of streams without a filter, and the first 1024 bytes
    (before the header); `<script` and `<iframe`, long enough not to occur by chance in compressed
    bytes, anywhere."""
    if _HTML_ANYWHERE.search(content) or _HTML.search(content, 0, 1024):
        return True
    segments, _, plain = _layout(content)
    return any(_HTML.search(content, start, end) for start, end in segments + plain)


def _data_start(data: bytes, position: int) -> int:
    while data[position : position + 1] in (b" ", b"\t"):
        position += 1
    if data[position : position + 2] == b"\r\n":
        return position + 2
    return position + 1 if data[position : position + 1] in (b"\r", b"\n") else position


def _active_in_object_streams(object_streams, budget: int) -> bool | None:
    """Whether an object stream names active content; None when one needs more than inflating."""
    for dictionary, raw in object_streams:
        if _OTHER_FILTER.search(dictionary) or _PARAMETERS.search(dictionary):
            return None
        if _FLATE.search(dictionary):
            try:
                raw = zlib.decompressobj().decompress(raw, budget + 1)
            except zlib.error:
                return None
            if len(raw) > budget:
                raise _TooFar
            budget -= len(raw)
        if _ANY_ACTIVE.search(raw):  # inside an object stream, everything is structure
            return True
    return False


def _active_by_pypdf(content: bytes) -> bool | None:
    """Whether the objects kept in object streams name active content, as pypdf decodes them;
    None when it cannot read them."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    names: set[str] = set()
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        for number in list(reader.xref_objStm):
            pending = [reader.get_object(number)]
            while pending:
                item = pending.pop()
                if isinstance(item, DictionaryObject):
                    names.update(str(key)[1:] for key in item)
                    pending.extend(item.values())
                elif isinstance(item, ArrayObject):
                    pending.extend(item)
                elif isinstance(item, NameObject):
                    names.add(str(item)[1:])
    except Exception:  # an uploaded file may break the reader in any way
        return None
    return bool(ACTIVE & names)
