"""The deadline administration pages: bloc administrators only, Vietnamese messages, nothing half-saved."""

import datetime

import pytest
from django.urls import reverse

from danvan.audit.models import AuditEvent
from danvan.voice.deadlines.models import CalendarDay, DeadlineRule

pytestmark = pytest.mark.django_db
D = datetime.date

PAGES = [
    ("voice:rules", {}),
    ("voice:rule_add", {}),
    ("voice:rule_edit", {"pk": "rule"}),
    ("voice:rule_close", {"pk": "rule"}),
    ("voice:calendar", {}),
    ("voice:check", {}),
]
OTHERS = [
    "bloc_admin",
    "mobilisation_officer",
    "unit_head",
    "reporter",
    "case_handler",
    "viewer",
    "outsider",
    "nobody",
]


def url(name, kwargs, rules):
    return reverse(name, kwargs={key: rules["KN1-RESOLVE"].pk for key in kwargs})


RULE_POST = {
    "code": "pet-resolve",
    "procedure": "petition",
    "step": "resolve",
    "counted_from": "received",
    "days": "15",
    "day_unit": "working",
    "extensions_allowed": "0",
    "effective_from": "01/01/2027",
    "citation": "Quy định thử nghiệm, Điều 1",
}


@pytest.mark.parametrize("who", OTHERS)
def test_every_other_persona_gets_403_on_every_action(who, personas, login, rules):
    """`bloc_admin` here holds the role at STP, not at the root: the rules belong to the installation.
    The pages (GET) are in the permission matrix (voice/tests/matrix.py: 403 to every role at STP)."""
    client = login(personas[who])
    entry = CalendarDay.objects.create(date=D(2026, 3, 16), kind="day_off", reason="Thử nghiệm")
    assert client.post(reverse("voice:rule_add"), RULE_POST).status_code == 403
    assert (
        client.post(
            reverse("voice:calendar"), {"date": "14/03/2026", "kind": "working_day", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.post(reverse("voice:calendar_remove", args=[entry.pk])).status_code == 403
    assert (
        client.post(url("voice:rule_close", {"pk": 1}, rules), {"effective_to": "30/06/2026"}).status_code
        == 403
    )
    assert not DeadlineRule.objects.filter(procedure="petition").exists()
    assert CalendarDay.objects.count() == 1
    assert DeadlineRule.objects.get(code="KN1-RESOLVE").effective_to is None


def test_anonymous_visitors_are_sent_to_sign_in(client, rules):
    response = client.get(reverse("voice:rules"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_bloc_administrator_sees_every_page(personas, login, rules):
    client = login(personas["admin"])
    for name, kwargs in PAGES:
        assert client.get(url(name, kwargs, rules)).status_code == 200, name
    page = client.get(reverse("voice:rules")).content.decode()
    assert "Luật Khiếu nại 2011, Điều 28" in page and "Quy định thời hạn" in page


def test_the_bloc_administrator_adds_changes_and_closes_a_rule_with_an_audit_trail(personas, login, rules):
    client = login(personas["admin"])
    response = client.post(reverse("voice:rule_add"), RULE_POST)
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(code="PET-RESOLVE")
    assert (rule.days, rule.day_unit, rule.effective_from) == (15, "working", D(2027, 1, 1))
    response = client.post(
        reverse("voice:rule_edit", args=[rule.pk]), {**RULE_POST, "code": "PET-RESOLVE", "days": "20"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.days == 20
    response = client.post(reverse("voice:rule_close", args=[rule.pk]), {"effective_to": "31/12/2027"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.effective_to == D(2027, 12, 31)
    events = AuditEvent.objects.filter(model="voice.deadlinerule", object_id=str(rule.pk))
    assert {event.action for event in events} == {"create", "update"}
    assert all(event.actor_label == "admin_duk" for event in events)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"procedure": "complaint_first", "effective_from": "01/07/2026"}, "Quy định KN1-RESOLVE đã áp dụng"),
        ({"days": "0"}, "Số ngày phải từ 1 đến 3650."),
        ({"effective_from": "31/02/2027"}, "Hãy nhập ngày theo dạng dd/mm/yyyy"),
        ({"citation": ""}, "Trường này là bắt buộc"),
        ({"effective_to": "31/12/2026"}, "không được kết thúc trước khi có hiệu lực"),
    ],
)
def test_a_bad_rule_re_renders_with_a_vietnamese_message_and_saves_nothing(
    personas, login, rules, changes, message
):
    client = login(personas["admin"])
    count = DeadlineRule.objects.count()
    response = client.post(reverse("voice:rule_add"), {**RULE_POST, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert DeadlineRule.objects.count() == count


def test_closing_a_rule_before_it_takes_effect_is_refused_and_nothing_changes(personas, login, rules):
    client = login(personas["admin"])
    rule = rules["TC-RESOLVE"]
    response = client.post(reverse("voice:rule_close", args=[rule.pk]), {"effective_to": "31/12/2018"})
    assert response.status_code == 200
    assert "không được kết thúc trước khi có hiệu lực" in response.content.decode()
    rule.refresh_from_db()
    assert rule.effective_to is None


def test_the_calendar_page_shows_the_years_days_off_and_the_administrators_entries(
    personas, login, day_entry
):
    day_entry(D(2026, 3, 14), "working_day", "Làm bù thử nghiệm")
    page = login(personas["admin"]).get(reverse("voice:calendar"), {"year": "2026"}).content.decode()
    assert 'data-day="2026-02-17" data-working="0"' in page  # Mùng 1 Tết
    assert 'data-day="2026-04-27" data-working="0"' in page  # Giỗ Tổ, in lieu of Sunday 26/04
    assert 'data-day="2026-03-14" data-working="1"' in page and "Làm bù thử nghiệm" in page
    assert 'data-day="2026-03-07"' not in page  # a plain Saturday is not listed


def test_the_bloc_administrator_adds_and_removes_a_calendar_day(personas, login):
    client = login(personas["admin"])
    response = client.post(
        reverse("voice:calendar"), {"date": "14/03/2026", "kind": "working_day", "reason": "Làm bù ngày 16/3"}
    )
    assert response.status_code == 302
    entry = CalendarDay.objects.get(date=D(2026, 3, 14))
    assert (entry.kind, entry.created_by) == ("working_day", personas["admin"])
    check = client.get(reverse("voice:check"), {"start": "13/03/2026", "days": "1", "unit": "working"})
    assert 'data-due="2026-03-14"' in check.content.decode()
    assert client.post(reverse("voice:calendar_remove", args=[entry.pk])).status_code == 302
    assert not CalendarDay.objects.exists()
    check = client.get(reverse("voice:check"), {"start": "13/03/2026", "days": "1", "unit": "working"})
    assert 'data-due="2026-03-16"' in check.content.decode()
    actions = set(AuditEvent.objects.filter(model="voice.calendarday").values_list("action", flat=True))
    assert actions == {"create", "delete"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "14/03/2026", "kind": "working_day", "reason": "  "}, "Trường này là bắt buộc"),
        ({"date": "14/03/2026", "kind": "holiday", "reason": "x"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"date": "16/03/2026", "kind": "day_off", "reason": "Trùng"}, "Đã có mục cho ngày 16/03/2026"),
        ({"date": "01/01/1990", "kind": "day_off", "reason": "x"}, "Năm phải từ 1995 đến 2100."),
    ],
)
def test_a_bad_calendar_entry_re_renders_with_a_vietnamese_message_and_saves_nothing(
    personas, login, day_entry, data, message
):
    day_entry(D(2026, 3, 16), "day_off")
    response = login(personas["admin"]).post(reverse("voice:calendar"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2026, 3, 16)]


def test_the_check_page_runs_the_same_computation_as_the_command(personas, login):
    client = login(personas["admin"])
    page = client.get(
        reverse("voice:check"), {"start": "10/02/2026", "days": "5", "unit": "working"}
    ).content.decode()
    assert 'data-due="2026-02-24"' in page
    page = client.get(
        reverse("voice:check"),
        {
            "start": "02/03/2026",
            "days": "10",
            "unit": "calendar",
            "pauses": "05/03/2026 – 06/03/2026\n2026-03-07:2026-03-08",
        },
    ).content.decode()
    assert 'data-due="2026-03-16"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "10/02/2026", "days": "0", "unit": "working"}, "Số ngày phải là số nguyên từ 1 đến 3650."),
        (
            {"start": "10/02/2026", "days": "5", "unit": "working", "pauses": "12/02/2026"},
            "không phải là một khoảng tạm dừng",
        ),
        (
            {"start": "10/02/2026", "days": "5", "unit": "working", "pauses": "13/02/2026 – 11/02/2026"},
            "kết thúc trước khi bắt đầu",
        ),
        ({"start": "31/02/2026", "days": "5", "unit": "working"}, "Hãy nhập ngày theo dạng dd/mm/yyyy"),
    ],
)
def test_the_check_page_explains_bad_input_in_vietnamese(personas, login, data, message):
    page = login(personas["admin"]).get(reverse("voice:check"), data).content.decode()
    assert message in page
    assert "data-due=" not in page


def test_only_the_installations_administrator_sees_the_deadlines_in_the_menu(personas, login):
    home = reverse("orgs:tree")
    assert "Thời hạn luật định" in login(personas["admin"]).get(home).content.decode()
    for who in ("bloc_admin", "mobilisation_officer", "viewer"):  # bloc_admin here is held at STP, not a root
        assert "Thời hạn luật định" not in login(personas[who]).get(home).content.decode(), who
