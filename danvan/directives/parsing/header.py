"""The header of a document: issuing bodies, number and symbol, place and date, type and subject.

The two header columns may come flattened into one line, or as separate blocks in either order (a PDF
text layer, a DOCX table): a line is cut at the national mottos (even glued to the next column), before
"Số …" and "V/v", after the date of "Place, ngày …", and between two names of bodies joined on one line.
The remaining upper-case parts are the issuing bodies (the last one is the issuer, the one before it the
parent). `read_header` fills these fields and returns where the body starts."""

from __future__ import annotations

import functools
import re

from danvan.core.text import search_key

from .kinds import NUMBER_RE, normalise_number_symbol, type_of_number, type_of_title
from .parts import AUTHORITY_RE, KINH_GUI_RE, NOI_NHAN_RE
from .result import ParsedDocument
from .text import BULLET_RE, DATE_DIGITS, DATE_RE, DATE_WORDS, SEPARATOR_RE, date_from, is_upper

_PLACE_DATE_RE = re.compile(rf"^(?P<before>.*?)\s*,\s*ngày\s*(?:{DATE_WORDS}|{DATE_DIGITS})", re.IGNORECASE)
_PLACE_DATE_END_RE = re.compile(rf",\s*ngày\s*(?:{DATE_WORDS}|{DATE_DIGITS})", re.IGNORECASE)
_NUMBER_LINE_RE = re.compile(r"^Số\s*:?\s*(?=\d)")
_SUBJECT_RE = re.compile(r"^(?:V/v|về việc)\s*:?\s*", re.IGNORECASE)
_BODY_START_RE = re.compile(
    r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Trên cơ sở|Ngày \d|(?:I|1)\s*[.-]\s+\S|Điều 1\b)"
)
# A line starting with a place word continues the name above it when that name ends without a place
# ("ỦY BAN NHÂN DÂN" / "TỈNH ĐỒNG NAI" is one body; "UBND TỈNH ĐỒNG NAI" / "SỞ NỘI VỤ" are two).
_PLACE_WORDS = r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s"
_PLACE_END = r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|TW|TRUNG ƯƠNG)\s+\S+.*$"
_MOTTO_KEYS = ["conghoaxahoichunghiavietnam", "doclaptudohanhphuc", "dangcongsanvietnam"]
_HEADER_LINE_MAX = 600  # a longer line is a paragraph of the body, whatever it holds
# Where a second body's name may start on a line of the header, and the place a first name ends with.
_JOINED_BODY_RE = re.compile(
    r"(?<=\s)(?=(?:ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG BỘ|CHI BỘ|SỞ|UBND|ỦY BAN|UỶ BAN|BAN|VĂN PHÒNG|PHÒNG|HUYỆN ỦY|TỈNH ỦY|"
    r"THÀNH ỦY|QUẬN ỦY|THỊ ỦY|CÔNG AN|CỤC|CHI CỤC|TRƯỜNG|BỆNH VIỆN|TRUNG TÂM|CÔNG ĐOÀN)\s)"
)
_PLACE_TAIL_RE = re.compile(
    r"(?:(?:^|\s)(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)(?:\s+\S+){0,3}|\s(?:TW|TRUNG ƯƠNG))$"
)


def _motto_spans(line: str) -> list[tuple[int, int]]:
    """Where the national mottos stand in `line` (character spans), whatever the spacing and hyphens, even
    glued to the next column by a PDF text layer ("ĐẢNG CỘNG SẢN VIỆT NAMĐẢNG BỘ TỈNH")."""
    if len(line) < 18:
        return []
    compact: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(line):
        if ch.isalnum():
            key = _letter_key(ch)
            if key:
                compact.append(key)
                positions.append(index)
    keys = "".join(compact)
    spans: list[tuple[int, int]] = []
    for motto in _MOTTO_KEYS:
        found = keys.find(motto)
        if found != -1:
            spans.append((positions[found], positions[found + len(motto) - 1] + 1))
    return sorted(spans)


@functools.lru_cache(maxsize=512)
def _letter_key(ch: str) -> str:
    return search_key(ch)[:1]


