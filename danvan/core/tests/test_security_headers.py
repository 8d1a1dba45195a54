"""Content-Security-Policy and Permissions-Policy on every page; no page carries inline script or style.

Every GET page of the permission matrix (the pages test_visible_words.py reads, each with its own
record), read by the bloc administrator, and the public pages read without signing in: each answers
with the project's Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') and a
Permissions-Policy that refuses camera, microphone, geolocation, payment and USB; and its HTML holds no
inline `<script>` (one without `src`), no `on…=` event handler attribute, no `<style>` element and no
`style=` attribute, all of which the policy would block in a browser. Stored files served back as
downloads keep their stricter sandboxed policy (core.downloads).
"""

from html.parser import HTMLParser
from types import SimpleNamespace

from django.db import transaction
from django.test import Client
from django.urls import reverse

from danvan.core.tests.test_visible_words import _pages, _RolledBack, _url

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# A stored file served back (core.downloads) keeps its own, stricter policy.
SANDBOXED_DOWNLOAD = {"default-src": "'none'", "sandbox": ""}
# Answered before any middleware runs (core.middleware.HealthCheckMiddleware): the load balancer's probe,
# plain text, no page.
NO_MIDDLEWARE = {"healthz"}
REFUSED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


class _Inline(HTMLParser):
    """What a page writes inline: scripts without src, event handler attributes, styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"<{tag} {name}=…>" for name in sorted(names) if name.startswith("on")]
        if "style" in names:
            self.found.append(f"<{tag} style=…>")
        for name, value in attrs:
            if name.lower() in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_content(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    parser.close()
    return parser.found


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def header_problems(response) -> list[str]:
    problems = []
    policy = directives(response.get("Content-Security-Policy", ""))
    if policy != POLICY and policy != SANDBOXED_DOWNLOAD:
        problems.append(f"Content-Security-Policy {policy}")
    features = directives(response.get("Permissions-Policy", "").replace(",", ";").replace("=", " "))
    problems += [f"Permissions-Policy lets {name}" for name in REFUSED_FEATURES if features.get(name) != "()"]
    return problems


def test_the_scan_sees_inline_script_handlers_and_styles():
    html = (
        "<html><head><style>p{}</style><script src='/static/a.js'></script><script>alert(1)</script></head>"
        "<body onload='x()'><p style='color:red'>Chữ</p><button type='button' onclick='print()'>In</button>"
        "<a href='javascript:void(0)'>a</a><p>onclick=</p></body></html>"
    )
    assert inline_content(html) == [
        "<style> element",
        "inline <script>",
        "<body onload=…>",
        "<p style=…>",
        "<button onclick=…>",
        "<a href=javascript:…>",
    ]


def test_every_page_carries_both_policies_and_no_inline_script_or_style(tree, personas):
    world = SimpleNamespace(tree=tree, personas=personas, own=tree.stp, foreign=tree.syt)
    admin = Client()
    admin.force_login(personas["admin"])
    problems, read = [], 0
    for name, entry, route in _pages():
        if name in NO_MIDDLEWARE:
            continue
        try:
            with transaction.atomic():  # each page's record in a savepoint rolled back afterwards
                url = _url(name, entry, route, world)
                response = (admin if entry is not None else Client()).get(url)
                raise _RolledBack
        except _RolledBack:
            pass
        found = header_problems(response)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            read += 1
            found += inline_content(response.content.decode())
        if found:
            problems.append(f"{name} {url} ({response.status_code}): {', '.join(sorted(set(found)))}")
    assert read > 100, f"only {read} pages read"
    assert not problems, f"{len(problems)} pages:\n" + "\n".join(problems)


def test_redirects_errors_and_the_api_carry_the_policies_too(client):
    for url in (
        reverse("core:home"),
        "/no-such-page/",
        reverse("api-schema"),
    ):  # healthz answers before any middleware
        response = client.get(url)
        assert not header_problems(response), (url, response.status_code, header_problems(response))


def test_the_api_docs_page_loads_its_script_from_the_site_and_allows_only_data_images(client, personas):
    client.force_login(personas["admin"])
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200 and not inline_content(page.content.decode())
    policy = directives(page["Content-Security-Policy"])
    assert policy["script-src"] == "'self'" and "unsafe" not in page["Content-Security-Policy"]
    assert policy["img-src"].split() == ["'self'", "data:"]
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
