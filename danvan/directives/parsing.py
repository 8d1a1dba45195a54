r"""Read the fields of a Vietnamese administrative document from its plain text.

`parse(text)` returns a `ParsedDocument`; `.as_dict()` gives the JSON shape of `danvan parse-document`.
The parser is a set of forgiving heuristics over lines, never a grammar: it must not raise on any text,
and a field it cannot find is None (or an empty list).

What it understands (see tests/documents/ for examples of each):

- party documents ("ĐẢNG CỘNG SẢN VIỆT NAM", number "84-CV/ĐU") and state documents ("CỘNG HÒA XÃ HỘI
  CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc", number "04/2015/NĐ-CP" or "1536/SNV-CCVC");
- the two header columns flattened into one line or into separate blocks in either order, as a PDF text
  layer or a DOCX table gives them: a line is cut at the mottos (even glued to the next column), before
  "Số …" and "V/v", after the date of "Place, ngày …", and between two names of bodies joined on one line
  ("ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG ỦY KHỐI …"); the remaining upper-case parts are the issuing bodies (the
  last one is the issuer, the one before it the parent);
- "Số:" or "Số", spaces around the hyphen ("31 - TB/ĐU" is stored "31-TB/ĐU"), dates "ngày 6 tháng 6
  năm 2014" or "ngày 05/6/2025" with any spacing, "V/v" or "về việc" in any case, markdown left by
  converters (``*x*``, ``**x**``, ``_x_``, ``__x__``, ``[x]{.underline}``, escapes ``\-``), paragraphs cut
  in two by a page break;
- signing blocks "T/M ĐẢNG ỦY / PHÓ BÍ THƯ", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "TL.", "TUQ.", "Q." written
  as Nghị định 30/2020 writes them ("TM.", "T.M", "T/M." become "T/M", "K/T" becomes "KT."; a chain such
  as "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" is one authority, the lines joined by a space), also when the
  footer's two columns were flattened ("Nơi nhận: T/M ĐẢNG ỦY", the title and the name among the
  recipients);
- assignments ("Giao X chủ trì, phối hợp với Y …", the items of "Tổ chức thực hiện" that open with the
  bodies that carry them out, recurring reports "Định kỳ 6 tháng, 1 năm … báo cáo …") with their lead,
  coordinating bodies, deadline and recurrence (see `tasks`).

A file holding several documents (seed 004: a công văn, then the body of the programme it passes on)
is read this way: the header and footer fields (type, number, issuer, place, date, subject, addressees,
recipients, signature) are those of the FIRST document, taken from the first occurrence of each part;
references, targets and tasks are collected from the WHOLE text, because the attached document is what
the units must carry out.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
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
_PLACE_DATE_END_RE = re.compile(rf",\s*ngày\s*(?:{_DATE_WORDS}|{_DATE_DIGITS})", re.IGNORECASE)
_REF_DATE_RE = re.compile(
    rf"^\s*[,(]?\s*(?:ban hành\s*)?(?:ngày\s*)?(?:{_DATE_WORDS}|{_DATE_DIGITS})",
    re.IGNORECASE,
)
_NUMBER_LINE_RE = re.compile(r"^Số\s*:?\s*(?=\d)")
_SUBJECT_RE = re.compile(r"^(?:V/v|về việc)\s*:?\s*", re.IGNORECASE)
_KINH_GUI_RE = re.compile(r"^Kính\s+gửi\s*:?\s*(.*)$", re.IGNORECASE)
_BODY_START_RE = re.compile(
    r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Trên cơ sở|Ngày \d|(?:I|1)\s*[.-]\s+\S|Điều 1\b)"
)
_NOI_NHAN_RE = re.compile(r"^Nơi\s+nhận\s*:?\s*(.*)$", re.IGNORECASE)
# Signing authorities (Nghị định 30/2020/NĐ-CP, Phụ lục I): T/M (also written TM., T.M, T/M.), KT. (K/T),
# TL., TUQ., Q. (quyền, acting).
# "Q." stands before the title of the head only ("Q. GIÁM ĐỐC"); "Q. BÌNH THẠNH" is a district.
ACTING_TITLES = r"(?:GIÁM|CHỦ|TRƯỞNG|CHÁNH|BÍ|TỔNG|VIỆN|HIỆU|CỤC|THỦ|PHÓ)\b"
_AUTHORITY_CODE = rf"(?:T ?/ ?M|T\. ?M|TM|K ?/ ?T|KT|TL|TUQ|Q(?=[.\s]+{ACTING_TITLES}))"
_AUTHORITY_RE = re.compile(rf"^({_AUTHORITY_CODE})(?:\s*[./]\s*|\s+)(?=[{_UPPER}])(.*)$")
# Inside a line only the written forms with a dot or a slash count ("Như trên; T/M ĐẢNG ỦY").
_INNER_AUTHORITY_RE = re.compile(
    rf"(?<!\S)(T ?/ ?M\.?|T\. ?M\.?|TM\.|K ?/ ?T\.?|KT\.|TL\.|TUQ\.|Q\.(?=\s*{ACTING_TITLES}))\s*(?=[{_UPPER}])"
)
_AUTHORITY_CODES = {"TM": "T/M", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}
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


def _verbs_re(verbs: list[str]) -> re.Pattern:
    return re.compile(
        r"(?:^|\s)(?:"
        + "|".join(
            # "các tổ chức đoàn thể" names bodies; "tổ chức hội nghị" is the verb.
            r"(?<!các )(?<!những )(?<!Các )(?<!Những )tổ chức" if v == "tổ chức" else re.escape(v)
            for v in verbs
        )
        + r")(?=\s|,|;|\.|$)"
    )


_VERB_RE = _verbs_re(_VERBS)
# Where the subject of a sentence ends ("Các đoàn thể chính trị - xã hội khối | căn cứ chức năng …").
_SUBJECT_STOP_RE = _verbs_re(
    [
        *_VERBS,
        "có trách nhiệm",
        "chịu trách nhiệm",
        "được phân công",
        "được giao",
        "căn cứ",
        "phải",
        "cần",
        "quan tâm",
        "bám sát",
        "xác định",
        "chủ trì",
        "phối hợp",
        "gửi",
        "chuẩn bị",
        "bố trí",
        "bảo đảm",
        "đảm bảo",
        "tập trung",
        "đẩy mạnh",
        "nâng cao",
        "duy trì",
        "vận động",
        "tham gia",
        "thông báo",
        "phân công",
        "phát động",
        "củng cố",
        "kiện toàn",
        "lựa chọn",
        "định kỳ",
        "làm",
        "đưa",
        "nắm",
        "có",
        "là",
    ]
)
# Heads of the names of bodies and office holders (lower case), and the words that make a head a verb or
# a noun instead ("ban hành", "hội nghị", "đoàn kết", "phòng, chống").
_BODY_HEADS = (
    "cấp ủy",
    "cấp uỷ",
    "ban",
    "văn phòng",
    "đảng ủy",
    "đảng uỷ",
    "đảng bộ",
    "chi bộ",
    "chi ủy",
    "sở",
    "ủy ban",
    "uỷ ban",
    "ubnd",
    "ubkt",
    "ubmttq",
    "mttq",
    "mặt trận",
    "đoàn thể",
    "đoàn",
    "chi đoàn",
    "hội",
    "chi hội",
    "công đoàn",
    "cơ quan",
    "đơn vị",
    "phòng",
    "trung tâm",
    "đồng chí",
    "đ/c",
    "ủy viên",
    "uỷ viên",
    "thủ trưởng",
    "người đứng đầu",
    "bí thư",
    "phó bí thư",
    "thường trực",
    "chính quyền",
    "tỉnh ủy",
    "huyện ủy",
    "thành ủy",
    "tỉnh đoàn",
    "giám đốc",
    "chủ tịch",
    "bộ phận",
    "ngành",
)
_NOT_AFTER_HEAD = {
    "ban": ("hành",),
    "hội": ("nghị", "thảo", "thi", "diễn", "nhập", "tụ", "họp"),
    "đoàn": ("kết",),
    "phòng": ("chống", "ngừa", "tránh", "cháy", "họp"),
    "sở": ("dĩ", "hữu", "thích", "trường"),
    "cơ quan": ("điểm",),
}
# Heads that are verbs or common nouns unless a determiner comes first ("Các tổ chức cơ sở đảng").
_DETERMINED_HEADS = (
    "tổ chức",
    "lãnh đạo",
    "cấp",
    "địa phương",
    "doanh nghiệp",
    "trường",
    "huyện",
    "xã",
    "phường",
)
# A heading that opens the section of assignments, and one that ends it.
_EXECUTION_HEADING_RE = re.compile(
    r"^(?:(?:[IVXLC]+|\d{1,2}|[A-Z]|Điều\s+\d+|Phần\s+[IVXLC\d]+)\s*[./):-]?\s*)?tổ chức thực hiện\s*[.:]?$",
    re.IGNORECASE,
)
_SECTION_HEADING_RE = re.compile(r"^(?:[IVXLC]+\s*[./):-]|Điều\s+\d+\s*[.:]|Phần\s+[IVXLC\d]+\b)\s*\S")
# A sentence that opens with how often it recurs ("Định kỳ 6 tháng, 1 năm …", "Hằng năm, …").
_RECURRING_OPENER_RE = re.compile(
    r"^(?:định kỳ|(?:hằng|hàng|mỗi)(?=\s+(?:năm|quý|tháng))|(?=(?:0?6|sáu)\s+tháng))"
    r"(?:(?:\s*(?:,|và|/|hoặc)\s*|\s+)(?:(?:hằng|hàng|mỗi)\s+)?(?:(?:0?6|sáu|0?1|một|0?3|ba)\s+)?"
    r"(?:năm|quý|tháng)(?:\s+(?:một|1)\s+lần)?)*\s*,?",
    re.IGNORECASE,
)
_SIX_MONTHLY_RE = re.compile(
    r"(?:định kỳ|hằng|hàng|mỗi)\s+(?:0?6|sáu)\s+tháng|(?:0?6|sáu)\s+tháng\s+(?:một|1)\s+lần", re.IGNORECASE
)
_YEARLY_AFTER_RE = re.compile(r"\s*(?:(?:vào\s+)?(?:hằng|hàng|mỗi)\s+năm)\b", re.IGNORECASE)
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
# Marks an escaped character while markdown is removed (a private-use character, removed from any input).
_ESCAPED = "\ue000"
_MD_ESCAPE_RE = re.compile(r"\\([-\\`*_{}\[\]()#+.!<>|~\"'=^$:;,/@&%])")
_MD_HARD_BREAK_RE = re.compile(r"(?m)\\$")
_MD_SPAN_RE = re.compile(
    rf"(?<!{_ESCAPED})\[([^\[\]\n]{{0,500}}?)(?<!{_ESCAPED})\]\{{[.#][^{{}}\n]{{0,100}}\}}"
)  # pandoc's "[Biên Hòa]{.underline}"
_MD_BULLET_RE = re.compile(rf"(?m)^([ ]*)(?<!{_ESCAPED})\*[ ]+(?=\S)")
_MD_STARS_RE = re.compile(rf"(?<!{_ESCAPED})\*+")
_MD_UNDERSCORE_OPEN_RE = re.compile(rf"(?<![\w{_ESCAPED}])_{{1,3}}(?=[^\s_])")
_MD_UNDERSCORE_CLOSE_RE = re.compile(rf"(?<=[^\s_{_ESCAPED}])_{{1,3}}(?!\w)")
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


def _strip_markdown(text: str) -> str:
    """Emphasis (``*x*``, ``**x**``, ``***x***``, ``_x_``, ``__x__``), pandoc spans (``[x]{.underline}``),
    hard line breaks and escapes (``\\-``, ``\\*``, ``1\\.``) removed; an escaped character stays as itself."""
    text = text.replace(_ESCAPED, "")
    if "\\" in text:
        # An escaped character is marked first, so that "\*" survives as "*" and "\_" as "_".
        text = _MD_ESCAPE_RE.sub(_ESCAPED + r"\1", text)
        text = _MD_HARD_BREAK_RE.sub("", text)
    if "]{" in text:
        text = _MD_SPAN_RE.sub(r"\1", text)
    if "*" in text:
        text = _MD_BULLET_RE.sub(r"\1- ", text)  # "* item" is a bullet
        text = _MD_STARS_RE.sub("", text)
    if "_" in text:
        # Underscores at the edge of a word are emphasis; inside a word ("a_b") or a rule ("____") they stay.
        text = _MD_UNDERSCORE_OPEN_RE.sub("", text)
        text = _MD_UNDERSCORE_CLOSE_RE.sub("", text)
    return text.replace(_ESCAPED, "")


def clean_text(text: str) -> str:
    """NFC, one kind of newline and space, no markdown emphasis or escapes, paragraphs split by a page
    break joined again."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", text)
    text = re.sub(r"[\u200b-\u200d\ufeff\x00]", "", text)
    text = text.replace("–", "-").replace("—", "-")
    text = _strip_markdown(text)
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


