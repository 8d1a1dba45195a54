"""Recording commendations: the workflow and bad input (Vietnamese messages, nothing saved)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.core import uploads
from danvan.emulation.commendations import services
from danvan.emulation.commendations.models import Commendation

from .helpers import DAY, SYSTEM, spec

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    assert not Commendation.objects.exists()
    return caught.value.message_dict


def test_a_collective_of_the_tree_an_individual_and_a_named_collective_are_recorded(tree, personas):
    officer = personas["mobilisation_officer"]
    unit = services.commendation_record(
        spec=spec(tree.stp, issuer_unit=tree.root, issuer_name=""), by=officer
    )
    person = services.commendation_record(
        spec=spec(
            tree.stp_cb1,
            kind="individual",
            recipient_name=" Nguyễn Thị Lan ",
            position="Bí thư chi bộ",
            form="fighter",
            title="Chiến sĩ thi đua cơ sở",
        ),
        by=officer,
    )
    named = services.commendation_record(
        spec=spec(tree.stp, recipient_name="Tổ dân vận khu phố 3", form="merit", issuer_name="UBND tỉnh"),
        by=officer,
    )
    assert unit.recipient == tree.stp.name and unit.issuer == tree.root.name and unit.created_by == officer
    assert person.recipient == "Nguyễn Thị Lan" and person.position == "Bí thư chi bộ"
    assert named.recipient == "Tổ dân vận khu phố 3" and named.issuer == "UBND tỉnh"
    assert AuditEvent.objects.filter(model="commendations.commendation", action="create").count() == 3


def test_a_decision_date_in_the_future_is_refused(tree, personas):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = _refused(
        lambda: services.commendation_record(spec=spec(tree.stp, decision_date=tomorrow), by=SYSTEM)
    )
    assert errors["decision_date"] == ["Ngày quyết định không được ở tương lai."]


def test_an_individual_without_a_name_is_refused(tree):
    errors = _refused(
        lambda: services.commendation_record(
            spec=spec(tree.stp, kind="individual", recipient_name="  "), by=SYSTEM
        )
    )
    assert errors["recipient_name"] == ["Hãy ghi họ và tên người được khen thưởng."]


def test_a_collective_without_a_unit_or_name_is_refused(tree):
    errors = _refused(lambda: services.commendation_record(spec=spec(None), by=SYSTEM))
    assert errors["unit"] == ["Hãy chọn đơn vị của tập thể (hoặc đơn vị mà tập thể được nêu tên trực thuộc)."]


def test_the_form_must_suit_the_recipient_and_the_issuer_and_year_must_be_given(tree):
    errors = _refused(
        lambda: services.commendation_record(
            spec=spec(
                tree.stp,
                kind="individual",
                recipient_name="Lê Văn A",
                form="flag",
                issuer_name="",
                year=2026,
                decision_date=datetime.date(2025, 12, 1),
                decision_number="",
                reason="",
            ),
            by=SYSTEM,
        )
    )
    assert set(errors) == {"form", "issuer_name", "year", "decision_number", "reason"}
    assert "tập thể" in errors["form"][0]
    errors = _refused(lambda: services.commendation_record(spec=spec(tree.stp, form="fighter"), by=SYSTEM))
    assert "cá nhân" in errors["form"][0]


def test_a_correction_moves_the_record_and_replaces_the_file_and_a_delete_removes_both(
    tree, personas, django_capture_on_commit_callbacks
):
    officer = personas["mobilisation_officer"]
    checked = uploads.Checked(name="qd.pdf", content_type="application/pdf", content=PDF)
    item = services.commendation_record(spec=spec(tree.stp), upload=checked, by=officer)
    assert item.decision_file and item.decision_file_name == "qd.pdf"
    path = item.decision_file.name
    with django_capture_on_commit_callbacks(execute=True):
        item = services.commendation_update(
            commendation=item,
            spec=spec(tree.stp_cb2, reason="Sửa lý do", decision_date=DAY),
            remove_file=True,
            by=officer,
        )
    item.refresh_from_db()
    assert item.unit == tree.stp_cb2 and item.reason == "Sửa lý do" and not item.decision_file
    assert not Commendation(decision_file=path).decision_file.storage.exists(path)
    services.commendation_delete(commendation=item, by=officer)
    assert not Commendation.objects.exists()
