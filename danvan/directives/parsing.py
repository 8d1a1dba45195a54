"""Read the fields of a Vietnamese administrative document from its plain text.

`parse(text)` returns a `ParsedDocument`; `.as_dict()` gives the JSON shape of `danvan parse-document`.
The parser is a set of forgiving heuristics over lines, never a grammar: it must not raise on any text,
and a field it cannot find is None (or an empty list).

What it understands (see tests/documents/ for examples of each):

- party documents ("ĐẢNG CỘNG SẢN VIỆT NAM", number "84-CV/ĐU") and state documents ("CỘNG HÒA XÃ HỘI
  CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc", number "04/2015/NĐ-CP" or "1536/SNV-CCVC");
- the two header columns flattened into one line or into separate blocks in either order: the national
  mottos are removed wherever they stand and the remaining upper-case lines are the issuing bodies (the
  last one is the issuer, the one before it the parent);
- "Số:" or "Số", spaces around the hyphen ("31 - TB/ĐU" is stored "31-TB/ĐU"), dates "ngày 6 tháng 6
  năm 2014" or "ngày 05/6/2025" with any spacing, markdown emphasis (``**``, ``*``) and escapes left by
  converters, paragraphs cut in two by a page break;
- signing blocks "T/M ĐẢNG ỦY / PHÓ BÍ THƯ", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "TL.", "TUQ.", "TM." (a chain
  such as "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" is kept as one authority, the lines joined by a space).

A file holding several documents (seed 004: a công văn, then the body of the programme it passes on)
is read this way: the header and footer fields (type, number, issuer, place, date, subject, addressees,
recipients, signature) are those of the FIRST document, taken from the first occurrence of each part;
references, targets and tasks are collected from the WHOLE text, because the attached document is what
the units must carry out.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata

from danvan.core.text import search_key

# Abbreviations of document types: Nghị định 30/2020/NĐ-CP (appendix III) for state documents,
# Hướng dẫn 36-HD/VPTW (2018) for party documents. "CV" stands for a công văn (which has no
# abbreviation in the state number, e.g. "1536/SNV-CCVC").
DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "QyĐ": "Quy định",
    "QC": "Quy chế",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "TTr": "Tờ trình",
    "NĐ": "Nghị định",
    "PL": "Pháp lệnh",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "CV": "Công văn",
}

# Words that introduce a cited document, longest first (matched on diacritic-free keys).
_TYPE_WORDS = sorted(
    [
        ("nghi quyet lien tich", "NQLT"),
        ("thong tu lien tich", "TTLT"),
        ("nghi quyet", "NQ"),
        ("chi thi", "CT"),
        ("ket luan", "KL"),
        ("quyet dinh", "QĐ"),
        ("quy dinh", "QĐi"),
        ("quy che", "QC"),
        ("thong tu", "TT"),
        ("thong tri", "TT"),
        ("to trinh", "TTr"),
        ("nghi dinh", "NĐ"),
        ("phap lenh", "PL"),
        ("huong dan", "HD"),
        ("chuong trinh", "CTr"),
        ("ke hoach", "KH"),
        ("phuong an", "PA"),
        ("de an", "ĐA"),
        ("bao cao", "BC"),
        ("bien ban", "BB"),
        ("thong bao", "TB"),
        ("thong cao", "TC"),
        ("cong dien", "CĐ"),
        ("giay moi", "GM"),
        ("cong van", "CV"),
    ],
    key=lambda pair: -len(pair[0]),
)

_UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_SEG = r"[A-ZĐ][A-Za-zĐđ0-9]*"
_PARTY_NUMBER = rf"\d{{1,5}}\s*-\s*{_SEG}(?:\s*/\s*{_SEG})+"  # 84-CV/ĐU, 60-CTr/ĐUK
_STATE_NUMBER = (
    rf"\d{{1,5}}(?:\s*/\s*\d{{4}})?\s*/\s*{_SEG}(?:\s*-\s*{_SEG})+"  # 04/2015/NĐ-CP, 1536/SNV-CCVC
)
NUMBER_RE = re.compile(rf"(?<![\w/.-])(?:{_PARTY_NUMBER}|{_STATE_NUMBER})(?![\w/-])")

_DATE_WORDS = r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})"
_DATE_DIGITS = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_DATE_RE = re.compile(rf"ngày\s*(?:{_DATE_WORDS}|{_DATE_DIGITS})", re.IGNORECASE)
_PLACE_DATE_RE = re.compile(rf"^(?P<before>.*?)\s*,\s*ngày\s*(?:{_DATE_WORDS}|{_DATE_DIGITS})", re.IGNORECASE)
_REF_DATE_RE = re.compile(
    rf"^\s*[,(]?\s*(?:ban hành\s*)?(?:ngày\s*)?(?:{_DATE_WORDS}|{_DATE_DIGITS})",
    re.IGNORECASE,
)
_NUMBER_LINE_RE = re.compile(r"^Số\s*:?\s*(?=\d)")
_SUBJECT_RE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*", re.UNICODE)
_KINH_GUI_RE = re.compile(r"^Kính\s+gửi\s*:?\s*(.*)$", re.IGNORECASE)
_BODY_START_RE = re.compile(
    r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Trên cơ sở|Ngày \d|(?:I|1)\s*[.-]\s+\S|Điều 1\b)"
)
_NOI_NHAN_RE = re.compile(r"^Nơi\s+nhận\s*:?\s*(.*)$", re.IGNORECASE)
_AUTHORITY_RE = re.compile(r"^(T/M|T\.M|TM|KT|K/T|TL|TUQ|Q)\s*[./]?\s+(?=[" + _UPPER + r"])(.*)$")
_BULLET_RE = re.compile(r"^(?:[-+•–—]|\d{1,2}\s*[-.)]|[a-zđ]\))\s*")
_SEPARATOR_RE = re.compile(r"^[\s\-_=*.·…~]*$")
_PERCENT_RE = re.compile(
    r"(\d{1,3}(?:[.,]\d+)?)\s*%?\s*(?:-|đến|tới)\s*(\d{1,3}(?:[.,]\d+)?)\s*%|(\d{1,3}(?:[.,]\d+)?)\s*%"
)
_TARGET_WORDS = {"dam bao", "bao dam", "dat", "phan dau", "tro len", "it nhat", "toi thieu", "ty le", "ti le"}
# A line starting with a place word continues the name above it when that name ends without a place
# ("ỦY BAN NHÂN DÂN" / "TỈNH ĐỒNG NAI" is one body; "UBND TỈNH ĐỒNG NAI" / "SỞ NỘI VỤ" are two).
_PLACE_WORDS = r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s"
_PLACE_END = r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|TW|TRUNG ƯƠNG)\s+\S+.*$"
_MOTTOS = [
    ["cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"],
    ["doc", "lap", "tu", "do", "hanh", "phuc"],
    ["dang", "cong", "san", "viet", "nam"],
]
_SIGNED_RE = re.compile(r"(đã ký|da ky|ký tên|ký,|đóng dấu|signed|chữ ký)", re.IGNORECASE)
# Verbs that end the name of a lead or coordinating body in an assignment (case-sensitive: "Ban Tổ chức"
# is a body, "tổ chức" a verb).
_VERBS = [
    "tham mưu",
    "xây dựng",
    "thực hiện",
    "tổ chức",
    "kiểm tra",
    "theo dõi",
    "hướng dẫn",
    "lãnh đạo",
    "chỉ đạo",
    "nghiên cứu",
    "triển khai",
    "rà soát",
    "báo cáo",
    "đề xuất",
    "cụ thể hóa",
    "cụ thể hoá",
    "tuyên truyền",
    "phát hiện",
    "làm tốt",
    "tăng cường",
    "thường xuyên",
    "giúp",
    "truy cập",
    "quán triệt",
    "đôn đốc",
    "giám sát",
    "ban hành",
    "soạn thảo",
    "tiếp tục",
    "chủ động",
    "hoàn thành",
    "tổng hợp",
    "cập nhật",
    "phổ biến",
    "đánh giá",
    "để",
    "nhằm",
    "trong việc",
    "theo",
    "trước",
]
_VERB_RE = re.compile(
    r"(?:^|\s)(?:"
    + "|".join(
        # "các tổ chức đoàn thể" names bodies; "tổ chức hội nghị" is the verb.
        r"(?<!các )(?<!những )(?<!Các )tổ chức" if v == "tổ chức" else re.escape(v)
        for v in _VERBS
    )
    + r")(?=\s|,|;|\.|$)"
)
# Adverbials that open a sentence before its subject ("Hằng năm, các cơ quan … phối hợp với …").
_OPENERS_RE = re.compile(
    r"^(?:(?:Hằng|Hàng) (?:năm|quý|tháng)|Định kỳ|Trước mắt|Đồng thời|Ngoài ra|Trong (?:năm|quý) \S+)\s*,?\s*"
)
_LEAD_WORDS = {"các", "cấp", "mỗi", "từng", "đồng", "đ/c", "những", "toàn"}
_DUE_DIGITS_RE = re.compile(
    r"(?:trước|chậm nhất|không quá|hạn chót|hạn)\s*(?:là\s*)?(?:ngày\s*)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?",
    re.IGNORECASE,
)
_DUE_WORDS_RE = re.compile(
    r"(?:trước|chậm nhất|không quá|hạn chót|hạn)\s*(?:là\s*)?(?:ngày\s*)?"
    r"(\d{1,2})\s*tháng\s*(\d{1,2})(?:\s*năm\s*(\d{4}))?",
    re.IGNORECASE,
)
_ABBREVIATIONS = ("TP.", "Tp.", "TX.", "KT.", "TL.", "TM.", "TS.", "ThS.", "PGS.", "GS.", "Q.", "P.", "đ/c.")


@dataclasses.dataclass
class ParsedDocument:
    """Fields read from one document. `issued_on` is a date; `as_dict()` gives the JSON form."""

    type: str | None = None
    number_symbol: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    issued_on: datetime.date | None = None
    subject: str | None = None
    addressees: list[str] = dataclasses.field(default_factory=list)
    recipients: list[str] = dataclasses.field(default_factory=list)
    signing_authority: str | None = None
    signer_title: str | None = None
    signer: str | None = None
    references: list[dict] = dataclasses.field(default_factory=list)
    targets: list[dict] = dataclasses.field(default_factory=list)
    tasks: list[dict] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        return data


# --- text clean-up --------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """NFC, one kind of newline and space, no markdown emphasis or escapes, paragraphs split by a page
    break joined again."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", text)
    text = re.sub(r"[\u200b-\u200d\ufeff\x00]", "", text)
    text = text.replace("–", "-").replace("—", "-")
    text = re.sub(r"\\([-.*_\[\]()#+!>])", r"\1", text)  # pandoc escapes: "1\." "\-"
    text = text.replace("*", "").replace("__", "")
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)  # markdown headings
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    # A paragraph cut by a page break: "…; định" / "" / "kỳ báo cáo …" becomes one line again.
    joined: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            line
            and len(line) > 60
            and not re.search(r"[.;:!?,)]$", line)
            and i + 2 < len(lines)
            and lines[i + 1] == ""
            and lines[i + 2][:1].islower()
        ):
            lines[i + 2] = f"{line} {lines[i + 2]}"
            i += 2
            continue
        joined.append(line)
        i += 1
    return "\n".join(joined)


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= 0.85


