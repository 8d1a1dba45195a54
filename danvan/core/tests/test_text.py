from danvan.core.text import search_key, search_terms, sort_key


def test_search_key_drops_diacritics_case_and_d_stroke():
    assert search_key("Đảng ủy Khối các cơ quan tỉnh") == "dang uy khoi cac co quan tinh"
    assert search_key("  Sở   Tư pháp ") == "so tu phap"
    assert search_terms("SỞ tư  PHÁP") == ["so", "tu", "phap"]


def test_sort_key_follows_the_vietnamese_alphabet():
    names = [
        "Đoàn Thanh niên",
        "Chi bộ 2",
        "Công đoàn",
        "Ấp Bắc",
        "Dân vận",
        "Ăn uống",
        "An Giang",
        "Chi bộ 10",
    ]
    ordered = sorted(names, key=sort_key)
    # a < ă < â, c < d < đ; a word that is a prefix comes first.
    assert ordered.index("An Giang") < ordered.index("Ăn uống") < ordered.index("Ấp Bắc")
    assert ordered.index("Dân vận") < ordered.index("Đoàn Thanh niên")
    assert ordered.index("Chi bộ 2") < ordered.index("Công đoàn")


def test_sort_key_orders_tones_after_letters():
    assert sorted(["Bá", "Bà", "Ba", "Bả"], key=sort_key) == ["Ba", "Bà", "Bá", "Bả"]
    assert sort_key("ơ") > sort_key("ôz")