def references(text: str, exclude: str | None = None, *, cleaned: bool = False) -> list[dict]:
    """Every cited document: [{number_symbol, type, date (ISO or None)}], in order of first mention.

    A number mentioned several times appears once, with the first date given for it anywhere.
    `exclude` (a number) is left out: a document does not cite itself.
    """
    text = text if cleaned else clean_text(text)
    found: dict[str, dict] = {}
    normalised: dict[str, str] = {}
    for match in NUMBER_RE.finditer(text):
        written = match.group(0)
        number = normalised.get(written) or normalised.setdefault(written, normalise_number_symbol(written))
        if exclude and number == exclude:
            continue
        if re.search(r"(?:^|\n)\s*Số\s*:?\s*$", text[max(0, match.start() - 8) : match.start()]):
            # A "Số: …" line is a document's own number (the second document of a file), not a citation.
            continue
        entry = found.get(number)
        if entry is not None and entry["date"] is not None:
            continue  # known, with its date
        date_match = _REF_DATE_RE.match(text[match.end() : match.end() + 40])
        date = _date_from(date_match) if date_match else None
        if entry is not None:
            if date:
                entry["date"] = date.isoformat()
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        before = re.sub(r"\s*số\s*:?\s*$", "", before, flags=re.IGNORECASE).strip()
        before_key = search_key(before)
        word_type = next(
            (abbreviation for words, abbreviation in _TYPE_WORDS if before_key.endswith(words)), None
        )
        found[number] = {
            "number_symbol": number,
            "type": type_of_number(number) or word_type,
            "date": date.isoformat() if date else None,
        }
    return list(found.values())