def _date(day: str | None, month: str | None, year: str | None) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError, OverflowError):
        return None


def _date_from(match: re.Match) -> datetime.date | None:
    groups = [g for g in match.groups() if g is not None]
    # The last three captured groups are day, month, year whichever alternative matched.
    if len(groups) < 3:
        return None
    return _date(*groups[-3:])


def _strip_item(text: str) -> str:
    text = _BULLET_RE.sub("", text.strip(), count=1) if re.match(r"^[-+•–—]", text.strip()) else text.strip()
    return text.strip().rstrip(";,.").strip()


# --- number and symbol ----------------------------------------------------------------------------


def normalise_number_symbol(text: str) -> str:
    """ "Số: 31 - TB/ĐU" -> "31-TB/ĐU"; "04 / 2015 / NĐ – CP" -> "04/2015/NĐ-CP"."""
    text = unicodedata.normalize("NFC", text or "").replace("–", "-").replace("—", "-")
    text = re.sub(r"^\s*Số\s*:?\s*", "", text.strip())
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    match = NUMBER_RE.search(text)
    if match:
        return re.sub(r"\s+", "", match.group(0))
    return re.sub(r"\s+", "", text).rstrip(".,;")


def type_of_number(number_symbol: str | None) -> str | None:
    """The type abbreviation written in a number ("84-CV/ĐU" -> "CV", "04/2015/NĐ-CP" -> "NĐ")."""
    if not number_symbol:
        return None
    match = re.match(r"^\d+-([^/]+)/", number_symbol) or re.match(r"^\d+(?:/\d{4})?/([^-/]+)-", number_symbol)
    if match and match.group(1) in DOCUMENT_TYPES:
        return match.group(1)
    return None


