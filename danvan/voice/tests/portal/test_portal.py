"""The public portal: a citizen sends a submission from a phone, without an account.

Every bad input gets a Vietnamese message and leaves nothing behind; the abuse rules (per-IP rates,
honeypot, form token, per-contact quota, request size) each have a test.
"""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.voice.cases import tracking
from danvan.voice.cases.models import Attachment, Case, CaseEvent, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity
from danvan.voice.portal import limits, services
from danvan.voice.tests.cases.test_attachments import DOCX, EXE, JPEG, PDF

SYSTEM = System("tests")

PHONE = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
}
PERSON = {
    "name": "Nguyễn Thị Bích Hạnh",
    "address": "Số 7 đường Võ Thị Sáu, phường Thống Nhất, Biên Hòa",
    "phone": "0913 246 810",
    "email": "bichhanh.portal@example.vn",
    "id_number": "075190001234",
}
CODE_SHAPE = re.compile(r"\b([0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4})\b")


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """Rate counters live in the cache: every test starts from zero, and forms may be sent back at once."""
    cache.clear()
    settings.VOICE_PORTAL_MIN_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture
def phone():
    return Client(**PHONE)


def client_at(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip, **PHONE)


def send_url(code="STP"):
    return reverse("portal:send", args=[code])


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def fill(**more) -> dict:
    data = {
        "kind": Kind.COMPLAINT_FIRST,
        "subject": "Khiếu nại việc thu hồi đất",
        "content": "Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND vì chưa được bồi thường.",
        "people_count": "1",
        **PERSON,
        "consent": "on",
    }
    data.update(more)
    return {key: value for key, value in data.items() if value is not None}


def send(client, unit="STP", files=(), **fields):
    """Open the form like a browser, then send it back filled in."""
    page = client.get(send_url(unit))
    assert page.status_code == 200
    data = fill(**fields)
    data.setdefault("token", token_of(page.content.decode()))
    if files:
        data["attachments"] = list(files)
    return client.post(send_url(unit), data)


