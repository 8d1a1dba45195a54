"""The staff pages for cases: who sees and does what, the life of a case through the pages, bad input,
the list's search and its cost, suggestion-box openings."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.voice.cases import services as cases
from danvan.voice.cases import tracking
from danvan.voice.cases.models import BoxOpening, Case, CaseEvent, Extension, Kind, State
from danvan.voice.identity.models import Identity

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH_2 = D(2026, 3, 2)
PERSON = {
    "name": "Nguyễn Văn Bình",
    "address": "34 Hùng Vương, phường Thống Nhất",
    "phone": "0987 654 321",
    "id_number": "075190001234",
}
PROTECTED_MESSAGE = "Danh tính người tố cáo được bảo vệ"


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def text(response) -> str:
    return response.content.decode()


def rows(response) -> set[str]:
    """The references of the cases on a list page."""
    return set(re.findall(r'data-case="([^"]+)"', text(response)))


@pytest.fixture
def receive(tree, rules):
    """receive(kind=…, unit=…, day=…, **more) -> a case received through the service."""

    def _receive(kind=Kind.COMPLAINT_FIRST, unit=None, day=MARCH_2, **more):
        spec = cases.NewCase(
            unit=unit or tree.stp,
            kind=kind,
            channel=more.pop("channel", "desk"),
            subject=more.pop("subject", "Khiếu nại về tiền bồi thường giải phóng mặt bằng"),
            content=more.pop("content", "Nội dung khiếu nại chi tiết."),
            received_on=day,
            identity=more.pop("identity", PERSON),
            **more,
        )
        return cases.case_receive(by=SYSTEM, spec=spec)[0]

    return _receive


@pytest.fixture
def handler(personas):
    return personas["case_handler"]


@pytest.fixture
def syt_handler(tree):
    return make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER)


def act(client, case, action, **fields):
    data = {f"{action}-{key}": value for key, value in fields.items()}
    return client.post(reverse("voice:case_action", args=[case.pk, action]), data)


def intake(tree, **more):
    data = {
        "unit": str(tree.stp.pk),
        "kind": Kind.COMPLAINT_FIRST,
        "channel": "desk",
        "subject": "Khiếu nại quyết định thu hồi đất",
        "content": "Ông Bình khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.",
        "received_on": dmy(MARCH_2),
        "people_count": "1",
        "name": PERSON["name"],
        "address": PERSON["address"],
        "phone": PERSON["phone"],
        "id_number": PERSON["id_number"],
    }
    data.update(more)
    return data


# ---------------------------------------------------------------- who sees and does what


def test_users_of_another_unit_cannot_list_open_or_act_on_a_case(receive, personas, syt_handler, login, tree):
    case = receive()
    for user in (personas["outsider"], syt_handler):
        client = login(user)
        listing = client.get(reverse("voice:case_list"))
        assert listing.status_code == 200 and rows(listing) == set()
        assert rows(client.get(reverse("voice:case_list"), {"q": case.reference})) == set()
        assert client.get(reverse("voice:case_detail", args=[case.pk])).status_code == 404
        assert act(client, case, "accept", day=dmy(MARCH_2)).status_code == 404
        assert act(client, case, "withdraw", day=dmy(MARCH_2), reason="Rút").status_code == 404
    # The handler of SYT cannot record a case for STP either: STP is not among the units offered.
    response = login(syt_handler).post(reverse("voice:case_new"), intake(tree))
    assert "Hãy chọn một trong các đơn vị mà bạn xử lý đơn thư." in text(response)
    assert str(tree.stp.pk) not in re.findall(r'<option value="(\d+)"', text(response))
    case.refresh_from_db()
    assert case.state == State.RECEIVED and Case.objects.count() == 1 and case.events.count() == 1


@pytest.mark.parametrize("role", ["viewer", "reporter", "nobody"])
def test_viewers_and_reporters_see_no_case_at_all(role, receive, personas, login):
    case = receive()
    client = login(personas[role])
    assert client.get(reverse("voice:case_list")).status_code == 403
    assert client.get(reverse("voice:case_new")).status_code == 403
    assert client.get(reverse("voice:case_detail", args=[case.pk])).status_code in (403, 404)
    assert act(client, case, "accept", day=dmy(MARCH_2)).status_code == 404
    assert client.get(reverse("voice:box_openings")).status_code == 403
    assert "Đơn thư, vụ việc" not in text(client.get(reverse("orgs:tree")))
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_those_who_see_but_do_not_handle_get_the_file_without_actions(receive, personas, login):
    case = receive()
    client = login(personas["unit_head"])
    page = client.get(reverse("voice:case_detail", args=[case.pk]))
    assert page.status_code == 200 and case.subject in text(page)
    assert 'id="action-' not in text(page) and "Đơn thư, vụ việc" in text(page)
    assert act(client, case, "accept", day=dmy(MARCH_2)).status_code == 403
    assert client.get(reverse("voice:case_new")).status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_handler_sees_the_cases_of_the_units_below_and_acts_on_them(receive, handler, login, tree):
    below = receive(unit=tree.stp_cb1, subject="Phản ánh của chi bộ 1")
    receive(unit=tree.syt_cb1, subject="Phản ánh ở Sở Y tế")  # another subtree
    client = login(handler)
    assert rows(client.get(reverse("voice:case_list"))) == {below.reference}
    assert act(client, below, "accept", day=dmy(MARCH_2)).status_code == 302
    assert Case.objects.get(pk=below.pk).state == State.ACCEPTED


# ---------------------------------------------------------------- the life of a case


def test_a_handler_takes_a_denunciation_through_its_whole_life_on_the_pages(handler, login, tree, rules):
    client = login(handler)
    form = client.get(reverse("voice:case_new"))
    once = re.search(r'name="once" value="([^"]+)"', text(form)).group(1)
    data = intake(
        tree,
        kind=Kind.DENUNCIATION,
        channel="post",
        subject="Tố cáo hành vi nhận hối lộ",
        receipt="on",
        once=once,
    )
    receipt = client.post(reverse("voice:case_new"), data)
    assert receipt.status_code == 200 and "no-store" in receipt["Cache-Control"]
    case = Case.objects.get()
    code = re.search(r'id="tracking-code">([0-9A-Z-]+)<', text(receipt)).group(1)
    assert case.reference in text(receipt) and case.tracking_hash == tracking.digest(code)
    assert code not in case.tracking_hash and case.identity_protected
    # The same form sent again records nothing more and never shows the code again.
    again = client.post(reverse("voice:case_new"), data)
    assert again.status_code == 302 and Case.objects.count() == 1

    def ok(action, **fields):
        response = act(client, case, action, **fields)
        assert response.status_code == 302, text(response)
        return client.get(response["Location"])

    ok("classify", kind=Kind.DENUNCIATION, people_count="1")
    ok("assign", handler=str(handler.pk))
    ok("accept", day="03/03/2026")
    ok("notify", day="05/03/2026")
    refused = act(
        client, case, "extend", decision_number="01/QĐ-GH", decision_date="20/03/2026", reason="Cần xác minh"
    )
    assert refused.status_code == 200
    assert "hãy đánh dấu là phức tạp trước" in text(refused) and not Extension.objects.exists()
    ok("classify", kind=Kind.DENUNCIATION, is_complex="on", people_count="1", reason="Nhiều nội dung")
    done = ok("extend", decision_number="01/QĐ-GH", decision_date="20/03/2026", reason="Cần xác minh")
    assert "Đã gia hạn thời hạn giải quyết vụ việc" in text(done)
    assert case.clocks.get(step="resolve", stopped_on__isnull=True).extensions == 1
    ok("verify", day="21/03/2026")
    ok("resolve", decision_number="15/KL-UBND", decision_date="10/04/2026", summary="Tố cáo đúng một phần")
    page = ok("close", day="11/04/2026")
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.decision_date == D(2026, 4, 10)
    events = list(case.events.all())
    assert [e.action for e in events] == [
        "receive",
        "classify",
        "assign",
        "accept",
        "notify",
        "classify",
        "extend",
        "verify",
        "resolve",
        "close",
    ]
    assert all(e.actor == handler for e in events)
    # The history on the page: who, when (dd/mm/yyyy HH:MM), what, from which state to which.
    history = text(page).split('id="history"')[1]
    when = timezone.localtime(events[-1].at).strftime("%d/%m/%Y %H:%M")
    assert when in history and handler.username in history and "Đã giải quyết" in history
    assert "Quyết định 01/QĐ-GH" in history
    # Closed: nothing is left to do on it.
    assert 'id="action-' not in text(page)


def test_a_complaint_is_received_without_a_receipt_then_transferred_with_its_history(
    handler, syt_handler, login, tree, rules
):
    client = login(handler)
    response = client.post(reverse("voice:case_new"), intake(tree))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "voice:case_detail", args=[case.pk]
    )
    page = text(client.get(response["Location"]))
    assert case.reference in page and case.tracking_hash is None
    assert PERSON["name"] in page and PERSON["phone"] in page  # not protected: the sender is on the file
    moved = act(
        client, case, "transfer", to_unit=str(tree.syt.pk), day="05/03/2026", reason="Không thuộc thẩm quyền"
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.unit == tree.syt and case.state == State.RECEIVED
    assert client.get(reverse("voice:case_detail", args=[case.pk])).status_code == 404
    there = text(login(syt_handler).get(reverse("voice:case_detail", args=[case.pk])))
    assert "Đã chuyển đơn" in there and "Không thuộc thẩm quyền" in there and "Đảng ủy Sở Y tế" in there


def test_only_the_actions_the_state_allows_are_offered(receive, handler, login):
    case = receive()
    client = login(handler)
    offered = set(
        re.findall(r'id="action-([a-z]+)"', text(client.get(reverse("voice:case_detail", args=[case.pk]))))
    )
    assert offered == {"classify", "assign", "accept", "reject", "transfer", "pause", "withdraw"}
    act(client, case, "pause", day="04/03/2026", reason="Chờ bổ sung tài liệu")
    offered = set(
        re.findall(r'id="action-([a-z]+)"', text(client.get(reverse("voice:case_detail", args=[case.pk]))))
    )
    assert offered == {"classify", "assign", "resume", "withdraw"}
    # An action the state does not allow is refused with the state machine's message, nothing written.
    response = act(client, case, "close", day="05/03/2026")
    assert response.status_code == 302
    assert "thì không thể thực hiện" in text(client.get(response["Location"]))
    assert Case.objects.get(pk=case.pk).state == State.PAUSED
    assert act(client, case, "nonsense").status_code == 404
    opened = client.get(reverse("voice:case_action", args=[case.pk, "accept"]))  # the case file, not a 405
    assert opened.status_code == 302 and opened["Location"] == reverse("voice:case_detail", args=[case.pk])


# ---------------------------------------------------------------- bad input


def test_an_intake_without_a_subject_or_with_a_future_date_is_refused_and_nothing_is_saved(
    handler, login, tree, rules
):
    client = login(handler)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for fields, message in (
        ({"subject": "  "}, "Hãy ghi trích yếu (tiêu đề)."),
        ({"received_on": dmy(tomorrow)}, "Ngày không được sau ngày hôm nay (ở tương lai)."),
        ({"received_on": "31/02/2026"}, "Hãy nhập ngày theo dạng dd/mm/yyyy"),
        ({"name": "", "address": ""}, "Hãy ghi họ tên và địa chỉ của người gửi."),
        (
            {"anonymous": "on", "name": "", "address": "", "phone": "", "id_number": ""},
            "Chỉ phản ánh và góp ý",
        ),
        ({"kind": "bribe"}, "Hãy chọn loại đơn thư"),
    ):
        response = client.post(reverse("voice:case_new"), intake(tree, **fields))
        assert response.status_code == 200 and message in text(response), fields
    assert not Case.objects.exists() and not Identity.objects.exists() and not CaseEvent.objects.exists()


def test_an_anonymous_suggestion_is_received_without_anyone_behind_it(handler, login, tree, rules):
    blank = {"name": "", "address": "", "phone": "", "id_number": ""}
    fields = {"kind": Kind.SUGGESTION, "channel": "box", "anonymous": "on", **blank}
    login(handler).post(reverse("voice:case_new"), intake(tree, **fields))
    case = Case.objects.get()
    assert case.anonymous and case.channel == "box" and not Identity.objects.exists()


def test_a_decision_without_a_date_and_a_transfer_to_an_unknown_unit_are_refused(
    receive, handler, login, tree
):
    case = receive()
    client = login(handler)
    act(client, case, "accept", day="03/03/2026")
    before = case.events.count()
    response = act(
        client, case, "resolve", decision_number="12/QĐ-UBND", decision_date="", summary="Công nhận"
    )
    assert response.status_code == 200 and "Hãy ghi ngày ban hành quyết định." in text(response)
    assert 'id="action-resolve" open' in text(response)
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.decision_number == "" and case.events.count() == before

    other = receive(subject="Khiếu nại thứ hai")
    response = act(client, other, "transfer", to_unit="987654", day="05/03/2026", reason="Chuyển")
    assert response.status_code == 200
    assert "Hãy chọn đơn vị nhận chuyển đơn trong cây tổ chức." in text(response)
    response = act(client, other, "transfer", to_unit="", day="05/03/2026", reason="Chuyển")
    assert "Hãy chọn đơn vị nhận chuyển đơn trong cây tổ chức." in text(response)
    other.refresh_from_db()
    assert other.unit == tree.stp and other.events.count() == 1


def test_assigning_someone_who_does_not_handle_the_unit_is_refused(
    receive, handler, syt_handler, personas, login
):
    case = receive()
    client = login(handler)
    page = text(client.get(reverse("voice:case_detail", args=[case.pk])))
    offered = re.search(r'name="assign-handler".*?</select>', page, re.S).group(0)
    assert handler.username in offered and syt_handler.username not in offered
    assert personas["unit_head"].username not in offered
    response = act(client, case, "assign", handler=str(syt_handler.pk))
    assert "Hãy chọn một trong những người xử lý đơn thư của đơn vị này." in text(response)
    assert Case.objects.get(pk=case.pk).handler is None


# ---------------------------------------------------------------- the list: search, identity, cost


def test_the_search_never_looks_at_who_sent_it_nor_shows_a_protected_identity(
    receive, handler, personas, login
):
    complaint = receive()
    denunciation = receive(kind=Kind.DENUNCIATION, subject="Tố cáo sai phạm trong đấu thầu")
    for user in (handler, personas["admin"], personas["unit_head"]):
        client = login(user)
        listing = client.get(reverse("voice:case_list"))
        assert rows(listing) == {complaint.reference, denunciation.reference}
        for secret in PERSON.values():
            assert secret not in text(listing)
        for secret in ("Bình", PERSON["name"], "0987 654 321", "075190001234", "Hùng Vương"):
            assert rows(client.get(reverse("voice:case_list"), {"q": secret})) == set(), secret
        assert rows(client.get(reverse("voice:case_list"), {"q": "đấu thầu"})) == {denunciation.reference}
        assert rows(client.get(reverse("voice:case_list"), {"q": complaint.reference})) == {
            complaint.reference
        }


def test_a_protected_identity_is_never_on_the_case_file(receive, personas, login):
    case = receive(kind=Kind.DENUNCIATION)
    for role in ("unit_head", "mobilisation_officer", "bloc_admin", "admin", "case_handler"):
        page = text(login(personas[role]).get(reverse("voice:case_detail", args=[case.pk])))
        assert PROTECTED_MESSAGE in page
        for secret in PERSON.values():
            assert secret not in page, (role, secret)
        link = reverse("voice:case_identity", args=[case.pk])
        assert (link in page) == (role == "case_handler"), role  # only the handlers of its own unit


def test_filters_narrow_the_list(receive, handler, login, tree):
    old = receive(day=D(2026, 1, 5), subject="Khiếu nại cũ")
    petition = receive(
        kind=Kind.PETITION, unit=tree.stp_cb2, channel="hotline", subject="Kiến nghị đường điện"
    )
    recent = receive(day=D(2026, 3, 10), subject="Khiếu nại mới")
    cases.case_accept(by=SYSTEM, case=recent, day=D(2026, 3, 10))
    client = login(handler)

    def listed(**params):
        return rows(client.get(reverse("voice:case_list"), params))

    assert listed(unit=str(tree.stp_cb2.pk)) == {petition.reference}
    assert listed(kind=Kind.PETITION) == {petition.reference}
    assert listed(channel="hotline") == {petition.reference}
    assert listed(state=State.ACCEPTED) == {recent.reference}
    assert listed(received_from="01/03/2026", received_to="31/03/2026") == {
        petition.reference,
        recent.reference,
    }
    # The accept clock of the January complaint ended long ago; the petition has no clock at all.
    assert listed(overdue="on") == {old.reference, recent.reference}
    bad = client.get(reverse("voice:case_list"), {"received_from": "31/03/2026", "received_to": "01/03/2026"})
    assert "Ngày kết thúc đứng trước ngày bắt đầu." in text(bad) and listed(unit=str(tree.syt.pk)) == set()


def test_the_list_shows_the_next_due_date_with_a_badge(receive, handler, login):
    today = timezone.localdate()
    overdue = receive(day=D(2026, 3, 2))
    fresh = receive(day=today, subject="Khiếu nại hôm nay")
    page = text(login(handler).get(reverse("voice:case_list")))
    row = page.split(f'data-case="{overdue.reference}"')[1].split("</tr>")[0]
    assert 'data-due="overdue"' in row and "12/03/2026" in row
    row = page.split(f'data-case="{fresh.reference}"')[1].split("</tr>")[0]
    assert 'data-due="overdue"' not in row


def test_the_list_costs_the_same_number_of_queries_whatever_the_number_of_cases(
    receive, handler, login, django_assert_max_num_queries
):
    client = login(handler)
    for n in range(2):
        receive(subject=f"Khiếu nại số {n}")
    client.get(reverse("voice:case_list"))  # warm the per-process caches (the tree mirror, the calendar)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("voice:case_list")).status_code == 200
    for n in range(2, 30):
        receive(subject=f"Khiếu nại số {n}", kind=Kind.DENUNCIATION if n % 3 else Kind.PETITION)
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("voice:case_list"), {"q": "Khiếu nại"})
    assert text(page).count('data-case="') == 30


# ---------------------------------------------------------------- suggestion boxes


def test_a_handler_records_a_box_opening_which_is_audited(handler, personas, login, tree):
    client = login(handler)
    data = {
        "unit": str(tree.stp.pk),
        "opened_on": "02/11/2026",
        "opened_by": "Trần Văn Cường",
        "witnesses": "Lê Thị Dung, Phạm Văn Em",
        "letters": "3",
        "note": "Hòm thư tầng 1",
    }
    response = client.post(reverse("voice:box_openings"), data)
    assert response.status_code == 302
    opening = BoxOpening.objects.get()
    assert (opening.unit, opening.letters, opening.created_by) == (tree.stp, 3, handler)
    event = AuditEvent.objects.get(model="voice.boxopening")
    assert event.action == "create" and event.unit_code == "STP" and event.actor_id == handler.pk
    assert "Trần Văn Cường" in text(login(personas["unit_head"]).get(reverse("voice:box_openings")))
    assert "Trần Văn Cường" not in text(login(personas["outsider"]).get(reverse("voice:box_openings")))


def test_a_bad_box_opening_is_refused_and_nothing_is_saved(handler, syt_handler, personas, login, tree):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    good = {
        "unit": str(tree.stp.pk),
        "opened_on": "02/11/2026",
        "opened_by": "Trần Văn Cường",
        "letters": "2",
    }
    client = login(handler)
    for fields, message in (
        ({"opened_on": dmy(tomorrow)}, "Ngày không được sau ngày hôm nay (ở tương lai)."),
        ({"opened_by": ""}, "Hãy ghi người mở hòm thư."),
        ({"letters": "-1"}, "Số thư phải từ 0 đến"),
        ({"letters": ""}, "Hãy ghi số thư tìm thấy"),
    ):
        response = client.post(reverse("voice:box_openings"), {**good, **fields})
        assert response.status_code == 200 and message in text(response), fields
    response = login(syt_handler).post(reverse("voice:box_openings"), good)
    assert "Hãy chọn một trong các đơn vị mà bạn xử lý đơn thư." in text(response)
    assert login(personas["unit_head"]).post(reverse("voice:box_openings"), good).status_code == 403
    assert not BoxOpening.objects.exists()
