"""Changing the organisation tree through the API: who may, what happens, and bad input."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from danvan.accounts.actors import System
from danvan.accounts.models import Role, RoleAssignment
from danvan.accounts.services import api_token_create
from danvan.audit.models import AuditEvent
from danvan.orgs import selectors, services
from danvan.orgs.models import MobilisationLead, RestructuringEvent, Unit, UnitVersion

SYSTEM = System("tests")

D = datetime.date
UNITS = "/api/v1/units/"
FORBIDDEN = {"detail": "Bạn không được cấp quyền để thực hiện hành động này."}
BAD_DATE = "Nhập ngày hợp lệ, ví dụ 31/12/2024 hoặc 2024-12-31."
pytestmark = pytest.mark.django_db

NEW_A = {"code": "STP-CB1A", "name": "Chi bộ 1A", "type": "cell", "parent": "STP"}
NEW_B = {"code": "STP-CB1B", "name": "Chi bộ 1B", "type": "cell", "parent": "STP"}
RESTRUCTURING = [
    (
        UNITS,
        {"code": "STP-CB9", "name": "Chi bộ 9", "type": "cell", "parent": "STP", "valid_from": "2024-01-01"},
    ),
    (UNITS + "STP-CB1/change/", {"name": "Chi bộ Một", "effective_on": "2024-01-01"}),
    (UNITS + "STP-CB1/move/", {"parent": "STP-CB2", "effective_on": "2024-01-01"}),
    (UNITS + "STP-CB1/merge/", {"into": "STP-CB2", "effective_on": "2024-01-01"}),
    (UNITS + "STP-CB1/split/", {"into": [NEW_A, NEW_B], "effective_on": "2024-01-01"}),
    (UNITS + "STP-CB1/dissolve/", {"effective_on": "2024-01-01"}),
]
EDITING = [
    (UNITS + "STP-CB1/lead/", {"full_name": "Trần Thị Bình", "assigned_on": "2024-01-01"}),
    (UNITS + "STP-CB1/regulation/", {"regulation_number": "01-QC/ĐU", "regulation_signed_on": "2024-01-01"}),
]


def state():
    """Everything a write could touch, to prove that a refused request changed nothing."""
    return (
        list(
            Unit.objects.order_by("code").values_list("code", "name", "path", "valid_to", "regulation_number")
        ),
        list(UnitVersion.objects.order_by("id").values_list("id", "name", "path", "valid_from", "valid_to")),
        RestructuringEvent.objects.count(),
        MobilisationLead.objects.count(),
    )


@pytest.mark.parametrize("who", ["mobilisation_officer", "unit_head", "reporter", "case_handler", "viewer"])
def test_restructuring_stp_is_refused_to_all_but_its_bloc_admin(api, personas, who):
    client = api(personas[who])
    before = state()
    for path, body in RESTRUCTURING:
        response = client.post(path, body, format="json")
        assert response.status_code == 403, path
        assert response.json() == FORBIDDEN
    assert state() == before


@pytest.mark.parametrize("who", ["reporter", "case_handler", "viewer"])
def test_leads_and_regulations_are_refused_without_the_edit_permission(api, personas, who):
    client = api(personas[who])
    before = state()
    for path, body in EDITING:
        assert client.post(path, body, format="json").status_code == 403, path
    assert state() == before


def test_every_write_to_a_unit_the_user_cannot_see_is_answered_like_a_missing_unit(api, personas):
    client = api(personas["outsider"])  # mobilisation officer at SYT: STP is not theirs to see
    before = state()
    for path, body in RESTRUCTURING[1:] + EDITING:
        foreign = client.post(path, body, format="json")
        missing = client.post(path.replace("STP-CB1", "KHONG-CO"), body, format="json")
        assert (foreign.status_code, foreign.json()) == (404, missing.json()), path
        assert missing.status_code == 404
    assert state() == before


def test_a_unit_head_at_stp_cannot_tell_syt_from_a_code_that_does_not_exist(api, personas):
    client = api(personas["unit_head"])
    body = {"full_name": "Lê Văn Cường", "assigned_on": "2024-01-01"}
    foreign = client.post(UNITS + "SYT/lead/", body, format="json")
    missing = client.post(UNITS + "NOPE/lead/", body, format="json")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "Không tìm thấy."}
    assert foreign.headers.get("Content-Type") == missing.headers.get("Content-Type")
    assert MobilisationLead.objects.count() == 0


def _unknown(code: str) -> list[str]:
    return [f"Không có đơn vị nào có mã “{code}”."]


@pytest.mark.parametrize(
    ("path", "body", "errors"),
    [
        pytest.param(
            UNITS,
            {
                "code": "SYT-CB9",
                "name": "Chi bộ 9",
                "type": "cell",
                "parent": "{}",
                "valid_from": "2024-01-01",
            },
            lambda code: {"parent": _unknown(code)},
            id="create under it",
        ),
        pytest.param(
            UNITS + "STP-CB1/move/",
            {"parent": "{}", "effective_on": "2024-01-01"},
            lambda code: {"parent": _unknown(code)},
            id="move under it",
        ),
        pytest.param(
            UNITS + "STP-CB1/merge/",
            {"into": "{}", "effective_on": "2024-01-01"},
            lambda code: {"into": _unknown(code)},
            id="merge into it",
        ),
        pytest.param(
            UNITS + "STP-CB1/merge/",
            {"units": ["STP-CB2", "{}"], "into": "STP", "effective_on": "2024-01-01"},
            lambda code: {"units": _unknown(code)},
            id="merge it too",
        ),
        pytest.param(
            UNITS + "STP-CB1/merge/",
            {"new": {**NEW_A, "parent": "{}"}, "effective_on": "2024-01-01"},
            lambda code: {"new": {"parent": _unknown(code)}},
            id="merge into a new unit under it",
        ),
        pytest.param(
            UNITS + "STP-CB1/split/",
            {"into": [NEW_A, {**NEW_B, "parent": "{}"}], "effective_on": "2024-01-01"},
            lambda code: {"into": {"1": {"parent": _unknown(code)}}},
            id="split into a new unit under it",
        ),
        pytest.param(
            UNITS + "STP-CB1/merge/",
            {"into": "{}", "effective_on": "31/02/2024"},
            lambda code: {"into": _unknown(code), "effective_on": [BAD_DATE]},
            id="alongside another error",
        ),
    ],
)
def test_naming_a_unit_outside_the_scope_gets_the_same_answer_as_a_code_that_does_not_exist(
    api, personas, path, body, errors
):
    client = api(personas["bloc_admin"])  # bloc administrator at STP: SYT is not theirs to see
    before = state()
    for code in ("SYT-CB1", "KHONG-CO"):
        named = json.loads(json.dumps(body).replace('"{}"', json.dumps(code)))
        response = client.post(path, named, format="json")
        assert (response.status_code, response.json()) == (400, errors(code)), code
    assert state() == before


def test_a_unit_the_user_sees_but_may_not_restructure_is_refused_with_403(api, personas, tree):
    admin = personas["bloc_admin"]
    RoleAssignment.objects.create(user=admin, unit=tree.syt, role=Role.VIEWER)  # SYT: seen, not changed
    client = api(admin)
    before = state()
    for path, body in [
        (UNITS + "STP-CB1/move/", {"parent": "SYT", "effective_on": "2024-01-01"}),
        (UNITS + "STP-CB1/merge/", {"into": "SYT-CB1", "effective_on": "2024-01-01"}),
        (UNITS + "SYT-CB1/dissolve/", {"effective_on": "2024-01-01"}),
    ]:
        response = client.post(path, body, format="json")
        assert (response.status_code, response.json()) == (403, FORBIDDEN), path
    assert state() == before


@pytest.mark.parametrize("who", ["mobilisation_officer", "unit_head", "bloc_admin"])
def test_officers_heads_and_admins_record_leads_and_regulations(api, personas, who, tree):
    client = api(personas[who])
    response = client.post(UNITS + "STP-CB1/lead/", {**EDITING[0][1], "phone": "0912 345 678"}, format="json")
    assert response.status_code == 201
    assert response.json()["full_name"] == "Trần Thị Bình"
    assert tree.stp_cb1.leads.get().phone == "0912 345 678"
    response = client.post(*EDITING[1], format="json")
    assert response.status_code == 200
    assert (response.json()["regulation_number"], response.json()["regulation_signed_on"]) == (
        "01-QC/ĐU",
        "2024-01-01",
    )
    assert client.get(UNITS + "STP-CB1/").json()["lead"]["full_name"] == "Trần Thị Bình"


def test_a_regulation_document_can_be_uploaded(api, personas, tree):
    document = SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4 quy che", content_type="application/pdf")
    body = {
        "regulation_number": "02-QC/ĐU",
        "regulation_signed_on": "15/03/2024",
        "regulation_file": document,
    }
    response = api(personas["unit_head"]).post(UNITS + "STP/regulation/", body, format="multipart")
    assert response.status_code == 200
    tree.stp.refresh_from_db()
    assert tree.stp.regulation_file.name.endswith(".pdf")
    assert tree.stp.regulation_signed_on == D(2024, 3, 15)


def test_a_regulation_document_must_be_a_document(api, personas, tree):
    script = SimpleUploadedFile("quy-che.exe", b"MZ", content_type="application/octet-stream")
    body = {"regulation_number": "02-QC/ĐU", "regulation_signed_on": "2024-03-15", "regulation_file": script}
    response = api(personas["unit_head"]).post(UNITS + "STP/regulation/", body, format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["regulation_file"]
    tree.stp.refresh_from_db()
    assert tree.stp.regulation_number == ""


def test_a_regulation_document_has_a_size_limit(api, personas, monkeypatch):
    monkeypatch.setattr("danvan.orgs.regulation.REGULATION_MAX_BYTES", 8)
    document = SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4 quy che", content_type="application/pdf")
    body = {
        "regulation_number": "02-QC/ĐU",
        "regulation_signed_on": "2024-03-15",
        "regulation_file": document,
    }
    response = api(personas["unit_head"]).post(UNITS + "STP/regulation/", body, format="multipart")
    assert response.json() == {"regulation_file": ["Tệp lớn hơn 10 MB."]}


def test_a_lead_needs_a_name(api, personas):
    response = api(personas["unit_head"]).post(
        UNITS + "STP/lead/", {"full_name": "   ", "assigned_on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert MobilisationLead.objects.count() == 0


def test_the_bloc_admin_creates_a_unit_under_stp(api, personas):
    admin = personas["bloc_admin"]
    body = {
        "code": "STP-CB3",
        "name": "Chi bộ 3",
        "short_name": "CB3",
        "type": "cell",
        "groups": ["admin_agency"],
        "parent": "STP",
        "valid_from": "01/01/2024",
        "decision": "QĐ 12-QĐ/ĐU",
    }
    response = api(admin).post(UNITS, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["code"], data["parent_code"], data["depth"], data["groups"]) == (
        "STP-CB3",
        "STP",
        2,
        ["admin_agency"],
    )
    assert data["valid_from"] == "2024-01-01"
    event = RestructuringEvent.objects.get(unit__code="STP-CB3")
    assert (event.kind, event.decision, event.recorded_by) == ("create", "QĐ 12-QĐ/ĐU", admin)


def test_the_bloc_admin_renames_a_unit_from_a_date(api, personas):
    client = api(personas["bloc_admin"])
    response = client.post(
        UNITS + "STP-CB1/change/",
        {"name": "Chi bộ Văn phòng Sở", "effective_on": "2024-07-01"},
        format="json",
    )
    assert response.json()["name"] == "Chi bộ Văn phòng Sở"
    assert client.get(UNITS + "STP-CB1/", {"as_of": "2024-06-30"}).json()["name"] == "Chi bộ 1"


def test_the_bloc_admin_moves_a_unit_and_the_past_is_kept(api, personas, tree):
    client = api(personas["bloc_admin"])
    response = client.post(
        UNITS + "STP-CB2/move/", {"parent": "STP-CB1", "effective_on": "2024-05-01"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["parent_code"], response.json()["depth"]) == ("STP-CB1", 3)
    assert client.get(UNITS + "STP-CB2/", {"as_of": "2024-04-30"}).json()["parent_code"] == "STP"


def test_the_bloc_admin_merges_a_unit_into_another(api, personas, tree):
    client = api(personas["bloc_admin"])
    response = client.post(
        UNITS + "STP-CB2/merge/", {"into": "STP-CB1", "effective_on": "2025-03-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["code"] == "STP-CB1"
    assert client.get(UNITS + "STP-CB2/").json()["valid_to"] == "2025-03-01"
    assert [s.code for s in selectors.successors_on(tree.stp_cb2, D(2025, 3, 1))] == ["STP-CB1"]


def test_the_bloc_admin_merges_units_into_a_new_one(api, personas):
    body = {
        "units": ["STP-CB2"],
        "new": {"code": "STP-CB12", "name": "Chi bộ Hợp nhất", "type": "cell"},
        "effective_on": "2025-03-01",
    }
    response = api(personas["bloc_admin"]).post(UNITS + "STP-CB1/merge/", body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["code"], response.json()["parent_code"]) == ("STP-CB12", "STP")
    assert set(Unit.objects.filter(valid_to=D(2025, 3, 1)).values_list("code", flat=True)) == {
        "STP-CB1",
        "STP-CB2",
    }


def test_the_bloc_admin_splits_a_unit(api, personas):
    body = {"into": [NEW_A, NEW_B], "effective_on": "2025-01-01"}
    response = api(personas["bloc_admin"]).post(UNITS + "STP-CB1/split/", body, format="json")
    assert response.status_code == 201, response.content
    assert [unit["code"] for unit in response.json()] == ["STP-CB1A", "STP-CB1B"]
    assert Unit.objects.get(code="STP-CB1").valid_to == D(2025, 1, 1)


def test_the_bloc_admin_dissolves_a_unit(api, personas):
    client = api(personas["bloc_admin"])
    response = client.post(UNITS + "STP-CB2/dissolve/", {"effective_on": "2024-09-01"}, format="json")
    assert response.status_code == 200
    assert (response.json()["is_active"], response.json()["valid_to"]) == (False, "2024-09-01")
    assert "STP-CB2" not in [unit["code"] for unit in client.get(UNITS).json()["results"]]


def test_the_bloc_admin_at_stp_cannot_reach_outside_stp(api, personas):
    client = api(personas["bloc_admin"])
    before = state()
    refused = [
        (
            UNITS,
            {"code": "KHOI2", "name": "Khối mới", "type": "bloc", "parent": None, "valid_from": "2024-01-01"},
        ),
        (
            UNITS + "STP/split/",
            {"into": [{**NEW_A, "parent": None}, {**NEW_B, "parent": None}], "effective_on": "2024-01-01"},
        ),
    ]
    for path, body in refused:
        assert client.post(path, body, format="json").status_code == 403, (path, body)
    unknown = [  # SYT is not theirs to see: named, it is answered like a code that does not exist
        (UNITS + "STP-CB1/move/", {"parent": "SYT", "effective_on": "2024-01-01"}, 400),
        (UNITS + "STP-CB1/merge/", {"into": "SYT-CB1", "effective_on": "2024-01-01"}, 400),
        (
            UNITS + "STP-CB1/merge/",
            {"units": ["SYT-CB1"], "into": "STP-CB2", "effective_on": "2024-01-01"},
            400,
        ),
        (UNITS + "SYT-CB1/dissolve/", {"effective_on": "2024-01-01"}, 404),
        (UNITS + "SYT/lead/", {"full_name": "Lê Văn Cường", "assigned_on": "2024-01-01"}, 404),
    ]
    for path, body, status in unknown:
        assert client.post(path, body, format="json").status_code == status, (path, body)
    assert state() == before


def test_a_write_to_a_unit_that_does_not_exist_is_404(api, personas):
    response = api(personas["admin"]).post(
        UNITS + "KHONG-CO/dissolve/", {"effective_on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 404


def _dissolve_stp_cb2(tree):
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=D(2024, 1, 1), by=SYSTEM)


BAD_INPUT = [
    pytest.param(
        None,
        UNITS,
        {
            "code": "STP-CB3",
            "name": "Chi bộ 3",
            "type": "cell",
            "parent": "KHONG-CO",
            "valid_from": "2024-01-01",
        },
        {"parent": ["Không có đơn vị nào có mã “KHONG-CO”."]},
        id="unknown parent code",
    ),
    pytest.param(
        None,
        UNITS + "STP/move/",
        {"parent": "STP-CB1", "effective_on": "2024-01-01"},
        {
            "parent": [
                "Không thể chuyển đơn vị STP về trực thuộc STP-CB1 "
                "vì STP-CB1 là đơn vị cấp dưới của chính nó."
            ]
        },
        id="cycle",
    ),
    pytest.param(
        _dissolve_stp_cb2,
        UNITS + "STP-CB1/merge/",
        {"into": "STP-CB2", "effective_on": "2025-03-01"},
        {
            "non_field_errors": [
                "Đơn vị STP-CB2 đã giải thể hoặc không còn hiệu lực vào ngày 01/03/2025; "
                "không thể sáp nhập vào đơn vị này."
            ]
        },
        id="merge into a dissolved unit",
    ),
    pytest.param(
        None,
        UNITS,
        {
            "code": "stp-cb1",
            "name": "Chi bộ 1 mới",
            "type": "cell",
            "parent": "STP",
            "valid_from": "2024-01-01",
        },
        {"code": ["Mã stp-cb1 đã được dùng cho một đơn vị khác."]},
        id="duplicate code",
    ),
    pytest.param(
        None,
        UNITS,
        {"code": "STP-CB3", "name": "Chi bộ 3", "type": "cell", "parent": "STP", "valid_from": "31/02/2024"},
        {"valid_from": ["Nhập ngày hợp lệ, ví dụ 31/12/2024 hoặc 2024-12-31."]},
        id="bad date",
    ),
    pytest.param(
        None,
        UNITS,
        {"code": "STP-CB3", "name": "Chi bộ 3", "type": "cell", "parent": "STP", "valid_from": "2019-06-01"},
        {
            "parent": [
                "Đơn vị không thể có hiệu lực từ ngày 01/06/2019, trước khi đơn vị cấp trên STP "
                "được thành lập (01/01/2020)."
            ]
        },
        id="unit valid before its parent",
    ),
    pytest.param(
        None,
        UNITS,
        {
            "code": "STP-CB3",
            "name": "Chi bộ 3",
            "type": "branch",
            "groups": ["school"],
            "valid_from": "2024-01-01",
        },
        {"type": ["Không có loại đơn vị “branch”."], "groups": ["Không có nhóm đơn vị “school”."]},
        id="unknown type and group",
    ),
    pytest.param(
        None,
        UNITS + "STP-CB1/split/",
        {"into": [NEW_A], "effective_on": "2025-01-01"},
        {"non_field_errors": ["Chia tách cần ít nhất hai đơn vị mới."]},
        id="split into one",
    ),
    pytest.param(
        None,
        UNITS + "STP/dissolve/",
        {"effective_on": "2025-01-01"},
        {
            "non_field_errors": [
                "Đơn vị STP vẫn còn đơn vị trực thuộc (STP-CB1, STP-CB2); "
                "hãy chuyển hoặc giải thể các đơn vị đó trước."
            ]
        },
        id="dissolve with units under it",
    ),
    pytest.param(
        None,
        UNITS + "STP-CB1/merge/",
        {"effective_on": "2025-01-01"},
        {
            "non_field_errors": [
                "Hãy chọn sáp nhập vào một đơn vị đã có hoặc vào một đơn vị mới (chỉ một trong hai)."
            ]
        },
        id="merge into nothing",
    ),
]


@pytest.mark.parametrize(("setup", "path", "body", "errors"), BAD_INPUT)
def test_bad_input_gets_a_vietnamese_message_and_changes_nothing(
    api, personas, tree, setup, path, body, errors
):
    if setup is not None:
        setup(tree)
    before = state()
    response = api(personas["admin"]).post(path, body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert state() == before


def test_a_malformed_body_is_a_400_not_a_500(api, personas):
    client = api(personas["admin"])
    response = client.post(UNITS, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        UNITS + "STP-CB1/split/", {"into": "STP-CB9", "effective_on": "2025-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert client.post(UNITS, {"name": "x"}, format="multipart").status_code == 415


def test_a_token_request_is_attributed_to_the_tokens_user(personas):
    user = personas["bloc_admin"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(name='Báo cáo', days=30, by=user)[1]}")
    response = client.post(UNITS + "STP-CB2/dissolve/", {"effective_on": "2024-01-01"}, format="json")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditEvent.Action.RESTRUCTURE, unit_code="STP-CB2").order_by(
        "-id"
    )[0]
    assert (event.actor_id, event.actor_label, event.source) == (user.pk, "bloc_admin_stp", "api")
    assert RestructuringEvent.objects.filter(unit__code="STP-CB2").last().recorded_by == user


def test_a_wrong_token_is_refused(tree):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(UNITS)
    assert response.status_code == 401
    assert response.json() == {"detail": "Mã xác thực (token) không hợp lệ."}
