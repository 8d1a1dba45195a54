"""The footer: the signing authority, the signer's title and name, and the recipients of a flattened footer.

Authorities are written as Nghị định 30/2020 writes them (`normalise_authority`: "TM." → "T/M", "K/T" →
"KT."; a chain such as "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" is one authority). `read_flat_footer` reads a
footer whose two columns were flattened ("Nơi nhận: T/M ĐẢNG ỦY", the title and the name among the
recipients); `read_signature` reads an ordinary signature block."""

from __future__ import annotations

import re

from .kinds import type_of_title
from .parts import ACTING_TITLES, AUTHORITY_RE, KINH_GUI_RE, NOI_NHAN_RE
from .result import ParsedDocument
from .text import SEPARATOR_RE, UPPER, is_upper, strip_item

# Inside a line only the written forms with a dot or a slash count ("Như trên; T/M ĐẢNG ỦY").
_INNER_AUTHORITY_RE = re.compile(
    rf"(?<!\S)(T ?/ ?M\.?|T\. ?M\.?|TM\.|K ?/ ?T\.?|KT\.|TL\.|TUQ\.|Q\.(?=\s*{ACTING_TITLES}))\s*(?=[{UPPER}])"
)
_AUTHORITY_CODES = {"TM": "T/M", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}
_SIGNED_RE = re.compile(r"(đã ký|da ky|ký tên|ký,|đóng dấu|signed|chữ ký)", re.IGNORECASE)
_NOT_NAME_RE = re.compile(r"[\d:;,/()\[\]\"“”]")


def _is_name(line: str) -> bool:
    tokens = line.split()
    if not 2 <= len(tokens) <= 6 or _NOT_NAME_RE.search(line) or _SIGNED_RE.search(line):
        return False
    return all(token[:1].isupper() for token in tokens) and not AUTHORITY_RE.match(line)


def normalise_authority(text: str) -> str:
    """ "TM. ỦY BAN NHÂN DÂN K/T CHỦ TỊCH" -> "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH": every link of the chain
    written as Nghị định 30/2020 writes it (T/M, KT., TL., TUQ., Q.)."""
    text = " ".join((text or "").split())
    match = AUTHORITY_RE.match(text)
    if match:
        text = f"{_authority_code(match.group(1))} {match.group(2)}"
    return _INNER_AUTHORITY_RE.sub(lambda m: f"{_authority_code(m.group(1))} ", text).strip()


def _authority_code(written: str) -> str:
    return _AUTHORITY_CODES.get(re.sub(r"[\s./]", "", written).upper(), written)


def _title_from_chain(chain: list[str]) -> str | None:
    """ "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" on one line: the title is the part from the last "PHÓ" (cut off)."""
    last = chain[-1]
    split = re.search(r"\s(PHÓ\s.+)$", last)
    if split and len(last[: split.start()].split()) > 1:
        chain[-1] = last[: split.start()]
        return split.group(1)
    return None


def footer_start(line: str, after_authority: bool = False) -> tuple[str, str] | None:
    """A "Nơi nhận" line flattened with the signature column: ("recipients text", "signature text").

    "Nơi nhận: T/M ĐẢNG ỦY" (left column first) or "T/M ĐẢNG ỦY Nơi nhận:" (right column first), or,
    `after_authority` (the line above is "T/M …"), "PHÓ BÍ THƯ Nơi nhận:"."""
    match = NOI_NHAN_RE.match(line)
    if match:
        inline = match.group(1)
        authority = AUTHORITY_RE.match(inline)
        if authority and is_upper(authority.group(2)):
            return "", inline
        for inner in _INNER_AUTHORITY_RE.finditer(inline):
            if inner.start() and is_upper(inline[inner.end() :]):
                return inline[: inner.start()].strip(), inline[inner.start() :].strip()
        return None
    match = re.search(r"(?<=\S)\s*Nơi\s+nhận\s*:?\s*", line, re.IGNORECASE)
    if match:
        head = line[: match.start()].strip()
        authority = AUTHORITY_RE.match(head)
        if (authority and is_upper(authority.group(2))) or (after_authority and _right_piece(head)):
            return line[match.end() :].strip(), head
    return None


def _right_piece(text: str) -> bool:
    """Could `text` be a piece of the signature column (authority, title, "(đã ký)", name)?"""
    text = text.strip()
    if not text or (re.search(r"[;,.:]$", text) and not AUTHORITY_RE.match(text)):
        return False
    if re.match(r"^[(\[]", text):
        return bool(_SIGNED_RE.search(text)) and len(text) < 40
    if AUTHORITY_RE.match(text) or _INNER_AUTHORITY_RE.match(text):
        return True
    if re.search(r"[.;,:]", text):
        return False  # the end of a recipient ("VT, NC. PHÓ CHỦ TỊCH" is cut after "NC.")
    if is_upper(text):
        return 2 <= len(text.split()) <= 12
    return _is_name(text)


