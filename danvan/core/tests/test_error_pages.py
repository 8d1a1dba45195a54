"""In production mode (DEBUG=False) error pages and refused forms speak Vietnamese."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path
from django.views import defaults
from rest_framework.test import APIClient

from danvan import urls as project_urls

pytestmark = pytest.mark.django_db

CSRF_MESSAGE = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang và thử lại"


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("bad")


def _broken(request):
    raise RuntimeError("boom")


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def _connection_closed(request):
    raise InterfaceError("connection already closed")


handler500 = project_urls.handler500
urlpatterns = [
    path("forbidden/", _forbidden),
    path("suspicious/", _suspicious),
    path("broken/", _broken),
    path("database-gone/", _database_gone),
    path("api/v1/database-gone/", _database_gone),
    path("open311/v2/closed/", _connection_closed),
    *project_urls.urlpatterns,
]


def _page(response) -> str:
    return response.content.decode()


@override_settings(DEBUG=False)
def test_a_missing_page_says_so_in_vietnamese(login, personas):
    response = login(personas["viewer"]).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in _page(response)
    assert '<html lang="vi">' in _page(response)


@override_settings(DEBUG=False)
def test_an_anonymous_visitor_gets_the_vietnamese_404_too():
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in _page(response)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_refusal_says_so_in_vietnamese(login, personas):
    response = login(personas["viewer"]).get("/forbidden/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in _page(response)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_bad_request_says_so_in_vietnamese():
    response = Client().get("/suspicious/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in _page(response)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_shows_the_vietnamese_page():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in _page(response)


def test_the_500_page_renders_without_request_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = render_to_string("500.html")
    assert '<html lang="vi">' in page
    assert "Đã xảy ra lỗi" in page and "Về trang chủ" in page
    assert '<link rel="stylesheet" href="/static/core/danvan.css">' in page
    assert page.count("/static/") == 1  # nothing else is loaded


def test_the_error_handlers_use_these_templates(rf):
    """Django's handlers fall back to English one-liners when a template is missing."""
    assert "Đã xảy ra lỗi" in defaults.server_error(rf.get("/")).content.decode()
    assert "Yêu cầu không hợp lệ" in defaults.bad_request(rf.get("/"), SuspiciousOperation()).content.decode()


@override_settings(DEBUG=False)
def test_a_form_posted_without_its_csrf_token_gets_the_vietnamese_page(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["viewer"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert CSRF_MESSAGE in _page(response)
    assert '<html lang="vi">' in _page(response)


def test_a_sign_in_without_its_csrf_token_gets_the_vietnamese_page(personas):
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "viewer_stp", "password": "mat-khau-thu-nghiem-1"}
    )
    assert response.status_code == 403
    assert CSRF_MESSAGE in _page(response)


def test_an_api_write_without_its_csrf_token_is_refused_in_vietnamese(personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas["bloc_admin"])
    response = client.post("/api/v1/units/STP-CB1/dissolve/", {"effective_on": "2024-01-01"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Kiểm tra CSRF không thành công")


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_the_database_out_of_reach_answers_503_with_a_time_to_retry():
    """A restart of the database server: the page says nothing was stored and when to try again; a load
    balancer or a client sees 503 + Retry-After, not 500."""
    client = Client(raise_request_exception=False)
    page = client.get("/database-gone/")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "Hệ thống tạm gián đoạn" in _page(page) and "chưa có gì được ghi lại" in _page(page)
    assert '<html lang="vi">' in _page(page)
    for url in ("/api/v1/database-gone/", "/open311/v2/closed/"):
        answer = client.post(url)
        assert answer.status_code == 503, url
        assert answer["Retry-After"] == "5"
        assert "chưa có gì được ghi lại" in answer.json()["detail"]
    # Any other failure stays a 500.
    assert client.get("/broken/").status_code == 500
