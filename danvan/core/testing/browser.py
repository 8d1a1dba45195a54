"""The browser-test kit: Debian's Chromium driven by Playwright (no browser download), and axe-core.

`browser` is the pytest fixture (registered in the root conftest). `check_accessibility` injects the
axe-core that `scripts/ensure-axe` installed from the npm registry (node_modules/, pinned by
package-lock.json; served from disk, never a CDN) and fails on WCAG 2 A/AA violations of impact
serious or critical, listing them readably. `watch_csp(page)` records the page's Content-Security-Policy
violations from then on; `check_csp(page)` fails when there was one.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
SHOTS = Path(os.environ.get("JOURNEY_SHOTS", "")) if os.environ.get("JOURNEY_SHOTS") else None


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still
    # synchronous and happen before and after, never inside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert Path(CHROMIUM).exists(), "Chromium is installed by scripts/ensure-chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


def _describe(violation: dict) -> str:
    nodes = violation.get("nodes", [])
    targets = "; ".join(" ".join(node.get("target", [])) for node in nodes[:5])
    more = f" (+{len(nodes) - 5})" if len(nodes) > 5 else ""
    summary = nodes[0].get("failureSummary", "").replace("\n", " ") if nodes else ""
    return f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n    at {targets}{more}\n    {summary}"


def accessibility_problems(page, ignore: tuple[str, ...] = ()) -> list[str]:
    """The serious and critical WCAG 2 A/AA violations axe-core finds on the page, described."""
    assert AXE.exists(), "axe-core is installed by scripts/ensure-axe (npm ci)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as a <script>: the page's
        # Content-Security-Policy refuses inline scripts, and a test's own tool is not the page's.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        _describe(v) for v in result["violations"] if v.get("impact") in BLOCKING and v["id"] not in ignore
    ]


def check_accessibility(page, where: str = "", ignore: tuple[str, ...] = ()) -> None:
    problems = accessibility_problems(page, ignore)
    assert not problems, f"Accessibility violations on {where or page.url}:\n" + "\n".join(problems)


_VIOLATION_PREFIX = "securitypolicyviolation:"
_REPORT_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation', function (event) {"
    f"  console.error('{_VIOLATION_PREFIX} ' + event.effectiveDirective + ' ' + (event.blockedURI || 'inline')"
    "    + ' at ' + (event.sourceFile || document.location.href) + ':' + event.lineNumber);"
    "}, true);"
)


def watch_csp(page) -> list[str]:
    """Start recording the page's Content-Security-Policy violations: what the browser refused ("Refused
    to …" in the console) and every `securitypolicyviolation` event. Returns the list they go to."""
    violations: list[str] = []
    page.add_init_script(_REPORT_VIOLATIONS)

    def on_console(message) -> None:
        text = message.text
        if text.startswith(_VIOLATION_PREFIX) or "Refused to" in text or "Content Security Policy" in text:
            violations.append(text)

    page.on("console", on_console)
    page._csp_violations = violations
    return violations


def check_csp(page, where: str = "") -> None:
    """Fail when the page (watched with `watch_csp`) met a Content-Security-Policy violation."""
    violations = page._csp_violations
    assert not violations, f"Content-Security-Policy violations on {where or page.url}:\n" + "\n".join(
        violations
    )


def screenshot(page, name: str) -> None:
    """A full-page screenshot to $JOURNEY_SHOTS/<name>.png when that folder is set (for people to look at)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
