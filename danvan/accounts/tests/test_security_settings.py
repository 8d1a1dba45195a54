"""Production mode passes Django's deployment checks, and passwords are hashed with Argon2."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings
from django.urls import reverse

from conftest import make_user

DANVAN = Path(sys.executable).parent / "danvan"
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def danvan_check(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "IDENTITY_KEYS",
            "IDENTITY_KEYS_FILE",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    clean.update(env)
    command = [str(DANVAN)] if DANVAN.exists() else [sys.executable, "-m", "danvan"]
    return subprocess.run(
        [*command, "check", "--deploy", "--fail-level", "WARNING"], env=clean, capture_output=True, text=True
    )


def test_production_mode_passes_the_deployment_checks(tmp_path):
    key = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60))
    # Static files collected (their manifest; the check without it: core/tests/test_deploy_kit.py).
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    result = danvan_check(
        DATA_DIR=str(tmp_path),
        DEBUG="False",
        SECRET_KEY=key,
        IDENTITY_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="danvan.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_identity_keys():
    key = secrets.token_urlsafe(60)
    result = danvan_check(DEBUG="False", SECRET_KEY=key, ALLOWED_HOSTS="danvan.example.vn")
    assert result.returncode != 0
    assert "IDENTITY_KEYS" in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = danvan_check(DEBUG="False", ALLOWED_HOSTS="danvan.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_argon2_is_the_first_password_hasher_of_the_real_settings():
    import danvan.settings as real

    assert real.PASSWORD_HASHERS[0] == ARGON2


def test_sessions_and_cookies_are_protected():
    import danvan.settings as real

    assert real.SESSION_COOKIE_HTTPONLY and real.CSRF_COOKIE_HTTPONLY
    assert real.SESSION_COOKIE_SAMESITE == "Lax" and real.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert real.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert real.AXES_FAILURE_LIMIT == 5 and real.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@override_settings(PASSWORD_HASHERS=[ARGON2])
def test_a_user_created_with_argon2_gets_an_argon2_hash_and_can_sign_in(db):
    user = make_user("argon.user")
    assert user.password.startswith("argon2$")
    assert identify_hasher(user.password).algorithm == "argon2"
    client = Client()
    client.post(reverse("accounts:login"), {"username": "argon.user", "password": "mat-khau-thu-nghiem-1"})
    assert client.session["_auth_user_id"] == str(user.pk)
