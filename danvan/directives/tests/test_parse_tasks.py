"""Assignments: the items of "Tổ chức thực hiện", recurring reports without a named lead, their recurrence,
and no task at all from ordinary prose."""

import datetime

import pytest

from danvan.directives import parsing

D = datetime.date


def leads(found):
    return [task["lead"] for task in found]


def test_ordinary_prose_gives_no_task():
    prose = (
        "Các cơ quan, đơn vị tổ chức nhiều hoạt động thiết thực, tạo chuyển biến rõ rệt trong nhận thức của "
        "cán bộ. Ban Tuyên giáo Đảng ủy khối thường xuyên quan tâm công tác tuyên truyền. Định kỳ, đồng chí bí "
        "thư đối thoại với đảng viên. Hằng năm, Đảng ủy Khối tổ chức hội nghị tổng kết công tác dân vận. Định "
        "kỳ 6 tháng, các chi bộ đã báo cáo đầy đủ kết quả về Đảng ủy. Hằng năm, kết quả được báo cáo tại hội "
        "nghị. Việc tổ chức thực hiện kế hoạch năm 2024 đạt kết quả tốt.\n"
        "1. Các chi bộ đã tổ chức quán triệt nghị quyết.\n"
        "2. Cấp ủy các cơ sở đảng tập trung lãnh đạo nhiệm vụ chính trị.\n"
        "- Văn phòng Đảng ủy tham mưu tổ chức thành công đại hội."
    )
    assert parsing.tasks(prose, D(2025, 1, 2)) == []


def test_items_under_to_chuc_thuc_hien_are_tasks_until_the_next_heading():
    text = (
        "Điều 2. Nội dung\n"
        "Các sở, ngành thực hiện quy chế.\n"
        "Điều 3. Tổ chức thực hiện\n"
        "1. Sở Nội vụ có trách nhiệm hướng dẫn, kiểm tra việc thực hiện Quy chế này.\n"
        "2. Các sở, ban, ngành, Ủy ban nhân dân các huyện căn cứ chức năng, nhiệm vụ xây dựng kế hoạch.\n"
        "a) Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch UBND tỉnh.\n"
        "- Các tổ chức cơ sở đảng lãnh đạo thực hiện.\n"
        "3. Quy chế này được phổ biến rộng rãi.\n"
        "4. Tổ chức sơ kết việc thực hiện vào cuối năm.\n"
        "Điều 4. Hiệu lực thi hành\n"
        "1. Các cơ quan, đơn vị thực hiện quyết định này."
    )
    found = parsing.tasks(text)
    assert leads(found) == [
        "Sở Nội vụ",
        "Các sở, ban, ngành, Ủy ban nhân dân các huyện",
        "Thủ trưởng các cơ quan, đơn vị",
        "Các tổ chức cơ sở đảng",
    ]
    assert all(task["recurrence"] is None and task["coordinating"] == [] for task in found)


def test_the_execution_heading_in_its_written_forms():
    for heading in (
        "IV. TỔ CHỨC THỰC HIỆN",
        "**III. TỔ CHỨC THỰC HIỆN**",
        "3- Tổ chức thực hiện:",
        "Tổ chức thực hiện",
    ):
        text = f"{heading}\n1. Văn phòng Đảng ủy theo dõi, đôn đốc việc thực hiện."
        assert leads(parsing.tasks(text)) == ["Văn phòng Đảng ủy"], heading
    # Only the first sentence of an item; a second sentence without its own subject is part of the item.
    found = parsing.tasks(
        "III. TỔ CHỨC THỰC HIỆN\n1. Các chi bộ triển khai kế hoạch. Các chi bộ báo cáo sau."
    )
    assert leads(found) == ["Các chi bộ"]


