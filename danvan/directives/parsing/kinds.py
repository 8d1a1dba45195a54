"""Document types and the numbers and symbols that carry them ("84-CV/ĐU", "04/2015/NĐ-CP").

`DOCUMENT_TYPES` (abbreviation → name, Nghị định 30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW), `NUMBER_RE`
(a number and symbol anywhere in a text), `normalise_number_symbol`, and the type that a number
(`type_of_number`) or a title line such as "KẾ HOẠCH" (`type_of_title`) gives."""

from __future__ import annotations

import re
import unicodedata

from danvan.core.text import search_key

from .text import is_upper

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
TYPE_WORDS = sorted(
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
_SEG = r"[A-ZĐ][A-Za-zĐđ0-9]*"
_PARTY_NUMBER = rf"\d{{1,5}}\s*-\s*{_SEG}(?:\s*/\s*{_SEG})+"  # 84-CV/ĐU, 60-CTr/ĐUK
_STATE_NUMBER = (
    rf"\d{{1,5}}(?:\s*/\s*\d{{4}})?\s*/\s*{_SEG}(?:\s*-\s*{_SEG})+"  # 04/2015/NĐ-CP, 1536/SNV-CCVC
)
NUMBER_RE = re.compile(rf"(?<![\w/.-])(?:{_PARTY_NUMBER}|{_STATE_NUMBER})(?![\w/-])")


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


def type_of_title(line: str) -> str | None:
    if not is_upper(line) or len(line.split()) > 7:
        return None
    key = search_key(line)
    for words, abbreviation in TYPE_WORDS:
        if key == words or key.startswith(words + " "):
            return abbreviation
    return None