# --- header ---------------------------------------------------------------------------------------


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
            # A sentence of the body right under the subject (a PDF text layer has no blank lines).
            or (parts and line[:1].isupper() and (len(line) > 100 or re.search(r"[.;:!?]$", line)))
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
            if not part or _SEPARATOR_RE.match(part):
                continue
            if _NUMBER_LINE_RE.match(part):
                if doc.number_symbol is None:
                    doc.number_symbol = normalise_number_symbol(part)
                continue
            place_date = _PLACE_DATE_RE.match(part)
            if place_date and doc.issued_on is None:
                doc.issued_on = _date_from(place_date)
                place = place_date.group("before").strip(" ,-*•")
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
                issuers += _split_bodies(part.strip(" *-"))
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


_NOT_NAME_RE = re.compile(r"[\d:;,/()\[\]\"“”]")


def _is_name(line: str) -> bool:
    tokens = line.split()
    if not 2 <= len(tokens) <= 6 or _NOT_NAME_RE.search(line) or _SIGNED_RE.search(line):
        return False
    return all(token[:1].isupper() for token in tokens) and not _AUTHORITY_RE.match(line)


def normalise_authority(text: str) -> str:
    """ "TM. ỦY BAN NHÂN DÂN K/T CHỦ TỊCH" -> "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH": every link of the chain
    written as Nghị định 30/2020 writes it (T/M, KT., TL., TUQ., Q.)."""
    text = " ".join((text or "").split())
    match = _AUTHORITY_RE.match(text)
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


