"""Deadline rules are data: the seeded law, the rule in force on the start day, complex and remote
cases, extensions, and the checks that keep rules from overlapping."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.voice.deadlines import selectors, services
from danvan.voice.deadlines.counting import deadline
from danvan.voice.deadlines.models import DeadlineRule

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db
D = datetime.date


def figures(rule):
    return (
        rule.procedure, rule.step, rule.counted_from, rule.day_unit, rule.days, rule.days_complex,
        rule.days_remote, rule.days_complex_remote, rule.extensions_allowed, rule.extension_days,
    )  # fmt: skip


SEEDED = {
    "KN1-ACCEPT": ("complaint_first", "accept", "received", "calendar", 10, None, None, None, 0, None),
    "KN1-RESOLVE": ("complaint_first", "resolve", "accepted", "calendar", 30, 45, 45, 60, 0, None),
    "KN2-ACCEPT": ("complaint_second", "accept", "received", "calendar", 10, None, None, None, 0, None),
    "KN2-RESOLVE": ("complaint_second", "resolve", "accepted", "calendar", 45, 60, 60, 70, 0, None),
    "TC-ACCEPT": ("denunciation", "accept", "received", "working", 7, 10, None, None, 0, None),
    "TC-TRANSFER": ("denunciation", "transfer", "received", "working", 5, None, None, None, 0, None),
    "TC-NOTIFY": ("denunciation", "notify", "accepted", "working", 5, None, None, None, 0, None),
    "TC-RESOLVE": ("denunciation", "resolve", "accepted", "calendar", 30, None, None, None, 2, 30),
}  # fmt: skip


def test_the_seeded_rules_hold_the_figures_of_the_laws(rules):
    assert {code: figures(rule) for code, rule in rules.items()} == SEEDED
    assert rules["KN1-RESOLVE"].citation == "Luật Khiếu nại 2011, Điều 28"
    assert rules["TC-NOTIFY"].citation == "Luật Tố cáo 2018, Điều 29 khoản 3"
    assert rules["KN2-ACCEPT"].citation == "Luật Khiếu nại 2011, Điều 36"
    assert {rule.effective_from for rule in rules.values()} == {D(2012, 7, 1), D(2019, 1, 1)}
    assert all(rule.effective_to is None for rule in rules.values())


def test_complex_and_remote_cases_get_their_own_periods(rules):
    start = D(2026, 3, 2)  # acceptance of a first complaint
    assert deadline("complaint_first", "resolve", start).due == D(2026, 4, 1)
    assert deadline("complaint_first", "resolve", start, complex=True).due == D(2026, 4, 16)
    assert deadline("complaint_first", "resolve", start, remote=True).due == D(2026, 4, 16)
    # 60 days end on 01/05 (Labour Day), then the weekend: Monday 04/05.
    clock = deadline("complaint_first", "resolve", start, complex=True, remote=True)
    assert (clock.due, clock.days, clock.citation) == (D(2026, 5, 4), 60, "Luật Khiếu nại 2011, Điều 28")
    assert deadline("complaint_second", "resolve", start, complex=True, remote=True).days == 70


def test_a_denunciation_is_notified_within_five_working_days_of_acceptance(rules):
    clock = deadline("denunciation", "notify", D(2026, 2, 13))
    assert (clock.due, clock.unit, clock.rule.code) == (D(2026, 2, 27), "working", "TC-NOTIFY")


def test_extensions_add_their_days_up_to_the_number_the_rule_allows(rules):
    start = D(2026, 3, 2)
    assert deadline("denunciation", "resolve", start).due == D(2026, 4, 1)
    assert deadline("denunciation", "resolve", start, extensions=1).due == D(2026, 5, 4)  # 01/05 is a holiday
    assert deadline("denunciation", "resolve", start, extensions=2).days == 90
    with pytest.raises(ValidationError, match="chỉ cho phép gia hạn tối đa 2 lần; yêu cầu 3 lần"):
        deadline("denunciation", "resolve", start, extensions=3)
    with pytest.raises(ValidationError, match="chỉ cho phép gia hạn tối đa 0 lần"):
        deadline("complaint_first", "resolve", start, extensions=1)


def test_a_procedure_without_a_rule_in_force_is_refused_in_vietnamese(rules):
    with pytest.raises(ValidationError, match="Không có quy định thời hạn"):
        deadline("petition", "resolve", D(2026, 3, 2))
    with pytest.raises(ValidationError, match="Không có quy định thời hạn"):
        deadline("denunciation", "resolve", D(2018, 12, 31))  # before Luật Tố cáo 2018


def test_a_rule_from_1_july_2026_governs_clocks_that_start_on_or_after_that_day_only(rules):
    services.rule_close(by=SYSTEM, rule=rules["TC-RESOLVE"], effective_to=D(2026, 6, 30))
    services.rule_save(
        rule=DeadlineRule(
            code="TC-RESOLVE-TEST-2026", procedure="denunciation", step="resolve", counted_from="accepted",
            days=20, day_unit="working", effective_from=D(2026, 7, 1), citation="Quy định thử nghiệm",
        ),
        by=SYSTEM,
    )  # fmt: skip
    assert selectors.rule_for("denunciation", "resolve", D(2026, 6, 30)).code == "TC-RESOLVE"
    assert selectors.rule_for("denunciation", "resolve", D(2026, 7, 1)).code == "TC-RESOLVE-TEST-2026"
    before = deadline("denunciation", "resolve", D(2026, 6, 30))
    after = deadline("denunciation", "resolve", D(2026, 7, 1))
    assert (before.days, before.unit, before.due) == (30, "calendar", D(2026, 7, 30))
    assert (after.days, after.unit, after.due, after.citation) == (
        20,
        "working",
        D(2026, 7, 29),
        "Quy định thử nghiệm",
    )


def test_an_overlapping_rule_is_refused_in_vietnamese_and_nothing_is_saved(rules):
    count = DeadlineRule.objects.count()
    clash = DeadlineRule(
        code="KN1-RESOLVE-NEW", procedure="complaint_first", step="resolve", counted_from="accepted",
        days=20, day_unit="calendar", effective_from=D(2026, 7, 1), citation="Quy định thử nghiệm",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.rule_save(by=SYSTEM, rule=clash)
    assert "Quy định KN1-RESOLVE đã áp dụng cho thủ tục và bước này từ 01/07/2012" in str(
        error.value.messages
    )
    assert DeadlineRule.objects.count() == count
    # The old rule closed on a day after the new one would start: they still overlap.
    services.rule_close(by=SYSTEM, rule=rules["KN1-RESOLVE"], effective_to=D(2026, 7, 15))
    with pytest.raises(ValidationError, match="đến 15/07/2026"):
        services.rule_save(by=SYSTEM, rule=clash)
    assert DeadlineRule.objects.count() == count


def test_closing_a_rule_sets_its_last_day_in_force_and_is_audited(rules):
    rule = rules["KN1-RESOLVE"]
    with pytest.raises(ValidationError, match="không được kết thúc trước khi có hiệu lực"):
        services.rule_close(by=SYSTEM, rule=rule, effective_to=D(2012, 6, 30))
    services.rule_close(by=SYSTEM, rule=rule, effective_to=D(2026, 6, 30))
    rule.refresh_from_db()
    assert rule.effective_to == D(2026, 6, 30)
    event = AuditEvent.objects.filter(model="voice.deadlinerule", object_id=str(rule.pk)).latest("id")
    assert event.changes["effective_to"] == [None, "2026-06-30"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"days": 0}, "days", "Số ngày phải từ 1 đến 3650."),
        ({"days": -5}, "days", "Số ngày phải từ 1 đến 3650."),
        ({"days_complex": 20}, "days_complex", "không được ít ngày hơn thời hạn thông thường"),
        ({"extensions_allowed": 1}, "extension_days", "Nhập số ngày của mỗi lần gia hạn."),
        ({"extension_days": 30}, "extension_days", "không cho phép gia hạn"),
        ({"effective_to": D(2026, 12, 31)}, "effective_to", "không được kết thúc trước khi có hiệu lực"),
        ({"citation": "  "}, "citation", "Nhập căn cứ pháp lý"),
        ({"code": "quy định mới"}, "code", "Chỉ dùng chữ in hoa"),
    ],
)
def test_a_bad_rule_is_refused_field_by_field_in_vietnamese(rules, changes, field, message):
    values = dict(
        code="PETITION-RESOLVE", procedure="petition", step="resolve", counted_from="received", days=30,
        day_unit="working", effective_from=D(2027, 1, 1), citation="Quy định thử nghiệm",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.rule_save(by=SYSTEM, rule=DeadlineRule(**{**values, **changes}))
    assert message in " ".join(error.value.message_dict[field])
    assert not DeadlineRule.objects.filter(procedure="petition").exists()


def test_a_second_complaint_gets_ten_days_to_be_accepted(tree, rules):
    from danvan.voice.cases import services as cases

    spec = cases.NewCase(
        unit=tree.stp,
        kind="complaint_second",
        channel="post",
        subject="Khiếu nại lần hai quyết định giải quyết khiếu nại",
        content="Không đồng ý với quyết định giải quyết khiếu nại lần đầu.",
        received_on=D(2026, 3, 2),
        identity={"name": "Nguyễn Văn An", "address": "12 Lê Lợi, Biên Hòa"},
    )
    case, _code = cases.case_receive(by=SYSTEM, spec=spec)
    clock = case.clocks.get(step="accept")
    assert (clock.due_on, clock.rule.code) == (D(2026, 3, 12), "KN2-ACCEPT")