def _remove_mottos(line: str) -> str:
    """The line without the national mottos, wherever they stand in it (the rest joined by a space)."""
    parts = _motto_split(line)
    rest = [part for part, is_motto in parts if not is_motto]
    if len(rest) == len(parts):
        return line
    return " ".join(rest).strip(" -")


def _motto_split(line: str) -> list[tuple[str, bool]]:
    """[(text, is_motto)]: "X ĐẢNG CỘNG SẢN VIỆT NAM Y" -> [("X", False), ("ĐẢNG …", True), ("Y", False)]."""
    spans = _motto_spans(line)
    if not spans:
        return [(line, False)]
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        parts.append((line[position:start], False))
        parts.append((line[start:end], True))
        position = end
    parts.append((line[position:], False))
    cleaned = [(text.strip(" -*"), is_motto) for text, is_motto in parts]
    return [(text, is_motto) for text, is_motto in cleaned if text]


def _split_header_line(line: str) -> list[str]:
    """Split a line holding several header parts (flattened columns, in either order) into one part each:
    at the mottos, before "Số …", "V/v", "Về việc", after the date of "Place, ngày …" and between the
    name of a body and the place that follows it."""
    parts = [text for text, _is_motto in _motto_split(line)]
    for pattern in (r"(?<=\S)\s+(?=Số\s*:?\s*\d)", r"(?<=\S)\s+(?=V/v\s)", r"(?<=\S)\s+(?=Về việc\s)"):
        parts = [piece for part in parts for piece in re.split(pattern, part)]
    result: list[str] = []
    for part in parts:
        if _NUMBER_LINE_RE.match(part):
            match = NUMBER_RE.search(part)
            if match and part[match.end() :].strip():
                result += [part[: match.end()].strip(), *_split_header_line(part[match.end() :].strip())]
                continue
        date = _PLACE_DATE_END_RE.search(part)
        if date and part[date.end() :].strip(" .,;"):
            # "Biên Hòa, ngày 6 tháng 6 năm 2014 ĐẢNG ỦY KHỐI …": the right column came first.
            result += [
                *_split_header_line(part[: date.end()]),
                *_split_header_line(part[date.end() :].strip()),
            ]
            continue
        place = _PLACE_DATE_RE.match(part)
        if place and place.group("before"):
            prefix, place_text = _split_place(place.group("before"))
            if prefix:
                result += [prefix, part[len(place.group("before")) - len(place_text) :].strip()]
                continue
        result.append(part)
    return result


def _split_bodies(name: str) -> list[str]:
    """Two names of the left column joined on one line: "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG ỦY KHỐI CÁC CƠ QUAN
    TỈNH" -> the parent and the issuer. A name is cut only where a body's name starts right after a place
    ("… TỈNH ĐỒNG NAI", "… CƠ QUAN TỈNH", "… TRUNG ƯƠNG"), so "BAN DÂN VẬN TỈNH ỦY" stays whole."""
    for match in _JOINED_BODY_RE.finditer(name):
        head, tail = name[: match.start()].strip(), name[match.start() :].strip()
        if len(head.split()) > 1 and len(tail.split()) > 1 and _PLACE_TAIL_RE.search(head):
            return [head, *_split_bodies(tail)]
    return [name]


def _split_place(before: str) -> tuple[str, str]:
    """("ĐẢNG ỦY SỞ TƯ PHÁP Biên Hòa") -> ("ĐẢNG ỦY SỞ TƯ PHÁP", "Biên Hòa")."""
    tokens = before.split()
    place: list[str] = []
    while tokens:
        token = tokens[-1]
        if token in ("TP.", "Tp.", "TP", "TX.", "Q.") or not is_upper(token) or len(token) == 1:
            if NUMBER_RE.fullmatch(token):
                break
            place.insert(0, tokens.pop())
        else:
            break
    return " ".join(tokens), " ".join(place)


