"""The parser on seed 004 and on documents written in the same styles (tests/documents/)."""

import datetime
from pathlib import Path

import pytest

from danvan.directives import parsing

DOCUMENTS = Path(__file__).parent / "documents"
# A copy of /work/shared/seeds/004_805e6ce0319a12de.txt, so that the tests do not depend on the machine.
SEED_TEXT = (DOCUMENTS / "seed_004.txt").read_text(encoding="utf-8")

JSON_KEYS = {
    "type",
    "number_symbol",
    "issuer",
    "parent_issuer",
    "place",
    "issued_on",
    "subject",
    "addressees",
    "recipients",
    "signing_authority",
    "signer_title",
    "signer",
    "references",
    "targets",
    "tasks",
}


@pytest.fixture(scope="module")
def seed():
    return parsing.parse(SEED_TEXT).as_dict()


def refs(data):
    return {ref["number_symbol"]: (ref["type"], ref["date"]) for ref in data["references"]}


def test_seed_004_header_and_footer_are_those_of_the_first_document(seed):
    assert set(seed) == JSON_KEYS
    assert seed["type"] == "CV"
    assert seed["number_symbol"] == "84-CV/ĐU"
    assert seed["issuer"] == "ĐẢNG ỦY SỞ TƯ PHÁP"
    assert seed["parent_issuer"] == "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"
    assert seed["place"] == "Biên Hòa"
    assert seed["issued_on"] == "2014-06-06"
    assert seed["subject"] == (
        "triển khai thực hiện Chương trình hành động của Đảng ủy Khối thực hiện Kế hoạch 164-KH/TU"
    )
    assert seed["addressees"] == [
        "Các đồng chí UVBCH Đảng ủy Sở",
        "Chi bộ 1, 2, 3 và 4",
        "Các phòng chuyên môn, đơn vị trực thuộc",
    ]
    # Only the first "Nơi nhận" (the programme's own list follows at the end of the file).
    assert seed["recipients"] == ["Như trên", "BT, PBT Đảng ủy", "Trang TTĐT Sở", "Lưu: VT, ĐU"]
    assert seed["signing_authority"] == "T/M ĐẢNG ỦY"
    assert seed["signer_title"] == "PHÓ BÍ THƯ"
    assert seed["signer"] == "Phan Văn Châu"


def test_seed_004_references_come_from_the_whole_text_with_their_dates(seed):
    found = refs(seed)
    assert found["60-CTr/ĐUK"] == ("CTr", "2014-05-29")
    assert found["164-KH/TU"] == ("KH", None)
    assert found["25-NQ/TW"] == ("NQ", "2013-06-03")
    # Cited only in the programme (the second document of the file).
    assert found["101-QĐ/TW"] == ("QĐ", "2012-06-07")
    assert found["11-CT/TW"] == ("CT", "1996-12-28")
    assert found["18/2000/CT-TTg"] == ("CT", "2000-09-21")
    assert found["62-KL/TW"] == ("KL", "2009-12-08")
    assert "84-CV/ĐU" not in found  # not its own number
    assert len(found) == len(seed["references"]) == 10


def test_seed_004_targets_are_every_percentage_commitment(seed):
    targets = [(t["percent"], t["text"][:40]) for t in seed["targets"]]
    assert targets == [
        (100, "Đảm bảo 100% các tổ chức cơ sở đảng có p"),
        (100, "Tỷ lệ tập hợp quần chúng trong độ tuổi v"),
        (70, "Tỷ lệ tập hợp quần chúng trong độ tuổi v"),
        (80, "tỷ lệ đoàn viên, hội viên tham gia sinh "),  # "80%-100%": the lower bound
        (80, "tỷ lệ đoàn, hội cơ sở vững mạnh đạt 80% "),
        (100, "Đảm bảo 100% cơ quan, đơn vị có xây dựng"),
    ]


