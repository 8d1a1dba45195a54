"""File names as people send them, made safe to show and to offer for download."""

import re
import unicodedata
from pathlib import PurePosixPath

NAME_MAX = 120
DEFAULT_NAME = "tep-dinh-kem"

_UNSAFE = re.compile(r"[^\w\s.()+,-]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def sanitise_name(name: str) -> str:
    """A file name safe to show and to offer for download: no folders, control or shell characters.

    Vietnamese letters stay; anything else odd becomes "_"; the extension is kept when cutting.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _SPACES.sub(" ", _UNSAFE.sub("_", base)).strip(" .")
    if len(base) > NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            base = stem[: NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            base = base[:NAME_MAX]
    return base or DEFAULT_NAME


def extension(name: str) -> str:
    """The name's extension in lower case, without the dot ("" when there is none)."""
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""