def _subject_lines(lines: list[str], start: int, first: str) -> str | None:
    parts = [first] if first else []
    if not first:
        while start < len(lines) and start < 50 and not lines[start]:
            start += 1  # a title, a blank line (markdown), then the subject
    for line in lines[start : start + 5]:
        if (
            not line
            or KINH_GUI_RE.match(line)
            or _NUMBER_LINE_RE.match(line)
            or _PLACE_DATE_RE.match(line)
            or _BODY_START_RE.match(line)
            or SEPARATOR_RE.match(line)
            or (is_upper(line) and parts)
            or re.match(r"^(Căn cứ|Thực hiện|Theo|Trên cơ sở|Ngày)\b", line)
            or BULLET_RE.match(line)
            or len(line) > 160
            # A sentence of the body right under the subject (a PDF text layer has no blank lines).
            or (parts and line[:1].isupper() and (len(line) > 100 or re.search(r"[.;:!?]$", line)))
        ):
            break
        parts.append(line)
    subject = " ".join(parts).strip()
    subject = _SUBJECT_RE.sub("", subject)
    return subject.strip().rstrip(".;,").strip() or None


def read_header(doc: ParsedDocument, lines: list[str]) -> int:
    """Fill the header fields; return the index of the line where the body starts."""
    end = min(len(lines), 45)
    for i, line in enumerate(lines[:end]):
        if i > 2 and (
            KINH_GUI_RE.match(line)
            or NOI_NHAN_RE.match(line)
            or AUTHORITY_RE.match(line)
            or _BODY_START_RE.match(line)
            or (
                len(line) > 110
                and not _NUMBER_LINE_RE.match(line)
                and not _PLACE_DATE_RE.match(line[:_HEADER_LINE_MAX])
                and not (len(line) <= _HEADER_LINE_MAX and _motto_spans(line))
            )
        ):
            end = i
            break
    issuers: list[str] = []
    motto_seen = False
    title_type = None
    subject_from_vv = False
    for i in range(end):
        if len(lines[i]) > _HEADER_LINE_MAX:
            continue  # a paragraph, not a header line
        for part in _split_header_line(lines[i]):
            part = part.strip()
            if not part or SEPARATOR_RE.match(part):
                continue
            if _NUMBER_LINE_RE.match(part):
                if doc.number_symbol is None:
                    doc.number_symbol = normalise_number_symbol(part)
                continue
            place_date = _PLACE_DATE_RE.match(part)
            if place_date and doc.issued_on is None:
                doc.issued_on = date_from(place_date)
                place = place_date.group("before").strip(" ,-*•")
                doc.place = place or None
                continue
            if _SUBJECT_RE.match(part) and doc.subject is None:
                if re.match(r"^(V/v|V/V|v/v)", part) or not is_upper(part):
                    subject_from_vv = True
                doc.subject = _subject_lines(lines, i + 1, part)
                continue
            title = type_of_title(part)
            if title and title_type is None and (doc.number_symbol or issuers or i < 8):
                title_type = title
                if doc.subject is None:
                    doc.subject = _subject_lines(lines, i + 1, "")
                continue
            if title_type or doc.subject:
                continue  # upper-case lines after the title are the body's heading ("CHỦ TỊCH UBND …")
            remaining = _remove_mottos(part)
            if remaining != part:
                motto_seen = True
                part = remaining
                if not part or SEPARATOR_RE.match(part):
                    continue
            if is_upper(part) and not DATE_RE.search(part) and len(part) <= 120 and len(part.split()) > 1:
                issuers += _split_bodies(part.strip(" *-"))
    if doc.issued_on is None:
        for line in lines[:end]:
            match = DATE_RE.search(line)
            if match:
                doc.issued_on = date_from(match)
                break
    merged: list[str] = []
    for name in issuers:
        if merged and re.match(_PLACE_WORDS, name) and not re.search(_PLACE_END, merged[-1]):
            merged[-1] = f"{merged[-1]} {name}"
        elif name:
            merged.append(name)
    # Upper-case lines are issuing bodies only in a header: one with a number, a date or a motto.
    issuers = merged if (doc.number_symbol or doc.issued_on or motto_seen) else []
    if issuers:
        doc.issuer = issuers[-1]
        doc.parent_issuer = issuers[-2] if len(issuers) > 1 else None
    doc.type = type_of_number(doc.number_symbol) or title_type
    if doc.type is None and (subject_from_vv or doc.number_symbol):
        doc.type = "CV"
    return end
