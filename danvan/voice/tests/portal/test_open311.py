"""Open311 GeoReport v2: services, submitting a request, reading it back by its unguessable id."""

import datetime
import json
import logging
import secrets
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.voice.cases import services as cases
from danvan.voice.cases import tracking
from danvan.voice.cases.models import Case, CaseEvent, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity
from danvan.voice.portal.services import NOTICE_VERSION

SYSTEM = System("tests")

BASE = "/open311/v2"


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.OPEN311_RATE = "1000/m"
    settings.VOICE_PORTAL_SUBMIT_RATES = ["1000/m"]
    settings.VOICE_PORTAL_DAILY_PER_CONTACT = 1000
    settings.VOICE_PORTAL_LOOKUP_RATE = "1000/m"


@pytest.fixture
def citizen():
    """A client as a citizen app: no session, CSRF checks on, its own address (limits are per address)."""
    return Client(
        enforce_csrf_checks=True, REMOTE_ADDR=f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.7"
    )


def submit(client, fmt="json", **fields):
    data = {"jurisdiction_id": "STP", "service_code": "feedback", "description": "Đèn đường hỏng nhiều ngày."}
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_the_services_are_feedback_suggestion_and_petition(tree, citizen):
    response = citizen.get(f"{BASE}/services.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    services = response.json()
    assert [s["service_code"] for s in services] == ["feedback", "suggestion", "petition"]
    assert [s["service_name"] for s in services] == ["Phản ánh", "Góp ý", "Kiến nghị"]
    assert all(s["metadata"] is False and s["type"] == "realtime" and s["description"] for s in services)
    assert services[0]["group"] == "Ý kiến của Nhân dân" and "phản ánh" in services[0]["keywords"]
    xml = ElementTree.fromstring(citizen.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services" and [n.findtext("service_code") for n in xml] == [
        "feedback",
        "suggestion",
        "petition",
    ]
    assert xml.find("service/metadata").text == "false"
    assert citizen.get(f"{BASE}/services.json", {"jurisdiction_id": "STP"}).status_code == 200
    unknown = citizen.get(f"{BASE}/services.json", {"jurisdiction_id": "KHONG-CO"})
    assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404


def test_a_service_has_no_definition(tree, citizen):
    response = citizen.get(f"{BASE}/services/feedback.json")
    assert response.status_code == 404
    assert response.json() == [
        {"code": 404, "description": "Dịch vụ “feedback” không có thuộc tính bổ sung (metadata false)."}
    ]
    assert (
        citizen.get(f"{BASE}/services/complaint_first.json")
        .json()[0]["description"]
        .startswith("Không có dịch vụ")
    )


def test_an_app_submits_feedback_without_a_key_nor_a_csrf_token(tree, citizen):
    response = submit(citizen, address_string="Ngã tư Amata, Biên Hòa", lat="10.95", long="106.85")
    assert response.status_code == 201, response.content
    [answer] = response.json()
    case = Case.objects.get()
    assert case.tracking_hash == tracking.digest(answer["service_request_id"])
    assert tracking.normalise(answer["service_request_id"]) is not None  # 20 characters, 100 random bits
    assert "token" not in answer and "Đảng ủy Sở Tư pháp" in answer["service_notice"]
    assert (case.unit.code, case.kind, case.channel, case.anonymous) == ("STP", "feedback", "portal", True)
    assert case.received_on == timezone.localdate() and case.subject == "Đèn đường hỏng nhiều ngày."
    assert "Địa điểm: Ngã tư Amata, Biên Hòa" in case.content and "Tọa độ: 10.95, 106.85" in case.content
    assert not Identity.objects.filter(case=case).exists()
    assert case.events.get().action == "receive"


def test_a_petition_keeps_the_sender_apart_and_reading_it_back_shows_only_public_fields(tree, rules, citizen):
    response = submit(
        citizen,
        service_code="petition",
        description="Đề nghị sửa đường vào trường học.",
        address_string="Tổ 5, khu phố 3, phường Tân Tiến",
        first_name="An",
        last_name="Nguyễn Văn",
        phone="0912 345 678",
        email="an.nguyen@example.vn",
        api_key="bat-ky",
        consent="true",
    )
    assert response.status_code == 201, response.content
    code = response.json()[0]["service_request_id"]
    case = Case.objects.get()
    person = crypto.decrypt(Identity.objects.get(case=case).ciphertext)
    assert person == {
        "name": "Nguyễn Văn An",
        "address": "Tổ 5, khu phố 3, phường Tân Tiến",
        "phone": "0912 345 678",
        "email": "an.nguyen@example.vn",
    }
    logged = AuditEvent.objects.get(model="voice.identity")  # like the portal: no citizen's address kept
    assert (logged.actor_label, logged.source, logged.ip_address) == ("open311", "open311", None)
    read = citizen.get(f"{BASE}/requests/{code.lower().replace('-', '')}.json")  # read forgivingly
    assert read.status_code == 200
    [public] = read.json()
    assert set(public) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
    }
    assert public["service_request_id"] == code and public["status"] == "open"
    assert public["service_name"] == "Kiến nghị" and public["agency_responsible"] == "Đảng ủy Sở Tư pháp"
    assert public["requested_datetime"].endswith("+07:00") and public["status_notes"] is None
    for secret in ("Nguyễn Văn", "0912", "an.nguyen", "Tổ 5", "sửa đường"):
        assert secret not in read.content.decode()
    cases.case_accept(by=SYSTEM, case=case, day=timezone.localdate())
    cases.case_resolve(
        by=SYSTEM,
        case=case,
        decision_number="",
        decision_date=timezone.localdate(),
        summary="Đã đưa vào kế hoạch.",
        public_note="Tuyến đường sẽ được sửa trong quý tới.",
    )
    [public] = citizen.get(f"{BASE}/requests/{code}.json").json()
    assert public["status"] == "closed" and public["status_notes"] == "Tuyến đường sẽ được sửa trong quý tới."
    xml = ElementTree.fromstring(citizen.get(f"{BASE}/requests/{code}.xml").content)
    assert xml.tag == "service_requests" and xml.findtext("request/status") == "closed"