def test_seed_004_tasks_name_lead_and_coordinating_bodies(seed):
    def task(prefix):
        (found,) = [task for task in seed["tasks"] if task["text"].startswith(prefix)]
        return found

    first = task("Giao Ban Tuyên giáo Đảng ủy khối phối hợp với Văn phòng, các ")
    assert first["lead"] == "Ban Tuyên giáo Đảng ủy khối"
    assert first["coordinating"] == ["Văn phòng", "các ban đảng", "đoàn thể khối"]
    assert first["due"] is None
    training = task("Ban Tuyên giáo Đảng ủy khối chủ trì phối hợp với Ban Tổ chức ")
    assert training["lead"] == "Ban Tuyên giáo Đảng ủy khối"
    assert training["coordinating"] == ["Ban Tổ chức Đảng ủy khối"]
    inspection = task("Ban Tuyên giáo Đảng ủy khối chủ trì phối hợp với Ủy ban Kiểm ")
    assert inspection["coordinating"] == ["Ủy ban Kiểm tra", "các ban", "Văn phòng Đảng ủy khối"]
    unions = task("Giao Ban Thường vụ Đoàn khối và Hội Cựu chiến binh khối, Ban ")
    assert (
        unions["lead"]
        == "Ban Thường vụ Đoàn khối và Hội Cựu chiến binh khối, Ban Thường vụ Công đoàn Viên chức tỉnh"
    )
    assert unions["coordinating"] == ["cấp ủy cơ sở"]
    # Item 5 of "Tổ chức thực hiện", cut in two by a page break in the seed ("định" / "kỳ báo cáo").
    follow_up = task("Giao Ban Tuyên giáo Đảng ủy khối chủ trì phối hợp với Văn phòng, các ban của")
    assert follow_up["coordinating"] == [
        "Văn phòng",
        "các ban của Đảng ủy khối",
        "đảng bộ",
        "chi bộ trực thuộc",
    ]
    assert "định kỳ báo cáo Ban Thường vụ" in follow_up["text"]
    # Items 1 and 5 of "Tổ chức thực hiện" report "định kỳ": on the yearly day of the closing sentence
    # ("… báo cáo kết quả … trước 15 tháng 12 hàng năm"), the first 15/12 after 06/06/2014.
    assert follow_up["recurrence"] == {"every": "annual", "day": 15, "month": 12}
    assert follow_up["due"] == "2014-12-15"
    # Passive "được giao" and the meeting "giao ban" are not assignments.
    assert not any((task["lead"] or "").startswith(("quản lý", "nhiệm vụ")) for task in seed["tasks"])


# Every assignment of seed 004, in the order of the text: (start of the text, lead, recurrence, ongoing).
# Nothing from the covering công văn 84-CV/ĐU (its "đề nghị các đơn vị … triển khai thực hiện"), nothing
# from the closing "Trên đây là Chương trình …": the 7 numbered items of "III. NỘI DUNG, NHIỆM VỤ VÀ GIẢI
# PHÁP", the 7 explicit assignments inside them ("Giao X …", "X chủ trì …", "Ban Tuyên giáo phối hợp với
# …", the recurring report) and the 5 items of "TỔ CHỨC THỰC HIỆN": 19.
YEARLY = {"every": "annual", "day": 15, "month": 12}
SEED_TASKS = [
    ("Tăng cường xây dựng Đảng về chính trị, tư tưởng và tổ chức", None, None, False),
    ("Giao Ban Tuyên giáo Đảng ủy khối phối hợp với Văn phòng", "Ban Tuyên giáo Đảng ủy khối", None, False),
    ("Ban Tuyên giáo phối hợp với Ban Tổ chức", "Ban Tuyên giáo", None, False),
    ("Nâng cao nhận thức về vai trò, vị trí công tác dân vận", None, None, False),
    (
        "Ban Tuyên giáo Đảng ủy khối chủ trì phối hợp với Ban Tổ chức",
        "Ban Tuyên giáo Đảng ủy khối",
        None,
        False,
    ),
    ("Tăng cường sự lãnh đạo của cấp ủy Đảng đối với việc đổi mới", None, None, False),
    ("Tăng cường và đổi mới công tác dân vận trong tình hình mới", None, None, False),
    # The assignment the issue quotes: no lead is written; a semi-annual report, on the day of the
    # programme's yearly report deadline ("trước 15 tháng 12 hàng năm", in its closing sentence).
    ("Định kỳ 6 tháng, 1 năm đánh giá kết quả", None, {"every": "semiannual", "day": 15, "month": 12}, False),
    ("Đối với chi bộ không có cấp ủy", "Ban Tuyên giáo của Đảng ủy", None, False),
    ("Đẩy mạnh phong trào thi đua yêu nước", None, None, False),
    ("Lãnh đạo đổi mới nội dung, phương thức hoạt động của các đoàn thể", None, None, False),
    (
        "Giao Ban Thường vụ Đoàn khối",
        "Ban Thường vụ Đoàn khối và Hội Cựu chiến binh khối, Ban Thường vụ Công đoàn Viên chức tỉnh",
        None,
        False,
    ),
    ("Tăng cường lãnh đạo, chỉ đạo, kiểm tra và giám sát", None, None, False),
    (
        "Ban Tuyên giáo Đảng ủy khối chủ trì phối hợp với Ủy ban Kiểm tra",
        "Ban Tuyên giáo Đảng ủy khối",
        None,
        False,
    ),
    # Items 1–5 of "TỔ CHỨC THỰC HIỆN": subject + verb, the subject is the lead.
    ("Các cấp ủy đảng trực thuộc tổ chức nghiên cứu", "Các cấp ủy đảng trực thuộc", YEARLY, False),
    (
        "Các đồng chí Ủy viên Ban Chấp hành",
        "Các đồng chí Ủy viên Ban Chấp hành, Ban Thường vụ Đảng ủy khối",
        None,
        False,
    ),
    ("Các ban và Văn phòng Đảng ủy khối tham mưu", "Các ban và Văn phòng Đảng ủy khối", None, False),
    ("Các đoàn thể chính trị - xã hội khối căn cứ", "Các đoàn thể chính trị - xã hội khối", None, False),
    (
        "Giao Ban Tuyên giáo Đảng ủy khối chủ trì phối hợp với Văn phòng",
        "Ban Tuyên giáo Đảng ủy khối",
        YEARLY,
        False,
    ),
]


