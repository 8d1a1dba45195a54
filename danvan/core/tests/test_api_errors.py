"""Errors of the API speak Vietnamese, whatever the endpoint."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/units/"])
def test_a_body_that_is_not_json_gets_a_vietnamese_400(url, tree, personas, api):
    response = api(personas["admin"]).post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Không đọc được nội dung yêu cầu: hãy gửi dữ liệu JSON (hoặc dữ liệu biểu mẫu) hợp lệ."
    }


@pytest.mark.django_db
def test_options_on_a_view_whose_put_names_no_record_describes_it(tree, personas, api):
    """Found by the fuzzer: OPTIONS on the values endpoint (PUT replaces a report's values) answered 500."""
    response = api(personas["admin"]).options("/api/v1/data-values/")
    assert response.status_code == 200
    assert set(response.json()["actions"]) == {"POST", "PUT"}
