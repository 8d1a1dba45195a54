"""Who sent a case: the identity page, its access log, the handler's correction, protected attachments."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.voice.cases import attachments
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Attachment, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity, IdentityAccess

SYSTEM = System("tests")

DAY = datetime.date(2026, 3, 2)
PERSON = {
    "name": "Lê Thị Bảo Mật",
    "address": "45 Trần Hưng Đạo, phường Quyết Thắng",
    "phone": "0987 654 321",
    "email": "bao.mat@example.vn",
    "id_number": "075190004321",
}
SECRETS = ("Lê Thị Bảo Mật", "Bảo Mật", "0987 654 321", "0987654321", "075190004321", "bao.mat@example.vn")
SCAN = b"%PDF-1.4 handwritten letter of the denouncer"


@pytest.fixture
def receive(tree, rules):
    """receive(kind=…, unit=…, identity=…) -> a case received through the service."""

    def _receive(kind=Kind.DENUNCIATION, unit=None, person=PERSON, **more):
        spec = cases.NewCase(
            unit=unit or tree.stp,
            kind=kind,
            channel="post",
            subject="Tố cáo hành vi nhận hối lộ",
            content="Nội dung tố cáo chi tiết.",
            received_on=DAY,
            identity=person,
            **more,
        )
        return cases.case_receive(by=SYSTEM, spec=spec)[0]

    return _receive


@pytest.fixture
def denunciation(receive):
    return receive()


def add_attachment(case, content: bytes, *, protected: bool, name="thu-viet-tay.pdf") -> Attachment:
    """A file kept with `case` by attachments.store (protected ones encrypted with the identity key)."""
    return attachments.store(case, SimpleUploadedFile(name, content), protected=protected)


@pytest.fixture
def others(tree, personas):
    """Everyone but the case handlers of STP, with the status the identity page of an STP denunciation
    answers them: 403 to those who may see the case file, 404 to those who may not even see the case."""
    sees_case = {Role.BLOC_ADMIN, Role.MOBILISATION_OFFICER, Role.UNIT_HEAD}
    people = {
        f"{role}@STP": (personas[role], 403 if role in sees_case else 404)
        for role in Role.values
        if role != Role.CASE_HANDLER
    }
    people["bloc_admin@DUK"] = (personas["admin"], 403)
    people["superuser"] = (make_user("root_operator", is_superuser=True, is_staff=True), 403)
    people["case_handler@DUK"] = (make_user("handler_duk", unit=tree.root, role=Role.CASE_HANDLER), 403)
    people["case_handler@STP-CB1"] = (
        make_user("handler_cb1", unit=tree.stp_cb1, role=Role.CASE_HANDLER),
        404,
    )
    people["case_handler@SYT"] = (make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER), 404)
    people["mobilisation_officer@SYT"] = (personas["outsider"], 404)
    people["no role"] = (personas["nobody"], 404)
    return people


def page(case) -> str:
    return reverse("voice:case_identity", args=[case.pk])


# ---------------------------------------------------------------- the page


def test_the_case_handler_of_the_unit_sees_the_identity_and_each_view_is_logged(
    denunciation, personas, login
):
    handler = personas[Role.CASE_HANDLER]
    client = login(handler)
    response = client.get(page(denunciation), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    html = response.content.decode()
    for value in PERSON.values():
        assert value in html
    assert "no-store" in response["Cache-Control"]
    access = IdentityAccess.objects.get(case=denunciation)
    assert (access.user, access.what, access.ip_address) == (handler, "identity", "10.1.2.3")
    client.get(page(denunciation))
    assert IdentityAccess.objects.filter(case=denunciation, user=handler, what="identity").count() == 2


def test_the_page_shows_the_handlers_who_saw_the_identity_and_when(denunciation, personas, login, tree):
    colleague = make_user("handler_two", unit=tree.stp, role=Role.CASE_HANDLER, full_name="Phạm Văn Hai")
    login(colleague).get(page(denunciation))
    response = login(personas[Role.CASE_HANDLER]).get(page(denunciation))
    log = response.context["log"]
    assert [(entry.user, entry.what) for entry in log] == [
        (personas[Role.CASE_HANDLER], "identity"),
        (colleague, "identity"),
    ]
    assert "Phạm Văn Hai" in response.content.decode()
    assert "Đã xem danh tính" in response.content.decode()


def test_every_other_role_is_refused_and_nothing_is_shown_or_logged(denunciation, others, login):
    for label, (user, status) in others.items():
        response = login(user).get(page(denunciation))
        assert response.status_code == status, label
        html = response.content.decode()
        assert not any(value in html for value in SECRETS), label
    assert not IdentityAccess.objects.exists()


def test_a_handler_above_or_below_the_unit_is_no_handler_of_the_case(denunciation, tree):
    from danvan.accounts import policy

    above = make_user("h_above", unit=tree.root, role=Role.CASE_HANDLER)
    below = make_user("h_below", unit=tree.stp_cb1, role=Role.CASE_HANDLER)
    assert not policy.can_see_identity(above, denunciation)
    assert not policy.can_see_identity(below, denunciation)


def test_after_a_transfer_only_the_new_units_handlers_see_the_denouncer(denunciation, personas, login, tree):
    syt_handler = make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER)
    cases.case_transfer(
        by=SYSTEM, case=denunciation, to_unit=tree.syt, day=DAY, reason="Không thuộc thẩm quyền"
    )
    assert login(syt_handler).get(page(denunciation)).status_code == 200
    assert login(personas[Role.CASE_HANDLER]).get(page(denunciation)).status_code == 404


def test_an_unprotected_identity_goes_with_the_case_file(receive, personas, login):
    complaint = receive(kind=Kind.COMPLAINT_FIRST)
    response = login(personas[Role.UNIT_HEAD]).get(page(complaint))
    assert response.status_code == 200 and PERSON["name"] in response.content.decode()
    assert response.context["form"] is None  # seeing is not handling
    assert IdentityAccess.objects.filter(case=complaint, user=personas[Role.UNIT_HEAD]).count() == 1
    assert login(personas[Role.VIEWER]).get(page(complaint)).status_code == 404


def test_an_anonymous_submission_has_no_sender_and_nothing_to_correct(receive, personas, login):
    feedback = receive(kind=Kind.FEEDBACK, person=None, anonymous=True)
    response = login(personas[Role.CASE_HANDLER]).get(page(feedback))
    assert response.status_code == 200
    assert response.context["person"] is None and response.context["form"] is None
    assert "gửi nặc danh" in response.content.decode()


# ---------------------------------------------------------------- correcting it


def test_the_handler_corrects_the_identity_re_encrypted_with_new_fingerprints(denunciation, personas, login):
    before = Identity.objects.get(case=denunciation)
    corrected = {**PERSON, "phone": "0912 000 111", "id_number": "075 190 004 321"}
    response = login(personas[Role.CASE_HANDLER]).post(page(denunciation), corrected)
    assert response.status_code == 302
    after = Identity.objects.get(case=denunciation)
    assert crypto.decrypt(after.ciphertext) == {**corrected, "id_number": "075190004321"}
    assert b"0912 000 111" not in bytes(after.ciphertext)
    assert after.fingerprints == crypto.fingerprints(corrected) != before.fingerprints
    assert IdentityAccess.objects.filter(case=denunciation, what="edit").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Nhập họ và tên người gửi."),
        ({"address": "  "}, "address", "Nhập địa chỉ người gửi."),
        ({"phone": "gọi 0912"}, "phone", "Số điện thoại không hợp lệ"),
        ({"email": "bao.mat@"}, "email", "Địa chỉ thư điện tử không hợp lệ."),
        ({"id_number": "12-34"}, "id_number", "Số giấy tờ tùy thân không hợp lệ"),
        ({"name": "A" * 301}, "name", "tối đa 300"),
        ({"address": "12 Lê Lợi\x07"}, "address", "ký tự không được phép"),
    ],
)
def test_a_bad_correction_gets_a_vietnamese_message_and_changes_nothing(
    denunciation, personas, login, change, field, message
):
    before = bytes(Identity.objects.get(case=denunciation).ciphertext)
    response = login(personas[Role.CASE_HANDLER]).post(page(denunciation), {**PERSON, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert bytes(Identity.objects.get(case=denunciation).ciphertext) == before
    assert not IdentityAccess.objects.filter(what="edit").exists()


def test_an_anonymous_case_cannot_be_given_a_sender(receive, personas):
    from django.core.exceptions import ValidationError

    feedback = receive(kind=Kind.FEEDBACK, person=None, anonymous=True)
    with pytest.raises(ValidationError) as error:
        cases.identity_correct(case=feedback, data=PERSON, by=personas[Role.CASE_HANDLER])
    assert "nặc danh" in " ".join(error.value.messages)
    assert not Identity.objects.filter(case=feedback).exists()


def test_only_a_handler_of_the_unit_may_correct(denunciation, receive, others, personas, login):
    for label, (user, status) in others.items():
        assert login(user).post(page(denunciation), PERSON).status_code == status, label
    complaint = receive(kind=Kind.COMPLAINT_FIRST)
    # The unit head sees an unprotected identity but does not handle cases.
    assert login(personas[Role.UNIT_HEAD]).post(page(complaint), PERSON).status_code == 403
    assert not IdentityAccess.objects.filter(what="edit").exists()


# ---------------------------------------------------------------- attachments


def download(case_attachment) -> str:
    return reverse("voice:attachment", args=[case_attachment.token])


def test_a_protected_attachment_is_stored_encrypted_and_served_to_the_handler_only(
    denunciation, others, personas, login
):
    scan = add_attachment(denunciation, SCAN, protected=True)
    assert SCAN not in scan.file.open("rb").read()
    response = login(personas[Role.CASE_HANDLER]).get(download(scan))
    assert response.status_code == 200 and response.content == SCAN
    assert response["Content-Disposition"] == 'attachment; filename="thu-viet-tay.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert IdentityAccess.objects.filter(case=denunciation, what="attachment").count() == 1
    for label, (user, status) in others.items():
        response = login(user).get(download(scan))
        assert response.status_code == status, label
        assert SCAN not in response.content, label
    assert IdentityAccess.objects.filter(what="attachment").count() == 1


def test_an_unprotected_attachment_goes_to_whoever_sees_the_case(denunciation, personas, login):
    evidence = add_attachment(denunciation, b"%PDF-1.4 evidence", protected=False, name="chứng cứ.pdf")
    for role in (Role.CASE_HANDLER, Role.UNIT_HEAD, Role.MOBILISATION_OFFICER):
        response = login(personas[role]).get(download(evidence))
        assert response.status_code == 200 and response.content == b"%PDF-1.4 evidence"
    assert "filename*=utf-8''ch%E1%BB%A9ng%20c%E1%BB%A9.pdf" in response["Content-Disposition"]
    assert login(personas["outsider"]).get(download(evidence)).status_code == 404
    assert login(personas[Role.VIEWER]).get(download(evidence)).status_code == 404
    assert login(personas[Role.CASE_HANDLER]).get("/voice/attachments/no-such-token/").status_code == 404
    assert not IdentityAccess.objects.exists()


def test_a_dangerous_content_type_is_served_as_opaque_bytes(denunciation, personas, login):
    # A PDF with HTML inside is refused at upload now (core.uploads); a record that still says text/html
    # (an older row, a changed database) must not be served as a page.
    page_ = add_attachment(denunciation, b"%PDF-1.4 evidence", protected=False)
    Attachment.objects.filter(pk=page_.pk).update(content_type="text/html")
    response = login(personas[Role.CASE_HANDLER]).get(download(page_))
    assert response["Content-Type"] == "application/octet-stream"


def test_the_identity_page_links_the_protected_attachments(denunciation, personas, login):
    scan = add_attachment(denunciation, SCAN, protected=True)
    add_attachment(denunciation, b"%PDF-1.4 evidence", protected=False, name="chung-cu.pdf")
    html = login(personas[Role.CASE_HANDLER]).get(page(denunciation)).content.decode()
    assert download(scan) in html and "chung-cu.pdf" not in html