@pytest.mark.parametrize(
    ("sentence", "lead", "recurrence", "due"),
    [
        # The sentence: nobody named, semi-annual.
        (
            "Định kỳ 6 tháng, 1 năm đánh giá kết quả việc thực hiện công tác dân vận, báo cáo về Đảng ủy khối.",
            None,
            {"every": "semiannual", "day": None, "month": None},
            None,
        ),
        # With the subject written after the opener.
        (
            "Định kỳ 6 tháng, các chi bộ báo cáo kết quả về Đảng ủy trước ngày 15/6 hằng năm.",
            "các chi bộ",
            {"every": "semiannual", "day": 15, "month": 6},
            "2025-06-15",
        ),
        (
            "Hằng năm, các chi bộ báo cáo kết quả về Đảng ủy trước ngày 05 tháng 12.",
            "các chi bộ",
            {"every": "annual", "day": 5, "month": 12},
            "2025-12-05",
        ),
        (
            "Định kỳ hằng năm tổng kết, báo cáo Ban Thường vụ trước ngày 10/12.",
            None,
            {"every": "annual", "day": 10, "month": 12},
            "2025-12-10",
        ),
        (
            "6 tháng một lần sơ kết, báo cáo Đảng ủy.",
            None,
            {"every": "semiannual", "day": None, "month": None},
            None,
        ),
        # A period the due rules cannot hold (quarterly): a task, without recurrence.
        ("Hằng quý, các chi bộ báo cáo tình hình tư tưởng.", "các chi bộ", None, None),
        # "trước 31/2 hằng năm": annual, but no such day.
        (
            "Giao Văn phòng báo cáo trước ngày 31/2 hằng năm.",
            "Văn phòng",
            {"every": "annual", "day": None, "month": None},
            None,
        ),
        # Once: a date with its year.
        ("Giao Văn phòng chủ trì báo cáo sơ kết trước ngày 15/12/2025.", "Văn phòng", None, "2025-12-15"),
    ],
)
def test_recurring_reports_and_their_recurrence(sentence, lead, recurrence, due):
    (task,) = parsing.tasks(sentence, D(2025, 1, 2))
    assert set(task) == {"text", "lead", "coordinating", "due", "recurrence", "ongoing"}
    assert (task["lead"], task["recurrence"], task["due"]) == (lead, recurrence, due)


def test_a_recurring_report_takes_the_documents_single_yearly_deadline():
    text = (
        "Định kỳ 6 tháng, 1 năm đánh giá kết quả, báo cáo về Đảng ủy khối.\n"
        "Đề nghị các chi bộ triển khai và báo cáo kết quả về Ban Thường vụ trước 15 tháng 12 hàng năm."
    )
    periodic, yearly = parsing.tasks(text, D(2014, 6, 6))
    assert yearly["recurrence"] == {"every": "annual", "day": 15, "month": 12}
    assert periodic["recurrence"] == {"every": "semiannual", "day": 15, "month": 12}
    assert periodic["due"] == yearly["due"] == "2014-12-15"
    # Two different yearly deadlines: which one applies is not written, so none is taken.
    text += "\nGiao Văn phòng tổng hợp, báo cáo Tỉnh ủy trước 20 tháng 12 hàng năm."
    periodic = parsing.tasks(text, D(2014, 6, 6))[0]
    assert periodic["recurrence"] == {"every": "semiannual", "day": None, "month": None}
    assert periodic["due"] is None


@pytest.mark.parametrize(
    ("sentence", "due", "recurrence", "ongoing"),
    [
        ("Giao Chi bộ 1 chủ trì tổ chức hội nghị trong quý III/2026.", "2026-09-30", None, False),
        ("Giao Chi bộ 1 chủ trì tổ chức hội nghị trong quý 4 năm 2026.", "2026-12-31", None, False),
        ("Giao Chi bộ 1 chủ trì sơ kết trong tháng 10/2026.", "2026-10-31", None, False),
        ("Giao Chi bộ 1 chủ trì tổng kết, hoàn thành trong năm 2027.", "2027-12-31", None, False),
        ("Giao Văn phòng chủ trì xây dựng quy chế, hoàn thành trước 30/6/2027.", "2027-06-30", None, False),
        (
            "Giao Văn phòng tổng hợp, báo cáo trước ngày 15/12 hằng năm.",
            "2025-12-15",
            {"every": "annual", "day": 15, "month": 12},
            False,
        ),
        (
            "Định kỳ 6 tháng, Văn phòng Đảng ủy báo cáo Ban Thường vụ.",
            None,
            {"every": "semiannual", "day": None, "month": None},
            False,
        ),
        # "thường xuyên": no deadline, but marked as ongoing work.
        ("Giao Ban Tuyên giáo chủ trì, thường xuyên theo dõi, đôn đốc việc thực hiện.", None, None, True),
        ("Giao Ban Tuyên giáo chủ trì tổ chức các lớp không thường xuyên.", None, None, False),
    ],
)
def test_deadlines_as_written(sentence, due, recurrence, ongoing):
    (task,) = parsing.tasks(sentence, D(2025, 1, 2))
    assert (task["due"], task["recurrence"], task["ongoing"]) == (due, recurrence, ongoing)


