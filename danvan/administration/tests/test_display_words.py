"""The audit browser says what was done in words: the apps' own actions as sentences, every audited
record type by its name, fields without a name of their own by the record they point at."""

import pytest
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.administration.audit_display import action_label, field_label, record_type, sentence
from danvan.audit.models import AuditEvent
from danvan.audit.services import _registry, record
from danvan.core.tests.test_visible_words import visible_text

pytestmark = pytest.mark.django_db


def test_every_audited_record_type_has_a_name_in_words():
    labels = {model._meta.label_lower for model in _registry} | {"reports.report", "reports.datavalue"}
    unnamed = sorted(label for label in labels if record_type(label) == label)
    assert not unnamed, (
        f"audited models without a name: declare one with audit.descriptions.describe: {unnamed}"
    )


def test_an_approval_reads_as_a_sentence_naming_the_unit_and_the_period(login, personas, tree):
    from django.apps import apps

    from danvan.reports import catalogue, services
    from danvan.reports.models import FormField, ReportForm, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    form = ReportForm.objects.get(code="BC-DV-6T")
    period = services.period_get(code="2026S1", by=System("tests"))
    report = services.report_open(form=form, unit=tree.stp, period=period, by=personas["admin"])
    fields = FormField.objects.filter(section__form=form, element__source="").select_related("element")
    services.values_save(report=report, values={f.element.code: 1 for f in fields}, by=personas["admin"])
    services.report_submit(report=report, by=personas["reporter"])
    services.report_approve(report=report, by=personas["admin"])

    event = AuditEvent.objects.get(action="report.approve")
    assert action_label(event) == "Duyệt báo cáo"
    assert sentence(event) == "Duyệt báo cáo Đảng ủy Sở Tư pháp – 6 tháng đầu năm 2026"
    page = visible_text(login(personas["admin"]).get(reverse("audit:list")).content.decode())
    assert "Duyệt báo cáo" in page and "Nộp báo cáo" in page and "(Báo cáo)" in page
    assert "report.approve" not in page and "reports.report" not in page and "2026S1" not in page
    detail = login(personas["admin"]).get(reverse("audit:detail", kwargs={"pk": event.pk})).content.decode()
    assert "<h1>Duyệt báo cáo Đảng ủy Sở Tư pháp – 6 tháng đầu năm 2026</h1>" in detail
    assert "Đã nộp" in detail and "Đã duyệt" in detail  # the states by their labels


def test_a_reminder_e_mail_is_named_by_its_kind():
    event = record(action="report.reminder", model="accounts.user", object_repr="baocao.stp")
    assert action_label(event).startswith("Gửi thư nhắc việc: ")


def test_a_field_without_a_name_is_named_by_the_record_it_points_at():
    assert field_label("voice.identity", "case_id") == "Vụ việc"
    assert field_label("voice.identity", "updated_at") == "Cập nhật lúc"
