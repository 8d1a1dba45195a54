"""The public status page: found by the tracking code alone, showing only what is public."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.voice.cases import attachments, tracking
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Kind
from danvan.voice.tests.cases.test_attachments import PDF

SYSTEM = System("tests")

PERSON = {"name": "Phạm Thị Thu Trang", "address": "Tổ 5, ấp Bến Cam, Nhơn Trạch", "phone": "0987 654 321"}
TRACK = reverse("portal:track")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submitted(tree, rules):
    """A complaint received today through the portal, with its identity and a file: (case, code)."""
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.COMPLAINT_FIRST,
        channel="portal",
        subject="Khiếu nại về tiền bồi thường",
        content="Nội dung chi tiết chỉ cán bộ được xem: hộ gia đình tôi bị áp giá sai.",
        received_on=timezone.localdate(),
        identity=PERSON,
    )
    case, code = cases.case_receive(by=SYSTEM, spec=spec, with_tracking_code=True)
    attachments.store(case, SimpleUploadedFile("so-hong-cua-toi.pdf", PDF))
    return case, code


@pytest.fixture
def handler(personas):
    user = personas["case_handler"]
    user.first_name, user.last_name = "Lê Văn", "Xử Lý"
    user.save()
    return user


def look_up(code, client=None):
    return (client or Client()).post(TRACK, {"code": code})


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_the_code_finds_the_case_however_it_is_typed(submitted, tree):
    case, code = submitted
    sloppy = code.lower().replace("-", " ").replace("0", "o")
    response = look_up(sloppy)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert f"Đơn thư {case.reference}" in html
    assert "Khiếu nại lần đầu" in html and "Khiếu nại về tiền bồi thường" in html
    assert d(case.received_on) in html and "Đảng ủy Sở Tư pháp" in html
    assert "Đơn thư của bạn đã được tiếp nhận và đang chờ xem xét." in html
    due = case.clocks.get(step="accept").due_on
    assert f"Quyết định thụ lý chậm nhất ngày <strong>{d(due)}</strong>" in html


def test_the_status_page_never_shows_the_identity_the_handler_the_content_or_files(submitted, handler, tree):
    case, code = submitted
    cases.case_assign(case=case, handler=handler, by=handler)
    cases.case_reject(
        case=case,
        day=timezone.localdate(),
        reason="Ghi chú nội bộ: người gửi từng bị xử phạt hành chính.",
        public_note="Nội dung không thuộc thẩm quyền của Đảng ủy Sở Tư pháp; đề nghị gửi UBND phường.",
        by=handler,
    )
    html = look_up(code).content.decode()
    assert "Đơn thư của bạn không được thụ lý." in html
    assert "đề nghị gửi UBND phường" in html  # the answer written for the sender
    assert "Trả lời của đơn vị" in html
    for secret in (
        *PERSON.values(),
        "Thu Trang",
        handler.username,
        "Xử Lý",
        "Ghi chú nội bộ",
        "xử phạt",
        "áp giá sai",
        "so-hong-cua-toi",
    ):
        assert secret not in html, secret
    assert "chậm nhất ngày" not in html  # a finished case has no due date


def test_a_transfer_shows_the_new_unit_but_not_why(submitted, handler, tree):
    case, code = submitted
    cases.case_transfer(
        case=case, to_unit=tree.syt, day=timezone.localdate(), reason="Lý do nội bộ về thẩm quyền", by=handler
    )
    html = look_up(code).content.decode()
    assert "đến Đảng ủy Sở Y tế" in html
    assert "Lý do nội bộ" not in html
    assert "<dt>Đơn vị giải quyết</dt><dd>Đảng ủy Sở Y tế</dd>" in html


def test_an_accepted_case_shows_when_it_must_be_settled(submitted):
    case, code = submitted
    cases.case_accept(by=SYSTEM, case=case, day=timezone.localdate())
    html = look_up(code).content.decode()
    due = case.clocks.get(step="resolve").due_on
    assert "Đơn thư của bạn đã được thụ lý giải quyết." in html
    assert f"Giải quyết chậm nhất ngày <strong>{d(due)}</strong>" in html
    assert "Đã thụ lý" in html  # the public event


def test_a_paused_case_asks_for_documents_and_shows_no_running_date(submitted):
    case, code = submitted
    cases.case_pause(
        by=SYSTEM, case=case, day=timezone.localdate(), reason="Thiếu bản sao quyết định thu hồi đất"
    )
    html = look_up(code).content.decode()
    assert "Đơn vị đang chờ bạn bổ sung thông tin, tài liệu" in html
    assert "chậm nhất ngày" not in html and "Thiếu bản sao" not in html


def test_a_script_in_the_answer_comes_back_as_text(submitted):
    case, code = submitted
    cases.case_accept(by=SYSTEM, case=case, day=timezone.localdate())
    cases.case_resolve(
        by=SYSTEM,
        case=case,
        decision_number="15/QĐ-ĐU",
        decision_date=timezone.localdate(),
        summary="Tóm tắt nội bộ",
        public_note='Đã giải quyết <script>document.location="http://x"</script>',
    )
    html = look_up(code).content.decode()
    assert "&lt;script&gt;document.location=&quot;http://x&quot;&lt;/script&gt;" in html
    assert "<script>document" not in html and "Tóm tắt nội bộ" not in html


def test_a_wrong_code_gets_one_neutral_message(submitted):
    case, _code = submitted
    guess = tracking.new_code()
    html = look_up(guess).content.decode()
    assert "Không tìm thấy đơn thư nào ứng với mã này." in html and case.reference not in html
    html = look_up("ABC-123").content.decode()
    assert "Mã tra cứu gồm 20 chữ cái và chữ số" in html and case.reference not in html
    html = look_up("").content.decode()
    assert "Hãy nhập mã tra cứu bạn đã nhận." in html


def test_the_code_is_never_read_from_the_address(submitted):
    case, code = submitted
    response = Client().get(TRACK, {"code": code})
    assert response.status_code == 200 and case.reference not in response.content.decode()


def test_lookups_are_limited_per_connection(submitted):
    case, code = submitted
    guesser = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(20):
        assert look_up(tracking.new_code(), guesser).status_code == 200
    refused = look_up(code, guesser)  # even the right code, once the limit is reached
    assert refused.status_code == 429 and case.reference not in refused.content.decode()
    assert "Có quá nhiều lượt tra cứu mã từ kết nối của bạn." in refused.content.decode()
    assert case.reference in look_up(code, Client(REMOTE_ADDR="192.0.2.51")).content.decode()