def _footer_start(line: str, after_authority: bool = False) -> tuple[str, str] | None:
    """A "Nơi nhận" line flattened with the signature column: ("recipients text", "signature text").

    "Nơi nhận: T/M ĐẢNG ỦY" (left column first) or "T/M ĐẢNG ỦY Nơi nhận:" (right column first), or,
    `after_authority` (the line above is "T/M …"), "PHÓ BÍ THƯ Nơi nhận:"."""
    match = _NOI_NHAN_RE.match(line)
    if match:
        inline = match.group(1)
        authority = _AUTHORITY_RE.match(inline)
        if authority and _is_upper(authority.group(2)):
            return "", inline
        for inner in _INNER_AUTHORITY_RE.finditer(inline):
            if inner.start() and _is_upper(inline[inner.end() :]):
                return inline[: inner.start()].strip(), inline[inner.start() :].strip()
        return None
    match = re.search(r"(?<=\S)\s*Nơi\s+nhận\s*:?\s*", line, re.IGNORECASE)
    if match:
        head = line[: match.start()].strip()
        authority = _AUTHORITY_RE.match(head)
        if (authority and _is_upper(authority.group(2))) or (after_authority and _right_piece(head)):
            return line[match.end() :].strip(), head
    return None


def _right_piece(text: str) -> bool:
    """Could `text` be a piece of the signature column (authority, title, "(đã ký)", name)?"""
    text = text.strip()
    if not text or (re.search(r"[;,.:]$", text) and not _AUTHORITY_RE.match(text)):
        return False
    if re.match(r"^[(\[]", text):
        return bool(_SIGNED_RE.search(text)) and len(text) < 40
    if _AUTHORITY_RE.match(text) or _INNER_AUTHORITY_RE.match(text):
        return True
    if re.search(r"[.;,:]", text):
        return False  # the end of a recipient ("VT, NC. PHÓ CHỦ TỊCH" is cut after "NC.")
    if _is_upper(text):
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


