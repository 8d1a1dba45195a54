"""The submitter's identity, encrypted with keys that are not SECRET_KEY.

Keys: the setting IDENTITY_KEYS, a list of Fernet keys (environment variable IDENTITY_KEYS, comma
separated, or IDENTITY_KEYS_FILE). The first key encrypts; every key decrypts, so a new key can be
put first and `danvan rotate-identity-key` re-encrypts every identity under it before the old one
is dropped. On the embedded default (DEBUG) a key is made once in DATA_DIR/identity.key when none
is set; production refuses to start without one (settings.py).

Fingerprints are keyed hashes (HMAC-SHA256 under a key derived from the first key) of the
normalised name with each contact or identity document: equal fingerprints mean the same person
without anyone decrypting anything. Rotation recomputes them.

Nothing here lets a name or a key reach a log: the functions that hold them are marked
`sensitive_variables` (Django's error reports show their variables as stars) and a failed
decryption raises an error that carries no data.
"""

import hashlib
import hmac
import json
import os
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.views.decorators.debug import sensitive_variables

FIELDS = ("name", "address", "phone", "email", "id_number")


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / "identity.key"


@sensitive_variables()
def configured_keys() -> list[bytes]:
    keys = [k.encode() if isinstance(k, str) else k for k in getattr(settings, "IDENTITY_KEYS", []) if k]
    if keys:
        return keys
    if not settings.DEBUG:
        raise ImproperlyConfigured("IDENTITY_KEYS must be set when DEBUG=False (production mode).")
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return [path.read_bytes().strip()]


@lru_cache(maxsize=4)
@sensitive_variables()
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured("IDENTITY_KEYS holds a value that is not a Fernet key.") from None


@sensitive_variables()
def cipher() -> MultiFernet:
    return _fernet(tuple(configured_keys()))


@sensitive_variables()
def clean(data: dict) -> dict:
    """Only the known fields, as stripped strings; empty ones dropped."""
    out = {}
    for field in FIELDS:
        value = str(data.get(field) or "").strip()
        if value:
            out[field] = value
    return out


@sensitive_variables()
def encrypt(data: dict) -> bytes:
    return cipher().encrypt(json.dumps(clean(data), ensure_ascii=False).encode())


@sensitive_variables()
def decrypt(token: bytes) -> dict:
    try:
        return json.loads(cipher().decrypt(bytes(token)))
    except InvalidToken:
        raise ImproperlyConfigured(
            "An identity cannot be decrypted with the configured IDENTITY_KEYS."
        ) from None


@sensitive_variables()
def encrypt_bytes(content: bytes) -> bytes:
    """A protected attachment's content (handwriting scans, identity papers)."""
    return cipher().encrypt(content)


@sensitive_variables()
def decrypt_bytes(token: bytes) -> bytes:
    return cipher().decrypt(token)


@sensitive_variables()
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


@sensitive_variables()
def _digits(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


@sensitive_variables()
def fingerprints(data: dict) -> list[str]:
    """Keyed hashes that stand for this person: name with each contact, and the identity document alone."""
    data = clean(data)
    key = hmac.new(configured_keys()[0], b"danvan-identity-fingerprint", hashlib.sha256).digest()
    name = _fold(data.get("name", ""))
    parts = []
    if data.get("id_number"):
        parts.append(
            "id:" + _digits(data["id_number"])
            if _digits(data["id_number"])
            else "id:" + _fold(data["id_number"])
        )
    if name and data.get("phone") and _digits(data["phone"]):
        parts.append(f"phone:{name}:{_digits(data['phone'])}")
    if name and data.get("email"):
        parts.append(f"email:{name}:{data['email'].strip().lower()}")
    if name and data.get("address"):
        parts.append(f"address:{name}:{_fold(data['address'])}")
    return sorted({hmac.new(key, part.encode(), hashlib.sha256).hexdigest() for part in parts})


@sensitive_variables()
def is_current(token: bytes) -> bool:
    """Is `token` encrypted under the first key (the one that encrypts now)?"""
    try:
        _fernet((configured_keys()[0],)).decrypt(bytes(token))
    except InvalidToken:
        return False
    return True


@sensitive_variables()
def rotate(token: bytes) -> bytes:
    """`token` re-encrypted under the first key; InvalidToken (no data) if no configured key reads it."""
    return cipher().rotate(bytes(token))


def new_key() -> str:
    """A fresh key, to put first in IDENTITY_KEYS before `danvan rotate-identity-key`."""
    return Fernet.generate_key().decode()


# Other records sealed under these keys (e.g. the reception register's person), rotated by
# `danvan rotate-identity-key` with the identities: {model: (binary field names)}.
_sealed: dict[type[Model], tuple[str, ...]] = {}


def seal_register(model: type[Model], *fields: str) -> None:
    """Declare `fields` of `model` as tokens under IDENTITY_KEYS (call it from the app's ready())."""
    _sealed[model] = tuple(dict.fromkeys(_sealed.get(model, ()) + fields))


def sealed_fields() -> dict[type[Model], tuple[str, ...]]:
    return dict(_sealed)


# Binary fields that hold no token at all (a finished report's DOCX): `rotate-identity-key --check` does
# not warn about them.
_plain: dict[type[Model], tuple[str, ...]] = {}


def plain_register(model: type[Model], *fields: str) -> None:
    """Declare binary `fields` of `model` as holding nothing sealed (call it from the app's ready())."""
    _plain[model] = tuple(dict.fromkeys(_plain.get(model, ()) + fields))


def plain_fields() -> dict[type[Model], tuple[str, ...]]:
    return dict(_plain)


# Rows other parts of voice keep sealed under the same keys (the cases' protected attachments),
# rotated after the identities by `services.identity_keys_rotate`: {name: (rows, rotate)}.
Rotator = Callable[..., None]  # rotate(batch, result, *, check)
_stores: dict[str, tuple[Callable[[], QuerySet], Rotator]] = {}


def rotation_register(name: str, *, rows: Callable[[], QuerySet], rotate: Rotator) -> None:
    """Rotate `rows()` batch by batch with `rotate(batch, result, check=…)` after the identities (call
    it from the app's ready())."""
    _stores[name] = (rows, rotate)


def rotation_stores() -> list[tuple[Callable[[], QuerySet], Rotator]]:
    return list(_stores.values())