def _type_of_words(key: str) -> str | None:
    for words, abbreviation in _TYPE_WORDS:
        if key == words or key.startswith(words + " ") or key.endswith(" " + words):
            return abbreviation
    return None


def references(text: str, exclude: str | None = None) -> list[dict]:
    """Every cited document: [{number_symbol, type, date (ISO or None)}], in order of first mention.

    A number mentioned several times appears once, with the first date given for it anywhere.
    `exclude` (a number) is left out: a document does not cite itself.
    """
    text = clean_text(text)
    found: dict[str, dict] = {}
    for match in NUMBER_RE.finditer(text):
        number = normalise_number_symbol(match.group(0))
        if exclude and number == exclude:
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        before = re.sub(r"\s*số\s*:?\s*$", "", before, flags=re.IGNORECASE).strip()
        if re.search(r"(?:^|\n)\s*Số\s*:?\s*$", text[max(0, match.start() - 8) : match.start()]):
            # A "Số: …" line is a document's own number (the second document of a file), not a citation.
            continue
        word_type = None
        before_key = search_key(before)
        for words, abbreviation in _TYPE_WORDS:
            if before_key.endswith(words):
                word_type = abbreviation
                break
        date_match = _REF_DATE_RE.match(text[match.end() : match.end() + 40])
        date = _date_from(date_match) if date_match else None
        entry = found.get(number)
        if entry is None:
            found[number] = {
                "number_symbol": number,
                "type": type_of_number(number) or word_type,
                "date": date.isoformat() if date else None,
            }
        elif entry["date"] is None and date:
            entry["date"] = date.isoformat()
    return list(found.values())