def _flat_footer(doc: ParsedDocument, lines: list[str], index: int, inline: str, right_text: str) -> bool:
    """Recipients and signature of a footer whose two columns were flattened ("Nơi nhận: T/M ĐẢNG ỦY",
    then the recipients with the title and the name interleaved, on the same lines or on lines of their
    own). Returns False, setting nothing, when the lines are an ordinary footer or no footer at all."""
    # The signature column may start a line or two above "Nơi nhận" ("T/M BAN THƯỜNG VỤ" / "Nơi nhận:
    # PHÓ BÍ THƯ" …): authority lines right above it (no blank line between) belong to the footer.
    above: list[str] = []
    k = index - 1
    while k >= 0 and index - k <= 2 and lines[k] and _AUTHORITY_RE.match(lines[k]):
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
        if (
            _NOI_NHAN_RE.match(line)
            or _KINH_GUI_RE.match(line)
            or len(line) > 200
            or _SEPARATOR_RE.match(line)
        ):
            break
        left, piece, is_item = _footer_line(line)
        if left is not None and not is_item:
            if left.startswith("(") and len(left) < 40:
                continue  # "(Tùng/VP)": the typist's initials
            if not (items and re.search(r"[;,]$", items[-1].strip())) or len(left) > 80 or _is_upper(left):
                break  # not the continuation of an item: the footer has ended
        if left is not None:
            mixed = mixed or piece is not None
            interleaved = interleaved or bool(right)
            items.append(left)
        if piece is not None:
            right.append(piece)
    first = next((k for k, piece in enumerate(right) if _AUTHORITY_RE.match(piece)), None)
    if first is None or not (mixed or interleaved):
        return False
    chain = []
    k = first
    while k < len(right) and _AUTHORITY_RE.match(right[k]):
        chain.append(right[k].rstrip(".:,"))
        k += 1
    title = signer = None
    for piece in right[k:]:
        if piece.startswith(("(", "[")):
            continue
        if title is None and signer is None and _is_upper(piece):
            title = piece.rstrip(".:,")
        elif signer is None and _is_name(piece) and not _is_upper(piece):
            signer = piece
    if title is None:
        title = _title_from_chain(chain)
    doc.recipients = [item for item in (_strip_item(item) for item in items) if item]
    doc.signing_authority = normalise_authority(" ".join(chain))
    doc.signer_title = title
    doc.signer = signer
    return True


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
            title = _title_from_chain(chain)
        doc.signing_authority = normalise_authority(" ".join(chain))
        doc.signer_title = title
        doc.signer = _name_after(lines, j)
        return
    # No "T/M", "KT." …: a title in capitals followed (after the space for the signature) by a name.
    for i in range(start, len(lines)):
        line = lines[i]
        if not line or len(line) > 80 or not 1 <= len(line.split()) <= 6 or not _is_upper(line):
            continue
        name = _name_after(lines, i + 1, limit=6)
        if name and not _is_upper(name) and not _type_of_title(line):
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


