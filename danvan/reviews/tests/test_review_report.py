"""`danvan review-report`: the DOCX read back with python-docx — layout, header, figures, annex."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Pt

from danvan.reports.tests.conftest import indicators  # noqa: F401 - the reports fixtures
from danvan.voice.tests.conftest import rules  # noqa: F401 - the seeded deadline rules

pytestmark = pytest.mark.django_db


def _report(tmp_path, *args, name="report.docx"):
    out = tmp_path / name
    call_command("review-report", "--out", str(out), *args)
    return Document(str(out))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _cell_runs(cell):
    return [(p.text, p.runs[0] if p.runs else None) for p in cell.paragraphs]


def test_the_document_has_the_party_layout(tmp_path, figures):
    document = _report(
        tmp_path, "--unit", "DUK", "--period", "2026S1", "--date", "2026-06-06", "--place", "Đồng Nai"
    )
    section = document.sections[0]
    mm = {name: round(getattr(section, name).mm, 1) for name in ("page_width", "page_height")}
    assert mm == {"page_width": 210, "page_height": 297}  # A4 (stored in twentieths of a point)
    assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    # Page numbers from page 2: a PAGE field in the header, page 1 with a header of its own (empty).
    assert section.different_first_page_header_footer is True
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and 'w:fldCharType="begin"' in header_xml
    assert not section.first_page_header.is_linked_to_previous
    assert "PAGE" not in section.first_page_header._element.xml

    header = document.tables[0]
    assert header.style.name == "Normal Table" and "w:tblBorders" not in header._tbl.xml  # no borders
    assert document.tables[2].style.name == "Table Grid"  # the annex has them
    left, right = header.rows[0].cells
    assert [text for text, _ in _cell_runs(left)] == [
        "[TÊN CƠ QUAN CẤP TRÊN TRỰC TIẾP]",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "*",
        "Số      -BC/ĐU",
    ]
    superior, issuer, _star, number = (run for _, run in _cell_runs(left))
    assert superior.font.size == Pt(14) and not superior.font.bold
    assert issuer.font.size == Pt(14) and issuer.font.bold
    assert number.font.size == Pt(14) and not number.font.bold
    party = right.paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.font.bold and party.font.underline and party.font.size == Pt(15)
    dated = right.paragraphs[-1].runs[0]
    assert dated.text == "Đồng Nai, ngày 06 tháng 6 năm 2026"
    assert dated.font.italic and dated.font.size == Pt(14)

    texts = _texts(document)
    title = document.paragraphs[texts.index("BÁO CÁO")].runs[0]
    assert title.font.bold and title.font.size == Pt(16)
    subject = document.paragraphs[texts.index("Sơ kết công tác dân vận 6 tháng đầu năm 2026")].runs[0]
    assert subject.font.bold and subject.font.size == Pt(14)
    body = document.paragraphs[texts.index("[Hạn chế, nguyên nhân]")].runs[0]
    assert body.font.size == Pt(14)
    assert "[Nhiệm vụ thời gian tới]" in texts
    # The signature block and the recipients.
    recipients, signature = document.tables[1].rows[0].cells
    assert 'w:cantSplit w:val="true"' in document.tables[1].rows[0]._tr.xml  # kept on one page
    assert recipients.paragraphs[0].text == "Nơi nhận:" and recipients.paragraphs[0].runs[0].font.underline
    assert [p.text for p in signature.paragraphs if p.text] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "[Họ và tên]"]


def test_the_sentences_and_the_annex_carry_the_figures(tmp_path, figures):
    document = _report(tmp_path, "--unit", "DUK", "--period", "2026S1", "--date", "2026-06-06")
    text = "\n".join(_texts(document))
    assert "Mở 3 lớp tập huấn, bồi dưỡng công tác dân vận với 1.673 lượt người tham gia." in text
    assert "Hòa giải" not in text  # no mediation recorded: nothing said, nothing invented
    # Members active over the bloc: (1470 + 900) / 3000 = 79 %, under 80 %: Sở Tư pháp missed it.
    assert (
        "- Tỷ lệ đoàn viên, hội viên tham gia sinh hoạt thường xuyên: 79 % (chỉ tiêu ≥ 80 %), chưa đạt chỉ tiêu; "
        "1 đơn vị chưa đạt: Đảng ủy Sở Tư pháp." in text
    )
    # A target set for the units below only (by their groups): the bloc's figure and who missed it.
    assert (
        "- Tỷ lệ cán bộ, công chức, viên chức, người lao động tham gia đoàn thể: 95,6 %; 1/2 đơn vị được giao "
        "chỉ tiêu đã đạt; 1 đơn vị chưa đạt: Đảng ủy Sở Y tế." in text
    )
    assert (
        "Trong kỳ chưa có số liệu về tiếp nhận, giải quyết ý kiến, kiến nghị, đơn thư của nhân dân." in text
    )
    # The annex: a matrix of the units below by the 7 targeted indicators, cut into 4 + 3 columns.
    first, second = document.tables[2:]
    rows = [[cell.text for cell in row.cells] for row in first.rows]
    assert rows[0][:2] == ["STT", "Đơn vị"] and len(rows[0]) == 2 + 4
    assert rows[0][3] == "Tỷ lệ đoàn viên, hội viên tham gia sinh hoạt thường xuyên\n≥ 80 %"
    assert [row[:2] for row in rows[1:]] == [["1", "Đảng ủy Sở Tư pháp"], ["2", "Đảng ủy Sở Y tế"]]
    justice, health = rows[1:]
    assert justice[2:4] == ["100 % ✓", "73,5 % ✗"] and health[2:5] == ["89,2 % ✗", "90 % ✓", "100 % ✓"]
    rest = [[cell.text for cell in row.cells] for row in second.rows]
    assert rest[0][:2] == ["STT", "Đơn vị"] and rest[0][-1] == "Số chỉ tiêu đạt" and len(rest[0]) == 2 + 3 + 1
    # Documents studied: targeted, not reported by either unit — a dash, counted as not met.
    assert rest[0][3].startswith("Tỷ lệ cấp ủy đã tổ chức học tập, quán triệt văn bản")
    assert [row[3] for row in rest[1:]] == ["—", "—"]
    assert [row[2] for row in rest[1:]] == ["0 % ✗", "0 % ✗"]
    assert [row[-1] for row in rest[1:]] == ["2/7", "2/7"]
    for table in (first, second):
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml  # repeated on every page
        assert "w:tblHeader" not in table.rows[1]._tr.xml
        assert all('w:cantSplit w:val="true"' in row._tr.xml for row in table.rows)  # rows never split
        assert table.style.name == "Table Grid"
    heading = first.rows[0].cells[3].paragraphs[0].runs[0]
    value = first.rows[1].cells[3].paragraphs[0].runs[0]
    assert heading.font.size == Pt(11) and heading.font.bold and value.font.size == Pt(12)
    assert heading.font.name == value.font.name == "Times New Roman"
    texts = _texts(document)
    assert texts[-1] == "✓: đạt chỉ tiêu; ✗: chưa đạt; —: chưa có số liệu."
    assert texts.index("PHỤ LỤC") < texts.index("Kết quả thực hiện các chỉ tiêu của các đơn vị trực thuộc")


def test_the_annex_is_a_landscape_section_of_its_own(tmp_path, figures):
    document = _report(tmp_path, "--unit", "DUK", "--period", "2026S1", "--date", "2026-06-06")
    body, annex = document.sections
    assert body.orientation == WD_ORIENT.PORTRAIT and body.page_width < body.page_height
    assert annex.orientation == WD_ORIENT.LANDSCAPE and annex.page_width > annex.page_height
    assert annex.start_type == WD_SECTION.NEW_PAGE
    assert round(annex.page_width.mm) == 297 and round(annex.page_height.mm) == 210
    assert round(annex.top_margin.mm) == 30 and round(annex.bottom_margin.mm) == 17  # binding on top
    assert "PAGE" in annex.header._element.xml and not annex.different_first_page_header_footer
    # The annex title opens the landscape section: the body's last paragraph ends the first section.
    annex_start = [p.text for p in document.paragraphs].index("PHỤ LỤC")
    section_break = document.paragraphs[annex_start - 1]._p.xml
    assert "w:sectPr" in section_break and "w:orient" not in section_break.split("w:pgSz")[1].split("/>")[0]


def test_the_annex_keeps_at_most_six_indicators_a_table(tmp_path, tree, figures):
    from dataclasses import replace

    from danvan.reviews import content, document

    review = content.build(unit=tree.root, period_code="2026S1", day=datetime.date(2026, 6, 6))
    assert review.matrix is not None and len(review.matrix.columns) == 7
    for count, widths in ((6, [6]), (3, [3]), (7, [4, 3]), (13, [5, 4, 4])):
        columns = (review.matrix.columns * 2)[:count]
        lines = [replace(line, cells=(line.cells * 2)[:count]) for line in review.matrix.lines]
        matrix = replace(review.matrix, columns=columns, lines=lines)
        out = tmp_path / f"{count}.docx"
        document.write(replace(review, matrix=matrix), out)
        tables = Document(str(out)).tables[2:]
        shown = [len(t.columns) - 2 for t in tables]
        shown[-1] -= 1  # the last one ends with the count of targets met
        assert shown == widths
        assert all(len(t.rows) == 1 + len(lines) for t in tables)


def test_a_year_is_a_tong_ket_and_a_superior_is_named_from_the_parent(tmp_path, figures):
    document = _report(tmp_path, "--unit", "STP", "--period", "2026", "--date", "2027-01-05")
    texts = _texts(document)
    assert "Tổng kết công tác dân vận năm 2026" in texts
    left = document.tables[0].rows[0].cells[0]
    assert left.paragraphs[0].text == "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"
    assert document.tables[0].rows[0].cells[1].paragraphs[-1].text.endswith("ngày 05 tháng 01 năm 2027")
    reporting_year = _report(tmp_path, "--unit", "STP", "--period", "2026ry", name="ry.docx")
    texts = _texts(reporting_year)
    assert "Tổng kết công tác dân vận năm 2026" in texts  # the title names the year; the dates follow
    assert any("(từ ngày 15/12/2025 đến ngày 14/12/2026)" in text for text in texts)
    second_half = _report(tmp_path, "--unit", "STP", "--period", "2026S2", name="s2.docx")
    assert "Sơ kết công tác dân vận 6 tháng cuối năm 2026" in _texts(second_half)
    cell = _report(
        tmp_path, "--unit", "STP-CB1", "--period", "2026S1", "--signer", "Trần Văn Bình", name="cb.docx"
    )
    signature = cell.tables[1].rows[0].cells[1]
    assert [p.text for p in signature.paragraphs if p.text] == ["T/M CHI BỘ", "BÍ THƯ", "Trần Văn Bình"]
    assert cell.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số      -BC/CB"


def test_a_period_without_data_says_so_and_invents_nothing(tmp_path, tree, indicators):  # noqa: F811
    document = _report(tmp_path, "--unit", "STP", "--period", "2025S2", "--date", "2026-01-10")
    text = "\n".join(_texts(document))
    assert "hệ thống chưa có số liệu nào của Đảng ủy Sở Tư pháp trong 6 tháng cuối năm 2025" in text
    assert "Không có số liệu chỉ tiêu của các đơn vị trong kỳ." in text
    assert len(document.tables) == 2  # header and signature: no annex table
    from danvan.reports import selectors

    assert selectors.period_find("2025S2") is None  # reading prepared nothing
    results = text.split("I. KẾT QUẢ THỰC HIỆN\n")[1].split("\nII. HẠN CHẾ")[0].splitlines()
    said = [line for line in results[1:] if line[:2] not in {"1.", "2.", "3.", "4.", "5."}]
    assert said == [
        "Trong kỳ chưa có số liệu về việc triển khai, học tập, quán triệt văn bản.",
        "Trong kỳ chưa có chỉ tiêu được giao có số liệu để đánh giá.",
        "Trong kỳ chưa có số liệu về tiếp nhận, giải quyết ý kiến, kiến nghị, đơn thư của nhân dân.",
        "Trong kỳ chưa có số liệu về đối thoại, sinh hoạt chuyên đề, tập huấn và hòa giải ở cơ sở.",
        "Trong kỳ chưa có số liệu về mô hình “Dân vận khéo” và khen thưởng.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "KHONG-CO", "--period", "2026S1"], "Mã đơn vị “KHONG-CO” không tồn tại."),
        (["--unit", "STP", "--period", "2026X"], "không phải là mã kỳ"),
        (["--unit", "STP", "--period", "2026Q2"], "chỉ lập cho 6 tháng hoặc cả năm"),
        (["--unit", "STP", "--period", "2026S1", "--date", "06/06/2026"], "--date phải là một ngày"),
        (
            ["--unit", "STP", "--period", "2026S1", "--layout", "nhà nước"],
            "--layout phải là một trong: party, state",
        ),
        (["--unit", "STP", "--period", "٢٠٢٦S1"], "không phải là mã kỳ"),
    ],
)
def test_bad_unit_or_period_is_told_in_vietnamese(tmp_path, tree, indicators, args, message):  # noqa: F811
    with pytest.raises(CommandError, match=message):
        call_command("review-report", "--out", str(tmp_path / "r.docx"), *args)
    assert not (tmp_path / "r.docx").exists()


def test_a_unit_outside_the_users_scope_is_refused(tmp_path, personas, indicators):  # noqa: F811
    with pytest.raises(CommandError, match="không được xem số liệu của đơn vị “SYT”"):
        call_command(
            "review-report",
            "--out",
            str(tmp_path / "r.docx"),
            "--unit",
            "SYT",
            "--period",
            "2026S1",
            "--user",
            personas["viewer"].username,
        )
    document = _report(tmp_path, "--unit", "STP", "--period", "2026S1", "--user", personas["viewer"].username)
    assert "ĐẢNG ỦY SỞ TƯ PHÁP" in [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]


def test_the_date_in_words_pads_days_and_the_first_two_months():
    from danvan.reviews.content import date_in_words

    assert date_in_words("Đồng Nai", datetime.date(2026, 6, 6)) == "Đồng Nai, ngày 06 tháng 6 năm 2026"
    assert date_in_words("Hạ Long", datetime.date(2018, 2, 20)) == "Hạ Long, ngày 20 tháng 02 năm 2018"
    assert date_in_words("Hà Nội", datetime.date(2026, 12, 15)) == "Hà Nội, ngày 15 tháng 12 năm 2026"


def _sheet(path):
    from openpyxl import load_workbook

    return load_workbook(path).active


def test_the_annex_as_xlsx_carries_typed_figures(tmp_path, figures):
    annex = tmp_path / "phu-luc.xlsx"
    _report(tmp_path, "--unit", "DUK", "--period", "2026S1", "--annex", str(annex))
    sheet = _sheet(annex)
    assert sheet.title == "PHỤ LỤC"
    assert sheet["A1"].value.startswith(
        "Kết quả thực hiện các chỉ tiêu của các đơn vị trực thuộc — Đảng ủy Khối"
    )
    assert [c.value for c in sheet[2]] == [
        "STT",
        "Đơn vị",
        "Chỉ tiêu",
        "Chỉ tiêu giao",
        "Tử số",
        "Mẫu số",
        "Kết quả",
        "Đơn vị tính",
        "Đánh giá",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    members = next(r for r in rows if r[1] == "Đảng ủy Sở Tư pháp" and r[2].startswith("Tỷ lệ đoàn viên"))
    assert members[3:] == ["≥ 80 %", 1470, 2000, 73.5, "%", "Chưa đạt"]
    assert isinstance(members[0], int) and [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 14  # 7 targeted indicators × 2 units, as in the DOCX annex


def test_the_out_file_may_be_the_xlsx_annex_alone_and_says_when_there_is_none(tmp_path, tree, indicators):  # noqa: F811
    out = tmp_path / "phu-luc.xlsx"
    call_command("review-report", "--unit", "STP", "--period", "2025S2", "--out", str(out))
    sheet = _sheet(out)
    assert [c.value for c in sheet[3]][:2] == [None, "Không có số liệu chỉ tiêu của các đơn vị trong kỳ."]
    with pytest.raises(CommandError, match=r"phải có đuôi \.docx, \.pdf, \.xlsx"):
        call_command("review-report", "--unit", "STP", "--period", "2026S1", "--out", str(tmp_path / "r.odt"))
    with pytest.raises(CommandError, match=r"phải có đuôi \.xlsx"):
        call_command(
            "review-report",
            "--unit",
            "STP",
            "--period",
            "2026S1",
            "--out",
            str(tmp_path / "r.docx"),
            "--annex",
            str(tmp_path / "a.csv"),
        )
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("review-report", "--unit", "STP", "--period", "2026S1", "--out", "/khong/co/r.docx")


def test_citizen_voice_is_told_from_the_cases(tmp_path, tree, rules, indicators):  # noqa: F811
    from danvan.reports import services as report_services
    from danvan.voice.cases.models import Kind
    from danvan.voice.tests.cases.lists_support import SYSTEM, receive, resolve

    receive(tree.stp_cb1, kind=Kind.SUGGESTION, anonymous=True)
    receive(tree.stp_cb1, kind=Kind.SUGGESTION, anonymous=True, day=datetime.date(2026, 4, 1))
    complaint = receive(tree.stp, kind=Kind.COMPLAINT_FIRST)
    resolve(complaint, accepted=datetime.date(2026, 3, 5), decided=datetime.date(2026, 3, 20))
    receive(tree.syt, kind=Kind.DENUNCIATION)
    report_services.period_get(code="2026S1", by=SYSTEM)  # prepared, as the nightly job does

    document = _report(tmp_path, "--unit", "STP", "--period", "2026S1")
    text = "\n".join(_texts(document))
    assert (
        "Trong kỳ đã tiếp nhận 2 ý kiến góp ý của nhân dân (chưa trả lời ý kiến nào) và 1 đơn khiếu nại."
        in text
    )  # Sở Y tế's denunciation is not Sở Tư pháp's
    assert (
        "Đã giải quyết 1 vụ việc khiếu nại, tố cáo, trong đó 1 vụ việc đúng thời hạn (100 %), không có vụ việc quá hạn."
        in text
    )


def test_commendations_are_told_from_the_register(tmp_path, tree, personas, indicators):  # noqa: F811
    from danvan.emulation.commendations import services
    from danvan.emulation.commendations.tests.helpers import spec
    from danvan.reports import services as report_services
    from danvan.voice.tests.cases.lists_support import SYSTEM

    day = datetime.date(2026, 3, 10)
    for _ in range(2):
        services.commendation_record(spec=spec(tree.stp, decision_date=day, year=2026), by=personas["admin"])
    individual = spec(
        tree.stp_cb1, kind="individual", recipient_name="Nguyễn Văn An", decision_date=day, year=2026
    )
    services.commendation_record(spec=individual, by=personas["admin"])
    report_services.period_get(code="2026S1", by=SYSTEM)

    text = "\n".join(_texts(_report(tmp_path, "--unit", "STP", "--period", "2026S1")))
    assert "Khen thưởng 2 tập thể và 1 cá nhân có thành tích trong công tác dân vận." in text
    assert "Phong trào thi đua “Dân vận khéo”:" not in text  # no model registered: nothing said


def test_dissemination_and_study_are_told_from_the_deliveries(tmp_path, tree, indicators):  # noqa: F811
    from django.utils import timezone

    from danvan.directives.tests.register_helpers import register
    from danvan.directives.tests.test_dissemination import SYSTEM, _send, _study
    from danvan.reports import services as report_services

    document = register(tree.stp)
    _send(document, [tree.stp_cb1])
    _study(_send(document, [tree.stp_cb2]).sent[0])
    today = timezone.localdate()
    code = f"{today.year}S{1 if today.month <= 6 else 2}"  # sessions are held today
    report_services.period_get(code=code, by=SYSTEM)

    text = "\n".join(_texts(_report(tmp_path, "--unit", "STP", "--period", code)))
    assert (
        "Các văn bản về công tác dân vận được triển khai đến các đơn vị với 2 lượt văn bản; các đơn vị đã tổ chức "
        "học tập, quán triệt 1 lượt, đạt 50 %." in text
    )
    assert "Có 1/2 cấp ủy được triển khai văn bản đã tổ chức học tập, quán triệt đầy đủ, đạt 50 %." in text
    # The unit's own target (≥ 100 %) is missed, and Chi bộ 1 is named as the unit that missed it.
    assert (
        "- Tỷ lệ cấp ủy đã tổ chức học tập, quán triệt văn bản: 50 % (chỉ tiêu ≥ 100 %), chưa đạt chỉ tiêu; "
        "1 đơn vị chưa đạt: Chi bộ 1." in text
    )


def test_an_annex_cell_without_a_target_has_no_mark_and_targets_differing_by_unit_show_in_the_cells(
    tmp_path, tree, figures
):
    from dataclasses import replace

    from danvan.reviews import content, document

    review = content.build(unit=tree.root, period_code="2026S1", day=datetime.date(2026, 6, 6))
    assert review.matrix is not None
    justice, health = review.matrix.lines
    matrix = content.Matrix(
        columns=[content.MatrixColumn(indicator="Chỉ tiêu A", target="")],
        lines=[
            replace(justice, cells=[content.MatrixCell(value="1.673", target="", met=None)]),
            replace(health, cells=[content.MatrixCell(value="73,5 %", target="≥ 80 %", met=False)]),
        ],
    )
    out = tmp_path / "one.docx"
    document.write(replace(review, matrix=matrix), out)
    (table,) = Document(str(out)).tables[2:]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Đơn vị", "Chỉ tiêu A", "Số chỉ tiêu đạt"]
    assert rows[1][2:] == ["1.673", "—"]  # a value with no target: no mark, nothing to count
    assert rows[2][2:] == ["73,5 % ✗\n(≥ 80 %)", "0/1"]


def test_the_state_layout_has_the_national_title_and_the_state_numbering(tmp_path, figures):
    document = _report(
        tmp_path,
        "--unit",
        "STP",
        "--period",
        "2026S1",
        "--date",
        "2026-02-03",
        "--place",
        "Đồng Nai",
        "--layout",
        "state",
        "--superior",
        "Ủy ban nhân dân tỉnh Đồng Nai",
        "--symbol",
        "STP",
        "--signer-title",
        "GIÁM ĐỐC",
    )
    section = document.sections[0]  # the page as the party's: A4, margins, numbers from page 2
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    everything = "\n".join(
        [p.text for p in document.paragraphs]
        + [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in everything and "\n*\n" not in everything

    left, right = document.tables[0].rows[0].cells
    texts = [p.text for p in left.paragraphs]
    assert texts[:2] == ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "ĐẢNG ỦY SỞ TƯ PHÁP"]
    assert texts[-1] == "Số:      /BC-STP"  # "Số:", the number then the kind before the body
    superior, issuer = (left.paragraphs[i].runs[0] for i in (0, 1))
    assert not superior.font.bold and Pt(12) <= superior.font.size <= Pt(13)
    assert issuer.font.bold and Pt(12) <= issuer.font.size <= Pt(13)
    rule = left.paragraphs[2]  # the short line below the issuing body
    assert rule.text == "" and 'w:bottom w:val="single"' in rule._p.xml
    nation, motto = right.paragraphs[0].runs[0], right.paragraphs[1].runs[0]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert nation.font.bold and Pt(12) <= nation.font.size <= Pt(13) and not nation.font.underline
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.font.bold and motto.font.size == nation.font.size + Pt(1)  # 12 → 13, 13 → 14
    assert motto.font.underline  # the line below, as long as the tiêu ngữ
    dated = right.paragraphs[-1].runs[0]
    assert dated.text == "Đồng Nai, ngày 03 tháng 02 năm 2026" and dated.font.italic

    paragraphs = _texts(document)
    title = document.paragraphs[paragraphs.index("BÁO CÁO")].runs[0]
    assert title.font.bold and Pt(13) <= title.font.size <= Pt(14)
    assert "-----" not in paragraphs
    recipients, signature = document.tables[1].rows[0].cells
    heading = recipients.paragraphs[0].runs[0]
    assert heading.text == "Nơi nhận:" and heading.font.bold and heading.font.italic
    assert heading.font.size == Pt(12) and not heading.font.underline
    items = [p for p in recipients.paragraphs[1:] if p.text]
    assert [p.text for p in items][-1] == "- Lưu: VT."
    assert {p.runs[0].font.size for p in items} == {Pt(11)}
    assert [p.text for p in signature.paragraphs if p.text] == [
        "TM. ĐẢNG ỦY SỞ TƯ PHÁP",
        "GIÁM ĐỐC",
        "[Họ và tên]",
    ]
    assert "T/M" not in signature.paragraphs[0].text
    # The annex cites the number as the state writes it.
    assert "(Kèm theo Báo cáo số      /BC-STP, ngày 03/02/2026 của Đảng ủy Sở Tư pháp)" in paragraphs


def test_the_layout_option_defaults_to_the_party_and_refuses_others(tmp_path, figures):
    party = _report(tmp_path, "--unit", "STP", "--period", "2026S1", "--layout", "party")
    assert party.tables[0].rows[0].cells[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    with pytest.raises(CommandError, match="layout"):
        _report(tmp_path, "--unit", "STP", "--period", "2026S1", "--layout", "government")


def test_a_state_body_is_abbreviated_and_numbered_the_state_way():
    from danvan.reviews import content

    assert content._state_abbreviation("Ủy ban nhân dân tỉnh Đồng Nai") == "UBND"
    assert content._state_abbreviation("Hội đồng nhân dân xã Tân Phú") == "HĐND"
    assert content._state_abbreviation("Sở Tư pháp") == "STP"
    assert content.number_words("state", 5, "UBND") == "Số: 05/BC-UBND"  # below 10: a leading 0
    assert content.number_words("state", 12, "UBND") == "Số: 12/BC-UBND"
    assert content.number_words("party", 5, "ĐU") == "Số 5-BC/ĐU"
