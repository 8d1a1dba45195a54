"""Changing a password, and resetting a forgotten one by email from start to finish."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_user

PASSWORD = "mat-khau-thu-nghiem-1"
NEW_PASSWORD = "Hoa-sen-no-tren-ho-2025"


@pytest.fixture
def member(db):
    return make_user("le.chi", full_name="Lê Thị Chi", email="chi@example.vn")


def signs_in(username: str, password: str) -> bool:
    response = Client().post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def the_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_change_needs_the_old_password(login, member):
    client = login(member)
    url = reverse("accounts:password_change")
    assert "Đổi mật khẩu" in client.get(url).content.decode()
    response = client.post(
        url, {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_change_keeps_the_user_signed_in_with_the_new_password(login, member):
    client = login(member)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã đổi mật khẩu" in response.content.decode()
    assert response.context["user"].is_authenticated
    assert signs_in("le.chi", NEW_PASSWORD) and not signs_in("le.chi", PASSWORD)


def test_password_change_applies_the_password_rules(login, member):
    response = login(member).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page and "Mật khẩu này hoàn toàn là số" in page


def test_password_change_requires_signing_in(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_forgotten_password_is_reset_through_the_emailed_link(member):
    client = Client()
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "Đặt lại mật khẩu" in page
    response = client.post(reverse("accounts:password_reset"), {"email": "chi@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chi@example.vn"]
    assert message.subject == "Đặt lại mật khẩu DânVận"
    assert "Xin chào Lê Thị Chi" in message.body and "Tên đăng nhập: le.chi" in message.body
    assert "24 giờ" in message.body

    form_page = client.get(the_link(message), follow=True)
    assert "Chọn mật khẩu mới" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã lưu mật khẩu" in done.content.decode()
    assert signs_in("le.chi", NEW_PASSWORD) and not signs_in("le.chi", PASSWORD)

    again = client.get(the_link(message), follow=True)
    assert "Liên kết này không còn hiệu lực" in again.content.decode()


def test_reset_tells_nothing_about_unknown_addresses(client, member):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    assert mail.outbox == []


def test_a_tampered_reset_link_is_refused(client, member):
    client.post(reverse("accounts:password_reset"), {"email": "chi@example.vn"})
    link = the_link(mail.outbox[0])
    tampered = link[:-3] + ("x" if link[-3] != "x" else "y") + link[-2:]
    assert "Liên kết này không còn hiệu lực" in client.get(tampered, follow=True).content.decode()


def test_accounts_that_never_had_a_password_can_still_ask_for_a_link(client, db):
    newcomer = make_user("moi.vao", email="Moi.Vao@example.vn")
    newcomer.set_unusable_password()
    newcomer.save()
    client.post(reverse("accounts:password_reset"), {"email": "moi.vao@EXAMPLE.vn"})
    assert [message.to for message in mail.outbox] == [["Moi.Vao@example.vn"]]


def test_deactivated_accounts_get_no_reset_link(client, member):
    member.is_active = False
    member.save()
    client.post(reverse("accounts:password_reset"), {"email": "chi@example.vn"})
    assert mail.outbox == []