def test_a_denunciation_read_by_its_code_never_shows_the_denouncer(tree, rules, citizen):
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.DENUNCIATION,
        channel="portal",
        subject="Tố cáo",
        content="Nội dung tố cáo.",
        received_on=timezone.localdate(),
        identity={"name": "Lê Thị Hoa", "address": "9 Phan Chu Trinh", "phone": "0903 111 222"},
    )
    _case, code = cases.case_receive(by=SYSTEM, spec=spec, with_tracking_code=True)
    for path in (f"requests/{code}.json", f"requests/{code}.xml", f"requests.json?service_request_id={code}"):
        response = citizen.get(f"{BASE}/{path}")
        assert response.status_code == 200 and code in response.content.decode()
        for secret in ("Lê Thị Hoa", "Phan Chu Trinh", "0903", "Nội dung tố cáo"):
            assert secret not in response.content.decode()


def test_reading_requests_never_enumerates_cases(tree, citizen):
    first = submit(citizen).json()[0]["service_request_id"]
    second = submit(citizen, service_code="suggestion", description="Nên mở thêm quầy.").json()[0][
        "service_request_id"
    ]
    assert citizen.get(f"{BASE}/requests.json").json() == []
    assert citizen.get(f"{BASE}/requests.json", {"status": "open", "service_code": "feedback"}).json() == []
    guessed = tracking.new_code()
    listed = citizen.get(f"{BASE}/requests.json", {"service_request_id": f"{first},{guessed},không-phải-mã"})
    assert [r["service_request_id"] for r in listed.json()] == [first]
    both = citizen.get(
        f"{BASE}/requests.json", {"service_request_id": f"{first},{second}", "service_code": "suggestion"}
    )
    assert [r["service_request_id"] for r in both.json()] == [second]
    too_many = citizen.get(f"{BASE}/requests.json", {"service_request_id": ",".join([first] * 21)})
    assert (
        too_many.status_code == 400
        and too_many.json()[0]["description"] == "Mỗi lần chỉ tra cứu tối đa 20 yêu cầu."
    )
    for wrong in (guessed, "1", Case.objects.first().reference):
        response = citizen.get(f"{BASE}/requests/{wrong}.json")
        assert response.status_code == 404
        assert response.json() == [
            {
                "code": 404,
                "description": "Không có yêu cầu nào có mã này. Vui lòng kiểm tra lại mã đã được cấp.",
            }
        ]


