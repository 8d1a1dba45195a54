"""No page shows a code where a user expects words.

Every GET page of the permission matrix (`danvan/<app>/tests/matrix.py` knows each URL and how to
make its record) is read by the bloc administrator and by every role at STP that may read it, on a
representative dataset: a report submitted, returned, approved (so the report lists, the dashboard
and the audit log have something to say), and the records the matrix's factories make. The visible
text of each page (no `<script>`, `<style>`, attributes, hidden inputs; visible text inputs' values
count: a period typed in a box is read) is scanned for what looks like a code:

- UPPER_SNAKE identifiers (`STAFF_ELIGIBLE`),
- dotted model labels and audit actions (`reports.report`, `report.approve`),
- lower_snake identifiers (`unit_head`, `admin_agency`),
- period codes (`2026S1`, `2025RY`, `2026RS2`, `2026Q3`, `202609`),
- the coded values of the models' choices (`submitted`, `draft`, `mobilisation_officer`).

Codes are shown only where an administrator needs them: the pages in `ALLOWED`, each with its reason.
The daily reminder e-mails are scanned the same way (their links aside).
"""

import re
from html.parser import HTMLParser
from types import SimpleNamespace

from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.policy import GRANTS
from danvan.core.testing.matrix import LISTING, WRITE_ONLY, holds
from danvan.core.tests.test_permission_matrix import MATRIX, ROUTES

# Pages that show codes on purpose, with the reason. Nothing else may.
ALLOWED = {
    "reports:catalogue": "the indicator catalogue: administrators refer to elements and indicators by code",
    "orgs:group_list": "the catalogue of unit types and groups: their codes are what import files carry",
    "orgs:import_upload": "the unit import page documents the import file's columns by their names",
    "reports:import_values": "the values import page documents the file's columns (element codes)",
    "activities:import": "the activities import page documents each register's file columns by their names",
    "reports:target_add": "the catalogue's targets: an administrator types a target's period as a code",
    "reports:target_edit": "the catalogue's targets: an administrator types a target's period as a code",
    "voice:rules": "the statutory deadline rules' catalogue: rules are cited by code",
    "voice:rule_close": "closing a statutory deadline rule: the rule named by its code",
}