def test_seed_004_tasks_are_the_full_list(seed):
    found = seed["tasks"]
    assert len(found) == len(SEED_TASKS) == 19
    for task, (start, lead, recurrence, ongoing) in zip(found, SEED_TASKS, strict=True):
        assert task["text"].startswith(start)
        assert (task["lead"], task["recurrence"], task["ongoing"]) == (lead, recurrence, ongoing)
    periodic = found[7]
    assert periodic["text"] == (
        "Định kỳ 6 tháng, 1 năm đánh giá kết quả việc thực hiện công tác dân vận, báo cáo về Đảng ủy khối."
    )
    assert periodic["due"] == "2014-12-15"  # the first 15/12 after the issue date, 06/06/2014
    # Item 4 says "kế hoạch công tác hàng năm": a yearly plan, not a yearly task.
    assert found[17]["due"] is None and found[17]["recurrence"] is None


def test_seed_004_covering_letter_and_closing_give_no_task(seed):
    texts = [task["text"] for task in seed["tasks"]]
    for covering in (
        "Đảng ủy Sở triển khai toàn văn Chương trình",  # the công văn passing the programme on
        "Trong quá trình truy cập văn bản gặp khó khăn",
        "Trên đây là Chương trình hành động",  # the programme's closing sentence
        "Xác định rõ nhiệm vụ và giải pháp chủ yếu",  # "2. Yêu cầu": not the section of tasks
        "Mục tiêu",
        "Các chỉ tiêu chủ yếu",
        # "X phối hợp với Y" with X naming nobody in particular describes how the work is done
        "Các cấp ủy đảng phối hợp với lãnh đạo cơ quan",
        "Các cấp ủy phối hợp với",
    ):
        assert not any(text.startswith(covering) for text in texts), covering


def test_seed_004_prose_around_the_assignments_gives_no_task(seed):
    texts = [task["text"] for task in seed["tasks"]]
    # Numbered items outside "Tổ chức thực hiện", subject + verb sentences of the body, "Định kỳ" without a
    # report, a heading that starts with a verb.
    for prose in (
        "Xác định rõ nhiệm vụ và giải pháp chủ yếu",
        "Tổ chức các phong trào thi đua phải sát với điều kiện thực tế",
        "Các cấp ủy cơ sở quan tâm đổi mới phương thức lãnh đạo",
        "Định kỳ, đồng chí bí thư cấp ủy, thủ trưởng cơ quan, đơn vị đối thoại trực tiếp",
        "Định kỳ cấp ủy cơ sở làm việc với Ban Chấp hành các đoàn thể",
        "Nghiên cứu đề xuất sửa đổi, bổ sung, hoàn thiện Quy chế",
    ):
        assert not any(text.startswith(prose) for text in texts), prose


