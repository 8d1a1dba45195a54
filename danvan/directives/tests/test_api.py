"""The documents and dissemination API: scope, permissions, bad input (400 in Vietnamese, nothing saved),
registering, files, sending, receipt, study sessions and coverage."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.directives import dissemination
from danvan.directives.models import Delivery, Document, DocumentAttachment, StudySession

from .register_helpers import CONG_VAN_84, register

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/documents/"
DELIVERIES = "/api/v1/deliveries/"
SEED_004 = Path(__file__).parent / "documents" / "seed_004.txt"
D = datetime.date
TODAY = timezone.localdate


def _body(unit="STP", **extra):
    values = {
        "unit": unit,
        "direction": "out",
        "doc_type": "CV",
        "number_symbol": "84-CV/ĐU",
        "issuer": "Đảng ủy Sở Tư pháp",
        "issued_on": "06/06/2014",
        "subject": "Triển khai thực hiện Chương trình hành động của Đảng ủy Khối",
        "addressees": ["Các chi bộ trực thuộc"],
        "recipients": ["Như trên", "Lưu: VT, ĐU"],
        "signing_authority": "T/M",
        "signing_for": "ĐẢNG ỦY",
        "signer_title": "PHÓ BÍ THƯ",
        "signer": "Phan Văn Châu",
        "body": CONG_VAN_84,
    }
    values.update(extra)
    return values


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _package(parts: dict[str, bytes]) -> bytes:
    """A zip package with `[Content_Types].xml` and the parts given ("word/document.xml" …)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def cb1_head(tree):
    """The head of Chi bộ 1 (under STP): sees and acts on what STP-CB1 receives, not on STP's register."""
    return make_user("head_cb1", unit=tree.stp_cb1, role=Role.UNIT_HEAD)


# --- scope and permissions ---------------------------------------------------------------------------


def test_another_units_documents_are_invisible_404_and_empty(tree, personas, api, settings):
    stp_document = register(tree.stp, body=CONG_VAN_84)
    syt_document = register(tree.syt, "12-KH/ĐU", issuer="Đảng ủy Sở Y tế")
    outsider = api(personas["outsider"])  # mobilisation officer at SYT
    assert _ids(outsider.get(DOCUMENTS)) == [syt_document.pk]
    assert _ids(outsider.get(DOCUMENTS, {"q": "84"})) == []
    url = f"{DOCUMENTS}{stp_document.pk}/"
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"{url}coverage/").status_code == 404
    assert outsider.patch(url, {"subject": "Đổi"}, format="json").status_code == 404
    assert outsider.put(url, _body(), format="json").status_code == 404
    assert outsider.post(f"{url}send/", {"units": ["STP-CB1"]}, format="json").status_code == 404
    file = SimpleUploadedFile("phu-luc.txt", "Phụ lục".encode())
    assert outsider.post(f"{url}attachments/", {"file": file}, format="multipart").status_code == 404
    missing = outsider.get(f"{DOCUMENTS}999999/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Không tìm thấy."}
    admin = api(personas["admin"])  # bloc administrator at the root sees both registers
    assert set(_ids(admin.get(DOCUMENTS))) == {stp_document.pk, syt_document.pk}
    assert Document.objects.get(pk=stp_document.pk).subject == stp_document.subject
    assert not Delivery.objects.exists() and not DocumentAttachment.objects.exists() and not _stored(settings)


def test_without_document_permissions_everything_is_403(tree, personas, api):
    document = register(tree.stp)
    for role in ("case_handler", "nobody"):
        client = api(personas[role])
        for path in (DOCUMENTS, f"{DOCUMENTS}{document.pk}/", DELIVERIES):
            assert client.get(path).status_code == 403, (role, path)
        assert client.post(DOCUMENTS, _body(number_symbol="85-CV/ĐU"), format="json").status_code == 403
    assert Document.objects.count() == 1


