"""Markdown left by converters (pandoc, markitdown) is removed before the fields are read; the text stays."""

import pytest

from danvan.directives import parsing


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("_Biên Hòa_, ngày 6 tháng 6 năm 2014", "Biên Hòa, ngày 6 tháng 6 năm 2014"),
        ("*Biên Hòa*, ngày 6", "Biên Hòa, ngày 6"),
        ("**T/M ĐẢNG ỦY**", "T/M ĐẢNG ỦY"),
        ("__ĐẢNG ỦY SỞ TƯ PHÁP__", "ĐẢNG ỦY SỞ TƯ PHÁP"),
        ("***ĐẢNG CỘNG SẢN VIỆT NAM***", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("___Biên Hòa___", "Biên Hòa"),
        ("“*về tăng cường công tác dân vận*”;", "“về tăng cường công tác dân vận”;"),
        ("(_đã ký_)", "(đã ký)"),
        # Emphasis over two lines (the two names of the issuing column in seed 004).
        ("**ĐẢNG ỦY KHỐI\nĐẢNG ỦY SỞ**", "ĐẢNG ỦY KHỐI\nĐẢNG ỦY SỞ"),
        ("_ĐẢNG ỦY KHỐI\nĐẢNG ỦY SỞ_", "ĐẢNG ỦY KHỐI\nĐẢNG ỦY SỞ"),
        # Escapes: the character stays as itself.
        ("Số 84\\-CV/ĐU", "Số 84-CV/ĐU"),
        ("1\\. Đảm bảo", "1. Đảm bảo"),
        ("\\*", "*"),
        ("a\\_b \\_x\\_", "a_b _x_"),
        ("\\[1\\]", "[1]"),
        # pandoc's spans and hard line breaks.
        ("[Biên Hòa]{.underline}, ngày 6", "Biên Hòa, ngày 6"),
        ("Kính gửi:\\\n- Chi bộ 1", "Kính gửi:\n- Chi bộ 1"),
        # "* item" is a bullet (markitdown writes lists so).
        ("* Như trên;\n* Lưu VP.", "- Như trên;\n- Lưu VP."),
        # Underscores inside a word, rules and blanks of a form are not emphasis.
        ("ten_file_van_ban.docx", "ten_file_van_ban.docx"),
        ("_______________", "_______________"),
        ("Số: ____/KH-UBND", "Số: ____/KH-UBND"),
    ],
)
def test_clean_text_removes_emphasis_and_escapes(written, clean):
    assert parsing.clean_text(written) == clean


def test_a_document_written_with_single_underscores_keeps_its_place():
    doc = parsing.parse(
        "_ĐẢNG ỦY SỞ TƯ PHÁP_ _ĐẢNG CỘNG SẢN VIỆT NAM_\n_Số 31\\-TB/ĐU_ _Biên Hòa_, ngày 6 tháng 6 năm 2014\n"
        "__THÔNG BÁO__\n_về việc_ kết quả học tập"
    )
    assert (doc.issuer, doc.number_symbol, doc.place, doc.type, doc.subject) == (
        "ĐẢNG ỦY SỞ TƯ PHÁP",
        "31-TB/ĐU",
        "Biên Hòa",
        "TB",
        "kết quả học tập",
    )
