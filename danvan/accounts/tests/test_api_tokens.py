"""API tokens: hashed, expiring, revocable, listed on the account's page (issue 17, item 7)."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from danvan.accounts.actors import System
from danvan.accounts.models import ApiToken
from danvan.accounts.services import api_token_create, api_token_revoke
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_the_secret_is_never_stored_in_clear(personas):
    token, secret = api_token_create(name="Máy chủ báo cáo tỉnh", days=90, by=personas["reporter"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table} WHERE id = %s", [token.pk])
        row = cursor.fetchone()
    assert len(secret) == 64
    assert all(secret not in str(value) for value in row)
    assert token.digest != secret and len(token.digest) == 128  # SHA-512
    assert token.expiry.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    response = _client(secret).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == personas["reporter"].username


def test_using_a_token_notes_when_it_was_last_used(personas):
    token, secret = api_token_create(name="Đồng bộ", days=30, by=personas["viewer"])
    assert token.last_used is None
    assert _client(secret).get(ME).status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None


def test_an_expired_token_is_refused_in_vietnamese(personas):
    token, secret = api_token_create(name="Cũ", days=30, by=personas["viewer"])
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(minutes=1))
    response = _client(secret).get(ME)
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]


def test_a_revoked_token_is_refused_and_the_revocation_is_audited(personas):
    owner = personas["viewer"]
    token, secret = api_token_create(name="Thử", days=30, by=owner)
    api_token_revoke(token=token, by=owner)
    response = _client(secret).get(ME)
    assert response.status_code == 401
    assert "thu hồi" in response.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_at is not None
    events = AuditEvent.objects.filter(model="accounts.apitoken", object_id=str(token.pk))
    assert set(events.values_list("action", flat=True)) == {AuditEvent.Action.CREATE, "token.revoke"}
    assert all(
        secret not in str(event.changes) and token.digest not in str(event.changes) for event in events
    )
    with pytest.raises(ValidationError):
        api_token_revoke(token=token, by=owner)


def test_an_unknown_token_and_a_bad_header_are_refused(personas):
    _token, secret = api_token_create(name="Thử", days=30, by=personas["viewer"])
    assert _client(secret[:-1] + ("0" if secret[-1] != "0" else "1")).get(ME).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert client.get(ME).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token")
    assert client.get(ME).status_code == 401


def test_a_deactivated_users_token_is_refused(personas):
    user = personas["viewer"]
    _token, secret = api_token_create(name="Thử", days=30, by=user)
    user.is_active = False
    user.save()
    assert _client(secret).get(ME).status_code == 401


def test_bad_input_is_refused_and_nothing_saved(personas):
    user = personas["viewer"]
    for name, days in (("", 30), ("x" * 101, 30), ("Tên", 7), ("Tên", 3650)):
        with pytest.raises(ValidationError):
            api_token_create(name=name, days=days, by=user)
    with pytest.raises(PermissionDenied):
        api_token_create(name="Hệ thống", days=30, by=System("tests"))
    assert not ApiToken.objects.exists()


def test_the_longest_duration_follows_the_setting(personas, settings):
    settings.API_TOKEN_DAYS = [30, 90]
    with pytest.raises(ValidationError):
        api_token_create(name="Dài", days=365, by=personas["viewer"])
    page = APIClient()
    page.force_login(personas["viewer"])
    content = page.get("/accounts/tokens/").content.decode()
    assert 'value="90"' in content and 'value="365"' not in content


def test_another_users_token_can_be_neither_seen_nor_revoked(personas, login):
    token, _secret = api_token_create(name="Bí mật của người khác", days=30, by=personas["viewer"])
    client = login(personas["reporter"])
    assert "Bí mật của người khác" not in client.get("/accounts/tokens/").content.decode()
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=personas["reporter"])
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_administrator_of_the_owner_may_revoke_a_token(personas):
    token, _secret = api_token_create(name="Máy chủ", days=30, by=personas["viewer"])
    api_token_revoke(token=token, by=personas["admin"])
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_page_creates_shows_the_secret_once_and_revokes(personas, login):
    user = personas["nobody"]  # a plain user, holding no role at all
    client = login(user)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    assert "Khóa API" in page.content.decode()
    assert not ApiToken.objects.exists()  # a read writes nothing

    bad = client.post("/accounts/tokens/", {"name": "  ", "days": "30"})
    assert bad.status_code == 200 and not ApiToken.objects.exists()
    assert "Hãy đặt tên" in bad.content.decode()

    created = client.post("/accounts/tokens/", {"name": "Máy chủ báo cáo tỉnh", "days": "90"})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    secret = re.search(r'<code id="token-secret">([0-9a-f]{64})</code>', created.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.name == "Máy chủ báo cáo tỉnh"
    assert _client(secret).get(ME).status_code == 200

    listing = client.get("/accounts/tokens/").content.decode()
    assert secret not in listing  # shown once only
    today = timezone.localdate().strftime("%d/%m/%Y")
    expires = timezone.localtime(token.expiry).strftime("%d/%m/%Y")
    assert today in listing and expires in listing

    confirm = client.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None  # the confirmation page changes nothing
    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert revoked.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _client(secret).get(ME).status_code == 401
    actions = set(AuditEvent.objects.filter(model="accounts.apitoken").values_list("action", "actor_id"))
    assert actions == {(AuditEvent.Action.CREATE, user.pk), ("token.revoke", user.pk)}


def test_the_account_menu_links_the_tokens_page(personas, login):
    content = login(personas["viewer"]).get("/").content.decode()
    assert 'href="/accounts/tokens/"' in content
