"""Two-step sign-in (TOTP) for administrators (issue 17, item 7)."""

import re
from base64 import b32decode
from binascii import unhexlify

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from danvan.accounts.models import ApiToken
from danvan.accounts.services import api_token_create
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-1"  # conftest.make_user's
USERS = "/accounts/users/"
VERIFY = "/accounts/second-factor/"
ENROL = "/accounts/second-factor/enrol/"


def _code(device: TOTPDevice, steps: int = 0) -> str:
    return f"{totp(unhexlify(device.key), drift=steps):06d}"


@pytest.fixture
def enrolled(personas):
    admin = personas["admin"]
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=admin, name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcd2345")
    return device


def _signed_in(user) -> Client:
    """A client through the real sign-in form (the password step only)."""
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_administrator_with_a_device_reaches_nothing_before_the_code(personas, enrolled):
    client = _signed_in(personas["admin"])
    response = client.get(USERS)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Fusers%2F"
    assert client.get("/").status_code == 302
    assert client.post(USERS + "new/", {"username": "x"}).status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert "mã hai bước" in api.json()["detail"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Đăng nhập hai bước" in page.content.decode()


def test_a_wrong_code_is_refused_in_vietnamese_and_recorded(personas, enrolled):
    client = _signed_in(personas["admin"])
    wrong = "000000" if _code(enrolled) != "000000" else "111111"
    response = client.post(VERIFY, {"code": wrong, "next": USERS})
    assert response.status_code == 200
    assert "Mã không đúng" in response.content.decode()
    assert client.get(USERS).status_code == 302
    assert AuditEvent.objects.filter(action="otp.failed", actor_id=personas["admin"].pk).count() == 1
    # django-otp's throttling: straight after a wrong code, even the right one waits
    again = client.post(VERIFY, {"code": _code(enrolled), "next": USERS})
    assert "Nhập sai mã quá nhiều lần" in again.content.decode()
    assert client.get(USERS).status_code == 302


def test_the_right_code_opens_the_session(personas, enrolled):
    client = _signed_in(personas["admin"])
    response = client.post(VERIFY, {"code": _code(enrolled), "next": USERS})
    assert response.status_code == 302
    assert response["Location"] == USERS
    assert client.get(USERS).status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing more to give


def test_a_backup_code_works_once(personas, enrolled):
    client = _signed_in(personas["admin"])
    assert client.post(VERIFY, {"code": "ABCD 2345"}).status_code == 302
    assert client.get(USERS).status_code == 200
    other = _signed_in(personas["admin"])
    assert other.post(VERIFY, {"code": "abcd2345"}).status_code == 200
    assert other.get(USERS).status_code == 302


def test_a_plain_user_is_never_asked(personas, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    client = _signed_in(personas["viewer"])
    assert client.get("/").status_code == 200
    assert client.get("/accounts/tokens/").status_code == 200
    assert client.get(ENROL).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_without_the_requirement_an_administrator_without_a_device_is_not_asked(personas, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = False
    client = _signed_in(personas["admin"])
    assert client.get(USERS).status_code == 200


def test_when_required_an_administrator_must_enrol_first(personas, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    admin = personas["admin"]
    client = _signed_in(admin)
    assert client.get(USERS)["Location"] == ENROL
    assert client.get("/").status_code == 302
    page = client.get(ENROL)
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and "Thiết lập đăng nhập hai bước" in content
    # On the phone that holds the app, a QR code cannot be scanned: a link hands the key to the app.
    assert 'href="otpauth://totp/' in content and "secret=" in content
    # Held at this step, the page offers no menu (every link would lead back here), only signing out.
    assert 'class="mainnav"' not in content and "Đăng xuất" in content
    assert not TOTPDevice.objects.exists()  # showing the secret writes nothing
    signed = re.search(r'name="key" value="([^"]+)"', content).group(1)
    secret = re.search(r'<code id="otp-key">([A-Z2-7 ]+)</code>', content).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))

    wrong = client.post(ENROL, {"key": signed, "code": "12345"})
    assert "Mã không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()

    done = client.post(ENROL, {"key": signed, "code": f"{totp(key):06d}"})
    assert done.status_code == 200
    assert done["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert sorted(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)) == sorted(
        codes
    )
    assert client.get(USERS).status_code == 200  # the enrolment verified this session
    assert AuditEvent.objects.filter(action="otp.enrol", actor_id=admin.pk).exists()


def test_a_forged_enrolment_key_is_refused(personas, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    client = _signed_in(personas["admin"])
    response = client.post(ENROL, {"key": "forged", "code": "123456"})
    assert response.status_code == 200
    assert "Trang đã mở quá lâu" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_token_authentication_is_not_asked_for_a_code(personas, enrolled, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    _token, secret = api_token_create(name="Máy chủ", days=30, by=personas["admin"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.count() == 1


def test_a_token_header_opens_no_page_and_no_api_without_the_code(personas, enrolled):
    client = _signed_in(personas["admin"])
    assert client.get(USERS, HTTP_AUTHORIZATION="Token whatever").status_code == 302
    api = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token whatever")
    assert api.status_code == 401  # the token is judged alone, the half-signed-in session is not used


def test_signing_out_stays_open(personas, enrolled):
    client = _signed_in(personas["admin"])
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get(USERS)["Location"].startswith("/accounts/login/")
