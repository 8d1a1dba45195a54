"""Importing questions: XLSX (per-row Vietnamese errors, all or nothing), DOCX in the usual layout, the
sample file, the page and the command."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danvan.core import tables
from danvan.emulation.quizzes import importing
from danvan.emulation.quizzes.models import Question

pytestmark = pytest.mark.django_db

HEADER = ["Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Đáp án", "Chủ đề", "Mức độ", "Nguồn"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    "Luật Hòa giải ở cơ sở được ban hành năm nào?",
    "2011",
    "2013",
    "2015",
    "B",
    "Hòa giải ở cơ sở",
    "Dễ",
    "Luật 35/2013/QH13",
]
MULTI = ["Chọn các nội dung đúng", "Một", "Hai", "Ba", "A, C", "Dân vận", "trung bình", ""]


def read(content: bytes, name: str):
    return importing.read_specs(tables.check_upload(content, name=name, kinds=importing.KINDS))


def test_an_xlsx_is_read_with_single_and_multiple_answers():
    specs = read(xlsx([GOOD, MULTI]), "cau-hoi.xlsx")
    assert [(s.row, s.difficulty, [c.correct for c in s.choices]) for s in specs] == [
        (2, "easy", [False, True, False]),
        (3, "medium", [True, False, True]),
    ]


def test_an_xlsx_with_a_bad_row_names_it_and_the_page_saves_nothing(tree, personas, login):
    bad = ["Câu thiếu đáp án", "A1", "B1", "", "D", "Dân vận", "rất khó", ""]
    with pytest.raises(importing.ImportProblems) as problems:
        read(xlsx([GOOD, bad]), "cau-hoi.xlsx")
    assert problems.value.messages == [
        "Dòng 3, cột Đáp án: Đáp án ghi một phương án không có nội dung.",
        "Dòng 3, cột Mức độ: Ghi mức độ: dễ, trung bình hoặc khó.",
    ]
    client = login(personas["mobilisation_officer"])
    upload = io.BytesIO(xlsx([GOOD, bad]))
    upload.name = "cau-hoi.xlsx"
    response = client.post(reverse("quizzes:import"), {"unit": "STP", "file": upload})
    assert response.status_code == 400
    assert "Đáp án ghi một phương án không có nội dung." in response.content.decode()
    assert not Question.objects.exists()
    # A question the service refuses (no right answer can be marked in an empty choice … here: one choice)
    one_choice = ["Chỉ một phương án", "Duy nhất", "", "", "A", "Dân vận", "Dễ", ""]
    upload = io.BytesIO(xlsx([GOOD, one_choice]))
    upload.name = "cau-hoi.xlsx"
    response = client.post(reverse("quizzes:import"), {"unit": "STP", "file": upload})
    assert "Câu hỏi ở dòng 3: Câu hỏi cần ít nhất hai phương án." in response.content.decode()
    assert not Question.objects.exists()
    upload = io.BytesIO(xlsx([GOOD, MULTI]))
    upload.name = "cau-hoi.xlsx"
    response = client.post(reverse("quizzes:import"), {"unit": "STP", "file": upload})
    assert response.status_code == 200 and Question.objects.filter(unit=tree.stp).count() == 2


def test_the_sample_file_has_the_columns_and_imports_as_it_is(tree, personas, login):
    response = login(personas["mobilisation_officer"]).get(reverse("quizzes:sample"))
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["Câu hỏi", "Phương án A", "Phương án B"]
    assert len(read(content, "mau.xlsx")) == 2


def document(lines) -> bytes:
    made = docx.Document()
    for line in lines:
        bold = line.startswith("**")
        paragraph = made.add_paragraph()
        paragraph.add_run(line.strip("*") if bold else line).bold = bold or None
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


def test_a_docx_in_the_usual_layout_is_read():
    content = document(
        [
            "BỘ CÂU HỎI TRẮC NGHIỆM",
            "Chủ đề: Dân chủ ở cơ sở",
            "Câu 1: Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào?",
            "A. 01/01/2023",
            "B. 01/7/2023",
            "Đáp án: B",
            "Mức độ: dễ",
            "Câu 2. Phương châm nào đúng?",
            "*A. Dân biết, dân bàn, dân làm, dân kiểm tra",
            "B. Dân nghe, dân theo",
            "Mức độ: trung bình",
            "Nguồn: Văn kiện Đại hội",
            "Câu 3: Câu có đáp án in đậm",
            "A) Sai",
            "**B) Đúng",
            "c) Cũng đúng",
            "Đáp án: B, C",
            "Chủ đề: Dân vận",
            "Mức độ: khó",
            "Giải thích: vì vậy.",
        ]
    )
    specs = read(content, "de.docx")
    assert [(s.row, s.topic, s.difficulty, [c.correct for c in s.choices]) for s in specs] == [
        (3, "Dân chủ ở cơ sở", "easy", [False, True]),
        (8, "Dân chủ ở cơ sở", "medium", [True, False]),
        (13, "Dân vận", "hard", [False, True, True]),
    ]
    assert specs[1].choices[0].text == "Dân biết, dân bàn, dân làm, dân kiểm tra"
    assert specs[1].source == "Văn kiện Đại hội" and specs[2].explanation == "vì vậy."
    # Bold alone marks a right answer.
    bold = read(document(["Câu 1: Hỏi?", "A. Sai", "**B. Đúng", "Mức độ: dễ", "Chủ đề: X"]), "b.docx")
    assert [c.correct for c in bold[0].choices] == [False, True]


def test_a_docx_question_without_a_right_answer_is_refused_with_its_line():
    content = document(["Chủ đề: Dân vận", "Câu 1: Hỏi?", "A. Một", "B. Hai", "Mức độ: dễ"])
    with pytest.raises(importing.ImportProblems) as problems:
        read(content, "de.docx")
    assert problems.value.messages == [
        "Câu hỏi ở dòng 2: chưa đánh dấu đáp án đúng (“Đáp án: B”, dấu sao hoặc in đậm)."
    ]


def test_the_command_imports_all_or_nothing(tree, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([GOOD, MULTI]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([GOOD, ["Hỏi", "A", "B", "", "", "Dân vận", "dễ", ""]]))
    with pytest.raises(CommandError):
        call_command("import-questions", "--unit", "STP", str(bad))
    assert not Question.objects.exists()
    with pytest.raises(CommandError):
        call_command("import-questions", "--unit", "KHONGCO", str(good))
    call_command("import-questions", "--unit", "STP", str(good))
    assert Question.objects.filter(unit=tree.stp).count() == 2


def test_a_docx_is_imported_through_the_page(tree, personas, login):
    upload = io.BytesIO(document(["Chủ đề: Dân vận", "Câu 1: Hỏi?", "A. Một", "*B. Hai", "Mức độ: dễ"]))
    upload.name = "de-thi.docx"
    response = login(personas["mobilisation_officer"]).post(
        reverse("quizzes:import"), {"unit": "STP", "file": upload}
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert Question.objects.get().topic.name == "Dân vận"
