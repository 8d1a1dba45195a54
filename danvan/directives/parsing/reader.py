"""`parse`: read the header and footer of the first document in a text, and the references, targets
and assignments of the whole text (see the package's docstring)."""

from __future__ import annotations

from .assignments import tasks
from .citations import references
from .commitments import targets
from .header import read_header
from .parts import AUTHORITY_RE, KINH_GUI_RE, NOI_NHAN_RE, read_list
from .result import ParsedDocument
from .signature import footer_start, read_flat_footer, read_signature
from .text import clean_text


def parse(text: str) -> ParsedDocument:
    """Read the fields of the (first) document in `text`; never raises on any string."""
    cleaned = clean_text(text if isinstance(text, str) else "")
    lines = cleaned.split("\n")
    doc = ParsedDocument()
    body_start = read_header(doc, lines)
    for i in range(body_start, len(lines)):
        match = KINH_GUI_RE.match(lines[i])
        if match:
            doc.addressees, body_start = read_list(lines, i, match.group(1).strip())
            break
    footer_read = False
    for i in range(body_start, len(lines)):
        flattened = footer_start(lines[i], bool(i and AUTHORITY_RE.match(lines[i - 1])))
        match = NOI_NHAN_RE.match(lines[i])
        if flattened or match:
            inline, right_text = flattened or (match.group(1).strip(), "")
            footer_read = read_flat_footer(doc, lines, i, inline, right_text)
            if not footer_read and match:
                doc.recipients, _ = read_list(lines, i, match.group(1).strip())
            break
    if not footer_read:
        read_signature(doc, lines, body_start)
    doc.references = references(cleaned, exclude=doc.number_symbol, cleaned=True)
    doc.targets = targets(cleaned, cleaned=True)
    # A report's "nhiệm vụ, giải pháp" describe and propose: only its explicit assignments are tasks.
    doc.tasks = tasks(cleaned, doc.issued_on, cleaned=True, items=doc.type != "BC")
    return doc