def test_bad_submissions_get_open311_errors_in_vietnamese_and_nothing_is_saved(tree, citizen):
    from danvan.orgs.services import unit_dissolve

    unit_dissolve(
        unit=tree.stp_cb2, effective_on=timezone.localdate() - datetime.timedelta(days=1), by=SYSTEM
    )

    def errors(**fields):
        response = submit(citizen, **fields)
        return response.status_code, [e["description"] for e in response.json()]

    assert errors(jurisdiction_id="") == (400, ["Hãy ghi jurisdiction_id: mã đơn vị nhận yêu cầu."])
    assert errors(jurisdiction_id="KHONG-CO")[0] == 404
    assert errors(jurisdiction_id="STP-CB2") == (
        404,
        ["Không có đơn vị nào đang hoạt động có mã “STP-CB2” (jurisdiction_id)."],
    )
    assert errors(service_code="")[0] == 400
    assert errors(service_code="denunciation") == (404, ["Không có dịch vụ nào có mã “denunciation”."])
    assert errors(description="   ") == (400, ["Hãy ghi nội dung đơn thư."])
    assert errors(service_code="petition") == (
        400,
        [
            "Chỉ phản ánh và góp ý mới được gửi không ghi tên: khiếu nại, kiến nghị và tố cáo phải có họ tên, "
            "địa chỉ của người gửi."
        ],
    )
    assert errors(service_code="petition", first_name="An", last_name="Nguyễn Văn", consent="true") == (
        400,
        ["Hãy ghi họ tên và địa chỉ của người gửi."],
    )
    assert errors(lat="91", long="abc") == (
        400,
        ["Vĩ độ (lat) phải là một số từ -90 đến 90.", "Kinh độ (long) phải là một số từ -180 đến 180."],
    )
    assert errors(email="khong-phai-email", consent="true") == (400, ["Địa chỉ thư điện tử không hợp lệ."])
    assert errors(description="x" * 20_001)[0] == 400
    assert Case.objects.count() == 0
    wrong_method = citizen.put(f"{BASE}/requests.json")
    assert wrong_method.status_code == 405 and wrong_method["Allow"] == "GET, POST"
    xml = ElementTree.fromstring(citizen.post(f"{BASE}/requests.xml", {"service_code": "feedback"}).content)
    assert xml.tag == "errors" and xml.findtext("error/code") == "400"