_SKIPPED_TAGS = {"script", "style", "template", "noscript"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_VISIBLE_INPUTS = {"text", "search", ""}


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside scripts and styles, visible text inputs' values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "input" and not self._skipping:
            attributes = dict(attrs)
            if (attributes.get("type") or "").lower() in _VISIBLE_INPUTS and attributes.get("value"):
                self.parts.append(attributes["value"])
        elif tag in _VOID:
            return

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _choice_codes() -> set[str]:
    """The stored values of every choice of the project's models that look like identifiers."""
    codes = set()
    for model in apps.get_models():
        if not model.__module__.startswith("danvan."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{3,}", value) and value != str(label):
                    codes.add(value)
    return codes


PATTERNS = {
    "UPPER_SNAKE": r"\b[A-Z][A-Z0-9]+_[A-Z0-9_]+\b",
    "lower_snake": r"(?<![\w@./:-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w@/-])",
    "dotted label": r"(?<![\w@./:-])[a-z]+\.[a-z_]+(?![\w@/-]|\.[a-z])",
    "period code": r"\b\d{4}(?:S[12]|Q[1-4]|RY|RS[12])\b|\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])\b",
}
# Words that end in a file name's extension, not a model label ("mau.xlsx" is a file).
_FILE_ENDINGS = re.compile(r"\.(xlsx|xls|csv|pdf|docx|doc|txt|json|html|png|jpg|zip|odt|ods)$")


def code_like(text: str, choice_codes: set[str]) -> list[str]:
    """The tokens of `text` that look like codes."""
    found = []
    for kind, pattern in PATTERNS.items():
        for match in re.finditer(pattern, text):
            token = match.group(0)
            if kind == "dotted label" and _FILE_ENDINGS.search(token):
                continue
            found.append(f"{kind} {token!r}")
    words = set(re.findall(r"(?<![\w@./:-])[a-z][a-z_]+(?![\w@/-])", text))
    found.extend(f"coded value {word!r}" for word in sorted(words & choice_codes) if "_" not in word)
    return found


def test_every_page_allowed_to_show_codes_is_a_page():
    assert set(ALLOWED) <= set(MATRIX.entries), set(ALLOWED) - set(MATRIX.entries)


def test_the_scan_sees_codes_and_spares_words():
    html = (
        "<html><head><title>Kỳ 2026S1</title><style>.a_b{}</style></head><body>"
        "<script>var STAFF_ELIGIBLE = 1;</script><input type='hidden' name='period' value='2025RY'>"
        "<p data-code='STAFF_ELIGIBLE'>Số cán bộ <span>STAFF_ELIGIBLE</span></p>"
        "<td>reports.report</td><td>unit_head</td><input type='text' value='202609'>"
        "<p>Gửi về mau.xlsx, hộp thư a.b@example.vn — trạng thái submitted</p></body></html>"
    )
    text = visible_text(html)
    assert "var" not in text and "a_b" not in text and "2025RY" not in text
    found = code_like(text, {"submitted"})
    assert found == [
        "UPPER_SNAKE 'STAFF_ELIGIBLE'",
        "lower_snake 'unit_head'",
        "dotted label 'reports.report'",
        "period code '2026S1'",
        "period code '202609'",
        "coded value 'submitted'",
    ]


def _representative(tree, personas):
    """Reports in every state and their trail in the log: what lists, dashboards and the log show."""
    from danvan.reports import catalogue, services
    from danvan.reports.models import FormField, ReportForm, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    reporter, officer = personas[Role.REPORTER], personas["admin"]
    for code in ("2025S2", "2026S1"):
        period = services.period_get(code=code, by=officer)
        form = ReportForm.objects.get(code="BC-DV-6T")
        for unit in (tree.stp, tree.syt):
            report = services.report_open(form=form, unit=unit, period=period, by=officer)
            fields = FormField.objects.filter(section__form=form, element__source="")
            typed = [field.element for field in fields.select_related("element")]
            services.values_save(report=report, values={element.code: 4 for element in typed}, by=officer)
            report = services.report_submit(report=report, by=reporter if unit == tree.stp else officer)
            if unit == tree.syt and code == "2026S1":
                services.report_return(report=report, by=officer, reason="Thiếu số liệu")
            else:
                services.report_approve(report=report, by=officer)


def _seed(world) -> None:
    """One record of every kind the matrix knows, in SYT and kept: the audit log, lists and dashboards
    then speak of cases, senders, documents, programmes … (a factory that cannot run twice is skipped)."""
    for name in sorted(MATRIX.entries):
        entry = MATRIX.entries[name]
        if entry.make is None:
            continue
        try:
            with transaction.atomic():
                entry.made(world, world.foreign)
        except Exception:  # a factory that needs a fresh database: its record exists already
            continue


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages():
    """(name, entry, route) of every GET page of the matrix, then the public pages without arguments."""
    for name in sorted(MATRIX.entries):
        entry, route = MATRIX.entries[name], ROUTES[name]
        if not route.api and entry.kind != WRITE_ONLY:
            yield name, entry, route
    for name in sorted(MATRIX.exempted):  # public pages: the portal, sign-in
        route = ROUTES.get(name)
        if route is not None and not route.api and not route.takes_record:
            yield name, None, route


def _url(name, entry, route, world) -> str:
    made = entry.made(world, world.own) if entry is not None else None
    url = reverse(name, kwargs=made.kwargs if made is not None and route.takes_record else None)
    if made is not None and made.query:
        url += "?" + "&".join(f"{key}={value}" for key, value in made.query.items())
    return url


def _readers(personas):
    readers = [("admin", frozenset(GRANTS[Role.BLOC_ADMIN]), _client(personas["admin"]))]
    return readers + [(role, GRANTS[role], _client(personas[role])) for role in Role.values]


class _RolledBack(Exception):
    pass


def _read(name, entry, route, world, readers, choice_codes, problems, *, again: bool = False) -> int:
    """Read one page as each reader who may; what shows codes goes to `problems`. The pages read."""
    try:
        with transaction.atomic():
            url = _url(name, entry, route, world)
    except Exception:
        if again:
            return 0
        raise
    names = set(User.objects.values_list("username", flat=True))  # user-chosen, not codes
    if entry is None:
        clients = [("anonymous", Client())]
    else:
        clients = [
            (who, client)
            for who, grants, client in readers
            if who == "admin" or (holds(grants, entry.perm) and not entry.root)
        ]
    read = 0
    for who, client in clients:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        if name in ALLOWED:
            continue
        text = visible_text(response.content.decode())
        for username in names:
            text = text.replace(username, "")
        found = code_like(text, choice_codes)
        if found:
            problems.append(f"{name} ({who}) {url}: {', '.join(sorted(set(found)))}")
    return read


def _scan(pages, world, readers, choice_codes, *, again: bool = False) -> tuple[int, list[str]]:
    """Read `pages` as each reader who may; (pages read, what showed codes). `again`: the pages were
    read once already, a factory that cannot make its record twice leaves its page out."""
    problems: list[str] = []
    read = 0
    for name, entry, route in pages:
        # Each page's record is made in a savepoint rolled back afterwards, as if in a test of its own.
        try:
            with transaction.atomic():
                read += _read(name, entry, route, world, readers, choice_codes, problems, again=again)
                raise _RolledBack
        except _RolledBack:
            pass
    return read, problems


def test_no_page_shows_a_code(tree, personas):
    """Each page with its own record; then, with a record of every kind kept, the pages that list
    them (the audit log, the home pages, lists named by no record) once more."""
    _representative(tree, personas)
    world = SimpleNamespace(tree=tree, personas=personas, own=tree.stp, foreign=tree.syt)
    readers, choice_codes = _readers(personas), _choice_codes()
    read, problems = _scan(list(_pages()), world, readers, choice_codes)
    _seed(world)
    lists = [
        (name, entry, route) for name, entry, route in _pages() if entry is not None and entry.kind == LISTING
    ]
    read_again, more = _scan(lists, world, readers, choice_codes, again=True)
    assert read > 50 and read_again > 20, f"only {read} + {read_again} pages read"
    problems += [f"{problem} (with every kind of record)" for problem in more]
    assert not problems, f"{len(problems)} pages show codes:\n" + "\n".join(problems)


def test_no_reminder_e_mail_shows_a_code(tree, personas):
    """The daily reminders (every registered kind) before and after a report's deadline: links aside,
    nothing in them is a code."""
    import datetime

    from django.core import mail

    from danvan.accounts.actors import System
    from danvan.reminders import kinds
    from danvan.reminders.services import send
    from danvan.reports import catalogue, services
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    services.period_get(code="2026S1", by=System("tests"))
    for user in personas.values():
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    for day in (datetime.date(2026, 7, 12), datetime.date(2026, 7, 16)):  # due soon, then overdue
        for kind in kinds.kinds():
            send(kind=kind.name, today=day, by=System("tests"))
    assert mail.outbox, "no reminder was sent: the scan would prove nothing"
    names = set(User.objects.values_list("username", flat=True))
    problems = []
    for message in mail.outbox:
        text = re.sub(r"(https?://|/)\S+", " ", f"{message.subject}\n{message.body}")  # links keep codes
        for username in names:
            text = text.replace(username, "")
        found = code_like(text, _choice_codes())
        if found:
            problems.append(f"{message.subject}: {', '.join(sorted(set(found)))}")
    assert not problems, "\n".join(problems)
