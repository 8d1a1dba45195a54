"""The lines that open a part of a document, and the lists those parts hold.

"Kính gửi:" opens the addressees, "Nơi nhận:" the recipients, a signing authority ("T/M", "KT.", "TL.",
"TUQ.", "Q." before one of `ACTING_TITLES`) the signature: the header, the signature and the assignments
all stop at these lines. `read_list` reads the items of a "Kính gửi" or "Nơi nhận" list."""

from __future__ import annotations

import re

from .text import UPPER, is_upper, strip_item

KINH_GUI_RE = re.compile(r"^Kính\s+gửi\s*:?\s*(.*)$", re.IGNORECASE)
NOI_NHAN_RE = re.compile(r"^Nơi\s+nhận\s*:?\s*(.*)$", re.IGNORECASE)
# Signing authorities (Nghị định 30/2020/NĐ-CP, Phụ lục I): T/M (also written TM., T.M, T/M.), KT. (K/T),
# TL., TUQ., Q. (quyền, acting).
# "Q." stands before the title of the head only ("Q. GIÁM ĐỐC"); "Q. BÌNH THẠNH" is a district.
ACTING_TITLES = r"(?:GIÁM|CHỦ|TRƯỞNG|CHÁNH|BÍ|TỔNG|VIỆN|HIỆU|CỤC|THỦ|PHÓ)\b"
_AUTHORITY_CODE = rf"(?:T ?/ ?M|T\. ?M|TM|K ?/ ?T|KT|TL|TUQ|Q(?=[.\s]+{ACTING_TITLES}))"
AUTHORITY_RE = re.compile(rf"^({_AUTHORITY_CODE})(?:\s*[./]\s*|\s+)(?=[{UPPER}])(.*)$")


def read_list(lines: list[str], index: int, inline: str) -> tuple[list[str], int]:
    """Items of a "Kính gửi:" or "Nơi nhận:" list starting after line `index`."""
    items: list[str] = []
    if inline:
        pieces = [p for p in re.split(r"(?:^|\s)[-+•]\s+|;", inline) if p.strip()]
        items += [strip_item(p) for p in pieces]
    i = index + 1
    blank_run = 0
    while i < len(lines) and i < index + 40:
        line = lines[i]
        if not line:
            blank_run += 1
            if blank_run > 1 and items:
                break
            i += 1
            continue
        blank_run = 0
        if AUTHORITY_RE.match(line) or NOI_NHAN_RE.match(line) or KINH_GUI_RE.match(line):
            break
        if re.match(r"^[-+•]", line):
            items.append(strip_item(line))
        elif not items and len(line) < 150 and not is_upper(line):
            items.append(strip_item(line))
            if not re.search(r"[;,]$", line):
                i += 1
                break
        elif items and re.search(r"[;,]$", lines[i - 1]) and len(line) < 80 and not is_upper(line):
            if line.startswith("("):
                break
            items.append(strip_item(line))
        else:
            break
        i += 1
    return [item for item in items if item], i
