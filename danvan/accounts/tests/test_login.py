"""Signing in and out: the page, the audit trail of every attempt, and the lockout."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from danvan.audit.models import AuditEvent

PASSWORD = "mat-khau-thu-nghiem-1"
LOGIN = reverse("accounts:login")


@pytest.fixture
def member(db):
    return make_user("nguyen.an", full_name="Nguyễn Văn An", email="an@example.vn")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_login_page_is_vietnamese_and_names_the_product(client, db):
    page = client.get(LOGIN).content.decode()
    assert "DânVận" in page and "Đăng nhập" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page
    assert "Quên mật khẩu?" in page and reverse("accounts:password_reset") in page
    assert 'name="viewport"' in page


def test_a_good_password_signs_in_and_is_audited(client, member):
    response = attempt(client, "nguyen.an", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("core:home")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor_label == "nguyen.an" and event.actor_id == member.pk
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_password_is_refused_in_vietnamese_and_audited(client, member):
    response = attempt(client, "nguyen.an", "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.actor_label == "nguyen.an" and event.actor_id is None


def test_signed_in_users_skip_the_login_page(login, member):
    assert login(member).get(LOGIN).status_code == 302


def test_the_account_locks_after_five_failures_even_for_the_right_password(client, member):
    for _ in range(4):
        assert attempt(client, "nguyen.an", "sai-mat-khau").status_code == 200
    fifth = attempt(client, "nguyen.an", "sai-mat-khau")
    assert fifth.status_code in (403, 429) and "Tạm khóa đăng nhập" in fifth.content.decode()
    response = attempt(client, "nguyen.an", PASSWORD)
    assert response.status_code in (403, 429)
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page and "30 phút" in page
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).count() == 6


def test_the_lock_is_per_username_and_device(client, member):
    make_user("tran.binh")
    for _ in range(5):
        attempt(client, "nguyen.an", "sai-mat-khau")
    assert attempt(client, "tran.binh", PASSWORD).status_code == 302
    other_device = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(other_device, "nguyen.an", PASSWORD).status_code == 302


def test_fewer_failures_do_not_lock_and_a_success_resets_the_count(client, member):
    for _ in range(4):
        attempt(client, "nguyen.an", "sai-mat-khau")
    assert attempt(client, "nguyen.an", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        attempt(client, "nguyen.an", "sai-mat-khau")
    assert attempt(client, "nguyen.an", PASSWORD).status_code == 302


def test_logout_is_a_post_that_ends_the_session_and_is_audited(login, member):
    client = login(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert event.actor_label == "nguyen.an"


def test_deactivated_accounts_cannot_sign_in(client, member):
    member.is_active = False
    member.save()
    response = attempt(client, "nguyen.an", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
