"""The small pieces of the kit every module uses: dates, service errors on forms, tree paths."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from danvan.core import dates, paths
from danvan.core.forms import DateField, TextField, attach_service_errors


def test_day_text_is_dd_mm_yyyy_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            assert dates.day_text(datetime.date(2026, 3, 5)) == "05/03/2026"
    assert dates.day_text(None) == ""


def test_moment_text_is_local_time_then_day():
    moment = datetime.datetime(2026, 12, 6, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Hà Nội
    assert dates.moment_text(moment) == "08:30 06/12/2026"


@pytest.mark.parametrize("typed", ["05/03/2026", "05-03-2026", "2026-03-05", " 05/03/2026 "])
def test_parse_day_accepts_what_the_forms_accept(typed):
    assert dates.parse_day(typed) == datetime.date(2026, 3, 5)


@pytest.mark.parametrize("typed", ["", None, "31/02/2026", "03/05", "hôm nay", "2026/03/05"])
def test_parse_day_refuses_anything_else(typed):
    assert dates.parse_day(typed) is None


class _Form(forms.Form):
    service_fields = {"identity": "name", "channel": None}
    name = forms.CharField(required=False)
    day = DateField(label="Ngày", required=False)


def test_service_errors_go_beside_the_field_they_name():
    form = _Form(data={})
    assert form.is_valid()
    error = ValidationError({"identity": ["Ai gửi?"], "day": ["Sai ngày."], "unknown": ["Khác."]})
    attach_service_errors(form, error, {"unknown": "day"})
    assert form.errors["name"] == ["Ai gửi?"]  # the form's own alias
    assert form.errors["day"] == ["Sai ngày.", "Khác."]  # the call's alias


def test_service_errors_without_a_field_go_above_the_form():
    form = _Form(data={})
    form.is_valid()
    attach_service_errors(form, ValidationError({"channel": ["Kênh?"], "nowhere": ["Lỗi chung."]}))
    attach_service_errors(form, ValidationError("Toàn bộ."))
    assert form.non_field_errors() == ["Kênh?", "Lỗi chung.", "Toàn bộ."]


def test_date_field_reads_dd_mm_yyyy_and_explains_in_vietnamese():
    with translation.override("vi"):
        form = _Form(data={"day": "31/12/2026"})
        assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 12, 31)
        form = _Form(data={"day": "12/31/2026"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/03/2026."]


def test_a_date_given_as_iso_in_the_address_is_shown_back_as_dd_mm_yyyy():
    # A report figure links to its records with ?from=2025-07-01: the filter box shows 01/07/2025.
    class Filter(forms.Form):
        start = DateField(required=False)

    html = str(Filter({"start": "2025-07-01"})["start"])
    assert 'value="01/07/2025"' in html
    assert Filter({"start": "2025-07-01"}).is_valid()
    assert 'value="2025-13-01"' in str(Filter({"start": "2025-13-01"})["start"])  # not a date: as typed


def test_paths_bound_a_subtree_and_list_its_ids():
    root = paths.path_segment(7)
    child = root + paths.path_segment(1234)
    assert child == "0000000007" + "0000001234"
    assert root <= child < paths.path_upper_bound(root)
    assert not (paths.path_upper_bound(root) <= child)
    assert paths.path_upper_bound("0000000009") == "0000000010"
    assert paths.path_ids(child) == [7, 1234]


class _TextForm(forms.Form):
    title = TextField(max_length=20)
    body = TextField(rows=4, required=False)


def test_the_text_field_strips_and_refuses_control_characters_in_vietnamese():
    with translation.override("vi"):
        form = _TextForm(data={"title": "  Đối thoại  ", "body": "Dòng 1\r\nDòng 2"})
        assert form.is_valid() and form.cleaned_data["title"] == "Đối thoại"
        form = _TextForm(data={"title": "Tiêu\x1bđề"})
        assert form.errors["title"] == ["Nội dung chứa ký tự không được phép."]
    assert 'rows="4"' in str(_TextForm()["body"])


def test_the_api_text_field_is_optional_and_checked():
    from rest_framework import serializers

    from danvan.core.api import TextField as ApiText

    class Body(serializers.Serializer):
        note = ApiText(max_length=10)

    body = Body(data={})
    assert body.is_valid() and body.validated_data["note"] == ""
    body = Body(data={"note": "a\x07b"})
    assert not body.is_valid() and body.errors["note"][0].code == "character"


@pytest.mark.django_db
def test_a_model_serializer_checks_the_text_fields_it_builds():
    from danvan.accounts.models import User
    from danvan.core.api import TextModelSerializer

    class Person(TextModelSerializer):
        class Meta:
            model = User
            fields = ["username", "full_name"]

    body = Person(data={"username": "an", "full_name": "Nguyễn\x07 An"})
    assert not body.is_valid() and [error.code for error in body.errors["full_name"]] == ["character"]
    assert "username" not in body.errors
    body = Person(data={"username": "an", "full_name": "  Nguyễn An "})
    assert body.is_valid() and body.validated_data["full_name"] == "Nguyễn An"