# --- header ---------------------------------------------------------------------------------------


def _remove_mottos(line: str) -> str:
    """The line without the national mottos, wherever they stand in it."""
    spaced = re.sub(r"\s*-\s*", " - ", line)
    tokens = spaced.split()
    keys = [search_key(token).strip("-,.:;") for token in tokens]
    positions = [i for i, key in enumerate(keys) if key]
    removed: set[int] = set()
    for motto in _MOTTOS:
        for start in range(len(positions) - len(motto) + 1):
            window = positions[start : start + len(motto)]
            if [keys[i] for i in window] == motto and not removed.intersection(window):
                removed.update(range(window[0], window[-1] + 1))
                break
    if not removed:
        return line
    return " ".join(token for i, token in enumerate(tokens) if i not in removed).strip(" -")


def _split_header_line(line: str) -> list[str]:
    """Split a line holding several header parts (flattened columns) into one part per line."""
    parts = [line]
    for pattern in (r"(?<=\S)\s+(?=Số\s*:?\s*\d)", r"(?<=\S)\s+(?=V/v\s)", r"(?<=\S)\s+(?=Về việc\s)"):
        parts = [piece for part in parts for piece in re.split(pattern, part)]
    result: list[str] = []
    for part in parts:
        if _NUMBER_LINE_RE.match(part):
            match = NUMBER_RE.search(part)
            if match and part[match.end() :].strip():
                result += [part[: match.end()].strip(), part[match.end() :].strip()]
                continue
        place = _PLACE_DATE_RE.match(part)
        if place and place.group("before"):
            prefix, place_text = _split_place(place.group("before"))
            if prefix:
                result += [prefix, part[len(place.group("before")) - len(place_text) :].strip()]
                continue
        result.append(part)
    return result


def _split_place(before: str) -> tuple[str, str]:
    """("ĐẢNG ỦY SỞ TƯ PHÁP Biên Hòa") -> ("ĐẢNG ỦY SỞ TƯ PHÁP", "Biên Hòa")."""
    tokens = before.split()
    place: list[str] = []
    while tokens:
        token = tokens[-1]
        if token in ("TP.", "Tp.", "TP", "TX.", "Q.") or not _is_upper(token) or len(token) == 1:
            if NUMBER_RE.fullmatch(token):
                break
            place.insert(0, tokens.pop())
        else:
            break
    return " ".join(tokens), " ".join(place)


