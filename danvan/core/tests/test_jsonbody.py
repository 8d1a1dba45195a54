"""A JSON body too large, nested too deeply or not JSON is refused in Vietnamese before it is parsed:
by `core.jsonbody` and by the API's parser, never with a RecursionError (HTTP 500)."""

import json

import pytest

from danvan.core import jsonbody

DEEP = "[" * 100_000 + "]" * 100_000  # json.loads would raise RecursionError
TOO_DEEP = "Nội dung yêu cầu lồng nhau quá sâu: tối đa 32 cấp ngoặc."


def nested(levels: int) -> str:
    return '{"a": ' * (levels - 1) + "[1]" + "}" * (levels - 1)


def refusal(raw) -> str:
    with pytest.raises(jsonbody.BodyRefused) as refused:
        jsonbody.loads(raw)
    return refused.value.message


def test_32_levels_are_read_and_33_refused_however_the_brackets_are_spread():
    assert json.dumps(jsonbody.loads(nested(32))).count("{") == 31
    assert refusal(nested(33)) == TOO_DEEP
    assert refusal(DEEP.encode()) == TOO_DEEP
    assert refusal("[" * 1_000_000) == TOO_DEEP  # unclosed: the parser would recurse all the same
    assert refusal('{"a": [' * 50_000) == TOO_DEEP


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"note": "[[[[{{{{" * 100, "quote": '"\\[' * 100, "list": [[1, 2], {"b": "]"}]})
    assert jsonbody.loads(text)["list"] == [[1, 2], {"b": "]"}]


def test_a_body_over_the_size_limit_or_not_json_is_refused(settings):
    assert refusal("{not json") == "Không đọc được nội dung yêu cầu: hãy gửi dữ liệu JSON hợp lệ."
    assert refusal(b"\xff\xfe\x00") == "Không đọc được nội dung yêu cầu: hãy gửi dữ liệu JSON hợp lệ."
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert refusal(json.dumps({"x": "a" * 1000})).startswith("Nội dung yêu cầu quá lớn: tối đa ")
    settings.JSON_MAX_DEPTH = 2
    assert refusal("[[[1]]]") == "Nội dung yêu cầu lồng nhau quá sâu: tối đa 2 cấp ngoặc."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/cases/"),
        ("post", "/api/v1/units/"),
        ("post", "/api/v1/data-values/"),
        ("post", "/api/v1/report-forms/"),
    ],
)
def test_every_api_write_refuses_a_deep_body_with_a_vietnamese_400(method, url, personas, api):
    response = getattr(api(personas["admin"]), method)(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}


@pytest.mark.django_db
def test_an_api_body_over_the_size_limit_is_refused_with_a_vietnamese_400(personas, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"code": "X", "name": "a" * 2000})
    response = api(personas["admin"]).post("/api/v1/units/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Nội dung yêu cầu quá lớn: tối đa ")