EXPECTED = {
    "party_kh_flattened.txt": {
        "type": "KH",
        "number_symbol": "12-KH/ĐU",
        "issuer": "ĐẢNG ỦY SỞ Y TẾ",
        "parent_issuer": "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "place": "Đồng Nai",
        "issued_on": "2025-03-15",
        "subject": "Tổ chức học tập, quán triệt Nghị quyết số 08-NQ/ĐUK của Đảng ủy Khối các cơ quan tỉnh",
        "recipients": ["Ban Tuyên giáo Đảng ủy Khối (b/c)", "Các chi bộ trực thuộc", "Lưu VP"],
        "signing_authority": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer": "Nguyễn Văn An",
    },
    "state_qd.txt": {
        "type": "QĐ",
        "number_symbol": "1234/QĐ-UBND",
        "issuer": "UBND TỈNH ĐỒNG NAI",
        "parent_issuer": None,
        "place": "Đồng Nai",
        "issued_on": "2025-06-05",
        "subject": "ban hành Quy chế công tác dân vận của chính quyền các cấp trên địa bàn tỉnh Đồng Nai",
        "recipients": [
            "Như Điều 3",
            "Thường trực Tỉnh ủy (b/c)",
            "Chủ tịch, các PCT UBND tỉnh",
            "Lưu: VT, NC",
        ],
        "signing_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer": "Trần Thị Bình",
    },
    "state_cv_blocks.txt": {
        "type": "CV",
        "number_symbol": "1536/SNV-CCVC",
        "issuer": "SỞ NỘI VỤ",
        "parent_issuer": "UBND TỈNH ĐỒNG NAI",
        "place": "Đồng Nai",
        "issued_on": "2025-11-10",
        "subject": "báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm 2025",
        "addressees": ["Ủy ban nhân dân các huyện, thành phố"],
        "recipients": ["Như trên", "Giám đốc Sở (b/c)", "Lưu: VT, CCVC"],
        "signing_authority": "TL. GIÁM ĐỐC",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "signer": "Lê Minh Cường",
    },
    "party_tb_markdown.txt": {
        "type": "TB",
        "number_symbol": "31-TB/ĐU",
        "issuer": "ĐẢNG ỦY SỞ TƯ PHÁP",
        "parent_issuer": "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        "place": "Biên Hòa",
        "issued_on": "2014-06-06",
        "subject": "Kết luận của Ban Thường vụ Đảng ủy về công tác dân vận quý II năm 2014",
        "recipients": ["Đảng ủy Khối (b/c)", "Các chi bộ", "Lưu VP"],
        "signing_authority": "T/M ĐẢNG ỦY",
        "signer_title": "BÍ THƯ",
        "signer": "Phạm Thị Dung",
    },
    "party_ctr.txt": {
        "type": "CTr",
        "number_symbol": "60-CTr/ĐUK",
        "issuer": "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "parent_issuer": "ĐẢNG BỘ TỈNH ĐỒNG NAI",
        "place": "Biên Hòa",
        "issued_on": "2014-05-29",
        "subject": "thực hiện Kế hoạch số 164-KH/TU của Ban Chấp hành Đảng bộ tỉnh về thực hiện Nghị quyết số "
        "25-NQ/TW ngày 03/6/2013 của Hội nghị Trung ương 7 (khóa XI)",
        "signing_authority": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "signer": "Hoàng Văn Em",
    },
    "party_nq.txt": {
        "type": "NQ",
        "number_symbol": "08-NQ/ĐUK",
        "issuer": "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "parent_issuer": "ĐẢNG BỘ TỈNH ĐỒNG NAI",
        "place": "Biên Hòa",
        "issued_on": "2024-07-20",
        "subject": "về tăng cường công tác dân vận trong các cơ quan tỉnh giai đoạn 2024 - 2025",
        "recipients": ["Ban Thường vụ Tỉnh ủy", "Các đảng bộ cơ sở", "Lưu VP"],  # inline on one line
        "signing_authority": "T/M BAN THƯỜNG VỤ",
        "signer_title": "BÍ THƯ",
        "signer": "Võ Thị Giang",
    },
    "state_kh_tuq.txt": {
        "type": "KH",
        "number_symbol": "45/KH-UBND",
        "issuer": "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",  # one name written over two lines of the column
        "parent_issuer": None,
        "place": "Đồng Nai",
        "issued_on": "2025-06-05",
        "subject": "Triển khai thực hiện Chỉ thị số 18/2000/CT-TTg của Thủ tướng Chính phủ",
        "signing_authority": "TUQ. CHỦ TỊCH",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "signer": "Đỗ Văn Hùng",
    },
    # Header and footer of a PDF text layer, right column first; "về việc" in lower case after the title;
    # footer columns flattened ("Nơi nhận: T/M ĐẢNG ỦY", the title and the name beside the recipients).
    "party_kh_execution.txt": {
        "type": "KH",
        "number_symbol": "05-KH/ĐU",
        "issuer": "ĐẢNG ỦY SỞ NỘI VỤ",
        "parent_issuer": "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        "place": "Đồng Nai",
        "issued_on": "2025-01-02",
        "subject": "thực hiện công tác dân vận năm 2025",
        "recipients": ["Ban Dân vận Đảng ủy Khối (b/c)", "Các chi bộ trực thuộc", "Lưu VP"],
        "signing_authority": "T/M ĐẢNG ỦY",
        "signer_title": "BÍ THƯ",
        "signer": "Nguyễn Thị Hoa",
    },
    # The whole header on one line; "v/v"; footer flattened with the signature column first and "K/T".
    "state_cv_one_line.txt": {
        "type": "CV",
        "number_symbol": "210/SNV-XDCQ",
        "issuer": "SỞ NỘI VỤ",
        "parent_issuer": "UBND TỈNH ĐỒNG NAI",
        "place": "Đồng Nai",
        "issued_on": "2025-04-15",
        "subject": "báo cáo công tác dân vận chính quyền 6 tháng đầu năm 2025",
        "addressees": ["Ủy ban nhân dân các huyện, thành phố"],
        "recipients": ["Như trên", "Giám đốc Sở (b/c)", "Lưu: VT, XDCQ"],
        "signing_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer": "Trần Văn Hải",
    },
    # Markdown as pandoc writes it: *x*, **x**, ***x***, _x_, __x__, escapes, [x]{.underline}, "TM.".
    "party_tb_pandoc.txt": {
        "type": "TB",
        "number_symbol": "40-TB/ĐU",
        "issuer": "ĐẢNG ỦY SỞ TƯ PHÁP",
        "parent_issuer": "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        "place": "Biên Hòa",
        "issued_on": "2014-09-12",
        "subject": "kết quả kiểm tra công tác dân vận quý III năm 2014",
        "recipients": ["Các chi bộ", "Lưu VP"],
        "signing_authority": "T/M ĐẢNG ỦY",
        "signer_title": "PHÓ BÍ THƯ",
        "signer": "Trần Quốc Toản",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_and_footer_fields_of_written_documents(name):
    data = parsing.parse((DOCUMENTS / name).read_text(encoding="utf-8")).as_dict()
    assert set(data) == JSON_KEYS
    assert {key: data[key] for key in EXPECTED[name]} == EXPECTED[name]


def test_body_fields_of_written_documents():
    def parsed(name):
        return parsing.parse((DOCUMENTS / name).read_text(encoding="utf-8")).as_dict()

    kh = parsed("party_kh_flattened.txt")
    assert refs(kh) == {"08-NQ/ĐUK": ("NQ", "2024-07-20"), "05-HD/BTGĐUK": ("HD", None)}
    assert [t["percent"] for t in kh["targets"]] == [100, 90]
    assert kh["tasks"] == [
        {
            "text": "Giao Văn phòng Đảng ủy chủ trì, phối hợp với các chi bộ trực thuộc tổ chức hội nghị học "
            "tập trước ngày 30/4/2025.",
            "lead": "Văn phòng Đảng ủy",
            "coordinating": ["các chi bộ trực thuộc"],
            "due": "2025-04-30",
            "recurrence": None,
            "ongoing": False,
        }
    ]

    qd = parsed("state_qd.txt")
    assert refs(qd) == {
        "30/2020/NĐ-CP": ("NĐ", "2020-03-05"),
        "04/2015/NĐ-CP": ("NĐ", "2015-01-09"),
        "88/TTr-SNV": ("TTr", "2025-05-20"),
    }
    (task,) = qd["tasks"]
    assert task["lead"] == "Sở Nội vụ"
    assert task["coordinating"] == ["Ban Dân vận Tỉnh ủy", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]
    assert task["due"] == "2025-12-15"  # "trước 15 tháng 12 hằng năm" after 05/06/2025
    assert task["recurrence"] == {"every": "annual", "day": 15, "month": 12}

    cv = parsed("state_cv_blocks.txt")
    assert refs(cv) == {"120/KH-UBND": ("KH", "2025-02-02")}
    assert [(t["lead"], t["due"]) for t in cv["tasks"]] == [
        ("Ủy ban nhân dân các huyện, thành phố", "2025-12-05")
    ]

    tb = parsed("party_tb_markdown.txt")
    assert refs(tb) == {"05-TB/ĐUK": ("TB", "2014-05-12")}
    assert tb["targets"][0]["percent"] == 100
    assert tb["tasks"][0]["coordinating"] == ["Công đoàn cơ sở", "Chi đoàn thanh niên"]
    assert tb["tasks"][0]["due"] == "2014-09-30"

    ctr = parsed("party_ctr.txt")
    # "tăng 12% so với năm trước" is a figure, not a commitment.
    assert [t["percent"] for t in ctr["targets"]] == [100, 80]
    assert ctr["tasks"][0]["coordinating"] == ["Ban Tổ chức", "Văn phòng Đảng ủy khối"]
    assert ctr["tasks"][0]["due"] == "2014-12-15"  # "trước 15/12 hằng năm" after 29/05/2014
    assert ctr["tasks"][0]["recurrence"] == {"every": "annual", "day": 15, "month": 12}

    nq = parsed("party_nq.txt")
    assert refs(nq) == {"25-NQ/TW": ("NQ", "2013-06-03"), "114-KL/TW": ("KL", "2015-07-14")}
    assert nq["targets"] == [
        {
            "text": 'Phấn đấu đến năm 2025 có ít nhất 95% cơ quan, đơn vị đạt danh hiệu "Dân vận khéo".',
            "percent": 95,
        }
    ]
    assert nq["tasks"][0]["due"] == "2024-12-15"
    assert nq["tasks"][0]["recurrence"] is None  # "trước ngày 15/12/2024": once

    tuq = parsed("state_kh_tuq.txt")
    assert tuq["tasks"][0]["coordinating"] == ["các sở", "ngành liên quan"]
    assert tuq["tasks"][0]["due"] is None  # "31/2/2026" is not a date


def test_body_fields_of_the_new_layouts():
    def parsed(name):
        return parsing.parse((DOCUMENTS / name).read_text(encoding="utf-8")).as_dict()

    kh = parsed("party_kh_execution.txt")
    assert [(t["lead"], t["coordinating"], t["due"], t["recurrence"]) for t in kh["tasks"]] == [
        # "Định kỳ 6 tháng, 1 năm … báo cáo … trước ngày 10/6 và 10/12 hằng năm": nobody named.
        (None, [], "2025-06-10", {"every": "semiannual", "day": 10, "month": 6}),
        # Items of "III. TỔ CHỨC THỰC HIỆN"; item 4 ("Kế hoạch này được phổ biến …") names no body.
        ("Các chi bộ trực thuộc", [], None, None),
        ("Văn phòng Đảng ủy", [], None, None),
        ("Chi bộ Văn phòng", ["Công đoàn cơ sở"], "2025-09-30", None),
        ("các chi bộ", [], "2025-12-05", {"every": "annual", "day": 5, "month": 12}),
    ]
    # Numbered items of "I. MỤC ĐÍCH, YÊU CẦU" are not assignments, even with a subject and a verb.
    assert not any(t["text"].startswith(("Các chi bộ đã", "Cán bộ, đảng viên")) for t in kh["tasks"])
    assert kh["references"] == [{"number_symbol": "60-CTr/ĐUK", "type": "CTr", "date": "2014-05-29"}]

    cv = parsed("state_cv_one_line.txt")
    assert [(t["lead"], t["due"], t["recurrence"]) for t in cv["tasks"]] == [
        ("Ủy ban nhân dân các huyện, thành phố", "2025-05-20", None)
    ]

    tb = parsed("party_tb_pandoc.txt")
    assert tb["references"] == [{"number_symbol": "12-KH/ĐU", "type": "KH", "date": "2014-01-02"}]
    assert [t["text"] for t in tb["targets"]] == [
        "Đảm bảo 100% chi bộ hoàn thành việc tự kiểm tra trước ngày 30/10/2014."
    ]
    assert [(t["lead"], t["coordinating"], t["due"]) for t in tb["tasks"]] == [
        ("Chi bộ 2", ["Đoàn Thanh niên"], "2014-11-15")
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31 - TB/ĐU", "31-TB/ĐU"),
        ("Số: 84 - CV/ĐU", "84-CV/ĐU"),
        ("Số 60-CTr/ĐUK", "60-CTr/ĐUK"),
        ("04 / 2015 / NĐ – CP", "04/2015/NĐ-CP"),
        ("1536/SNV-CCVC", "1536/SNV-CCVC"),
        ("  25-NQ/TW.", "25-NQ/TW"),
    ],
)
def test_normalise_number_symbol(written, expected):
    assert parsing.normalise_number_symbol(written) == expected


OLD_NUMBER_DATE = "\nSố: 12/KH-UBND\nĐồng Nai, ngày 05 / 6 /2025"
PARTY = ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG BỘ TỈNH ĐỒNG NAI", "60-CTr/ĐUK", "Biên Hòa", "2014-05-29")
STATE = ("SỞ NỘI VỤ", "UBND TỈNH ĐỒNG NAI", "1536/SNV-CCVC", "Đồng Nai", "2025-11-10")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # Columns flattened into one line, party motto on the right.
        (
            "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY SỞ TƯ PHÁP" + OLD_NUMBER_DATE,
            ("ĐẢNG ỦY SỞ TƯ PHÁP", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "12/KH-UBND", "Đồng Nai", "2025-06-05"),
        ),
        # Motto block first, then the issuing bodies.
        (
            "ĐẢNG CỘNG SẢN VIỆT NAM\n\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\nĐẢNG ỦY SỞ TƯ PHÁP" + OLD_NUMBER_DATE,
            ("ĐẢNG ỦY SỞ TƯ PHÁP", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "12/KH-UBND", "Đồng Nai", "2025-06-05"),
        ),
        # State header, both lines flattened with the mottos ("HOÀ" spelt the old way).
        (
            "UBND TỈNH ĐỒNG NAI CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ Độc lập-Tự do-Hạnh phúc"
            + OLD_NUMBER_DATE,
            ("SỞ NỘI VỤ", "UBND TỈNH ĐỒNG NAI", "12/KH-UBND", "Đồng Nai", "2025-06-05"),
        ),
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM UBND TỈNH ĐỒNG NAI" + OLD_NUMBER_DATE,
            ("UBND TỈNH ĐỒNG NAI", None, "12/KH-UBND", "Đồng Nai", "2025-06-05"),
        ),
        # --- party documents, each row of the two columns flattened into one line ---------------------
        # Left column first.
        (
            "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\n*\n"
            "Số 60-CTr/ĐUK Biên Hòa, ngày 29 tháng 5 năm 2014",
            PARTY,
        ),
        # Right column first (the reviewer's case): the place and date come before the issuer.
        (
            "ĐẢNG CỘNG SẢN VIỆT NAM ĐẢNG BỘ TỈNH ĐỒNG NAI\nBiên Hòa, ngày 29 tháng 5 năm 2014 ĐẢNG ỦY KHỐI CÁC CƠ "
            "QUAN TỈNH\nSố 60-CTr/ĐUK",
            PARTY,
        ),
        # The whole header on one line, either column first ("X ĐẢNG CỘNG SẢN VIỆT NAM Y Số …").
        (
            "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG CỘNG SẢN VIỆT NAM ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH Số 60-CTr/ĐUK Biên Hòa, "
            "ngày 29 tháng 5 năm 2014",
            PARTY,
        ),
        (
            "ĐẢNG CỘNG SẢN VIỆT NAM ĐẢNG BỘ TỈNH ĐỒNG NAI Biên Hòa, ngày 29 tháng 5 năm 2014 ĐẢNG ỦY KHỐI CÁC CƠ "
            "QUAN TỈNH Số 60-CTr/ĐUK",
            PARTY,
        ),
        (
            "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG CỘNG SẢN VIỆT NAM ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH Số 60-CTr/ĐUK\n"
            "Biên Hòa, ngày 29 tháng 5 năm 2014",
            PARTY,
        ),
        # The two lines of the left column joined (a cell whose line break was soft), motto after them.
        (
            "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH ĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Số 60-CTr/ĐUK Biên Hòa, ngày 29 tháng 5 năm 2014",
            PARTY,
        ),
        # Columns kept apart by spaces (a PDF text layer), the star beside the date.
        (
            "ĐẢNG BỘ TỈNH ĐỒNG NAI          ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\n"
            "     *       Biên Hòa, ngày 29 tháng 5 năm 2014\nSố 60 - CTr/ĐUK",
            PARTY,
        ),
        # A PDF text layer gluing the right column to the left one.
        (
            "ĐẢNG CỘNG SẢN VIỆT NAMĐẢNG BỘ TỈNH ĐỒNG NAI\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\n"
            "Biên Hòa, ngày 29 tháng 5 năm 2014*\nSố 60-CTr/ĐUK",
            PARTY,
        ),
        # --- the columns as separate blocks, in either order -----------------------------------------
        (
            "ĐẢNG CỘNG SẢN VIỆT NAM\nBiên Hòa, ngày 29 tháng 5 năm 2014\n\nĐẢNG BỘ TỈNH ĐỒNG NAI\n"
            "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\n*\nSố 60-CTr/ĐUK",
            PARTY,
        ),
        (
            "ĐẢNG BỘ TỈNH ĐỒNG NAI\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\n*\nSố 60-CTr/ĐUK\n\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Biên Hòa, ngày 29 tháng 5 năm 2014",
            PARTY,
        ),
        # --- the state equivalents ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc") ---
        (
            "UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc\n"
            "Số: 1536/SNV-CCVC Đồng Nai, ngày 10 tháng 11 năm 2025",
            STATE,
        ),
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM UBND TỈNH ĐỒNG NAI\nĐộc lập - Tự do - Hạnh phúc SỞ NỘI VỤ\n"
            "Đồng Nai, ngày 10 tháng 11 năm 2025 Số: 1536/SNV-CCVC",
            STATE,
        ),
        (
            "UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc "
            "Số: 1536/SNV-CCVC Đồng Nai, ngày 10 tháng 11 năm 2025",
            STATE,
        ),
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM UBND TỈNH ĐỒNG NAI Độc lập - Tự do - Hạnh phúc SỞ NỘI VỤ "
            "Đồng Nai, ngày 10 tháng 11 năm 2025 Số: 1536/SNV-CCVC",
            STATE,
        ),
        (
            "UBND TỈNH ĐỒNG NAI SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 1536/SNV-CCVC Đồng Nai, ngày 10 tháng 11 năm 2025",
            STATE,
        ),
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMUBND TỈNH ĐỒNG NAI\nĐộc lập - Tự do - Hạnh phúcSỞ NỘI VỤ\n"
            "Đồng Nai, ngày 10 tháng 11 năm 2025Số: 1536/SNV-CCVC",
            STATE,
        ),
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nĐồng Nai, ngày 10 tháng 11 năm "
            "2025\n\nUBND TỈNH ĐỒNG NAI\nSỞ NỘI VỤ\n\nSố: 1536/SNV-CCVC",
            STATE,
        ),
        # One name over two lines of the column, right column first.
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ỦY BAN NHÂN DÂN\nĐộc lập - Tự do - Hạnh phúc TỈNH ĐỒNG NAI\n"
            "Đồng Nai, ngày 10 tháng 11 năm 2025 Số: 1536/SNV-CCVC",
            ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", None, "1536/SNV-CCVC", "Đồng Nai", "2025-11-10"),
        ),
    ],
)
def test_header_layouts(header, expected):
    doc = parsing.parse(f"{header}\n\nKẾ HOẠCH\nVề việc thử\n\nCăn cứ …").as_dict()
    assert (
        doc["issuer"],
        doc["parent_issuer"],
        doc["number_symbol"],
        doc["place"],
        doc["issued_on"],
    ) == expected
    assert doc["subject"] == "thử"