def pdf(name="don.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def shown_code(response) -> str:
    return CODE_SHAPE.search(response.content.decode()).group(1)


def media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ---------------------------------------------------------------- the happy paths


def test_a_citizen_finds_the_unit_by_typing_without_accents(phone, tree):
    page = phone.get(reverse("portal:choose_unit"), {"q": "so tu phap"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đảng ủy Sở Tư pháp" in html and send_url("STP") in html
    assert "Đảng ủy Sở Y tế" not in html
    # Many cells have the same name: each shows the unit it belongs to.
    html = phone.get(reverse("portal:choose_unit"), {"q": "chi bo 1"}).content.decode()
    assert "Chi bộ 1" in html and "Trực thuộc Đảng ủy Sở Tư pháp" in html
    # The script asks for the list alone.
    fragment = phone.get(reverse("portal:choose_unit"), {"q": "y te"}, HTTP_X_REQUESTED_WITH="fetch")
    assert "<html" not in fragment.content.decode() and "Đảng ủy Sở Y tế" in fragment.content.decode()
    assert (
        "Không có đơn vị nào khớp với “xyz”"
        in phone.get(reverse("portal:choose_unit"), {"q": "xyz"}).content.decode()
    )


def test_a_unit_that_has_ended_is_not_offered_and_cannot_receive(phone, tree):
    import datetime

    from danvan.orgs.services import unit_dissolve

    unit_dissolve(unit=tree.stp_cb2, effective_on=datetime.date(2024, 1, 1), by=SYSTEM)
    html = phone.get(reverse("portal:choose_unit"), {"q": "chi bo"}).content.decode()
    assert send_url("STP-CB1") in html and send_url("STP-CB2") not in html
    page = phone.get(send_url("STP-CB2"))
    assert page.status_code == 404 and "không còn tiếp nhận đơn thư" in page.content.decode()
    assert phone.get(send_url("NOPE")).status_code == 404


def test_a_full_complaint_from_a_phone_is_recorded_before_its_code_is_shown(phone, tree, rules, settings):
    home = phone.get(reverse("portal:home"))
    assert 'name="viewport"' in home.content.decode() and "Gửi phản ánh, góp ý" in home.content.decode()
    form = phone.get(send_url()).content.decode()
    for text in ("Bước 2/2", "Đảng ủy Sở Tư pháp", "Nghị định 13/2023/NĐ-CP", "Điều 47", "Điều 25"):
        assert text in form
    assert "<script>" not in form.split("</head>")[1]  # the page needs no script of its own

    response = send(phone, files=[pdf("Đơn khiếu nại.pdf"), SimpleUploadedFile("anh.jpg", JPEG)])

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = shown_code(response)
    assert len(tracking.normalise(code)) == 20
    case = Case.objects.get()
    html = response.content.decode()
    assert case.reference in html and "chỉ hiển thị một lần" in html
    assert case.tracking_hash == tracking.digest(code) and code not in str(Case.objects.values().get())
    assert (case.kind, case.channel, case.unit, case.anonymous) == (
        "complaint_first",
        "portal",
        tree.stp,
        False,
    )
    assert case.subject == "Khiếu nại việc thu hồi đất"
    assert crypto.decrypt(case.identity.ciphertext) == PERSON
    assert [a.name for a in case.attachments.all()] == ["Đơn khiếu nại.pdf", "anh.jpg"]
    assert not any(a.protected for a in case.attachments.all())
    assert [e.action for e in case.events.all()] == ["receive", "note"]  # the note keeps the consent
    assert case.clocks.get(step="accept").due_on > case.received_on


def test_a_suggestion_may_be_anonymous_and_goes_to_the_online_box(phone, tree, rules):
    blank = dict.fromkeys(PERSON, "")
    response = send(phone, kind=Kind.SUGGESTION, anonymous="on", consent=None, **blank)
    assert response.status_code == 200 and shown_code(response)
    case = Case.objects.get()
    assert (case.kind, case.channel, case.anonymous) == ("suggestion", "online_box", True)
    assert not Identity.objects.exists()
    assert "Bạn đã gửi không ghi tên" in response.content.decode()


def test_feedback_without_any_contact_is_anonymous_too(phone, tree, rules):
    response = send(phone, kind=Kind.FEEDBACK, consent=None, **dict.fromkeys(PERSON, ""))
    assert shown_code(response)
    case = Case.objects.get()
    assert (case.kind, case.channel, case.anonymous) == ("feedback", "portal", True)


def test_a_denunciation_keeps_its_files_encrypted(phone, tree, rules, settings):
    letter = PDF + "Người tố cáo: Nguyễn Thị Bích Hạnh".encode()
    response = send(phone, kind=Kind.DENUNCIATION, files=[pdf("don-to-cao.pdf", letter)])
    assert shown_code(response)
    case = Case.objects.get()
    assert case.identity_protected
    [attachment] = case.attachments.all()
    assert attachment.protected
    [on_disk] = media_files(settings)
    assert "Bích Hạnh".encode() not in on_disk.read_bytes()


def test_a_double_tap_records_the_submission_once(phone, tree, rules):
    page = phone.get(send_url()).content.decode()
    data = fill(token=token_of(page))
    first = phone.post(send_url(), data)
    second = phone.post(send_url(), data)
    assert shown_code(first)
    assert Case.objects.count() == 1
    html = second.content.decode()
    assert "Biểu mẫu này đã được gửi" in html and Case.objects.get().reference in html
    assert not CODE_SHAPE.search(html)


# ---------------------------------------------------------------- bad input


def test_missing_fields_are_named_in_vietnamese_and_nothing_is_saved(phone, tree, rules):
    response = send(phone, kind=None, subject="", content="  ", people_count="0", **dict.fromkeys(PERSON, ""))
    html = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Hãy chọn loại đơn thư bạn gửi.",
        "Hãy ghi trích yếu (tiêu đề).",
        "Hãy viết nội dung đơn thư.",
        "Số người phải từ 1 trở lên.",
    ):
        assert message in html
    assert not Case.objects.exists()


def test_an_anonymous_complaint_is_refused(phone, tree, rules):
    response = send(phone, anonymous="on", consent=None, **dict.fromkeys(PERSON, ""))
    assert "Chỉ phản ánh và góp ý mới được gửi không ghi tên" in response.content.decode()
    assert not Case.objects.exists()


def test_a_complaint_needs_a_name_and_an_address(phone, tree, rules):
    response = send(phone, name="", address="")
    html = response.content.decode()
    assert "Hãy ghi họ và tên của bạn." in html and "Hãy ghi địa chỉ của bạn." in html
    assert not Case.objects.exists()


def test_personal_data_is_not_taken_without_consent(phone, tree, rules):
    response = send(phone, kind=Kind.FEEDBACK, consent=None, name="", address="", id_number="", email="")
    assert "đánh dấu vào ô đồng ý cho phép xử lý dữ liệu cá nhân" in response.content.decode()
    assert not Case.objects.exists()


def test_a_contact_in_the_wrong_shape_is_refused(phone, tree, rules):
    html = send(phone, phone="gọi tôi", email="khong-phai-email").content.decode()
    assert "Hãy nhập số điện thoại từ 8 đến 15 chữ số" in html
    assert "Hãy nhập địa chỉ thư điện tử hợp lệ" in html
    assert not Case.objects.exists()


def test_an_executable_renamed_pdf_is_refused_and_no_case_is_created(phone, tree, rules, settings):
    files = [pdf("bang-chung.pdf"), SimpleUploadedFile("don.pdf", EXE), SimpleUploadedFile("bb.docx", DOCX)]
    response = send(phone, files=files)
    html = response.content.decode()
    assert (
        "Nội dung tệp “don.pdf” không thuộc loại được chấp nhận (.pdf, .jpg, .jpeg, .png, .docx, .xlsx, .mp3, .m4a)."
        in html
    )
    assert "hãy chọn lại tệp" in html  # files are never kept on a form with errors
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert media_files(settings) == []


def test_a_pdf_renamed_exe_is_refused(phone, tree, rules):
    html = send(phone, files=[SimpleUploadedFile("tai-lieu.exe", PDF)]).content.decode()
    assert "Tệp “tai-lieu.exe” là tài liệu PDF nhưng tên tệp không có đuôi “.pdf”" in html
    assert not Case.objects.exists()


def test_too_many_files_are_refused(phone, tree, rules):
    html = send(phone, files=[pdf(f"{n}.pdf") for n in range(6)]).content.decode()
    assert "Chỉ gửi tối đa 5 tệp." in html
    assert not Case.objects.exists()


def test_a_file_over_the_limit_is_refused(phone, tree, rules, settings):
    settings.VOICE_MAX_ATTACHMENT_MB = 0.05
    html = send(phone, files=[pdf("lon.pdf", PDF + b"0" * 60_000)]).content.decode()
    assert "Tệp “lon.pdf” lớn hơn 0,05 MB" in html
    assert not Case.objects.exists()


def test_a_disk_failure_on_the_second_file_leaves_no_case_and_no_file(tree, rules, settings, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    real_save, calls = FileSystemStorage._save, []

    def failing_save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    data = {
        "kind": Kind.COMPLAINT_FIRST,
        "subject": "Khiếu nại",
        "content": "Nội dung",
        "people_count": 1,
        "consent": True,
    }
    with pytest.raises(OSError, match="disk full"):
        services.portal_submit(
            by=SYSTEM, unit=tree.stp, data=data, person=PERSON, files=[pdf("a.pdf"), pdf("b.pdf")]
        )
    assert len(calls) == 2
    assert not Case.objects.exists() and not Identity.objects.exists() and not Attachment.objects.exists()
    assert media_files(settings) == []


class Endless:
    """A request body that would go on for 200 MB, counting what anyone reads of it."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        return b"0" * size

    def readline(self, size=-1):
        return self.read(size)


def test_a_200_mb_upload_is_refused_before_its_body_is_read(phone, tree, rules):
    body = Endless()
    response = phone.generic(
        "POST",
        send_url(),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Dung lượng gửi quá lớn" in html and "không được quá 25 MB" in html
    assert body.read_bytes == 0
    assert not Case.objects.exists()


def test_text_fields_bigger_than_django_accepts_get_the_same_clear_page(phone, tree, rules, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = send(phone, content="Nội dung rất dài. " * 1000)
    assert response.status_code == 413 and "Dung lượng gửi quá lớn" in response.content.decode()
    assert not Case.objects.exists()


def test_a_broken_multipart_body_gets_a_vietnamese_page(phone, tree):
    response = phone.generic(
        "POST", send_url(), b"--xyz\r\nbroken", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400 and "Không đọc được biểu mẫu" in response.content.decode()


def test_a_script_in_the_text_is_stored_as_typed_and_never_runs(phone, tree, rules):
    script = "<script>alert('xss')</script>"
    response = send(phone, subject=f"Khiếu nại {script}", content=f"Nội dung {script}")
    code = shown_code(response)
    assert script not in response.content.decode()
    case = Case.objects.get()
    assert case.subject == f"Khiếu nại {script}" and case.content == f"Nội dung {script}"
    status = phone.post(reverse("portal:track"), {"code": code}).content.decode()
    assert "Khiếu nại &lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in status
    assert "<script>alert" not in status


def test_a_script_sent_through_the_portal_cannot_run_on_the_staff_pages(tree, rules, personas, login):
    script = "<script>alert('xss')</script>"
    assert shown_code(
        send(client_at("198.51.100.60"), subject=f"Tiêu đề {script}", content=f"Nội dung {script}")
    )
    case = Case.objects.get()
    staff = login(personas["case_handler"])
    for url in (reverse("voice:case_list"), reverse("voice:case_detail", args=[case.pk])):
        html = staff.get(url).content.decode()
        assert "Tiêu đề &lt;script&gt;" in html and "<script>alert" not in html


def test_the_form_cannot_be_sent_without_the_token_it_was_served_with(phone, tree, rules):
    phone.get(send_url())
    for token in ("", "forged-token", limits.form_token()[:-3] + "abc"):
        response = phone.post(send_url(), fill(token=token))
        html = response.content.decode()
        assert "Biểu mẫu đã hết hạn" in html and token_of(html) != token
    assert not Case.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(tree, rules):
    strict = Client(enforce_csrf_checks=True, **PHONE)
    response = strict.post(send_url(), fill(token=limits.form_token()))
    assert response.status_code == 403 and not Case.objects.exists()


# ---------------------------------------------------------------- abuse protection


def test_five_submissions_from_one_address_in_ten_minutes_then_429(tree, rules, settings):
    settings.VOICE_PORTAL_DAILY_PER_CONTACT = 100
    client = client_at("198.51.100.20")
    for _ in range(5):
        assert shown_code(send(client, kind=Kind.FEEDBACK))
    refused = send(client, kind=Kind.FEEDBACK)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "Có quá nhiều đơn thư được gửi từ kết nối của bạn." in html and "Vui lòng thử lại sau" in html
    assert Case.objects.count() == 5
    assert shown_code(
        send(client_at("198.51.100.21"), kind=Kind.FEEDBACK)
    )  # another connection is not held up


def test_the_daily_limit_per_address_holds_too(tree, rules, settings):
    settings.VOICE_PORTAL_SUBMIT_RATES = ["100/10m", "2/d"]
    client = client_at("198.51.100.30")
    assert shown_code(
        send(client, kind=Kind.SUGGESTION, anonymous="on", consent=None, **dict.fromkeys(PERSON, ""))
    )
    assert shown_code(
        send(client, kind=Kind.SUGGESTION, anonymous="on", consent=None, **dict.fromkeys(PERSON, ""))
    )
    assert send(client, kind=Kind.SUGGESTION).status_code == 429


def test_mistakes_do_not_count_as_submissions_but_floods_of_posts_are_cut_before_reading(
    tree, rules, settings
):
    settings.VOICE_PORTAL_ATTEMPT_RATE = "4/10m"
    client = client_at("198.51.100.40")
    for _ in range(3):
        assert send(client, subject="").status_code == 200
    assert shown_code(send(client))  # the fourth post, the first good one
    assert send(client).status_code == 429
    assert Case.objects.count() == 1


def test_one_email_or_phone_sends_at_most_three_a_day_whatever_the_connection(tree, rules):
    for n in range(3):
        assert shown_code(send(client_at(f"203.0.113.{n + 1}"), subject=f"Lần {n + 1}"))
    refused = send(client_at("203.0.113.9"), phone="", subject="Lần 4")  # same e-mail, new connection
    assert refused.status_code == 429
    assert abs(int(refused["Retry-After"]) - limits.seconds_to_midnight()) <= 2
    assert "đã gửi 3 đơn thư trong hôm nay" in refused.content.decode()
    # The same phone number written another way is the same phone number.
    refused = send(client_at("203.0.113.10"), email="khac@example.vn", phone="+84 913 246 810")
    assert refused.status_code == 429
    assert Case.objects.count() == 3
    assert shown_code(send(client_at("203.0.113.11"), email="khac@example.vn", phone="0988 000 111"))


def test_the_contact_quota_is_counted_under_keyed_hashes_only():
    keys = limits._contact_keys({"email": "Bich.Hanh@Example.vn", "phone": "0913 246 810"})
    assert len(keys) == 2
    joined = " ".join(keys).lower()
    # The whole number, not a fragment: a random hex digest contains "246" in about one run in sixty.
    assert "bich" not in joined and "example" not in joined and "913246810" not in joined
    assert keys == limits._contact_keys({"email": "bich.hanh@example.vn", "phone": "+84913246810"})


def test_a_bot_that_fills_the_honeypot_gets_a_neutral_page_and_nothing_is_saved(phone, tree, rules):
    response = send(phone, website="http://spam.example")
    html = response.content.decode()
    assert response.status_code == 200 and "Cảm ơn bạn" in html
    assert not CODE_SHAPE.search(html)
    assert not Case.objects.exists()


def test_a_form_sent_back_faster_than_a_person_can_fill_it_is_a_bots(phone, tree, rules, settings):
    settings.VOICE_PORTAL_MIN_SECONDS = 3
    phone.get(send_url())
    fast = phone.post(send_url(), fill(token=limits.form_token()))
    assert "Cảm ơn bạn" in fast.content.decode() and not Case.objects.exists()
    import time

    human = phone.post(send_url(), fill(token=limits.form_token(issued_at=time.time() - 60)))
    assert shown_code(human) and Case.objects.count() == 1


# ---------------------------------------------------------------- what is stored


def test_the_identity_is_stored_encrypted_and_nowhere_in_plain_text(tree, rules):
    response = send(client_at("203.0.113.77"), kind=Kind.DENUNCIATION, files=[pdf()])
    assert shown_code(response)
    row = Identity.objects.get()
    raw = bytes(row.ciphertext)
    secrets_ = [PERSON["name"], PERSON["email"], "0913 246 810", "075190001234", "Võ Thị Sáu", "203.0.113.77"]
    for value in secrets_:
        assert value.encode() not in raw
    # Every column of every table, as the database holds it.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            for record in cursor.fetchall():
                for value in record:
                    if isinstance(value, bytes | memoryview):
                        text = bytes(value).decode("utf-8", "replace")
                    else:
                        text = str(value)
                    for secret in secrets_:
                        assert secret not in text, f"{secret!r} found in {table}"
    # The events: the receipt (its channel) and the consent (its time and notice), nothing about the sender.
    assert [sorted(e.details) for e in CaseEvent.objects.order_by("id")] == [
        ["channel", "day", "kind"],
        ["consent"],
    ]