def _type_of_title(line: str) -> str | None:
    if not _is_upper(line) or len(line.split()) > 7:
        return None
    key = search_key(line)
    for words, abbreviation in _TYPE_WORDS:
        if key == words or key.startswith(words + " "):
            return abbreviation
    return None


def _subject_lines(lines: list[str], start: int, first: str) -> str:
    parts = [first] if first else []
    if not first:
        while start < len(lines) and start < 50 and not lines[start]:
            start += 1  # a title, a blank line (markdown), then the subject
    for line in lines[start : start + 5]:
        if (
            not line
            or _KINH_GUI_RE.match(line)
            or _NUMBER_LINE_RE.match(line)
            or _PLACE_DATE_RE.match(line)
            or _BODY_START_RE.match(line)
            or _SEPARATOR_RE.match(line)
            or (_is_upper(line) and parts)
            or re.match(r"^(Căn cứ|Thực hiện|Theo|Trên cơ sở|Ngày)\b", line)
            or _BULLET_RE.match(line)
            or len(line) > 160
        ):
            break
        parts.append(line)
    subject = " ".join(parts).strip()
    subject = _SUBJECT_RE.sub("", subject)
    return subject.strip().rstrip(".;,").strip() or None


def _header(doc: ParsedDocument, lines: list[str]) -> int:
    """Fill the header fields; return the index of the line where the body starts."""
    end = min(len(lines), 45)
    for i, line in enumerate(lines[:end]):
        if i > 2 and (
            _KINH_GUI_RE.match(line)
            or _NOI_NHAN_RE.match(line)
            or _AUTHORITY_RE.match(line)
            or _BODY_START_RE.match(line)
            or (len(line) > 110 and not _NUMBER_LINE_RE.match(line) and not _PLACE_DATE_RE.match(line))
        ):
            end = i
            break
    issuers: list[str] = []
    motto_seen = False
    title_type = None
    subject_from_vv = False
    for i in range(end):
        for part in _split_header_line(lines[i]):
            part = part.strip()
            if not part or _SEPARATOR_RE.match(part):
                continue
            if _NUMBER_LINE_RE.match(part):
                if doc.number_symbol is None:
                    doc.number_symbol = normalise_number_symbol(part)
                continue
            place_date = _PLACE_DATE_RE.match(part)
            if place_date and doc.issued_on is None:
                doc.issued_on = _date_from(place_date)
                place = place_date.group("before").strip(" ,")
                doc.place = place or None
                continue
            if _SUBJECT_RE.match(part) and doc.subject is None:
                if re.match(r"^(V/v|V/V|v/v)", part) or not _is_upper(part):
                    subject_from_vv = True
                doc.subject = _subject_lines(lines, i + 1, part)
                continue
            title = _type_of_title(part)
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
                if not part or _SEPARATOR_RE.match(part):
                    continue
            if _is_upper(part) and not _DATE_RE.search(part) and len(part) <= 120 and len(part.split()) > 1:
                issuers.append(part.strip(" *-"))
    if doc.issued_on is None:
        for line in lines[:end]:
            match = _DATE_RE.search(line)
            if match:
                doc.issued_on = _date_from(match)
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


def _listing(lines: list[str], index: int, inline: str) -> tuple[list[str], int]:
    """Items of a "Kính gửi:" or "Nơi nhận:" list starting after line `index`."""
    items: list[str] = []
    if inline:
        pieces = [p for p in re.split(r"(?:^|\s)[-+•]\s+|;", inline) if p.strip()]
        items += [_strip_item(p) for p in pieces]
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
        if _AUTHORITY_RE.match(line) or _NOI_NHAN_RE.match(line) or _KINH_GUI_RE.match(line):
            break
        if re.match(r"^[-+•]", line):
            items.append(_strip_item(line))
        elif not items and len(line) < 150 and not _is_upper(line):
            items.append(_strip_item(line))
            if not re.search(r"[;,]$", line):
                i += 1
                break
        elif items and re.search(r"[;,]$", lines[i - 1]) and len(line) < 80 and not _is_upper(line):
            if line.startswith("("):
                break
            items.append(_strip_item(line))
        else:
            break
        i += 1
    return [item for item in items if item], i