def _footer_line(line: str) -> tuple[str | None, str | None, bool]:
    """(recipient text, signature-column text, whether the recipient text is a bulleted item) of one line
    of a footer whose columns may have been flattened."""
    bullet = re.match(r"^[-+•]\s*(.*)$", line)
    if bullet:
        body = bullet.group(1)
        for end in re.finditer(r"[;,.]\s*", body):
            tail = body[end.end() :]
            if _right_piece(tail):
                return body[: end.start() + 1], tail, True
        return body, None, True
    head_first = re.match(r"^(.+?)\s*[-+•]\s+(\S.*)$", line)
    if head_first and _right_piece(head_first.group(1)):
        return head_first.group(2), head_first.group(1), True
    if _right_piece(line):
        return None, line, False
    return line, None, False


def read_flat_footer(doc: ParsedDocument, lines: list[str], index: int, inline: str, right_text: str) -> bool:
    """Recipients and signature of a footer whose two columns were flattened ("Nơi nhận: T/M ĐẢNG ỦY",
    then the recipients with the title and the name interleaved, on the same lines or on lines of their
    own). Returns False, setting nothing, when the lines are an ordinary footer or no footer at all."""
    # The signature column may start a line or two above "Nơi nhận" ("T/M BAN THƯỜNG VỤ" / "Nơi nhận:
    # PHÓ BÍ THƯ" …): authority lines right above it (no blank line between) belong to the footer.
    above: list[str] = []
    k = index - 1
    while k >= 0 and index - k <= 2 and lines[k] and AUTHORITY_RE.match(lines[k]):
        above.insert(0, lines[k])
        k -= 1
    if above and not right_text and _right_piece(inline) and not re.match(r"^[-+•]", inline):
        right_text, inline = inline, ""
    items = [piece for piece in re.split(r"(?:^|\s)[-+•]\s+|;", inline) if piece.strip()]
    right = [*above, right_text] if right_text else above
    mixed = bool(right_text)  # one line held both columns
    interleaved = False  # a recipient came after a piece of the signature
    blank_run = 0
    for line in lines[index + 1 : index + 30]:
        if not line:
            blank_run += 1
            if blank_run > 4:
                break
            continue
        blank_run = 0
        if NOI_NHAN_RE.match(line) or KINH_GUI_RE.match(line) or len(line) > 200 or SEPARATOR_RE.match(line):
            break
        left, piece, is_item = _footer_line(line)
        if left is not None and not is_item:
            if left.startswith("(") and len(left) < 40:
                continue  # "(Tùng/VP)": the typist's initials
            if not (items and re.search(r"[;,]$", items[-1].strip())) or len(left) > 80 or is_upper(left):
                break  # not the continuation of an item: the footer has ended
        if left is not None:
            mixed = mixed or piece is not None
            interleaved = interleaved or bool(right)
            items.append(left)
        if piece is not None:
            right.append(piece)
    first = next((k for k, piece in enumerate(right) if AUTHORITY_RE.match(piece)), None)
    if first is None or not (mixed or interleaved):
        return False
    chain = []
    k = first
    while k < len(right) and AUTHORITY_RE.match(right[k]):
        chain.append(right[k].rstrip(".:,"))
        k += 1
    title = signer = None
    for piece in right[k:]:
        if piece.startswith(("(", "[")):
            continue
        if title is None and signer is None and is_upper(piece):
            title = piece.rstrip(".:,")
        elif signer is None and _is_name(piece) and not is_upper(piece):
            signer = piece
    if title is None:
        title = _title_from_chain(chain)
    doc.recipients = [item for item in (strip_item(item) for item in items) if item]
    doc.signing_authority = normalise_authority(" ".join(chain))
    doc.signer_title = title
    doc.signer = signer
    return True


def read_signature(doc: ParsedDocument, lines: list[str], start: int) -> None:
    for i in range(start, len(lines)):
        match = AUTHORITY_RE.match(lines[i])
        if not match or not is_upper(match.group(2)):
            continue
        chain = [lines[i].rstrip(".:,")]
        j = i + 1
        while j < len(lines) and (not lines[j] or AUTHORITY_RE.match(lines[j])) and j < i + 4:
            if lines[j]:
                chain.append(lines[j].rstrip(".:,"))
            j += 1
        title = None
        while j < len(lines) and j < i + 6:
            line = lines[j]
            j += 1
            if not line:
                continue
            if is_upper(line) and not NOI_NHAN_RE.match(line) and len(line) < 80:
                title = line.rstrip(".:,")
            else:
                j -= 1
            break
        if title is None:
            title = _title_from_chain(chain)
        doc.signing_authority = normalise_authority(" ".join(chain))
        doc.signer_title = title
        doc.signer = _name_after(lines, j)
        return
    # No "T/M", "KT." …: a title in capitals followed (after the space for the signature) by a name.
    for i in range(start, len(lines)):
        line = lines[i]
        if not line or len(line) > 80 or not 1 <= len(line.split()) <= 6 or not is_upper(line):
            continue
        name = _name_after(lines, i + 1, limit=6)
        if name and not is_upper(name) and not type_of_title(line):
            doc.signer_title = line.rstrip(".:,")
            doc.signer = name
            return


def _name_after(lines: list[str], start: int, limit: int = 8) -> str | None:
    for line in lines[start : start + limit]:
        if not line or _SIGNED_RE.search(line) or re.match(r"^[(\[]", line) or SEPARATOR_RE.match(line):
            continue
        if NOI_NHAN_RE.match(line):
            continue
        return line if _is_name(line) else None
    return None