_SENTENCE_END_RE = re.compile(rf"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘(]?[{_UPPER}0-9])")
_ITEM_NUMBER_RE = re.compile(r"\s*(?:\d{1,3}|[IVXLC]{1,5}|[a-zđ])\.")
_CLAUSE_BULLET_RE = re.compile(r"^(?:[-+•]|\d{1,2}\s*[-.)]|[a-zđ]\))\s*")


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _SENTENCE_END_RE.finditer(paragraph):
            piece = paragraph[start : match.start()]
            if piece.endswith(_ABBREVIATIONS) or _ITEM_NUMBER_RE.fullmatch(piece):
                continue  # "TP. Biên Hòa", or the number of an item ("1. Các chi bộ …")
            sentences.append(piece.strip())
            start = match.end()
        sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def _clause_text(text: str) -> str:
    text = _CLAUSE_BULLET_RE.sub("", text.strip(), count=1)
    return text.strip().rstrip(";,").strip()


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def targets(text: str, *, cleaned: bool = False) -> list[dict]:
    """Every commitment with a percentage ("Đảm bảo 100% …", "đạt từ 80% trở lên"): [{text, percent}].

    A range ("80%-100%") counts once, with its lower bound. A percentage in a sentence without a word of
    commitment (đảm bảo, đạt, phấn đấu, trở lên, ít nhất, tối thiểu, tỷ lệ) is a figure, not a target.
    """
    found: list[dict] = []
    paragraphs = (text if cleaned else clean_text(text)).split("\n")
    sentences = (
        sentence for paragraph in paragraphs if "%" in paragraph for sentence in _sentences(paragraph)
    )
    for sentence in sentences:
        if "%" not in sentence:
            continue
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


def _due_parts(text: str) -> tuple[str, str, str | None, bool] | None:
    """(day, month, year or None, whether "hằng năm" follows) of the first deadline written in `text`."""
    for pattern in (_DUE_DIGITS_RE, _DUE_WORDS_RE):
        match = pattern.search(text)
        if match:
            day, month, year = match.groups()
            return day, month, year, bool(_YEARLY_AFTER_RE.match(text, match.end()))
    return None


def _due_on(parts: tuple | None, issued_on: datetime.date | None) -> str | None:
    if parts is None:
        return None
    day, month, year, _yearly = parts
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


def _due(text: str, issued_on: datetime.date | None) -> str | None:
    return _due_on(_due_parts(text), issued_on)


