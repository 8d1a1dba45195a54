"""Tracking codes given to submitters: 100 random bits, shown as 20 Crockford base-32 characters.

Only the SHA-256 of the normalised code is stored (Case.tracking_hash): a copy of the database
does not give anyone the codes. Reading is forgiving: case, spaces and dashes do not matter, and
O/I/L read as 0/1/1 as Crockford's alphabet intends.
"""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 20  # 20 × 5 = 100 bits of randomness
_READ = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(text: str) -> str | None:
    """The code's 20 characters, or None when `text` cannot be a code."""
    raw = "".join(ch for ch in (text or "").upper() if ch not in " -\t").translate(_READ)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def digest(text: str) -> str | None:
    raw = normalise(text)
    return hashlib.sha256(raw.encode()).hexdigest() if raw else None
