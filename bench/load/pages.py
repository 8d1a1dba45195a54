"""What the load benchmark's users visit: each demo account's pages, by role, read from the database.

`gather()` runs inside the application (the stack's `danvan shell`, or a test with the demo loaded) and
returns plain JSON: for every demo account its password, role and pages as [name, url] pairs (the name
groups the figures: every case page is "case page"), the report grids where it may type (the writes),
and the units citizens may write to through the portal. No locust here: the test imports this module
without gevent's monkey-patching (bench/load/locustfile.py uses it).
"""

from __future__ import annotations

import random

# The pages each role uses, by name; the figures are reported by these names.
STAFF_PAGES: dict[str, tuple[str, ...]] = {
    "bloc_admin": (
        "work home",
        "dashboard",
        "reports home",
        "completeness",
        "cases list",
        "case page",
        "directives",
        "directive page",
        "activities",
        "mediation",
        "emulation",
        "search",
        "unit page",
        "unit tree",
    ),
    "mobilisation_officer": (
        "work home",
        "dashboard",
        "reports home",
        "completeness",
        "cases list",
        "case page",
        "directives",
        "directive page",
        "activities",
        "emulation",
        "search",
        "unit page",
    ),
    "unit_head": (
        "work home",
        "dashboard",
        "reports home",
        "report entry",
        "directives",
        "directive page",
        "activities",
        "emulation",
        "unit page",
    ),
    "reporter": ("work home", "reports home", "report entry", "activities", "mediation", "directives"),
    "case_handler": ("work home", "cases list", "case page", "search"),
    "viewer": ("work home", "dashboard", "reports home", "unit page", "activities"),
}
SEARCH_WORDS = ("hòa giải", "dân vận", "đối thoại", "tư pháp", "khu dân cư")
SAMPLE = 12  # pages of one kind (cases, directives, units) an account moves between


def gather(seed: int = 2026) -> dict:
    """Every demo account's pages, from the data as it is now (the demo loaded)."""
    from django.db.models import Q
    from django.urls import reverse

    from danvan.demo.data import ACCOUNTS, DEMO_PASSWORD
    from danvan.directives.models import Document
    from danvan.orgs.models import Unit
    from danvan.reports.models import Period, Report
    from danvan.voice.cases.models import Case

    rng = random.Random(seed)
    today = _today()
    period = (
        Period.objects.filter(reports__isnull=False, start__lte=today).order_by("-start").distinct().first()
    )
    active = Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
    accounts = []
    for account in ACCOUNTS:
        unit = Unit.objects.get(code=account.unit_code)
        below = active.filter(path__startswith=unit.path)
        units = list(below.order_by("path").values_list("code", flat=True)[:200])
        cases = list(Case.objects.filter(unit__in=below).order_by("-id").values_list("id", flat=True)[:200])
        documents = list(
            Document.objects.filter(unit__in=below).order_by("-id").values_list("id", flat=True)[:200]
        )
        reports = Report.objects.filter(unit=unit, period=period).select_related("form", "unit", "period")
        grids = [reverse("reports:grid", args=[r.form.code, r.unit.code, r.period.code]) for r in reports]
        forms = sorted({r.form.code for r in Report.objects.filter(period=period).select_related("form")})
        urls: dict[str, list[str]] = {
            "work home": [reverse("core:home")],
            "dashboard": [reverse("reports:dashboard")],
            "reports home": [reverse("reports:home")],
            "completeness": [reverse("reports:completeness", args=[code, period.code]) for code in forms],
            "report entry": grids,
            "cases list": [reverse("voice:case_list")],
            "case page": [reverse("voice:case_detail", args=[pk]) for pk in _some(rng, cases)],
            "directives": [reverse("directives:list")],
            "directive page": [reverse("directives:detail", args=[pk]) for pk in _some(rng, documents)],
            "activities": [reverse("activities:home")],
            "mediation": [reverse("mediation:cases")],
            "emulation": [reverse("emulation:home")],
            "search": [f"{reverse('search:results')}?q={word}" for word in SEARCH_WORDS],
            "unit page": [reverse("orgs:unit_detail", args=[code]) for code in _some(rng, units)],
            "unit tree": [reverse("orgs:tree")],
        }
        pages = [[name, url] for name in STAFF_PAGES[account.role] for url in urls[name]]
        accounts.append(
            {
                "username": account.username,
                "password": DEMO_PASSWORD,
                "role": str(account.role),
                "pages": pages,
                "grids": grids if account.role == "reporter" else [],
            }
        )
    portal = list(active.order_by("path").values_list("code", flat=True)[1:400][:40])
    return {"accounts": accounts, "portal_units": portal}


def _some(rng: random.Random, items: list) -> list:
    return rng.sample(items, min(SAMPLE, len(items)))


def _today():
    from django.utils import timezone

    return timezone.localdate()
