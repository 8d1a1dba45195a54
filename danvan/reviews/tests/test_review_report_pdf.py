"""`danvan review-report --out FILE.pdf`: the DOCX converted by LibreOffice, read back with pypdf and
poppler (pdftotext, pdffonts) — A4, the DOCX's text, page numbers from page 2, Times-compatible fonts."""

import re
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from danvan.reports.tests.conftest import indicators  # noqa: F401 - the reports fixtures

pytestmark = pytest.mark.django_db

ARGS = ["--unit", "DUK", "--period", "2026S1", "--date", "2026-06-06", "--place", "Đồng Nai"]
A4 = (595.28, 841.89)  # points
MM = 72 / 25.4
# Liberation Serif 2 has the metrics of Times New Roman and the Vietnamese letters; Times New Roman
# itself where it is installed.
TIMES = ("LiberationSerif", "TimesNewRoman")
MARKS = set("✓✗")  # the annex's marks: in no Times font, LibreOffice draws them from a symbol font


def _pages(pdf, *options: str) -> list[str]:
    command = ["pdftotext", *options, str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _fonts(pdf) -> list[tuple[str, str]]:
    """(name without the subset prefix, embedded yes/no) of each font pdffonts lists."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    rows = [line.split() for line in lines[2:]]
    return [(row[0].split("+")[-1], row[-5]) for row in rows]


def test_the_pdf_has_the_text_and_layout_of_the_docx(tmp_path, figures):
    call_command("review-report", "--out", str(tmp_path / "r.pdf"), *ARGS)
    call_command("review-report", "--out", str(tmp_path / "r.docx"), *ARGS)
    reader = PdfReader(tmp_path / "r.pdf")
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    assert len(sizes) >= 2
    assert sizes[0] == pytest.approx(A4, abs=2)  # the report: A4 portrait
    assert sizes[-1] == pytest.approx(A4[::-1], abs=2)  # the annex: A4 landscape

    pages = _pages(tmp_path / "r.pdf")
    flat = _flat("\n".join(pages))
    docx = Document(str(tmp_path / "r.docx"))
    said = [_flat(p.text) for p in docx.paragraphs if p.text.strip("- ")]  # not the line under the title
    assert len(said) > 30
    at = 0
    for text in said:  # every paragraph of the DOCX, in the same order
        at = flat.index(text, at) + len(text)
    assert flat.index("ĐẢNG CỘNG SẢN VIỆT NAM") < flat.index(
        "BÁO CÁO Sơ kết công tác dân vận 6 tháng đầu năm 2026"
    )
    assert "Đồng Nai, ngày 06 tháng 6 năm 2026" in flat
    assert "Mở 3 lớp tập huấn, bồi dưỡng công tác dân vận với 1.673 lượt người tham gia." in flat
    assert max(flat.index("Nơi nhận:"), flat.index("T/M BAN THƯỜNG VỤ")) < flat.index("PHỤ LỤC")
    # The annex rows as the reader sees them, cell after cell on one line.
    annex = _pages(tmp_path / "r.pdf", "-layout")[-2]
    assert re.search(r"^ *1 +Đảng ủy Sở Tư pháp +100 % ✓ +73,5 % ✗ +90 % ✓", annex, re.M)
    assert re.search(r"^ *2 +Đảng ủy Sở Y tế +89,2 % ✗ +90 % ✓ +100 % ✓", annex, re.M)

    # Page numbers from page 2: the header's number is the first line of every page but the first.
    lines = [[line for line in page.splitlines() if line.strip()] for page in pages]
    assert "1" not in lines[0]
    assert [page[0] for page in lines[1:]] == [str(n) for n in range(2, len(pages) + 1)]
    # The left margin of the portrait pages: 30 mm.
    left = min(x for x, _y in _positions(reader.pages[1]))
    assert left == pytest.approx(30 * MM, abs=1)


def _positions(page) -> list[tuple[float, float]]:
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def test_the_pdf_embeds_times_compatible_fonts_for_all_its_words(tmp_path, figures):
    call_command("review-report", "--out", str(tmp_path / "r.pdf"), *ARGS)
    fonts = _fonts(tmp_path / "r.pdf")
    assert all(embedded == "yes" for _name, embedded in fonts)
    names = {name for name, _ in fonts if name.startswith(TIMES)}
    assert {name.split("-")[-1] for name in names} >= {"Bold", "Italic"} and any("-" not in n for n in names)
    # Any other font draws only the marks: every letter (Vietnamese ones too) is in the Times face.
    elsewhere: set[str] = set()
    for page in PdfReader(tmp_path / "r.pdf").pages:

        def visit(text, cm, tm, font, size):
            if font is not None and not str(font.get("/BaseFont")).split("+")[-1].startswith(TIMES):
                elsewhere.update(text)

        page.extract_text(visitor_text=visit)
    assert elsewhere - MARKS - {" ", "\n"} == set()


def test_without_libreoffice_the_pdf_is_refused_in_vietnamese_and_the_docx_still_written(
    tmp_path,
    monkeypatch,
    tree,
    indicators,  # noqa: F811
):
    monkeypatch.setenv("SOFFICE_PATH", str(tmp_path / "khong-co" / "soffice"))
    args = ["--unit", "STP", "--period", "2026S1"]
    with pytest.raises(CommandError, match=r"^Chưa cài LibreOffice để chuyển sang PDF: "):
        call_command("review-report", "--out", str(tmp_path / "r.pdf"), *args)
    assert list(tmp_path.iterdir()) == []
    call_command("review-report", "--out", str(tmp_path / "r.docx"), *args)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in Document(str(tmp_path / "r.docx")).tables[0]._tbl.xml


def test_a_failed_conversion_is_told_in_vietnamese(tmp_path, monkeypatch, tree, indicators):  # noqa: F811
    program = tmp_path / "soffice"
    program.write_text(f"#!{sys.executable}\nimport sys\nsys.exit(1)\n")
    program.chmod(0o755)
    monkeypatch.setenv("SOFFICE_PATH", str(program))
    with pytest.raises(CommandError, match=r"^Không chuyển được báo cáo sang PDF: LibreOffice báo lỗi"):
        call_command("review-report", "--out", str(tmp_path / "r.pdf"), "--unit", "STP", "--period", "2026S1")
    assert not (tmp_path / "r.pdf").exists()