def _recurrence(body: str, parts: tuple | None) -> dict | None:
    """{"every": "semiannual" | "annual", "day", "month"} when the assignment recurs, else None.

    Semi-annual: "Định kỳ 6 tháng(, 1 năm) …", "6 tháng một lần". Annual: "Hằng năm, …", "Định kỳ hằng
    năm / 1 năm …", or a deadline followed by "hằng năm" ("trước 15 tháng 12 hàng năm"). A "hằng năm" elsewhere
    ("kế hoạch công tác hằng năm") qualifies a noun, not the task. The day and month are those of the
    deadline when one is written (a day that no year has, as 31/2, gives none)."""
    opener = _RECURRING_OPENER_RE.match(body)
    period = search_key(opener.group(0)) if opener else ""
    if re.search(r"\b(?:0?6|sau) thang\b", period) or _SIX_MONTHLY_RE.search(body):
        every = "semiannual"
    elif re.search(r"\bnam\b", period) or (parts is not None and parts[3]):
        every = "annual"
    else:
        return None
    day = month = None
    if parts is not None and _date(parts[0], parts[1], "2000"):  # 2000: a leap year, so 29/2 is a day
        day, month = int(parts[0]), int(parts[1])
    return {"every": every, "day": day, "month": month}


def _is_recurring_report(body: str) -> bool:
    """ "Định kỳ 6 tháng, 1 năm đánh giá …, báo cáo về Đảng ủy khối": a report due on a recurring basis,
    written without saying who reports (not a past event: "đã báo cáo", "được báo cáo")."""
    if not _RECURRING_OPENER_RE.match(body):
        return False
    report = re.search(r"(?<!\w)báo cáo(?!\w)", body)
    return bool(report) and not re.search(r"(?<!\w)(?:đã|đang|được|chưa)(?!\w)", body[: report.start()])


def _is_body_name(subject: str) -> bool:
    """Does `subject` name bodies or office holders ("Các cấp ủy đảng trực thuộc", "Các ban và Văn phòng
    Đảng ủy khối", "Sở Nội vụ"), rather than open a sentence with a verb or a noun ("Tổ chức các phong
    trào …", "Kế hoạch này …")?"""
    words = subject.split()
    if not 1 <= len(words) <= 20 or re.search(r"[:;()\"“”]|\d{3,}", subject):
        return False
    lowered = subject.lower()
    determined = False
    while True:
        match = re.match(r"^(?:các|mỗi|từng|những|toàn thể|tất cả(?: các)?)\s+", lowered)
        if not match:
            break
        lowered = lowered[match.end() :]
        determined = True
    for head in _BODY_HEADS:
        if lowered == head or lowered.startswith(head + " ") or lowered.startswith(head + ","):
            rest = lowered[len(head) :].lstrip(" ,")
            return not any(
                rest == word or rest.startswith(word + " ") for word in _NOT_AFTER_HEAD.get(head, ())
            )
    return determined and lowered.startswith(_DETERMINED_HEADS)


def _subject_of(body: str) -> str | None:
    """The subject of a sentence "<bodies> <verb> …", when it names bodies (see `_is_body_name`)."""
    body = _OPENERS_RE.sub("", body)
    stop = _SUBJECT_STOP_RE.search(body, 1)
    if not stop:
        return None
    subject = body[: stop.start()].strip(" ,;:.")
    return subject if subject and _is_body_name(subject) else None


_ASSIGNMENT_WORDS = ("giao", "chủ trì", "phối hợp", "đề nghị")
# A paragraph outside "Tổ chức thực hiện" holds an assignment only if it has one of these (lower case).
_TASK_HINTS = (*_ASSIGNMENT_WORDS, "định kỳ", "hằng", "hàng", "mỗi", "tháng")


def _task_sentences(text: str):
    """(sentence, whether it opens a paragraph or item of the "Tổ chức thực hiện" section) for every
    sentence of the text."""
    in_execution = False
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if _EXECUTION_HEADING_RE.match(paragraph):
            in_execution = True
            continue
        if in_execution and (
            _SECTION_HEADING_RE.match(paragraph)
            or _NOI_NHAN_RE.match(paragraph)
            or _AUTHORITY_RE.match(paragraph)
            or (len(paragraph) < 150 and len(paragraph.split()) <= 15 and _is_upper(paragraph))
        ):
            in_execution = False
        if not in_execution:
            lowered = paragraph.lower()
            if not any(word in lowered for word in _TASK_HINTS):
                continue  # nothing here can be an assignment
        for index, sentence in enumerate(_sentences(paragraph)):
            yield sentence, in_execution and index == 0