def test_names_of_bodies_are_not_cut_inside():
    doc = parsing.parse(
        "BAN DÂN VẬN TỈNH ỦY ĐẢNG CỘNG SẢN VIỆT NAM\nSố 10-HD/BDVTU Biên Hòa, ngày 2 tháng 3 năm 2025"
    )
    assert (doc.issuer, doc.parent_issuer) == ("BAN DÂN VẬN TỈNH ỦY", None)
    doc = parsing.parse("VĂN PHÒNG UBND TỈNH ĐỒNG NAI\nSố: 5/VP-HC\nĐồng Nai, ngày 2 tháng 3 năm 2025")
    assert (doc.issuer, doc.parent_issuer) == ("VĂN PHÒNG UBND TỈNH ĐỒNG NAI", None)


@pytest.mark.parametrize(
    ("title_and_subject", "subject"),
    [
        ("KẾ HOẠCH\nvề việc tổ chức hội nghị đối thoại", "tổ chức hội nghị đối thoại"),
        ("KẾ HOẠCH\nVề việc: tổ chức hội nghị đối thoại", "tổ chức hội nghị đối thoại"),
        ("KẾ HOẠCH\nVỀ VIỆC TỔ CHỨC HỘI NGHỊ ĐỐI THOẠI", "TỔ CHỨC HỘI NGHỊ ĐỐI THOẠI"),
        ("v/v tổ chức hội nghị đối thoại", "tổ chức hội nghị đối thoại"),
        ("V/V: tổ chức hội nghị đối thoại", "tổ chức hội nghị đối thoại"),
        ("NGHỊ QUYẾT\nvề tăng cường công tác dân vận", "về tăng cường công tác dân vận"),  # "về" alone stays
    ],
)
def test_subject_without_v_v_or_ve_viec_in_any_case(title_and_subject, subject):
    doc = parsing.parse(
        f"ĐẢNG ỦY SỞ TƯ PHÁP\nSố 31-KH/ĐU\nBiên Hòa, ngày 6 tháng 6 năm 2014\n{title_and_subject}"
    )
    assert doc.subject == subject


