"""Reading a JSON request body within limits: the one way every view and the API read JSON.

A body larger than settings.DATA_UPLOAD_MAX_MEMORY_SIZE, or nested deeper than settings.JSON_MAX_DEPTH
(32 levels of brackets), is refused before it is parsed, as is a body that is not JSON: `BodyRefused`
carries a Vietnamese message, which the caller answers with HTTP 400 (never 500). Python's json module
recurses once per level and would raise RecursionError on a deep enough body, so the depth is
counted first, without recursion and in linear time: strings are blanked out, then the innermost
bracket pairs are removed, one level per pass, at most JSON_MAX_DEPTH + 1 passes.

- `loads(raw)`: the parsed value of `raw` (bytes or text).
- `request_json(request)`: the parsed body of a Django request (an empty body is `{}`).
- The API's parser (`danvan.core.api_defaults.JSONParser`) reads its stream through `loads`.
"""

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A string, up to its closing quote or the end of the text (an unclosed one matches too, so a
# failed attempt never rescans the rest: linear).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"[\[{][\]}]")


class BodyRefused(ValueError):
    """The body is too large, too deeply nested or not JSON; `message` says which, translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotJSON(BodyRefused):
    """The body is not JSON at all."""


def not_json() -> NotJSON:
    return NotJSON(_("The request body could not be read: send valid JSON."))


def max_depth() -> int:
    return int(getattr(settings, "JSON_MAX_DEPTH", 32))


def max_size() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large() -> BodyRefused:
    size = max_size() or 0  # called only when there is a limit
    return BodyRefused(_("The request body is too large: at most %(size)s.") % {"size": filesizeformat(size)})


def too_deep(text: str, limit: int) -> bool:
    """Are the arrays and objects of `text` nested deeper than `limit` (or so unbalanced that the
    parser would go deeper)? Linear in the length of `text` for each of at most `limit` + 1 passes."""
    if text.count("[") + text.count("{") <= limit:
        return False  # however they nest
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _level in range(limit):
        if not brackets:
            return False
        brackets, removed = _INNERMOST.subn("", brackets)
        if not removed:
            break
    # Left: unmatched brackets, and the pairs of levels deeper than `limit`.
    return bool(_INNERMOST.search(brackets)) or brackets.count("[") + brackets.count("{") > limit


def loads(raw: bytes | str) -> Any:
    """`raw` parsed as JSON; `BodyRefused` when it is too large, too deep or not JSON."""
    size = max_size()
    if size is not None and len(raw) > size:
        raise too_large()
    try:
        text = raw.decode(json.detect_encoding(raw)) if isinstance(raw, bytes) else raw
    except (UnicodeDecodeError, LookupError):
        raise not_json() from None
    limit = max_depth()
    if too_deep(text, limit):
        raise BodyRefused(
            _("The request body is nested too deeply: at most %(depth)s levels of brackets.")
            % {"depth": limit}
        )
    try:
        return json.loads(text)
    except ValueError:  # JSONDecodeError, and a number too long to convert
        raise not_json() from None


def request_json(request) -> Any:
    """The body of a Django request parsed as JSON (`{}` when empty); `BodyRefused` when it is too
    large (by its Content-Length, before reading it), too deep or not JSON."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise too_large() from None
    return loads(raw) if raw else {}