def _is_name(line: str) -> bool:
    tokens = line.split()
    if not 2 <= len(tokens) <= 6 or any(ch.isdigit() for ch in line) or _SIGNED_RE.search(line):
        return False
    if re.search(r"[:;,/()\[\]\"“”]", line):
        return False
    return all(token[:1].isupper() for token in tokens) and not _AUTHORITY_RE.match(line)


def _signature(doc: ParsedDocument, lines: list[str], start: int) -> None:
    for i in range(start, len(lines)):
        match = _AUTHORITY_RE.match(lines[i])
        if not match or not _is_upper(match.group(2)):
            continue
        chain = [lines[i].rstrip(".:,")]
        j = i + 1
        while j < len(lines) and (not lines[j] or _AUTHORITY_RE.match(lines[j])) and j < i + 4:
            if lines[j]:
                chain.append(lines[j].rstrip(".:,"))
            j += 1
        title = None
        while j < len(lines) and j < i + 6:
            line = lines[j]
            j += 1
            if not line:
                continue
            if _is_upper(line) and not _NOI_NHAN_RE.match(line) and len(line) < 80:
                title = line.rstrip(".:,")
            else:
                j -= 1
            break
        if title is None:
            # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" on one line: the title is the part from the last "PHÓ".
            last = chain[-1]
            split = re.search(r"\s(PHÓ\s.+)$", last)
            if split and len(chain[-1][: split.start()].split()) > 1:
                chain[-1] = last[: split.start()]
                title = split.group(1)
        doc.signing_authority = " ".join(chain)
        doc.signer_title = title
        doc.signer = _name_after(lines, j)
        return
    # No "T/M", "KT." …: a title in capitals followed (after the space for the signature) by a name.
    for i in range(start, len(lines)):
        line = lines[i]
        if _is_upper(line) and 1 <= len(line.split()) <= 6 and not _type_of_title(line):
            name = _name_after(lines, i + 1, limit=6)
            if name and not _is_upper(name):
                doc.signer_title = line.rstrip(".:,")
                doc.signer = name
                return


def _name_after(lines: list[str], start: int, limit: int = 8) -> str | None:
    for line in lines[start : start + limit]:
        if not line or _SIGNED_RE.search(line) or re.match(r"^[(\[]", line) or _SEPARATOR_RE.match(line):
            continue
        if _NOI_NHAN_RE.match(line):
            continue
        return line if _is_name(line) else None
    return None


# --- body: targets and tasks ----------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in re.finditer(rf"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘(]?[{_UPPER}0-9])", paragraph):
            piece = paragraph[start : match.start()]
            if piece.endswith(_ABBREVIATIONS):
                continue
            sentences.append(piece.strip())
            start = match.end()
        sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def _clause_text(text: str) -> str:
    text = re.sub(r"^(?:[-+•]|\d{1,2}\s*[-.)]|[a-zđ]\))\s*", "", text.strip())
    return text.strip().rstrip(";,").strip()


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def targets(text: str) -> list[dict]:
    """Every commitment with a percentage ("Đảm bảo 100% …", "đạt từ 80% trở lên"): [{text, percent}].

    A range ("80%-100%") counts once, with its lower bound. A percentage in a sentence without a word of
    commitment (đảm bảo, đạt, phấn đấu, trở lên, ít nhất, tối thiểu, tỷ lệ) is a figure, not a target.
    """
    found: list[dict] = []
    for sentence in _sentences(clean_text(text)):
        for clause in re.split(r";\s*", sentence):
            if "%" not in clause:
                continue
            key = f" {search_key(clause)} "
            if not any(f" {word} " in key for word in _TARGET_WORDS):
                continue
            for match in _PERCENT_RE.finditer(clause):
                value = match.group(1) or match.group(3)
                try:
                    percent = _number(value)
                except ValueError:
                    continue
                if percent > 100:
                    continue
                found.append({"text": _clause_text(clause), "percent": percent})
    return found


def _cut_at_verb(text: str) -> str:
    # Not at the very start: "phối hợp với lãnh đạo cơ quan" names a body although "lãnh đạo" is a verb.
    match = _VERB_RE.search(text, 1)
    return (text[: match.start()] if match else text).strip(" ,;:.")


def _lead_ok(lead: str) -> bool:
    if not lead or len(lead) > 250 or search_key(lead).startswith(("chu tri", "phoi hop")):
        return False
    first = lead.split()[0]
    return first[:1].isupper() or first.lower() in _LEAD_WORDS


