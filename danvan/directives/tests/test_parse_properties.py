"""Property-based: no text crashes the parser, and what it returns always has the documented shape."""

import datetime
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from danvan.directives import parsing

from .test_parse import JSON_KEYS

# Pieces of real documents, so that the generated texts reach deep into the heuristics.
FRAGMENTS = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ĐẢNG ỦY SỞ TƯ PHÁP",
    "UBND TỈNH ĐỒNG NAI",
    "Số: 84 - CV/ĐU",
    "Số",
    "Số: 04/2015/NĐ-CP",
    "Biên Hòa, ngày 6 tháng 6 năm 2014",
    "ngày 31/2/2014",
    ", ngày 99 tháng 99 năm 9999",
    "V/v",
    "KẾ HOẠCH",
    "Kính gửi:",
    "Nơi nhận:",
    "- ",
    "T/M ĐẢNG ỦY",
    "KT. CHỦ TỊCH",
    "PHÓ BÍ THƯ",
    "Phan Văn Châu",
    "Giao ",
    " chủ trì",
    " phối hợp với ",
    "đề nghị ",
    "trước 15 tháng 12 hàng năm",
    "trước ngày 15/13/2014",
    "Đảm bảo 100%",
    "đạt 80%-100%",
    "999%",
    "**",
    "*",
    "\\-",
    "\n",
    "\n\n",
    "; ",
    ". ",
    # Layouts and phrases of issue 5's fixes.
    "ĐẢNG CỘNG SẢN VIỆT NAMĐẢNG BỘ TỈNH",
    "Biên Hòa, ngày 6 tháng 6 năm 2014 ĐẢNG ỦY KHỐI",
    "Nơi nhận: T/M ĐẢNG ỦY",
    "T/M ĐẢNG ỦY Nơi nhận:",
    "PHÓ BÍ THƯ - Như trên;",
    "- Lưu: VT, ĐU. Phan Văn Châu",
    "TM. ỦY BAN NHÂN DÂN K/T CHỦ TỊCH",
    "Q. GIÁM ĐỐC",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Các cấp ủy đảng trực thuộc ",
    "Định kỳ 6 tháng, 1 năm ",
    "báo cáo",
    "Hằng năm, ",
    "về việc ",
    "_",
    "__",
    "\\",
    "[x]{.underline}",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_any_text_parses_to_the_documented_shape(text):
    data = parsing.parse(text).as_dict()
    assert set(data) == JSON_KEYS
    json.dumps(data, ensure_ascii=False)
    if data["issued_on"]:
        datetime.date.fromisoformat(data["issued_on"])
    for reference in data["references"]:
        assert set(reference) == {"number_symbol", "type", "date"}
        assert " " not in reference["number_symbol"]
    for target in data["targets"]:
        assert 0 <= target["percent"] <= 100
    for task in data["tasks"]:
        assert set(task) == {"text", "lead", "coordinating", "due", "recurrence", "ongoing"}
        assert isinstance(task["ongoing"], bool)
        assert task["text"]
        # A lead is a name or None (a recurring report that names nobody), never an empty string.
        assert task["lead"] is None or task["lead"].strip()
        if task["due"]:
            datetime.date.fromisoformat(task["due"])
        if task["recurrence"] is not None:
            recurrence = task["recurrence"]
            assert set(recurrence) == {"every", "day", "month"}
            assert recurrence["every"] in ("semiannual", "annual")
            assert (recurrence["day"] is None) == (recurrence["month"] is None)
            if recurrence["day"] is not None:
                datetime.date(2000, recurrence["month"], recurrence["day"])


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60))
def test_normalise_number_symbol_never_raises_and_has_no_spaces(text):
    assert " " not in parsing.normalise_number_symbol(text)
