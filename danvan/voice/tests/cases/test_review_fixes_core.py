"""Fixes after review: a denouncer never betrayed by a "same submitter" flag (D1), attachments
protected when a case becomes a denunciation and files at staff intake (D2), no kind change through a
pause (D6), no handler on a finished case (D7), linking needs CASE_HANDLE on both cases (D8), clocks of
a reclassified case counted from its last receipt and cancelled on the day of the act (D10a), and the
limit of two extensions of an especially complex denunciation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role, RoleAssignment
from danvan.voice.cases import attachments, selectors
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Attachment, Case, CaseEvent, CaseFlag, CaseLink, Kind, State
from danvan.voice.identity import crypto
from danvan.voice.identity.models import Identity

from .lists_support import LETTER, OTHER_PERSON, PERSON, receive

SYSTEM = System("tests")

D = datetime.date
Flag = CaseFlag.Kind
Basis = CaseFlag.Basis
FLAGS_URL = reverse("voice:flags")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program"
SAME_SUBMITTER = "Cùng người gửi"  # the Vietnamese of Basis.SUBMITTER's label
BLIND = ("unit_head", "admin", "mobilisation_officer")  # see both cases, not a protected identity


def text(response) -> str:
    return response.content.decode()


def pdf(name="don.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def section(html: str, marker: str) -> str:
    """The part of a page from `marker` to the end of its <section>."""
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</section>", 1)[0]


# ---------------------------------------------------------------- D1: same-submitter flags


@pytest.fixture
def denouncer(tree, rules):
    """One person files a complaint, then a denunciation, at STP: the denunciation names the complaint."""
    complaint = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    denunciation = receive(
        tree.stp,
        kind=Kind.DENUNCIATION,
        subject="Tố cáo cán bộ nhận tiền",
        content="Tôi tố cáo cán bộ địa chính nhận tiền.",
        day=D(2026, 3, 5),
    )
    flag = CaseFlag.objects.get(case=denunciation, other_case=complaint)
    assert flag.basis == Basis.SUBMITTER and denunciation.identity_protected
    assert not complaint.identity_protected
    return complaint, denunciation, flag


def test_a_same_submitter_flag_on_a_denunciation_is_hidden_from_all_but_its_handlers(denouncer, personas):
    complaint, denunciation, flag = denouncer
    for persona in BLIND:
        user = personas[persona]
        assert not selectors.visible_flags(user).filter(pk=flag.pk).exists(), persona
        assert selectors.flags_of(user, denunciation) == [], persona
        assert selectors.flags_of(user, complaint) == [], persona
    handler = personas["case_handler"]
    assert selectors.visible_flags(handler).filter(pk=flag.pk).exists()
    assert [f.pk for f in selectors.flags_of(handler, denunciation)] == [flag.pk]
    assert [f.pk for f in selectors.flags_of(handler, complaint)] == [flag.pk]


def test_no_page_lets_a_reader_of_both_cases_tie_the_denunciation_to_the_complaint(
    denouncer, personas, login
):
    complaint, denunciation, flag = denouncer
    for persona in BLIND:
        client = login(personas[persona])
        listing = text(client.get(FLAGS_URL))
        assert f'data-flag="{flag.pk}"' not in listing, persona
        assert 'data-kind="duplicate">Có thể trùng đơn: 0' in listing, persona
        assert SAME_SUBMITTER not in listing, persona
        for case, other in ((denunciation, complaint), (complaint, denunciation)):
            page = text(client.get(reverse("voice:case_detail", args=[case.pk])))
            assert 'id="flags"' not in page, persona
            assert other.reference not in page, persona
        # The flag cannot be acted on either: it does not exist for them.
        assert client.post(reverse("voice:flag_dismiss", args=[flag.pk])).status_code == 404, persona
    # The case handler of STP may see both identities: the flag and its basis are shown.
    handler = login(personas["case_handler"])
    listing = text(handler.get(FLAGS_URL))
    assert f'data-flag="{flag.pk}"' in listing and SAME_SUBMITTER in listing
    page = text(handler.get(reverse("voice:case_detail", args=[denunciation.pk])))
    assert complaint.reference in section(page, 'id="flags"') and SAME_SUBMITTER in page
    flag.refresh_from_db()
    assert flag.dismissed_at is None


def test_the_rule_holds_both_ways_and_for_submitter_and_content_but_not_for_content_alone(
    tree, rules, personas
):
    head, handler = personas["unit_head"], personas["case_handler"]
    # A denunciation first, then a complaint by the same person with the same letter (basis "both").
    denunciation = receive(tree.stp, kind=Kind.DENUNCIATION, content=LETTER, day=D(2026, 3, 2))
    complaint = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, content=LETTER, day=D(2026, 3, 4))
    both = CaseFlag.objects.get(case=complaint, other_case=denunciation)
    assert both.basis == Basis.BOTH
    assert not selectors.visible_flags(head).filter(pk=both.pk).exists()
    assert selectors.visible_flags(handler).filter(pk=both.pk).exists()
    # Another person copies the letter: found by content alone, which names nobody.
    copy = receive(
        tree.stp, kind=Kind.COMPLAINT_FIRST, content=LETTER, identity=OTHER_PERSON, day=D(2026, 3, 6)
    )
    by_content = CaseFlag.objects.get(case=copy, other_case=denunciation)
    assert by_content.basis == Basis.CONTENT
    assert selectors.visible_flags(head).filter(pk=by_content.pk).exists()


def test_a_flag_is_hidden_as_soon_as_one_of_its_cases_becomes_a_denunciation(tree, rules, personas):
    first = receive(tree.stp, kind=Kind.PETITION, content="Kiến nghị thứ nhất.", day=D(2026, 3, 2))
    second = receive(tree.stp, kind=Kind.PETITION, content="Kiến nghị thứ hai.", day=D(2026, 3, 3))
    flag = CaseFlag.objects.get(case=second, other_case=first)
    head = personas["unit_head"]
    assert selectors.visible_flags(head).filter(pk=flag.pk).exists()
    cases.case_classify(
        by=SYSTEM, case=first, spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Nội dung là tố cáo")
    )
    assert not selectors.visible_flags(head).filter(pk=flag.pk).exists()
    assert selectors.visible_flags(personas["case_handler"]).filter(pk=flag.pk).exists()


def test_the_pair_follows_who_may_see_each_identity_not_who_handles_above(tree, rules, personas):
    """A denunciation at STP-CB1 and a complaint at STP by the same person."""

    complaint = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    denunciation = receive(tree.stp_cb1, kind=Kind.DENUNCIATION, content="Tố cáo khác.", day=D(2026, 3, 5))
    flag = CaseFlag.objects.get(case=denunciation, other_case=complaint)
    # The handler of STP sees both case files, but not the identity of CB1's denunciation.
    assert not selectors.visible_flags(personas["case_handler"]).filter(pk=flag.pk).exists()
    # CB1's handler who is also unit head at STP may see both identities anyway: the flag tells nothing new.
    mixed = make_user("mixed_cb1", unit=tree.stp_cb1, role=Role.CASE_HANDLER)
    RoleAssignment.objects.create(user=mixed, unit=tree.stp, role=Role.UNIT_HEAD)
    assert selectors.visible_flags(mixed).filter(pk=flag.pk).exists()
    # Operators (superusers) see every case file, never a protected identity.
    root = make_user("operator", is_superuser=True)
    assert not selectors.visible_flags(root).filter(pk=flag.pk).exists()


# ---------------------------------------------------------------- D2: attachments of a denunciation


def test_reclassifying_into_a_denunciation_encrypts_the_files_already_there(
    tree, rules, personas, login, settings, django_capture_on_commit_callbacks
):
    case = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    scan = attachments.store(case, pdf("thu-tay.pdf"))
    photo = attachments.store(case, SimpleUploadedFile("cmnd.png", PNG, content_type="image/png"))
    plain = {scan.file.name, photo.file.name}
    assert not scan.protected and (settings.MEDIA_ROOT / scan.file.name).read_bytes() == PDF
    head = login(personas["unit_head"])
    assert head.get(reverse("voice:attachment", args=[scan.token])).status_code == 200
    with pytest.raises(ValidationError):  # refused (no reason): nothing changes
        cases.case_classify(by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION))
    scan.refresh_from_db()
    assert not scan.protected and scan.file.name in plain
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_classify(
            by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Là đơn tố cáo")
        )
    for attachment, content in ((scan, PDF), (photo, PNG)):
        attachment.refresh_from_db()
        assert attachment.protected, attachment.name
        assert attachment.file.name not in plain
        stored = (settings.MEDIA_ROOT / attachment.file.name).read_bytes()
        assert content not in stored and crypto.decrypt_bytes(stored) == content
        assert attachments.read(attachment) == content  # the SHA-256 of the original still holds
        assert attachment.size == len(content)
    # The plaintext copies are gone from the disk.
    assert {str(p.relative_to(settings.MEDIA_ROOT)) for p in media_files(settings)} & plain == set()
    assert all(PDF not in p.read_bytes() and PNG not in p.read_bytes() for p in media_files(settings))
    # The unit head sees the case file but no longer the scan.
    assert head.get(reverse("voice:attachment", args=[scan.token])).status_code == 403
    handler = login(personas["case_handler"])
    assert handler.get(reverse("voice:attachment", args=[scan.token])).content == PDF


def test_a_disk_failure_while_encrypting_leaves_the_case_and_its_files_as_they_were(
    tree, rules, settings, monkeypatch
):
    case = receive(tree.stp, kind=Kind.PETITION, day=D(2026, 3, 2))
    first = attachments.store(case, pdf("a.pdf"))
    second = attachments.store(case, pdf("b.pdf"))
    before = sorted(p.name for p in media_files(settings))
    real_save, calls = FileSystemStorage._save, []

    def failing_save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        cases.case_classify(
            by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Là đơn tố cáo")
        )
    case.refresh_from_db()
    assert case.kind == Kind.PETITION and not case.identity_protected
    for attachment in (first, second):
        attachment.refresh_from_db()
        assert not attachment.protected and attachments.read(attachment) == PDF
    assert sorted(p.name for p in media_files(settings)) == before  # the first encrypted copy was removed


INTAKE_URL = reverse("voice:case_new")


def intake(tree, **more):
    data = {
        "unit": str(tree.stp.pk),
        "kind": Kind.COMPLAINT_FIRST,
        "channel": "desk",
        "subject": "Khiếu nại quyết định thu hồi đất",
        "content": "Ông An khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.",
        "received_on": "02/03/2026",
        "people_count": "1",
        "name": PERSON["name"],
        "address": PERSON["address"],
        "phone": PERSON["phone"],
    }
    data.update(more)
    return data


def test_staff_intake_keeps_the_files_received_with_the_letter(tree, rules, personas, login, settings):
    client = login(personas["case_handler"])
    form = text(client.get(INTAKE_URL))
    assert 'enctype="multipart/form-data"' in form and 'name="attachments"' in form
    assert 'name="attachments_protected"' in form
    response = client.post(INTAKE_URL, intake(tree, attachments=[pdf("don.pdf"), pdf("bien-ban.pdf")]))
    assert response.status_code == 302, text(response)
    case = Case.objects.get()
    files = list(case.attachments.order_by("name"))
    assert [a.name for a in files] == ["bien-ban.pdf", "don.pdf"]
    assert not any(a.protected for a in files) and all(attachments.read(a) == PDF for a in files)
    # Identity papers ticked as protected: encrypted, shown only to those who may see the identity.
    client.post(
        INTAKE_URL,
        intake(tree, subject="Khiếu nại lần hai", attachments=[pdf("cccd.pdf")], attachments_protected="on"),
    )
    papers = Attachment.objects.get(name="cccd.pdf")
    assert papers.protected and PDF not in (settings.MEDIA_ROOT / papers.file.name).read_bytes()
    assert attachments.read(papers) == PDF


def test_every_file_of_a_denunciation_received_at_the_desk_is_protected(
    tree, rules, personas, login, settings
):
    client = login(personas["case_handler"])
    response = client.post(INTAKE_URL, intake(tree, kind=Kind.DENUNCIATION, attachments=[pdf("to-cao.pdf")]))
    assert response.status_code == 302, text(response)
    scan = Attachment.objects.get()
    assert scan.case.identity_protected and scan.protected
    assert PDF not in (settings.MEDIA_ROOT / scan.file.name).read_bytes()
    head = login(personas["unit_head"])
    assert head.get(reverse("voice:attachment", args=[scan.token])).status_code == 403


def test_a_bad_file_at_intake_is_refused_in_vietnamese_and_nothing_is_saved(
    tree, rules, personas, login, settings
):
    client = login(personas["case_handler"])
    bad = SimpleUploadedFile("don.pdf", EXE, content_type="application/pdf")
    response = client.post(INTAKE_URL, intake(tree, attachments=[pdf("tot.pdf"), bad]))
    assert response.status_code == 200
    assert (
        "Nội dung tệp “don.pdf” không thuộc loại được chấp nhận (.pdf, .jpg, .jpeg, .png, .docx, .xlsx, .mp3, .m4a)."
        in text(response)
    )
    assert "chọn lại" in text(response)  # the browser does not keep chosen files
    # A case refused by the service (no subject) leaves no file either.
    refused = client.post(INTAKE_URL, intake(tree, subject=" ", attachments=[pdf("tot.pdf")]))
    assert refused.status_code == 200 and "Hãy ghi trích yếu (tiêu đề)." in text(refused)
    assert not Case.objects.exists() and not Attachment.objects.exists() and not Identity.objects.exists()
    assert media_files(settings) == []


def test_a_disk_failure_on_the_second_file_at_intake_leaves_no_case_and_no_file(
    tree, rules, personas, settings, monkeypatch
):
    real_save, calls = FileSystemStorage._save, []

    def failing_save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.COMPLAINT_FIRST,
        channel="desk",
        subject="Khiếu nại",
        content="Nội dung khiếu nại.",
        received_on=D(2026, 3, 2),
        identity=PERSON,
    )
    with pytest.raises(OSError, match="disk full"):
        cases.case_receive_with_files(
            spec=spec, files=[pdf("a.pdf"), pdf("b.pdf")], by=personas["case_handler"]
        )
    assert len(calls) == 2
    assert not Case.objects.exists() and not Attachment.objects.exists() and not Identity.objects.exists()
    assert media_files(settings) == []


# ---------------------------------------------------------------- D6: no kind change through a pause


def test_an_accepted_case_cannot_change_kind_while_paused(tree, rules):
    case = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 3))
    cases.case_pause(by=SYSTEM, case=case, day=D(2026, 3, 4), reason="Chờ bổ sung tài liệu")
    with pytest.raises(ValidationError) as refused:
        cases.case_classify(
            by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.PETITION, reason="Đổi loại")
        )
    assert "không thể đổi loại nữa" in refused.value.message_dict["kind"][0]
    case.refresh_from_db()
    assert case.kind == Kind.COMPLAINT_FIRST and case.state == State.PAUSED
    assert not case.events.filter(action=CaseEvent.Action.RECLASSIFY).exists()
    # Complexity may still change while paused; a case paused before acceptance may change kind.
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST, is_complex=True)
    )
    early = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    cases.case_pause(by=SYSTEM, case=early, day=D(2026, 3, 4), reason="Chờ")
    cases.case_classify(
        by=SYSTEM, case=early, spec=cases.Classification(kind=Kind.PETITION, reason="Là kiến nghị")
    )
    assert Case.objects.get(pk=early.pk).kind == Kind.PETITION


# ---------------------------------------------------------------- D7: no handler on a finished case


def _finished(tree, how: str) -> Case:
    case = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    if how == State.REJECTED:
        cases.case_reject(by=SYSTEM, case=case, day=D(2026, 3, 3), reason="Quá thời hiệu")
    elif how == State.WITHDRAWN:
        cases.case_withdraw(by=SYSTEM, case=case, day=D(2026, 3, 3), reason="Rút đơn")
    else:
        cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 3))
        cases.case_resolve(
            by=SYSTEM, case=case, decision_number="1/QĐ", decision_date=D(2026, 3, 20), summary="Xong"
        )
        if how == State.CLOSED:
            cases.case_close(by=SYSTEM, case=case, day=D(2026, 3, 21))
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("how", [State.CLOSED, State.RESOLVED, State.REJECTED, State.WITHDRAWN])
def test_a_finished_case_gets_no_handler(how, tree, rules, personas, api):
    case = _finished(tree, how)
    handler = personas["case_handler"]
    events = case.events.count()
    with pytest.raises(ValidationError) as refused:
        cases.case_assign(case=case, handler=handler, by=handler)
    assert "Vụ việc đã kết thúc: không thể phân công người xử lý." in refused.value.messages
    response = api(handler).post(f"/api/v1/cases/{case.pk}/assign/", {"handler": handler.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Vụ việc đã kết thúc: không thể phân công người xử lý."]}
    case.refresh_from_db()
    assert case.handler is None and case.events.count() == events


# ---------------------------------------------------------------- D8: linking through the API


def test_linking_through_the_api_needs_case_handle_on_both_cases(tree, rules, personas, api):
    mine = receive(tree.stp_cb1, day=D(2026, 3, 2))
    theirs = receive(tree.stp, day=D(2026, 3, 3))
    elsewhere = receive(tree.syt, day=D(2026, 3, 3))

    user = make_user("handler_cb1_head_stp", unit=tree.stp_cb1, role=Role.CASE_HANDLER)
    RoleAssignment.objects.create(user=user, unit=tree.stp, role=Role.UNIT_HEAD)  # sees STP, handles CB1
    client = api(user)
    refused = client.post(
        f"/api/v1/cases/{mine.pk}/link/", {"other": theirs.pk, "kind": "duplicate"}, format="json"
    )
    assert refused.status_code == 403
    hidden = client.post(
        f"/api/v1/cases/{mine.pk}/link/", {"other": elsewhere.pk, "kind": "duplicate"}, format="json"
    )
    assert hidden.status_code == 400 and hidden.json() == {
        "other": [f"Không có vụ việc nào có mã số {elsewhere.pk}."]
    }
    assert not CaseLink.objects.exists()
    assert not CaseEvent.objects.filter(action=CaseEvent.Action.LINK).exists()
    # The handler of STP handles both: linked, with history on both cases.
    ok = api(personas["case_handler"]).post(
        f"/api/v1/cases/{mine.pk}/link/", {"other": theirs.pk, "kind": "duplicate"}, format="json"
    )
    assert ok.status_code == 200
    assert CaseEvent.objects.filter(action=CaseEvent.Action.LINK, case=theirs).exists()


# ---------------------------------------------------------------- D10a: clocks of a reclassified case


def test_a_reclassification_after_a_transfer_counts_from_the_transfer_and_stops_on_its_day(tree, rules):
    case = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    cases.case_transfer(
        by=SYSTEM, case=case, to_unit=tree.syt, day=D(2026, 3, 5), reason="Không thuộc thẩm quyền"
    )
    at_syt = set(case.clocks.filter(stopped_on__isnull=True).values_list("pk", flat=True))
    assert at_syt
    for day, message in (
        (D(2026, 3, 4), "Ngày không được trước ngày tiếp nhận vụ việc (05/03/2026)."),
        (
            timezone.localdate() + datetime.timedelta(days=1),
            "Ngày không được sau ngày hôm nay (ở tương lai).",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            cases.case_classify(
                by=SYSTEM,
                case=case,
                spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Là tố cáo", day=day),
            )
        assert refused.value.message_dict["day"] == [message]
    assert set(case.clocks.filter(stopped_on__isnull=True).values_list("pk", flat=True)) == at_syt
    cases.case_classify(
        by=SYSTEM,
        case=case,
        spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Là tố cáo", day=D(2026, 3, 9)),
    )
    for clock in case.clocks.filter(pk__in=at_syt):
        assert clock.cancelled and clock.stopped_on == D(2026, 3, 9)
    accept = case.clocks.get(stopped_on__isnull=True, step="accept")
    assert accept.started_on == D(2026, 3, 5) and accept.unit == tree.syt
    assert accept.rule.procedure == Kind.DENUNCIATION


def test_a_reclassification_without_a_day_stops_the_old_clocks_today(tree, rules):
    case = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    old = set(case.clocks.values_list("pk", flat=True))
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.DENUNCIATION, reason="Là tố cáo")
    )
    assert {c.stopped_on for c in case.clocks.filter(pk__in=old)} == {timezone.localdate()}
    assert case.clocks.get(stopped_on__isnull=True, step="accept").started_on == D(2026, 3, 2)


# ---------------------------------------------------------------- extensions


def test_an_especially_complex_denunciation_is_not_extended_a_third_time(tree, rules):
    case = receive(tree.stp, kind=Kind.DENUNCIATION, day=D(2026, 3, 2))
    cases.case_classify(
        by=SYSTEM,
        case=case,
        spec=cases.Classification(kind=Kind.DENUNCIATION, is_complex=True, is_especially_complex=True),
    )
    cases.case_accept(by=SYSTEM, case=case, day=D(2026, 3, 3))
    cases.case_extend(
        by=SYSTEM, case=case, decision_number="01/QĐ-GH", decision_date=D(2026, 3, 20), reason="Phức tạp"
    )
    cases.case_extend(
        by=SYSTEM, case=case, decision_number="02/QĐ-GH", decision_date=D(2026, 3, 25), reason="Còn xác minh"
    )
    clock = case.clocks.get(step="resolve", stopped_on__isnull=True)
    with pytest.raises(ValidationError) as refused:
        cases.case_extend(
            by=SYSTEM, case=case, decision_number="03/QĐ-GH", decision_date=D(2026, 3, 30), reason="Thêm nữa"
        )
    assert "Vụ việc này chỉ được gia hạn tối đa 2 lần" in refused.value.message_dict["decision_number"][0]
    assert case.extensions.count() == 2
    assert case.clocks.get(pk=clock.pk).extensions == 2


def test_the_classify_form_takes_the_day_of_the_reclassification(tree, rules, personas, login):
    case = receive(tree.stp, kind=Kind.COMPLAINT_FIRST, day=D(2026, 3, 2))
    old = set(case.clocks.values_list("pk", flat=True))
    client = login(personas["case_handler"])
    url = reverse("voice:case_action", args=[case.pk, "classify"])
    fields = {
        "classify-kind": Kind.DENUNCIATION,
        "classify-people_count": "1",
        "classify-reason": "Là tố cáo",
    }
    refused = client.post(url, {**fields, "classify-day": "01/03/2026"})
    assert refused.status_code == 200
    assert "Ngày không được trước ngày tiếp nhận vụ việc (02/03/2026)." in text(refused)
    assert Case.objects.get(pk=case.pk).kind == Kind.COMPLAINT_FIRST
    assert client.post(url, {**fields, "classify-day": "06/03/2026"}).status_code == 302
    assert {c.stopped_on for c in case.clocks.filter(pk__in=old)} == {D(2026, 3, 6)}


def test_a_link_between_a_denunciation_and_a_complaint_is_shown_only_to_who_may_see_both_senders(
    tree, rules, personas, login, api
):
    complaint = receive(tree.stp, content="Khiếu nại việc chậm cấp giấy tờ.", identity=PERSON)
    denunciation = receive(
        tree.stp, kind=Kind.DENUNCIATION, content="Tố cáo cán bộ nhận tiền.", identity=OTHER_PERSON
    )
    cases.case_link(by=SYSTEM, case=denunciation, other=complaint, kind=CaseLink.Kind.DUPLICATE)
    for persona in (*BLIND, "case_handler"):
        user = personas[persona]
        sees = persona == "case_handler"
        for case, other in ((complaint, denunciation), (denunciation, complaint)):
            page = text(login(user).get(reverse("voice:case_detail", args=[case.pk])))
            assert ('id="links"' in page and other.reference in page) is sees, (persona, case.kind)
            body = api(user).get(f"/api/v1/cases/{case.pk}/").json()
            assert [link["other"] for link in body["links"]] == ([other.pk] if sees else []), persona