def _assignment_lead(body: str) -> str | None:
    """The lead of an explicit assignment: "Giao X …", "X chủ trì …", "X phối hợp với Y …", "đề nghị X …"."""
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
    return lead


def tasks(text: str, issued_on: datetime.date | None = None, *, cleaned: bool = False) -> list[dict]:
    """Every assignment: [{text, lead, coordinating, due, recurrence}].

    Recognised: "Giao X (chủ trì,) phối hợp với Y …", "X chủ trì(,) phối hợp với Y …", "X phối hợp với Y
    …" at the start of a sentence, "đề nghị X …"; under "Tổ chức thực hiện", every item (or paragraph)
    whose sentence opens with bodies and a verb ("Các cấp ủy đảng trực thuộc tổ chức nghiên cứu …"); and
    anywhere a recurring report ("Định kỳ 6 tháng, 1 năm đánh giá …, báo cáo về Đảng ủy khối"), whose
    lead is None when the sentence names nobody. The lead ends where the coordinating bodies or the verb
    start; `due` is the date after "trước", "chậm nhất", "hạn" (a day without a year is the first one
    after `issued_on`); `recurrence` is None or {"every": "semiannual" | "annual", "day", "month"}.

    A recurring report without a day of its own takes the day of the document's yearly report deadline
    when the document gives exactly one ("… báo cáo kết quả … trước 15 tháng 12 hàng năm").
    """
    found: list[dict] = []
    seen: set[str] = set()
    for sentence, opens_execution_item in _task_sentences(text if cleaned else clean_text(text)):
        body = _clause_text(sentence)
        lowered = body.lower()
        lead = _assignment_lead(body) if any(word in lowered for word in _ASSIGNMENT_WORDS) else None
        if lead is not None and not _lead_ok(lead):
            lead = None
        if lead is None and opens_execution_item:
            lead = _subject_of(body)
        recurring_report = lead is None and _is_recurring_report(body)
        if recurring_report:
            lead = _subject_of(_RECURRING_OPENER_RE.sub("", body, count=1).lstrip(" ,"))
        if (lead is None and not recurring_report) or body in seen:
            continue
        seen.add(body)
        parts = _due_parts(body)
        found.append(
            {
                "text": body,
                "lead": lead.strip(" ,;:.") if lead else None,
                "coordinating": _coordinating(body),
                "due": _due_on(parts, issued_on),
                "recurrence": _recurrence(body, parts),
            }
        )
    _inherit_report_deadline(found, issued_on)
    return found


def _inherit_report_deadline(found: list[dict], issued_on: datetime.date | None) -> None:
    def is_report(task):
        return "bao cao" in search_key(task["text"])

    deadlines = {
        (task["recurrence"]["day"], task["recurrence"]["month"])
        for task in found
        if task["recurrence"]
        and task["recurrence"]["day"]
        and task["recurrence"]["every"] == "annual"
        and is_report(task)
    }
    if len(deadlines) != 1:
        return
    ((day, month),) = deadlines
    for task in found:
        recurrence = task["recurrence"]
        if recurrence and recurrence["day"] is None and is_report(task):
            recurrence["day"], recurrence["month"] = day, month
            task["due"] = task["due"] or _due_on((str(day), str(month), None, True), issued_on)


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
    footer_read = False
    for i in range(body_start, len(lines)):
        flattened = _footer_start(lines[i], bool(i and _AUTHORITY_RE.match(lines[i - 1])))
        match = _NOI_NHAN_RE.match(lines[i])
        if flattened or match:
            inline, right_text = flattened or (match.group(1).strip(), "")
            footer_read = _flat_footer(doc, lines, i, inline, right_text)
            if not footer_read and match:
                doc.recipients, _ = _listing(lines, i, match.group(1).strip())
            break
    if not footer_read:
        _signature(doc, lines, body_start)
    doc.references = references(cleaned, exclude=doc.number_symbol, cleaned=True)
    doc.targets = targets(cleaned, cleaned=True)
    doc.tasks = tasks(cleaned, doc.issued_on, cleaned=True)
    return doc