def test_number_and_date_on_one_flattened_line():
    doc = parsing.parse(
        "ĐẢNG ỦY SỞ TƯ PHÁP\nSố 31 - TB/ĐU Biên Hòa, ngày 6  tháng  6 năm 2014\nTHÔNG BÁO\nVề việc X"
    )
    assert (doc.number_symbol, doc.place, doc.issued_on) == (
        "31-TB/ĐU",
        "Biên Hòa",
        datetime.date(2014, 6, 6),
    )
    assert (doc.type, doc.subject) == ("TB", "X")


def test_signing_block_on_one_line_splits_the_title():
    doc = parsing.parse(
        "UBND TỈNH ĐỒNG NAI\nSố: 1/QĐ-UBND\n\nQUYẾT ĐỊNH\nVề việc X\n\nKT. CHỦ TỊCH PHÓ CHỦ TỊCH\n\nTrần Văn B"
    )
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Văn B",
    )


def test_a_date_without_a_year_needs_the_issue_date():
    text = "Giao Sở Nội vụ chủ trì báo cáo trước ngày 15/12 hằng năm."
    assert parsing.tasks(text)[0]["due"] is None
    assert parsing.tasks(text, datetime.date(2025, 12, 20))[0]["due"] == "2026-12-15"
    assert parsing.tasks(text, datetime.date(2025, 1, 2))[0]["due"] == "2025-12-15"


