"""The cases API: scoped reading, staff intake, the actions through the services, rules; never an identity."""

import datetime
import json

import pytest
from django.utils import timezone, translation

from danvan.accounts.actors import System
from danvan.voice.cases import services as cases
from danvan.voice.cases import tracking
from danvan.voice.cases.models import Case, Kind, State
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity

SYSTEM = System("tests")

D = datetime.date
MARCH_2 = D(2026, 3, 2)
PERSON = {"name": "Nguyễn Văn An", "address": "12 Lê Lợi, Biên Hòa", "phone": "0912 345 678"}
DENOUNCER = {
    "name": "Trần Thị Bích Ngọc",
    "address": "45 Hai Bà Trưng, phường Tân Tiến",
    "phone": "0987 654 321",
    "email": "bichngoc.tran@example.vn",
    "id_number": "075190001234",
}


@pytest.fixture
def receive(tree, rules):
    """receive(kind=…, unit=…, day=…, **more) -> a case received through the service."""

    def _receive(kind=Kind.COMPLAINT_FIRST, unit=None, day=MARCH_2, **more):
        spec = cases.NewCase(
            unit=unit or tree.stp,
            kind=kind,
            channel=more.pop("channel", "desk"),
            subject=more.pop("subject", "Khiếu nại quyết định thu hồi đất"),
            content=more.pop("content", "Nội dung khiếu nại chi tiết."),
            received_on=day,
            identity=more.pop("identity", PERSON),
            **more,
        )
        return cases.case_receive(by=SYSTEM, spec=spec)[0]

    return _receive


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- reading and scope ----------------------------------------------------------------------------


def test_a_user_of_another_unit_gets_an_empty_list_and_404(receive, personas, api):
    case = receive()
    handler = api(personas["case_handler"])
    assert ids(handler.get("/api/v1/cases/")) == [case.pk]
    detail = handler.get(f"/api/v1/cases/{case.pk}/")
    assert detail.status_code == 200 and detail.json()["reference"] == case.reference
    outsider = api(personas["outsider"])  # mobilisation officer at SYT: sees SYT's cases only
    assert ids(outsider.get("/api/v1/cases/")) == []
    for path in ("", "events/", "clocks/"):
        response = outsider.get(f"/api/v1/cases/{case.pk}/{path}")
        assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy."}
    assert outsider.get("/api/v1/cases/999999/").status_code == 404  # the same as a case that does not exist
    assert ids(api(personas["admin"]).get("/api/v1/cases/")) == [case.pk]  # bloc admin, at the root


def test_viewers_and_reporters_get_nothing(receive, personas, api):
    case = receive()
    for role in ("viewer", "reporter", "nobody"):
        client = api(personas[role])
        for path in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/", "/api/v1/deadline-rules/"):
            response = client.get(path)
            assert response.status_code == 403, (role, path)
            assert "results" not in response.json() and case.subject not in response.content.decode()