def test_a_viewer_reads_but_may_not_write(tree, personas, api, settings):
    document = register(tree.stp)
    viewer = api(personas["viewer"])
    url = f"{DOCUMENTS}{document.pk}/"
    detail = viewer.get(url)
    assert detail.status_code == 200 and detail.json()["may_manage"] is False
    assert viewer.post(DOCUMENTS, _body(number_symbol="85-CV/ĐU"), format="json").status_code == 403
    assert viewer.patch(url, {"subject": "Đổi trích yếu"}, format="json").status_code == 403
    assert viewer.put(url, _body(subject="Đổi trích yếu"), format="json").status_code == 403
    file = SimpleUploadedFile("phu-luc.txt", "Phụ lục".encode())
    assert viewer.post(f"{url}attachments/", {"file": file}, format="multipart").status_code == 403
    assert viewer.post(f"{url}send/", {"units": ["STP-CB1"]}, format="json").status_code == 403
    parse = SimpleUploadedFile("seed.txt", SEED_004.read_bytes())
    assert viewer.post(f"{DOCUMENTS}parse/", {"file": parse}, format="multipart").status_code == 403
    assert Document.objects.get().subject == document.subject
    assert not DocumentAttachment.objects.exists() and not Delivery.objects.exists() and not _stored(settings)


# --- registering and correcting ------------------------------------------------------------------------


