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
