"""`danvan parse-document FILE [--json]`: one JSON object, a Vietnamese summary, Vietnamese errors."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .test_parse import JSON_KEYS, SEED_TEXT

DOCUMENTS = Path(__file__).parent / "documents"


def run(*args) -> str:
    out = io.StringIO()
    call_command("parse-document", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_exactly_one_object_with_the_documented_keys(tmp_path):
    seed = tmp_path / "004.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    data = json.loads(run(str(seed), "--json"))
    assert set(data) == JSON_KEYS
    assert data["number_symbol"] == "84-CV/ĐU"
    assert data["issued_on"] == "2014-06-06"
    assert {"number_symbol": "60-CTr/ĐUK", "type": "CTr", "date": "2014-05-29"} in data["references"]
    assert any(task["due"] == "2014-12-15" for task in data["tasks"])


def test_summary_is_readable_vietnamese(tmp_path):
    path = tmp_path / "qd.txt"
    shutil.copy(DOCUMENTS / "state_qd.txt", path)
    out = run(str(path))
    assert "Loại: Quyết định (QĐ)" in out
    assert "Số và ký hiệu: 1234/QĐ-UBND" in out
    assert "Cơ quan ban hành: UBND TỈNH ĐỒNG NAI" in out
    assert "Địa danh và ngày ban hành: Đồng Nai, 05/06/2025" in out
    assert "Thẩm quyền ký: KT. CHỦ TỊCH" in out
    assert "  - 30/2020/NĐ-CP ngày 05/03/2020" in out
    assert "Cơ quan chủ trì: Sở Nội vụ" in out
    assert "Hạn: 15/12/2025" in out
    assert not out.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "Tệp rỗng."),
        ("old.doc", b"\xd0\xcf\x11\xe0", "Không hỗ trợ loại tệp “.doc”"),
        ("broken.docx", b"PK\x03\x04garbage", "Tệp DOCX bị hỏng"),
        ("broken.pdf", b"%PDF-1.7 garbage", "Tệp PDF bị hỏng"),
    ],
)
def test_bad_files_end_with_a_vietnamese_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("parse-document", str(path), "--json", stdout=out)
    assert message in str(error.value)
    assert out.getvalue() == ""


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run(str(tmp_path / "none.txt"))


def test_summary_of_seed_004_shows_a_task_without_lead_and_its_recurrence(tmp_path):
    seed = tmp_path / "004.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    out = run(str(seed))
    assert "Cơ quan chủ trì: —" in out and "None" not in out
    assert "Định kỳ: 6 tháng một lần (15/12)" in out