def _coordinating(text: str) -> list[str]:
    match = re.search(r"phối hợp (?:với|cùng)\s+(.*)$", text)
    if not match:
        return []
    names = _cut_at_verb(match.group(1))
    parts = re.split(r",\s*|\s+và\s+", names)
    return [part.strip(" ,;.") for part in parts if part.strip(" ,;.")]


def _due(text: str, issued_on: datetime.date | None) -> str | None:
    for pattern in (_DUE_DIGITS_RE, _DUE_WORDS_RE):
        match = pattern.search(text)
        if not match:
            continue
        day, month, year = match.groups()
        if year:
            date = _date(day, month, year)
            return date.isoformat() if date else None
        if issued_on is None:
            return None
        # Recurring ("trước 15 tháng 12 hàng năm") or no year: the first such day after the issue date.
        for candidate_year in (issued_on.year, issued_on.year + 1, issued_on.year + 4):
            date = _date(day, month, str(candidate_year))
            if date and date > issued_on:
                return date.isoformat()
        return None
    return None


def tasks(text: str, issued_on: datetime.date | None = None) -> list[dict]:
    """Every assignment: [{text, lead, coordinating, due}].

    Recognised: "Giao X (chủ trì,) phối hợp với Y …", "X chủ trì(,) phối hợp với Y …", "X phối hợp với Y
    …" at the start of a sentence, "đề nghị X …". The lead ends where the coordinating bodies or the verb
    start; `due` is the date after "trước", "chậm nhất", "hạn" (a day without a year is the first one
    after `issued_on`).
    """
    found: list[dict] = []
    seen: set[str] = set()
    for sentence in _sentences(clean_text(text)):
        body = _clause_text(sentence)
        lead = None
        giao = re.search(r"(?:^|[\s,;:(])(?<!được )(?<!bàn )(?<!chuyển )[Gg]iao\s+(?:cho\s+)?(\S.*)$", body)
        if giao and (giao.group(1)[:1].isupper() or giao.group(1).split()[0] in _LEAD_WORDS):
            rest = giao.group(1)
            stop = re.search(r"\s(?:chủ trì|phối hợp)\b", rest)
            lead = _cut_at_verb(rest[: stop.start()] if stop else rest)
        if lead is None:
            chair = re.search(r"^(.{3,200}?)\s+chủ trì\b", body)
            if chair:
                lead = chair.group(1).split(",")[-1].strip() if ", " in chair.group(1) else chair.group(1)
        if lead is None:
            partner = re.match(r"^(.{3,150}?)\s+phối hợp (?:với|cùng)\s", body)
            subject = _OPENERS_RE.sub("", partner.group(1)) if partner else ""
            if subject and not _VERB_RE.search(subject) and len(subject.split()) <= 15:
                lead = subject
        if lead is None:
            request = re.search(r"(?:^|[\s,;:])[Đđ]ề nghị\s+(\S.*)$", body)
            if request:
                lead = _cut_at_verb(request.group(1))
        if not lead or not _lead_ok(lead):
            continue
        if body in seen:
            continue
        seen.add(body)
        found.append(
            {
                "text": body,
                "lead": lead.strip(" ,;:."),
                "coordinating": _coordinating(body),
                "due": _due(body, issued_on),
            }
        )
    return found


# --- entry point ----------------------------------------------------------------------------------


def parse(text: str) -> ParsedDocument:
    """Read the fields of the (first) document in `text`; never raises on any string."""
    cleaned = clean_text(text if isinstance(text, str) else "")
    lines = cleaned.split("\n")
    doc = ParsedDocument()
    body_start = _header(doc, lines)
    for i in range(body_start, len(lines)):
        match = _KINH_GUI_RE.match(lines[i])
        if match:
            doc.addressees, body_start = _listing(lines, i, match.group(1).strip())
            break
    for i in range(body_start, len(lines)):
        match = _NOI_NHAN_RE.match(lines[i])
        if match:
            doc.recipients, _ = _listing(lines, i, match.group(1).strip())
            break
    _signature(doc, lines, body_start)
    doc.references = references(cleaned, exclude=doc.number_symbol)
    doc.targets = targets(cleaned)
    doc.tasks = tasks(cleaned, doc.issued_on)
    return doc