PLAN = """ĐẢNG ỦY SỞ TƯ PHÁP
Số: 12-KH/ĐU
KẾ HOẠCH
Thực hiện Nghị quyết số 25-NQ/TW, Ban Thường vụ Đảng ủy ban hành Kế hoạch thực hiện như sau; đề nghị các \
chi bộ phối hợp với Văn phòng triển khai.
I. MỤC ĐÍCH, YÊU CẦU
1. Các chi bộ quán triệt sâu sắc nghị quyết.
II. NHIỆM VỤ, GIẢI PHÁP
1. Đổi mới nội dung, phương thức tuyên truyền
Các cấp ủy phối hợp với lãnh đạo cơ quan làm tốt công tác tuyên truyền. Giao Chi bộ 2 chủ trì biên soạn \
tài liệu trong quý II/2026.
a) Chi bộ 1 tổ chức tọa đàm.
2. Các chi bộ nâng cao chất lượng sinh hoạt chuyên đề
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng Đảng ủy thường xuyên theo dõi, đôn đốc.
Đề nghị các đơn vị nghiên cứu, quán triệt và triển khai thực hiện. Trong quá trình thực hiện, nếu có khó \
khăn, vướng mắc, các đơn vị báo cáo về Văn phòng Đảng ủy để tổng hợp.
Nơi nhận:
- Các chi bộ,
- Lưu VP.
T/M BAN THƯỜNG VỤ
BÍ THƯ
"""


def test_a_plan_gives_its_items_and_explicit_assignments_not_its_preamble_or_closing():
    found = parsing.tasks(PLAN, D(2026, 1, 5))
    assert [(task["text"], task["lead"], task["due"], task["ongoing"]) for task in found] == [
        # the numbered items of "Nhiệm vụ, giải pháp" (not their lettered sub-items), lead if named
        ("Đổi mới nội dung, phương thức tuyên truyền", None, None, False),
        ("Giao Chi bộ 2 chủ trì biên soạn tài liệu trong quý II/2026.", "Chi bộ 2", "2026-06-30", False),
        ("Các chi bộ nâng cao chất lượng sinh hoạt chuyên đề", "Các chi bộ", None, False),
        ("Văn phòng Đảng ủy thường xuyên theo dõi, đôn đốc.", "Văn phòng Đảng ủy", None, True),
    ]


def test_the_covering_request_is_no_task_but_a_named_request_is():
    assert parsing.tasks("Đề nghị các đơn vị nghiên cứu, quán triệt và triển khai thực hiện.") == []
    (task,) = parsing.tasks("Đề nghị Ủy ban nhân dân các huyện báo cáo kết quả trước ngày 05/12/2025.")
    assert (task["lead"], task["due"]) == ("Ủy ban nhân dân các huyện", "2025-12-05")


def test_difficulties_to_gather_are_a_task_not_a_closing():
    (task,) = parsing.tasks(
        "Giao Văn phòng tổng hợp khó khăn, vướng mắc của các chi bộ, báo cáo trước ngày 15/12/2026.",
        D(2026, 1, 5),
    )
    assert (task["lead"], task["due"]) == ("Văn phòng", "2026-12-15")
    closing = "Trong quá trình thực hiện, có gì vướng mắc, đề nghị các chi bộ báo cáo về Văn phòng Đảng ủy."
    assert parsing.tasks(closing) == []