def test_text_without_any_document_gives_empty_fields():
    data = parsing.parse("Một đoạn văn bình thường, không có số, không có ngày.").as_dict()
    assert set(data) == JSON_KEYS
    assert data["number_symbol"] is None and data["issued_on"] is None
    assert data["references"] == data["targets"] == data["tasks"] == []


def test_document_types_cover_the_register_abbreviations():
    for abbreviation in ("NQ", "CT", "KL", "QĐ", "QĐi", "CTr", "KH", "CV", "BC", "HD", "TB", "TTr"):
        assert abbreviation in parsing.DOCUMENT_TYPES


def test_upper_case_words_outside_a_header_are_not_issuers():
    # A web page copied into a file (as seed 003): no number, date or motto, so no issuing body.
    doc = parsing.parse(
        "VN-Index\nUSD\nTIN NỔI BẬT TRONG NGÀY\n\nĐảng ủy Khối luôn chú trọng công tác dân vận."
    )
    assert (doc.issuer, doc.parent_issuer, doc.number_symbol) == (None, None, None)


def test_assignments_need_a_subject_and_skip_opening_adverbials():
    found = parsing.tasks(
        "Chủ trì, phối hợp với Ban Chấp hành Công đoàn tổ chức triển khai Quy chế dân chủ.\n"
        "Hằng năm, các cơ quan, đơn vị phối hợp với công đoàn cơ sở và các tổ chức đoàn thể tổ chức hội nghị.\n"
        "Cán bộ được giao quản lý vốn nhà nước phải công khai tài sản.\n"
        "Các đơn vị tổ chức giao ban hằng tuần."
    )
    assert [(task["lead"], task["coordinating"]) for task in found] == [
        ("các cơ quan, đơn vị", ["công đoàn cơ sở", "các tổ chức đoàn thể"])
    ]