def test_a_json_body_and_an_xml_answer_are_accepted(tree, citizen):
    response = citizen.post(
        f"{BASE}/requests.xml",
        {
            "jurisdiction_id": "stp",
            "service_code": "suggestion",
            "description": "Góp ý <script>alert(1)</script>",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    xml = ElementTree.fromstring(response.content)
    code = xml.findtext("request/service_request_id")
    assert Case.objects.get().tracking_hash == tracking.digest(code)
    assert (
        Case.objects.get().content == "Góp ý <script>alert(1)</script>"
    )  # stored as sent, escaped when shown


def test_a_json_body_too_deep_too_large_or_broken_gets_a_vietnamese_400_not_a_500(tree, citizen, settings):
    def answer(body: str):
        response = citizen.post(f"{BASE}/requests.json", body, content_type="application/json")
        return response.status_code, [e["description"] for e in response.json()]

    deep = '{"jurisdiction_id": "STP", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert answer(deep) == (400, ["Nội dung yêu cầu lồng nhau quá sâu: tối đa 32 cấp ngoặc."])
    assert answer("{khong-phai-json") == (
        400,
        ["Không đọc được nội dung yêu cầu: hãy gửi dữ liệu JSON hợp lệ."],
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, [message] = answer(json.dumps({"jurisdiction_id": "STP", "description": "x" * 2000}))
    assert status == 400 and message.startswith("Nội dung yêu cầu quá lớn: tối đa ")
    assert Case.objects.count() == 0


def test_reading_by_code_shares_the_portals_lookup_allowance_one_per_code(tree, settings, citizen):
    code = submit(citizen).json()[0]["service_request_id"]
    settings.VOICE_PORTAL_LOOKUP_RATE = "5/h"
    browser = Client(REMOTE_ADDR=citizen.defaults["REMOTE_ADDR"])  # the portal's status page, same address
    assert citizen.get(f"{BASE}/requests/{code}.json").status_code == 200  # 1
    assert browser.post(reverse("portal:track"), {"code": code}).status_code == 200  # 2
    assert (
        citizen.get(f"{BASE}/requests.json", {"service_request_id": f"{code},{code}"}).status_code == 200
    )  # 4
    assert citizen.get(f"{BASE}/requests.json").json() == []  # no code asked: no lookup counted
    assert (
        browser.post(reverse("portal:track"), {"code": code}).status_code == 200
    )  # 5: the allowance is used up
    limited = citizen.get(f"{BASE}/requests/{code}.json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert limited.json() == [
        {"code": 429, "description": "Có quá nhiều lượt tra cứu mã từ kết nối của bạn."}
    ]
    assert citizen.get(f"{BASE}/requests.json", {"service_request_id": code}).status_code == 429
    assert browser.post(reverse("portal:track"), {"code": code}).status_code == 429
    # Another address has its own allowance.
    assert Client(REMOTE_ADDR="10.251.1.9").get(f"{BASE}/requests/{code}.json").status_code == 200


def test_submissions_share_the_portals_allowance_per_address(tree, settings, citizen):
    settings.VOICE_PORTAL_SUBMIT_RATES = ["2/h"]
    assert submit(citizen, description="").status_code == 400  # a refused submission uses no allowance
    assert submit(citizen).status_code == 201
    assert submit(citizen).status_code == 201
    limited = submit(citizen)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert limited.json() == [
        {"code": 429, "description": "Có quá nhiều đơn thư được gửi từ kết nối của bạn."}
    ]
    assert Case.objects.count() == 2
    # The same counters as the portal's form: that address cannot send there either.
    browser = Client(REMOTE_ADDR=citizen.defaults["REMOTE_ADDR"])
    portal_page = browser.post("/public/send/STP/", {"kind": "feedback"})
    assert portal_page.status_code == 429
    network = f"2001:db8:{secrets.randbelow(65535):x}:{secrets.randbelow(65535):x}"
    assert (
        submit(Client(REMOTE_ADDR=f"{network}::5")).status_code == 201
    )  # another address, its own allowance


def test_one_phone_number_sends_at_most_the_portals_daily_quota(tree, settings):
    settings.VOICE_PORTAL_DAILY_PER_CONTACT = 1
    phone = f"09{secrets.randbelow(10**8):08d}"
    first = submit(Client(REMOTE_ADDR="10.1.1.1"), phone=phone, first_name="An", consent="true")
    assert first.status_code == 201
    again = submit(Client(REMOTE_ADDR="10.2.2.2"), phone=phone, first_name="An", consent="true")
    assert again.status_code == 429 and "đã gửi 1 đơn thư trong hôm nay" in again.json()[0]["description"]
    assert Case.objects.count() == 1


def test_every_request_counts_against_the_open311_rate(tree, settings):
    settings.OPEN311_RATE = "3/m"
    network = f"2001:db8:{secrets.randbelow(65535):x}:{secrets.randbelow(65535):x}"
    reader = Client(REMOTE_ADDR=f"{network}::1")
    same_network = Client(REMOTE_ADDR=f"{network}::2")  # the same /64: one allowance
    assert [reader.get(f"{BASE}/services.json").status_code for _ in range(3)] == [200, 200, 200]
    limited = same_network.get(f"{BASE}/requests/{tracking.new_code()}.json")
    assert limited.status_code == 429
    assert limited.json()[0]["description"] == "Có quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau."
    assert submit(same_network).status_code == 429 and Case.objects.count() == 0


# ---------------------------------------------------------------- consent and error reports

NO_CONSENT = (
    "Chỉ nhận dữ liệu cá nhân (first_name, last_name, phone, email, sender_address) khi có consent=true, "
    "nghĩa là người gửi đồng ý cho xử lý các dữ liệu đó để giải quyết yêu cầu (Nghị định 13/2023/NĐ-CP). "
    "Hãy thêm consent=true hoặc gửi không kèm dữ liệu cá nhân."
)


def test_personal_data_is_taken_only_with_an_explicit_consent(tree, rules, citizen):
    before = timezone.now()
    for field, value in (
        ("first_name", "An"),
        ("last_name", "Nguyễn Văn"),
        ("phone", "0912 345 678"),
        ("email", "an.nguyen@example.vn"),
        ("sender_address", "12 Lê Lợi"),
    ):
        for consent in (None, "", "false", "0", "khong"):
            response = submit(citizen, **{field: value}, consent=consent)
            assert response.status_code == 400, (field, consent)
            assert response.json() == [{"code": 400, "description": NO_CONSENT}]
    xml = ElementTree.fromstring(submit(citizen, fmt="xml", phone="0912 345 678").content)
    assert xml.findtext("error/description") == NO_CONSENT
    assert not Case.objects.exists() and not Identity.objects.exists()

    agreed = submit(citizen, last_name="Nguyễn Văn", first_name="An", phone="0912 345 678", consent="true")
    assert agreed.status_code == 201, agreed.content
    case = Case.objects.get()
    assert crypto.decrypt(Identity.objects.get(case=case).ciphertext)["name"] == "Nguyễn Văn An"
    receive, note = case.events.order_by("id")
    assert receive.action == CaseEvent.Action.RECEIVE
    assert (note.action, note.public, note.actor, note.reason) == (
        CaseEvent.Action.NOTE,
        False,
        None,
        "Đồng ý xử lý dữ liệu cá nhân",
    )
    assert note.details["consent"]["notice"] == NOTICE_VERSION
    assert before <= datetime.datetime.fromisoformat(note.details["consent"]["at"]) <= timezone.now()
    # A JSON body says it with a JSON true.
    as_json = citizen.post(
        f"{BASE}/requests.json",
        {
            "jurisdiction_id": "STP",
            "service_code": "feedback",
            "description": "Đèn hỏng.",
            "email": "b@example.vn",
            "consent": True,
        },
        content_type="application/json",
    )
    assert as_json.status_code == 201, as_json.content
    assert (
        CaseEvent.objects.filter(
            action=CaseEvent.Action.NOTE, details__consent__notice=NOTICE_VERSION
        ).count()
        == 2
    )


def test_anonymous_feedback_needs_no_consent_and_records_none(tree, citizen):
    assert submit(citizen, consent="true").status_code == 201
    assert submit(citizen).status_code == 201
    assert set(CaseEvent.objects.values_list("action", flat=True)) == {CaseEvent.Action.RECEIVE}


def test_the_services_say_how_to_consent(tree, citizen):
    for service in citizen.get(f"{BASE}/services.json").json():
        assert "consent=true" in service["description"] and NOTICE_VERSION in service["description"]


def test_an_error_while_saving_a_request_is_reported_without_the_sender(tree, rules, settings, caplog):
    settings.IDENTITY_KEYS = ["not-a-fernet-key"]  # a broken configuration: encrypting the identity fails
    sender = {
        "first_name": "Bích Hạnh",
        "last_name": "Nguyễn Thị",
        "phone": "0913 246 810",
        "email": "bichhanh.open311@example.vn",
        "address_string": "Số 7 đường Võ Thị Sáu",
        "consent": "true",
    }
    secrets_ = ("Bích Hạnh", "Nguyễn Thị", "0913 246 810", "bichhanh.open311", "Võ Thị Sáu")

    def leaks(text: str) -> list[str]:
        return [s for s in secrets_ if s in text or json.dumps(s)[1:-1] in text or repr(s)[1:-1] in text]

    client = Client(raise_request_exception=False, REMOTE_ADDR="10.9.9.9")
    for as_json in (False, True):
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="django.request"):
            if as_json:
                body = {
                    "jurisdiction_id": "STP",
                    "service_code": "petition",
                    "description": "Đề nghị.",
                    **sender,
                }
                response = client.post(f"{BASE}/requests.json", body, content_type="application/json")
            else:
                response = submit(client, service_code="petition", **sender)
        assert response.status_code == 500
        (failure,) = [r for r in caplog.records if r.name == "django.request"]
        if not as_json:
            assert leaks(json.dumps(dict(failure.request.POST), ensure_ascii=False))  # it was sent...
        for is_email in (True, False):  # ...and neither the admin e-mail nor the error page holds it
            report = ExceptionReporter(failure.request, *failure.exc_info, is_email=is_email)
            text, html = report.get_traceback_text(), report.get_traceback_html()
            assert "not a Fernet key" in text
            assert not leaks(text), (as_json, leaks(text))
            assert not leaks(html), (as_json, leaks(html))
    assert not Case.objects.exists()
