"""The page kit (`core.pages`): a form saved through a service, an action, a filtered list's page, a year
typed in the address, an import's refusals."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from danvan.core.pages import acted, errors_shown, filtered_page, saved, year_in


class _Name(forms.Form):
    name = forms.CharField()


def _post(data: dict | None = None):
    request = RequestFactory().post("/", data or {})
    request._messages = CookieStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in request._messages]


def test_saved_puts_a_refusal_on_the_form_and_answers_the_next_page_otherwise():
    request = _post({"name": "Lan"})

    def refuse(data):
        raise ValidationError({"name": ["Tên đã có."]})

    form = _Name(request.POST)
    assert saved(request, form, refuse, done="Đã lưu.", then=HttpResponse("next")) is None
    assert form.errors["name"] == ["Tên đã có."] and _said(request) == []
    answer = saved(
        request, _Name(request.POST), lambda data: data["name"].upper(), done="Đã lưu.", then=HttpResponse
    )
    assert answer is not None and answer.content == b"LAN"
    assert _said(request) == [("success", "Đã lưu.")]


def test_saved_draws_the_form_on_a_get_or_a_wrong_form_without_calling_the_service():
    def never(data):
        raise AssertionError("the service is not called")

    get = RequestFactory().get("/")
    assert saved(get, _Name(), never, done="", then=HttpResponse()) is None
    assert saved(_post({"name": ""}), _Name({"name": ""}), never, done="", then=HttpResponse()) is None


def test_acted_says_each_refusal_as_an_error_and_success_once():
    request = _post()

    def refuse():
        raise ValidationError(["Không được.", "Đã đóng."])

    assert acted(request, refuse, done="Xong.") is False
    assert acted(request, lambda: None, done="Xong.") is True
    assert _said(request) == [("error", "Không được."), ("error", "Đã đóng."), ("success", "Xong.")]


class _Filter(forms.Form):
    year = forms.IntegerField(required=False)


@pytest.mark.django_db
def test_a_wrong_filter_lists_nothing_and_a_page_knows_its_offset(personas):
    users = get_user_model().objects.order_by("pk")
    assert users.count() > 4
    wrong = RequestFactory().get("/", {"year": "abc"})
    found = filtered_page(wrong, users, form=_Filter(wrong.GET), query="year=abc", size=2)
    assert not found.rows.exists() and found.offset == 0 and found.query == "?year=abc"
    second = RequestFactory().get("/", {"page": "2"})
    found = filtered_page(second, users, form=_Filter(second.GET), query="", size=2)
    assert found.rows.count() == users.count() and found.page.number == 2
    assert found.offset == 2 and found.query == ""
    assert [user.pk for user in found.page.object_list] == [user.pk for user in users[2:4]]


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("2024", 2024),
        (" 2000 ", 2000),
        ("1999", None),
        ("2027", None),
        ("", None),
        (None, None),
        ("hai", None),
        ("²⁰²⁴", None),  # str.isdigit() says yes, int() says no: was a 500
        ("２０２４", None),  # full-width digits: not what anyone typed in an address
        ("9" * 5000, None),  # past int()'s digit limit: was a 500
    ],
)
def test_a_year_in_the_address_is_read_within_bounds(typed, year):
    assert year_in(typed, last=2026) == year


def test_an_import_lists_its_first_errors_and_counts_the_rest():
    errors = [f"Dòng {line}: sai." for line in range(2, 62)]
    shown = errors_shown(errors)
    assert shown["errors"] == errors[:50] and shown["error_count"] == 60 and shown["more_errors"] == 10
    assert errors_shown(["Sai."], shown=2) == {"errors": ["Sai."], "error_count": 1, "more_errors": 0}
