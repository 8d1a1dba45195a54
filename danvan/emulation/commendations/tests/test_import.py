"""The import from XLSX: all rows checked first, every bad line named in Vietnamese, nothing half-saved."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danvan.emulation.commendations.models import Commendation, Form

pytestmark = pytest.mark.django_db

HEADER = [
    "Đối tượng",
    "Mã đơn vị",
    "Tên tập thể hoặc cá nhân",
    "Hình thức khen thưởng",
    "Số quyết định",
    "ngày quyết định",  # any case
    "Lý do",
    "Năm thi đua",
    "Chức vụ",
    "Mã đơn vị ban hành",
    "Cơ quan ban hành",
]
GOOD = [
    [
        "Tập thể",
        "STP",
        "",
        "Giấy khen",
        "125-QĐ/ĐUK",
        "15/12/2013",
        "Thành tích dân vận năm 2013",
        2013,
        "",
        "DUK",
        "",
    ],
    [
        "Cá nhân",
        "stp-cb1",
        "Nguyễn Thị Lan",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "2345/QĐ-UBND",
        "2013-12-20",
        "Hoàn thành xuất sắc nhiệm vụ",
        "2013",
        "Bí thư chi bộ",
        "",
        "UBND tỉnh",
    ],
]


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "khen-thuong.xlsx"
    return data


def test_a_good_file_is_imported_with_the_decisions_words_kept(personas, login):
    client = login(personas["mobilisation_officer"])
    response = client.post(reverse("commendations:import"), {"file": _xlsx(GOOD)})
    assert response.status_code == 302
    person = Commendation.objects.get(kind="individual")
    assert person.form == Form.MERIT and person.title == "Bằng khen của Chủ tịch UBND tỉnh"
    assert person.unit.code == "STP-CB1" and person.issuer == "UBND tỉnh" and person.year == 2013
    collective = Commendation.objects.get(kind="collective")
    assert collective.issuer_unit.code == "DUK" and collective.recipient == "Đảng ủy Sở Tư pháp"


def test_one_bad_row_saves_nothing_and_is_named(personas, login):
    bad = ["Cá nhân", "STP", "", "Giấy khen", "12/QĐ", "01/01/2099", "Lý do", 2013, "", "", "UBND tỉnh"]
    outside = [
        "Tập thể",
        "SYT",
        "",
        "Huân chương",
        "1/QĐ",
        "01/02/2014",
        "Lý do",
        2013,
        "",
        "",
        "Chủ tịch nước",
    ]
    response = login(personas["mobilisation_officer"]).post(
        reverse("commendations:import"), {"file": _xlsx([*GOOD, bad, outside])}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert not Commendation.objects.exists()
    assert "Dòng 4:" in page and "Hãy ghi họ và tên người được khen thưởng." in page
    assert "Ngày quyết định không được ở tương lai." in page
    assert "Dòng 5: Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn." in page


def test_the_sample_file_has_the_columns_and_imports_as_it_is(personas, login):
    client = login(personas["admin"])
    response = client.get(reverse("commendations:import_sample"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [cell for cell in rows[0] if cell][:8] == [*HEADER[:5], "Ngày quyết định", *HEADER[6:8]]
    data = io.BytesIO(content)
    data.name = "mau.xlsx"
    response = client.post(reverse("commendations:import"), {"file": data})
    assert response.status_code == 302
    assert Commendation.objects.count() == 2