def test_register_a_document_and_read_it_with_relations_both_ways(tree, personas, api):
    programme = register(tree.root, "60-CTr/ĐUK", issuer="Đảng ủy Khối các cơ quan tỉnh", day=D(2014, 5, 29))
    officer = api(personas["mobilisation_officer"])
    response = officer.post(DOCUMENTS, _body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    document = Document.objects.get(symbol_key__startswith="84")
    assert data["id"] == document.pk and document.created_by == personas["mobilisation_officer"]
    assert (data["unit"], data["number_symbol"], data["issued_on"], data["year"]) == (
        "STP",
        "84-CV/ĐU",
        "2014-06-06",
        2014,
    )
    assert data["addressees"] == ["Các chi bộ trực thuộc"] and data["recipients"] == [
        "Như trên",
        "Lưu: VT, ĐU",
    ]
    assert data["may_manage"] is True and data["original"] is None and data["attachments"] == []
    outgoing = {row["cited_number_symbol"]: row for row in data["relations"]["outgoing"]}
    # The programme is registered above STP: linked, but STP's officer may not see the bloc's register.
    assert outgoing["60-CTr/ĐUK"]["document"] is None and outgoing["25-NQ/TW"]["document"] is None
    admin = api(personas["admin"])
    seen = {
        row["cited_number_symbol"]: row
        for row in admin.get(f"{DOCUMENTS}{document.pk}/").json()["relations"]["outgoing"]
    }
    assert seen["60-CTr/ĐUK"]["document"] == programme.pk and seen["60-CTr/ĐUK"]["kind"] in {
        "implements",
        "cites",
    }
    incoming = admin.get(f"{DOCUMENTS}{programme.pk}/").json()["relations"]["incoming"]
    assert [(row["document"], row["number_symbol"]) for row in incoming] == [(document.pk, "84-CV/ĐU")]


def test_a_number_already_registered_for_the_issuer_and_year_is_refused(tree, personas, api):
    register(tree.stp)  # 84-CV/ĐU of Đảng ủy Sở Tư pháp, 06/06/2014
    officer = api(personas["mobilisation_officer"])
    same = _body(number_symbol="84 - CV/ĐU", issuer="ĐẢNG UỶ SỞ TƯ PHÁP", issued_on="2014-12-01")
    response = officer.post(DOCUMENTS, same, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "number_symbol": [
            "Văn bản số 84-CV/ĐU của Đảng ủy Sở Tư pháp năm 2014 (ngày 06/06/2014) đã có trong sổ văn bản "
            "của đơn vị: hãy mở văn bản đó thay vì vào sổ lại."
        ]
    }
    assert Document.objects.count() == 1
    # Correcting another document into the same number is refused the same way, and changes nothing.
    other = register(tree.stp, "85-CV/ĐU")
    response = officer.patch(f"{DOCUMENTS}{other.pk}/", {"number_symbol": "84-CV/ĐU"}, format="json")
    assert response.status_code == 400 and "đã có trong sổ văn bản" in response.json()["number_symbol"][0]
    assert Document.objects.get(pk=other.pk).number_symbol == "85-CV/ĐU"
    # Another year, or another unit's register, is a different document.
    assert officer.post(DOCUMENTS, _body(issued_on="06/01/2015"), format="json").status_code == 201
    assert officer.post(DOCUMENTS, _body(unit="STP-CB1"), format="json").status_code == 201


def test_a_unit_outside_the_scope_is_answered_like_an_unknown_code(tree, personas, api):
    head = api(personas["unit_head"])
    unknown = head.post(DOCUMENTS, _body(unit="KHONG-CO"), format="json")
    outside = head.post(DOCUMENTS, _body(unit="SYT"), format="json")
    assert unknown.status_code == outside.status_code == 400
    assert unknown.json() == {"unit": ["Không có đơn vị nào có mã “KHONG-CO”."]}
    assert outside.json() == {"unit": ["Không có đơn vị nào có mã “SYT”."]}
    # A unit the user sees but may not manage (the reporter at STP) is a 403, not a 400.
    assert api(personas["reporter"]).post(DOCUMENTS, _body(), format="json").status_code == 403
    # The service's own messages, per field, in Vietnamese.
    empty = head.post(
        DOCUMENTS, _body(number_symbol="", issuer=" ", subject="", issued_on=None), format="json"
    )
    assert empty.status_code == 400
    assert set(empty.json()) == {"number_symbol", "issuer", "subject", "issued_on"}
    assert empty.json()["issuer"] == ["Nhập cơ quan ban hành."]
    assert empty.json()["number_symbol"] == ["Nhập số và ký hiệu văn bản, ví dụ “84-CV/ĐU”."]
    future = head.post(
        DOCUMENTS, _body(issued_on=(TODAY() + datetime.timedelta(days=3)).isoformat()), format="json"
    )
    assert future.status_code == 400 and list(future.json()) == ["issued_on"]
    wrong_date = head.post(DOCUMENTS, _body(issued_on="31/02/2014"), format="json")
    assert wrong_date.json() == {"issued_on": ["Nhập ngày hợp lệ, ví dụ 31/12/2024 hoặc 2024-12-31."]}
    assert not Document.objects.exists()


def test_patch_keeps_the_fields_left_out_and_put_replaces_them(tree, personas, api):
    document = register(tree.stp, body=CONG_VAN_84, place="Biên Hòa")
    head = api(personas["unit_head"])
    url = f"{DOCUMENTS}{document.pk}/"
    response = head.patch(url, {"subject": "V/v triển khai Chương trình 60-CTr/ĐUK"}, format="json")
    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert document.subject == "V/v triển khai Chương trình 60-CTr/ĐUK"
    assert (document.place, document.number_symbol, document.body) == (
        "Biên Hòa",
        "84-CV/ĐU",
        CONG_VAN_84.strip(),
    )
    response = head.put(url, _body(body="", place=""), format="json")
    assert response.status_code == 200
    document.refresh_from_db()
    assert (document.place, document.body, document.signer) == ("", "", "Phan Văn Châu")
    assert not document.relations.exists()  # the references went with the text
    # Moving it to a register the user may not manage is refused, and nothing changes.
    moved = api(personas["admin"]).patch(url, {"unit": "SYT"}, format="json")
    assert moved.status_code == 200 and moved.json()["unit"] == "SYT"
    assert head.get(url).status_code == 404


def test_the_list_searches_without_accents_and_filters(tree, personas, api):
    cong_van = register(tree.stp, body=CONG_VAN_84)
    plan = register(
        tree.stp_cb1,
        "12-KH/CB",
        issuer="Chi bộ 1",
        day=D(2025, 3, 1),
        direction="in",
        subject="Kế hoạch dân vận khéo",
    )
    notice = register(tree.stp, "31-TB/ĐU", day=D(2025, 9, 1), subject="Thông báo kết luận")
    head = api(personas["unit_head"])
    assert _ids(head.get(DOCUMENTS)) == [notice.pk, plan.pk, cong_van.pk]  # newest first
    assert _ids(head.get(DOCUMENTS, {"q": "dan van kheo"})) == [plan.pk]
    assert _ids(head.get(DOCUMENTS, {"q": "DÂN VẬN"})) == [plan.pk, cong_van.pk]
    assert _ids(head.get(DOCUMENTS, {"type": "TB"})) == [notice.pk]
    assert _ids(head.get(DOCUMENTS, {"direction": "in"})) == [plan.pk]
    assert _ids(head.get(DOCUMENTS, {"year": 2014})) == [cong_van.pk]
    assert _ids(head.get(DOCUMENTS, {"unit": "STP-CB1"})) == [plan.pk]
    assert _ids(head.get(DOCUMENTS, {"unit": "STP"})) == [notice.pk, plan.pk, cong_van.pk]
    assert _ids(head.get(DOCUMENTS, {"unit": "SYT"})) == []
    assert _ids(head.get(DOCUMENTS, {"issued_from": "01/01/2025", "issued_to": "2025-06-30"})) == [plan.pk]
    wrong = head.get(DOCUMENTS, {"issued_from": "31/12/2025", "issued_to": "01/01/2025"})
    assert wrong.status_code == 400 and wrong.json() == {
        "issued_to": ["Ngày kết thúc đứng trước ngày bắt đầu."]
    }
    assert head.get(DOCUMENTS, {"type": "XYZ"}).status_code == 400
    nul = head.get(DOCUMENTS, {"q": "dan\x00van"})  # PostgreSQL cannot even compare such a string
    assert nul.status_code == 400 and nul.json() == {"q": ["Không được dùng ký tự NUL (ký tự rỗng)."]}
    paged = head.get(DOCUMENTS, {"limit": 1}).json()
    assert paged["count"] == 3 and len(paged["results"]) == 1


# --- files -------------------------------------------------------------------------------------------


def test_parse_returns_the_commands_json_and_saves_nothing(tree, personas, api, settings):
    officer = api(personas["mobilisation_officer"])
    file = SimpleUploadedFile("seed_004.txt", SEED_004.read_bytes(), content_type="text/plain")
    response = officer.post(f"{DOCUMENTS}parse/", {"file": file}, format="multipart")
    assert response.status_code == 200, response.content
    out = io.StringIO()
    call_command("parse-document", str(SEED_004), "--json", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["number_symbol"] == "84-CV/ĐU" and response.json()["tasks"]
    assert not Document.objects.exists() and not _stored(settings)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "anh.txt",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            "không thuộc loại được chấp nhận (.txt, .docx, .pdf)",
        ),
        ("van-ban.pdf", "Văn bản thường".encode(), "không khớp với tên"),
        (
            "hong.docx",
            _package({"word/document.xml": b"<w:document>not xml"}),
            "Tệp DOCX bị hỏng hoặc không phải là văn bản Word.",
        ),
        ("hong.pdf", b"%PDF-1.4\n garbage without objects", "Tệp PDF bị hỏng hoặc không đọc được."),
        ("rong.txt", b"", "trống"),
    ],
)
def test_parse_refuses_a_wrong_or_damaged_file_in_vietnamese(
    tree, personas, api, settings, name, content, expected
):
    officer = api(personas["mobilisation_officer"])
    response = officer.post(
        f"{DOCUMENTS}parse/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["file"] and expected in response.json()["file"][0]
    assert not Document.objects.exists() and not _stored(settings)


def test_parse_refuses_a_file_over_the_limit_and_a_missing_file(tree, personas, api, settings):
    settings.DIRECTIVES_MAX_FILE_MB = 1
    officer = api(personas["mobilisation_officer"])
    big = SimpleUploadedFile("lon.txt", b"van ban " * 200_000)  # 1,6 MB
    response = officer.post(f"{DOCUMENTS}parse/", {"file": big}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["Tệp “lon.txt” lớn hơn 1 MB: hãy gửi tệp nhỏ hơn."]}
    missing = officer.post(f"{DOCUMENTS}parse/", {}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()) == ["file"]
    as_json = officer.post(f"{DOCUMENTS}parse/", {"file": "x"}, format="json")
    assert as_json.status_code == 415
    assert not _stored(settings)


def test_an_attachment_is_stored_and_served_through_the_register(tree, personas, api, login):
    document = register(tree.stp)
    head = api(personas["unit_head"])
    content = "Phụ lục: danh sách chi bộ".encode()
    response = head.post(
        f"{DOCUMENTS}{document.pk}/attachments/",
        {"file": SimpleUploadedFile("phu-luc.txt", content)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    attachment = DocumentAttachment.objects.get()
    assert (data["id"], data["name"], data["content_type"], data["size"]) == (
        attachment.pk,
        "phu-luc.txt",
        "text/plain",
        len(content),
    )
    assert data["url"] == f"http://testserver/directives/attachments/{attachment.pk}/"
    assert attachment.created_by == personas["unit_head"]
    listed = api(personas["viewer"]).get(f"{DOCUMENTS}{document.pk}/").json()["attachments"]
    assert [row["id"] for row in listed] == [attachment.pk]
    download = login(personas["viewer"]).get(data["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert login(personas["outsider"]).get(data["url"]).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("chay.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "không thuộc loại được chấp nhận"),
        (
            "bang.xlsx",
            _package({"xl/styles.xml": b"<x/>"}),
            "bị hỏng hoặc không phải là tài liệu Excel (XLSX) thật",
        ),
        ("anh.png", "không phải ảnh".encode(), "không khớp với tên"),
    ],
)
def test_a_wrong_attachment_is_refused_and_nothing_saved(
    tree, personas, api, settings, name, content, expected
):
    document = register(tree.stp)
    response = api(personas["unit_head"]).post(
        f"{DOCUMENTS}{document.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 400 and expected in response.json()["file"][0], response.content
    assert not DocumentAttachment.objects.exists() and not _stored(settings)


def test_an_attachment_over_the_limit_is_refused(tree, personas, api, settings):
    settings.DIRECTIVES_MAX_FILE_MB = 1
    document = register(tree.stp)
    big = SimpleUploadedFile("phu-luc.txt", b"x" * (1024 * 1024 + 1))
    response = api(personas["unit_head"]).post(
        f"{DOCUMENTS}{document.pk}/attachments/", {"file": big}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["Tệp “phu-luc.txt” lớn hơn 1 MB: hãy gửi tệp nhỏ hơn."]}
    assert not DocumentAttachment.objects.exists() and not _stored(settings)


# --- dissemination -----------------------------------------------------------------------------------


def test_create_send_acknowledge_study_and_coverage(tree, personas, api, cb1_head):
    officer = api(personas["mobilisation_officer"])
    document_id = officer.post(DOCUMENTS, _body(), format="json").json()["id"]
    sent = officer.post(
        f"{DOCUMENTS}{document_id}/send/",
        {
            "units": ["STP-CB1"],
            "unit_type": "cell",
            "study_due": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        },
        format="json",
    )
    assert sent.status_code == 200, sent.content
    assert [row["unit"] for row in sent.json()["sent"]] == ["STP-CB1", "STP-CB2"] and sent.json()[
        "skipped"
    ] == 0
    again = officer.post(f"{DOCUMENTS}{document_id}/send/", {"subtree": "STP-CB1"}, format="json")
    assert again.json() == {"sent": [], "skipped": 1}
    assert Delivery.objects.count() == 2

    cell = api(cb1_head)
    to_study = cell.get(DELIVERIES, {"to_study": "true"}).json()["results"]
    assert [(row["unit"], row["number_symbol"], row["acknowledged"]) for row in to_study] == [
        ("STP-CB1", "84-CV/ĐU", False)
    ]
    delivery_id = to_study[0]["id"]
    # The cell reads the document sent to it, but neither changes it nor follows its dissemination.
    seen = cell.get(f"{DOCUMENTS}{document_id}/")
    assert seen.status_code == 200 and seen.json()["may_manage"] is False
    assert cell.patch(f"{DOCUMENTS}{document_id}/", {"subject": "Đổi"}, format="json").status_code == 403
    assert cell.get(f"{DOCUMENTS}{document_id}/coverage/").status_code == 403
    assert _ids(cell.get(DOCUMENTS)) == [document_id]
    acknowledged = cell.post(f"{DELIVERIES}{delivery_id}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged"] is True
    session = cell.post(
        f"{DELIVERIES}{delivery_id}/sessions/",
        {"held_on": TODAY().strftime("%d/%m/%Y"), "form": "cell_meeting", "participants": 10, "expected": 12},
        format="json",
    )
    assert session.status_code == 201, session.content
    data = session.json()
    assert (data["studied_on"], data["participants"], data["expected"], data["reached"]) == (
        TODAY().isoformat(),
        10,
        12,
        10,
    )
    assert [row["form"] for row in data["sessions"]] == ["cell_meeting"] and data["may_act"] is True

    coverage = officer.get(f"{DOCUMENTS}{document_id}/coverage/").json()
    assert coverage["parent"] == "STP"
    assert {
        k: coverage["total"][k]
        for k in ("received", "studied", "unit_rate", "reached", "expected", "people_rate")
    } == {
        "received": 2,
        "studied": 1,
        "unit_rate": 50.0,
        "reached": 10,
        "expected": 12,
        "people_rate": 83.3,
    }
    assert [(row["unit"], row["received"], row["studied"]) for row in coverage["rows"]] == [
        ("STP-CB1", 1, 1),
        ("STP-CB2", 1, 0),
    ]
    branch = officer.get(f"{DOCUMENTS}{document_id}/coverage/", {"parent": "STP-CB2"}).json()
    assert (branch["parent"], branch["total"]["received"], branch["total"]["studied"]) == ("STP-CB2", 1, 0)
    assert branch["overdue"] == []
    # Everyone who sees the sending register sees both deliveries; the list puts the unstudied first.
    assert [row["unit"] for row in officer.get(DELIVERIES).json()["results"]] == ["STP-CB2", "STP-CB1"]
    assert [row["unit"] for row in officer.get(DELIVERIES, {"studied": "true"}).json()["results"]] == [
        "STP-CB1"
    ]


def test_sending_refuses_units_outside_the_documents_tree_and_saves_nothing(tree, personas, api):
    document = register(tree.stp)
    url = f"{DOCUMENTS}{document.pk}/send/"
    head = api(personas["unit_head"])
    outside = head.post(
        url, {"units": ["STP-CB1", "SYT-CB1"]}, format="json"
    )  # SYT's cell: not in STP's scope
    assert outside.status_code == 400 and outside.json() == {
        "units": {"1": ["Không có đơn vị nào có mã “SYT-CB1”."]}
    }
    # The bloc administrator sees SYT-CB1, but it is not under STP: the service's message.
    admin = api(personas["admin"])
    refused = admin.post(url, {"units": ["STP-CB1", "SYT-CB1"]}, format="json")
    assert refused.status_code == 400 and refused.json() == {
        "units": [
            "Chi bộ Văn phòng không phải là đơn vị đang hoạt động trực thuộc đơn vị quản lý văn bản nên không thể "
            "nhận văn bản."
        ]
    }
    itself = admin.post(url, {"subtree": "STP"}, format="json")
    assert itself.status_code == 400 and list(itself.json()) == ["subtree"]
    assert "Đảng ủy Sở Tư pháp không phải là đơn vị đang hoạt động" in itself.json()["subtree"][0]
    nothing = head.post(url, {"group": "public_service_unit"}, format="json")  # no such unit under STP
    assert nothing.status_code == 400 and nothing.json() == {
        "units": ["Chọn ít nhất một đơn vị để gửi văn bản."]
    }
    early = head.post(url, {"units": ["STP-CB1"], "study_due": "01/01/2014"}, format="json")
    assert early.status_code == 400 and early.json() == {
        "study_due": ["Hạn học tập không được trước ngày của văn bản (06/06/2014)."]
    }
    unknown = head.post(url, {"unit_type": "khong-co", "group": "khong-co"}, format="json")
    assert unknown.status_code == 400 and set(unknown.json()) == {"unit_type", "group"}
    assert not Delivery.objects.exists()


def test_deliveries_are_scoped_and_acting_needs_the_recipients_permission(tree, personas, api, cb1_head):
    document = register(tree.stp)
    cb1, cb2 = dissemination.send(document=document, units=[tree.stp_cb1, tree.stp_cb2], by=SYSTEM).sent
    outsider = api(personas["outsider"])
    assert _ids(outsider.get(DELIVERIES)) == []
    for path in ("", "acknowledge/", "sessions/"):
        method = outsider.get if not path else outsider.post
        assert method(f"{DELIVERIES}{cb1.pk}/{path}").status_code == 404
    cell = api(cb1_head)
    assert _ids(cell.get(DELIVERIES)) == [cb1.pk]  # not the sister cell's
    assert cell.get(f"{DELIVERIES}{cb2.pk}/").status_code == 404
    viewer = api(personas["viewer"])  # sees STP's deliveries, may not act on them
    assert set(_ids(viewer.get(DELIVERIES))) == {cb1.pk, cb2.pk}
    assert viewer.get(f"{DELIVERIES}{cb1.pk}/").json()["may_act"] is False
    assert viewer.post(f"{DELIVERIES}{cb1.pk}/acknowledge/").status_code == 403
    body = {"held_on": TODAY().isoformat(), "form": "conference", "participants": 5, "expected": 5}
    assert viewer.post(f"{DELIVERIES}{cb1.pk}/sessions/", body, format="json").status_code == 403
    assert not StudySession.objects.exists()
    assert Delivery.objects.filter(acknowledged_at__isnull=False).count() == 0


def test_a_wrong_study_session_is_refused_in_vietnamese_and_nothing_saved(tree, personas, api, cb1_head):
    document = register(tree.stp)
    delivery = dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM).sent[0]
    url = f"{DELIVERIES}{delivery.pk}/sessions/"
    cell = api(cb1_head)
    today = TODAY().isoformat()
    too_many = cell.post(
        url, {"held_on": today, "form": "conference", "participants": 13, "expected": 12}, format="json"
    )
    assert too_many.status_code == 400 and too_many.json() == {
        "participants": ["Số người tham dự (13) không được nhiều hơn số người phải học tập (12)."]
    }
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    ahead = cell.post(
        url, {"held_on": future, "form": "conference", "participants": 1, "expected": 2}, format="json"
    )
    assert ahead.json() == {"held_on": ["Ngày học tập không được sau ngày hôm nay."]}
    before = cell.post(
        url, {"held_on": "01/06/2014", "form": "conference", "participants": 1, "expected": 2}, format="json"
    )
    assert before.json() == {"held_on": ["Buổi học tập không được trước ngày của văn bản (06/06/2014)."]}
    empty = cell.post(url, {}, format="json")
    assert empty.status_code == 400 and set(empty.json()) == {"held_on", "form", "participants", "expected"}
    wrong_form = cell.post(
        url, {"held_on": today, "form": "party", "participants": 1, "expected": 2}, format="json"
    )
    assert wrong_form.status_code == 400 and list(wrong_form.json()) == ["form"]
    assert not StudySession.objects.exists()
    delivery.refresh_from_db()
    assert (delivery.studied_on, delivery.acknowledged_at, delivery.participants) == (None, None, 0)


def test_the_overdue_filter_and_coverage_list_the_late_units(tree, personas, api):
    document = register(tree.stp)
    late, on_time = dissemination.send(
        document=document,
        units=[tree.stp_cb1, tree.stp_cb2],
        study_due=TODAY() + datetime.timedelta(days=10),
        by=SYSTEM,
    ).sent
    Delivery.objects.filter(pk=late.pk).update(study_due=TODAY() - datetime.timedelta(days=1))
    head = api(personas["unit_head"])
    assert _ids(head.get(DELIVERIES, {"overdue": "true"})) == [late.pk]
    assert _ids(head.get(DELIVERIES, {"overdue": "false"})) == [on_time.pk]
    rows = {row["id"]: row for row in head.get(DELIVERIES).json()["results"]}
    assert rows[late.pk]["overdue"] is True and rows[on_time.pk]["overdue"] is False
    coverage = head.get(f"{DOCUMENTS}{document.pk}/coverage/").json()
    assert [row["unit"] for row in coverage["overdue"]] == ["STP-CB1"]
    # A parent outside the user's scope, or outside the document's tree, answers like an unknown code.
    unknown = {"parent": ["Không có đơn vị nào có mã “SYT”."]}
    outside = head.get(f"{DOCUMENTS}{document.pk}/coverage/", {"parent": "SYT"})
    assert outside.status_code == 400 and outside.json() == unknown
    elsewhere = api(personas["admin"]).get(f"{DOCUMENTS}{document.pk}/coverage/", {"parent": "SYT"})
    assert elsewhere.status_code == 400 and elsewhere.json() == unknown


def test_the_schema_describes_the_documents_api(login, personas):
    paths = login(personas["nobody"]).get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/v1/documents/"]) == {"get", "post"}
    assert set(paths["/api/v1/documents/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/documents/parse/"]) == {"post"}
    assert "multipart/form-data" in paths["/api/v1/documents/parse/"]["post"]["requestBody"]["content"]
    for name in ("attachments", "send"):
        assert set(paths[f"/api/v1/documents/{{id}}/{name}/"]) == {"post"}, name
    assert set(paths["/api/v1/documents/{id}/coverage/"]) == {"get"}
    assert set(paths["/api/v1/deliveries/"]) == {"get"}
    assert set(paths["/api/v1/deliveries/{id}/"]) == {"get"}
    assert set(paths["/api/v1/deliveries/{id}/acknowledge/"]) == {"post"}
    assert set(paths["/api/v1/deliveries/{id}/sessions/"]) == {"post"}
    filters = {p["name"] for p in paths["/api/v1/documents/"]["get"]["parameters"]}
    assert {"q", "type", "direction", "year", "unit", "issued_from", "issued_to", "limit"} <= filters
    assert {"overdue", "to_study"} <= {p["name"] for p in paths["/api/v1/deliveries/"]["get"]["parameters"]}


def test_a_list_too_long_is_refused_in_vietnamese_before_any_lookup(
    tree, personas, api, django_assert_max_num_queries
):
    from danvan.directives.serializers import MAX_UNITS

    document = register(tree.stp)
    head = api(personas["unit_head"])
    codes = [f"X{index}" for index in range(MAX_UNITS + 1)]
    with django_assert_max_num_queries(40):  # the codes are not looked up one by one
        response = head.post(f"{DOCUMENTS}{document.pk}/send/", {"units": codes}, format="json")
    assert response.status_code == 400
    assert response.json() == {"units": [f"Trường này chỉ được có tối đa {MAX_UNITS} phần tử."]}
    assert not document.deliveries.exists()
