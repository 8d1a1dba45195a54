"""Find interface strings that have no Vietnamese translation.

Walks the project's Python modules (gettext calls with a literal first argument) and
templates (through Django's own `templatize`, as makemessages does) and compares the msgids
with the Vietnamese catalogue. Used by `danvan check-translations` and by the test suite.
"""

import ast
import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation.template import templatize

GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
_LITERAL = r"""(?:u?'(?:[^'\\]|\\.)*'|u?"(?:[^"\\]|\\.)*")"""
# templatize writes each string as ` gettext('…') ` with repr() literals (and a count for ngettext).
_TEMPLATIZED = re.compile(rf"\b(?:gettext|pgettext|ngettext)\(\s*({_LITERAL}(?:\s*,\s*{_LITERAL})*)", re.S)


def _python_msgids(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in GETTEXT_NAMES:
            continue
        args = node.args[1:] if name.startswith("pgettext") else node.args
        for arg in args[:2] if name.startswith("ngettext") else args[:1]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def _template_msgids(path: Path) -> set[str]:
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = set()
    for match in _TEMPLATIZED.finditer(source):
        try:
            value = ast.literal_eval(f"({match.group(1)},)")
        except (SyntaxError, ValueError):
            continue
        strings = [v for v in value if isinstance(v, str)]
        found.update(strings[1:] if match.group(0).startswith("pgettext") else strings[:2])
    return found


def used_msgids() -> dict[str, str]:
    """msgid -> the first file that uses it."""
    base = Path(settings.BASE_DIR)
    used: dict[str, str] = {}
    for path in sorted(base.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for msgid in _python_msgids(path):
            used.setdefault(msgid, str(path.relative_to(base)))
    for path in sorted(base.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt"}:
            for msgid in _template_msgids(path):
                used.setdefault(msgid, str(path.relative_to(base)))
    return used


def catalogue_path() -> Path:
    return Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def translated_msgids() -> set[str]:
    catalogue = polib.pofile(str(catalogue_path()))
    done = set()
    for entry in catalogue:
        if "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural and entry.msgstr_plural and all(entry.msgstr_plural.values()):
            done.update({entry.msgid, entry.msgid_plural})
        elif entry.msgstr:
            done.add(entry.msgid)
    return done


def duplicates() -> list[str]:
    """Messages translated twice in the catalogue (two branches merged with the union driver can each
    append one): gettext keeps only one of them, so the other translation is silently lost."""
    seen: set[tuple[str | None, str]] = set()
    twice = []
    for entry in polib.pofile(str(catalogue_path())):
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            twice.append(entry.msgid)
        seen.add(key)
    return twice


def missing() -> dict[str, str]:
    done = translated_msgids()
    return {msgid: where for msgid, where in used_msgids().items() if msgid not in done}