def test_the_list_filters_by_subtree_kind_state_channel_dates_and_overdue(receive, tree, personas, api):
    today = timezone.localdate()
    old = receive(day=MARCH_2)  # its accept period ended on 12/03/2026: overdue
    cell = receive(unit=tree.stp_cb1, day=today, channel="post")
    feedback = receive(kind=Kind.FEEDBACK, day=D(2026, 4, 1), identity=None, anonymous=True)
    cases.case_accept(by=SYSTEM, case=feedback, day=D(2026, 4, 2))
    client = api(personas["case_handler"])
    assert set(ids(client.get("/api/v1/cases/", {"unit": "STP-CB1"}))) == {cell.pk}
    assert set(ids(client.get("/api/v1/cases/", {"unit": "STP"}))) == {old.pk, cell.pk, feedback.pk}
    assert ids(client.get("/api/v1/cases/", {"unit": "STP-CB2"})) == []
    assert ids(client.get("/api/v1/cases/", {"unit": "SYT"})) == []
    assert ids(client.get("/api/v1/cases/", {"kind": "feedback"})) == [feedback.pk]
    assert ids(client.get("/api/v1/cases/", {"state": "accepted"})) == [feedback.pk]
    assert ids(client.get("/api/v1/cases/", {"channel": "post"})) == [cell.pk]
    assert set(ids(client.get("/api/v1/cases/", {"received_from": "01/04/2026"}))) == {cell.pk, feedback.pk}
    assert ids(client.get("/api/v1/cases/", {"received_to": "2026-03-31"})) == [old.pk]
    assert ids(client.get("/api/v1/cases/", {"overdue": "true"})) == [old.pk]
    assert set(ids(client.get("/api/v1/cases/", {"overdue": "false"}))) == {cell.pk, feedback.pk}
    rows = {row["id"]: row for row in client.get("/api/v1/cases/").json()["results"]}
    assert rows[old.pk]["overdue"] is True and rows[old.pk]["next_due_on"] == "2026-03-12"
    assert rows[cell.pk]["overdue"] is False and rows[feedback.pk]["next_due_on"] is None
    wrong = client.get("/api/v1/cases/", {"received_from": "31/12/2026", "received_to": "01/01/2026"})
    assert wrong.status_code == 400 and wrong.json() == {
        "received_to": ["Ngày kết thúc đứng trước ngày bắt đầu."]
    }
    assert client.get("/api/v1/cases/", {"kind": "khac"}).status_code == 400
    paged = client.get("/api/v1/cases/", {"limit": 1})
    assert paged.json()["count"] == 3 and len(paged.json()["results"]) == 1


def test_history_and_clocks_are_nested_under_the_case(receive, personas, api):
    case = receive()
    cases.case_accept(case=case, day=D(2026, 3, 9), by=personas["case_handler"])
    client = api(personas["unit_head"])  # CASE_VIEW only: reads, does not act
    events = client.get(f"/api/v1/cases/{case.pk}/events/").json()
    assert [e["action"] for e in events["results"]] == ["receive", "accept"]
    assert events["results"][1]["actor"] == personas["case_handler"].pk
    assert events["results"][1]["to_state"] == "accepted" and events["results"][1]["unit"] == "STP"
    clocks = client.get(f"/api/v1/cases/{case.pk}/clocks/").json()
    assert [(c["step"], c["rule"], c["due_on"], c["on_time"]) for c in clocks] == [
        ("accept", "KN1-ACCEPT", "2026-03-12", True),
        ("resolve", "KN1-RESOLVE", "2026-04-08", None),
    ]
    detail = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert [c["step"] for c in detail["clocks"]] == ["accept", "resolve"]
    assert "verify" in detail["actions"] and "accept" not in detail["actions"]


# --- intake -------------------------------------------------------------------------------------


def test_a_case_handler_records_a_submission_and_gets_the_case_back(tree, rules, personas, api):
    client = api(personas["case_handler"])
    response = client.post(
        "/api/v1/cases/",
        {
            "unit": "STP",
            "kind": "complaint_first",
            "channel": "desk",
            "subject": "Khiếu nại về bồi thường",
            "content": "Nội dung.",
            "received_on": "02/03/2026",
            "identity": PERSON,
            "with_tracking_code": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(pk=data["id"])
    assert case.channel == "desk" and case.unit == tree.stp and case.received_on == MARCH_2
    assert crypto.decrypt(Identity.objects.get(case=case).ciphertext)["name"] == PERSON["name"]
    assert case.tracking_hash == tracking.digest(data["tracking_code"])
    assert [c["step"] for c in data["clocks"]] == ["accept"] and data["state"] == "received"
    assert "identity" not in data and PERSON["name"] not in response.content.decode()
    assert case.events.get().actor == personas["case_handler"]


def test_intake_needs_the_handle_permission_at_the_unit(tree, rules, personas, api):
    body = {
        "unit": "STP",
        "kind": "feedback",
        "channel": "hotline",
        "subject": "Ý kiến",
        "content": "Nội dung",
    }
    body["anonymous"] = True
    assert api(personas["unit_head"]).post("/api/v1/cases/", body, format="json").status_code == 403
    assert api(personas["viewer"]).post("/api/v1/cases/", body, format="json").status_code == 403
    # A unit the handler may not even see is answered like a code that does not exist.
    handler = api(personas["case_handler"])
    for code in ("SYT", "KHONG-CO"):
        response = handler.post("/api/v1/cases/", {**body, "unit": code}, format="json")
        assert response.status_code == 400
        assert response.json() == {"unit": [f"Không có đơn vị nào có mã “{code}”."]}
    assert Case.objects.count() == 0
    assert handler.post("/api/v1/cases/", body, format="json").status_code == 201


def test_the_services_refusals_are_http_400_with_vietnamese_messages_per_field(tree, rules, personas, api):
    client = api(personas["case_handler"])
    response = client.post(
        "/api/v1/cases/",
        {"unit": "STP", "kind": "complaint_first", "channel": "desk", "subject": "", "content": "Nội dung"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "subject": ["Hãy ghi trích yếu (tiêu đề)."],
        "identity": ["Hãy ghi họ tên và địa chỉ của người gửi."],
    }
    assert Case.objects.count() == 0


# --- actions ------------------------------------------------------------------------------------


def post(client, case, name, body=None):
    return client.post(f"/api/v1/cases/{case.pk}/{name}/", body or {}, format="json")


def test_the_actions_move_the_case_through_the_services(receive, personas, api):
    case = receive(day=MARCH_2)
    client = api(personas["case_handler"])
    answer = post(client, case, "classify", {"is_complex": True})
    assert answer.status_code == 200 and answer.json()["state"] == "classified"
    assert answer.json()["is_complex"] is True and answer.json()["kind"] == "complaint_first"
    assign = post(client, case, "assign", {"handler": personas["case_handler"].pk})
    assert assign.json()["handler"] == personas["case_handler"].pk
    assert post(client, case, "accept", {"day": "09/03/2026"}).json()["state"] == "accepted"
    assert (
        post(client, case, "pause", {"day": "10/03/2026", "reason": "Chờ bổ sung"}).json()["state"]
        == "paused"
    )
    assert post(client, case, "resume", {"day": "2026-03-20"}).json()["state"] == "accepted"
    assert post(client, case, "verify", {"day": "2026-03-21"}).json()["state"] == "verifying"
    resolved = post(
        client,
        case,
        "resolve",
        {
            "decision_number": "12/QĐ-GQKN",
            "decision_date": "2026-04-20",
            "summary": "Giữ nguyên quyết định.",
            "public_note": "Đơn đã được giải quyết.",
        },
    ).json()
    assert resolved["state"] == "resolved" and resolved["decision_date"] == "2026-04-20"
    assert resolved["public_note"] == "Đơn đã được giải quyết."
    assert post(client, case, "close", {"day": "2026-04-21"}).json()["state"] == "closed"
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert [e.action for e in case.events.all()] == [
        "receive",
        "classify",
        "assign",
        "accept",
        "pause",
        "resume",
        "verify",
        "resolve",
        "close",
    ]
    assert {e.actor_id for e in case.events.all()[1:]} == {personas["case_handler"].pk}


def test_a_decision_without_a_date_is_refused_and_nothing_changes(receive, personas, api):
    case = receive()
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 9))
    client = api(personas["case_handler"])
    response = post(client, case, "resolve", {"decision_number": "12/QĐ", "summary": "Kết luận"})
    assert response.status_code == 400
    assert response.json() == {"decision_date": ["Hãy ghi ngày ban hành quyết định."]}
    wrong_state = post(client, case, "close")
    assert wrong_state.status_code == 400
    assert wrong_state.json() == {
        "non_field_errors": ["Vụ việc đang ở trạng thái “Thụ lý” thì không thể thực hiện “Đã kết thúc”."]
    }
    fresh = receive()
    assert post(client, fresh, "reject", {"day": "2026-03-10"}).json() == {"reason": ["Hãy nêu lý do."]}
    fresh.refresh_from_db()
    assert fresh.state == State.RECEIVED and fresh.events.count() == 1
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.events.count() == 2


def test_a_transfer_to_a_unit_that_does_not_exist_is_refused(receive, personas, api):
    case = receive()
    client = api(personas["case_handler"])
    response = post(client, case, "transfer", {"to_unit": "KHONG-CO", "reason": "Sai thẩm quyền"})
    assert response.status_code == 400
    assert response.json() == {"to_unit": ["Không có đơn vị nào có mã “KHONG-CO”."]}
    missing = post(client, case, "transfer", {"reason": "Sai thẩm quyền"})
    with translation.override("vi"):
        required = translation.gettext("This field is required.")
    assert missing.status_code == 400 and missing.json() == {"to_unit": [required]}
    assert required != "This field is required."
    case.refresh_from_db()
    assert case.unit.code == "STP" and case.events.count() == 1
    # The competent unit may be outside the handler's own subtree; afterwards the case is not theirs.
    moved = post(
        client, case, "transfer", {"to_unit": "SYT", "reason": "Sai thẩm quyền", "day": "2026-03-05"}
    )
    assert moved.status_code == 200 and moved.json()["unit"] == "SYT" and moved.json()["state"] == "received"
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api(personas["outsider"]).get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_acting_needs_the_handle_permission_at_the_case_unit(receive, personas, api):
    case = receive()
    assert post(api(personas["unit_head"]), case, "accept").status_code == 403  # sees it, may not act
    assert post(api(personas["admin"]), case, "accept", {"day": "2026-03-03"}).status_code == 200
    other = receive()
    assert post(api(personas["outsider"]), other, "accept").status_code == 404  # may not even see it
    assert post(api(personas["viewer"]), other, "accept").status_code == 403
    other.refresh_from_db()
    assert other.state == State.RECEIVED


def test_assign_and_link_only_reach_people_and_cases_in_scope(receive, tree, personas, api):
    case = receive()
    client = api(personas["case_handler"])
    refused = post(client, case, "assign", {"handler": personas["viewer"].pk})
    assert refused.status_code == 400 and list(refused.json()) == ["handler"]
    assert "Đảng ủy Sở Tư pháp" in refused.json()["handler"][0]
    unknown = post(client, case, "assign", {"handler": 987654})  # no such user: the very same answer
    assert unknown.status_code == 400 and unknown.json() == refused.json()
    case.refresh_from_db()
    assert case.handler is None
    elsewhere = receive(unit=tree.syt)
    hidden = post(client, case, "link", {"other": elsewhere.pk, "kind": "duplicate"})
    assert hidden.status_code == 400 and hidden.json() == {
        "other": [f"Không có vụ việc nào có mã số {elsewhere.pk}."]
    }
    same = receive()
    linked = post(client, case, "link", {"other": same.pk, "kind": "duplicate"})
    assert linked.status_code == 200
    assert linked.json()["links"] == [
        {"other": same.pk, "other_reference": same.reference, "kind": "duplicate"}
    ]
    # A link to a case the reader may not see is left out of what they read.
    cases.case_link(by=SYSTEM, case=case, other=elsewhere, kind="repeat")
    assert [link["other"] for link in client.get(f"/api/v1/cases/{case.pk}/").json()["links"]] == [same.pk]


def test_deadline_rules_are_read_only(rules, personas, api):
    client = api(personas["case_handler"])
    listed = client.get("/api/v1/deadline-rules/", {"procedure": "denunciation"}).json()["results"]
    assert {rule["code"] for rule in listed} == {"TC-ACCEPT", "TC-TRANSFER", "TC-NOTIFY", "TC-RESOLVE"}
    rule = client.get("/api/v1/deadline-rules/KN1-ACCEPT/").json()
    assert rule["days"] == 10 and "Luật Khiếu nại" in rule["citation"]
    assert client.get("/api/v1/deadline-rules/KHONG-CO/").status_code == 404
    assert client.post("/api/v1/deadline-rules/", {"code": "X"}, format="json").status_code == 405
    assert client.delete("/api/v1/deadline-rules/KN1-ACCEPT/").status_code == 405
    in_force = client.get("/api/v1/deadline-rules/", {"in_force_on": "01/01/2010"}).json()
    assert in_force["count"] == 0


# --- identity -----------------------------------------------------------------------------------


def _needles() -> list[str]:
    found = []
    for value in DENOUNCER.values():
        found += [value, value.replace(" ", ""), json.dumps(value)[1:-1]]
    return found


def test_no_endpoint_ever_returns_a_denouncers_identity(receive, tree, personas, api):
    """Every endpoint's JSON, for the bloc administrator and for the case handler of the unit."""
    assert crypto.clean(DENOUNCER) == DENOUNCER  # every identity field is in the test
    handler, admin = personas["case_handler"], personas["admin"]
    dumps = []
    created = api(handler).post(
        "/api/v1/cases/",
        {
            "unit": "STP",
            "kind": "denunciation",
            "channel": "desk",
            "subject": "Tố cáo cán bộ nhận hối lộ",
            "content": "Nội dung tố cáo.",
            "received_on": "02/03/2026",
            "identity": DENOUNCER,
            "with_tracking_code": True,
        },
        format="json",
    )
    assert created.status_code == 201
    dumps.append(created.content.decode())
    case = Case.objects.get(pk=created.json()["id"])
    assert case.identity_protected and Identity.objects.filter(case=case).exists()
    other = receive(kind=Kind.DENUNCIATION, identity=DENOUNCER)
    steps = [
        ("classify", {"is_complex": True}),
        ("assign", {"handler": handler.pk}),
        ("accept", {"day": "2026-03-03"}),
        ("notify", {"day": "2026-03-04"}),
        ("verify", {"day": "2026-03-05"}),
        ("extend", {"decision_number": "01/QĐ-GH", "decision_date": "2026-03-20", "reason": "Phức tạp"}),
        ("pause", {"day": "2026-03-21", "reason": "Chờ bổ sung tài liệu"}),
        ("resume", {"day": "2026-03-25"}),
        ("link", {"other": other.pk, "kind": "duplicate"}),
        ("resolve", {"decision_number": "05/KL", "decision_date": "2026-04-10", "summary": "Kết luận"}),
        ("close", {"day": "2026-04-11"}),
    ]
    for name, body in steps:
        response = post(api(handler), case, name, body)
        assert response.status_code == 200, (name, response.content)
        dumps.append(response.content.decode())
    withdrawn = receive(kind=Kind.DENUNCIATION, identity=DENOUNCER)
    dumps.append(post(api(admin), withdrawn, "withdraw", {"reason": "Rút đơn"}).content.decode())
    rejected = receive(kind=Kind.DENUNCIATION, identity=DENOUNCER)
    dumps.append(post(api(admin), rejected, "reject", {"reason": "Không đủ căn cứ"}).content.decode())
    moved = receive(kind=Kind.DENUNCIATION, identity=DENOUNCER)
    dumps.append(post(api(admin), moved, "transfer", {"to_unit": "SYT", "reason": "Chuyển"}).content.decode())
    for user in (admin, handler):
        client = api(user)
        for path in (
            "/api/v1/cases/",
            "/api/v1/cases/?kind=denunciation",
            f"/api/v1/cases/{case.pk}/",
            f"/api/v1/cases/{case.pk}/events/",
            f"/api/v1/cases/{case.pk}/clocks/",
            f"/api/v1/cases/{other.pk}/",
            f"/api/v1/cases/{moved.pk}/events/",
            "/api/v1/deadline-rules/",
            "/api/v1/audit-events/?limit=1000",
        ):
            response = client.get(path)
            assert response.status_code in (200, 403, 404), path
            dumps.append(response.content.decode())
    assert api(admin).get("/api/v1/audit-events/").status_code == 200  # the admin's audit log is dumped too
    text = "\n".join(dumps)
    assert case.subject in text  # the dumps hold the case file
    for needle in _needles():
        assert needle not in text, needle
