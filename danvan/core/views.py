import sys

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import worklist

# Seconds a client is asked to wait when the database is out of reach (a restart takes a few).
DATABASE_RETRY_AFTER = 5
DATABASE_UNAVAILABLE = (
    "Máy chủ cơ sở dữ liệu đang tạm thời không trả lời nên yêu cầu chưa được xử lý và chưa có gì được ghi lại. "
    "Hãy thử lại sau vài giây."
)


def server_error(request):
    """handler500: an unhandled exception. When it is the database out of reach (a restart, a failover,
    a dropped connection: OperationalError, InterfaceError), the answer is 503 with Retry-After, as JSON
    for the API and Open311 and as a plain page otherwise: nothing was stored, the client may try again.
    Anything else is the plain 500 page. Neither touches the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        if request.path.startswith(("/api/", "/open311/")):
            response: HttpResponse = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request, reason: str = ""):
    """The page for a form whose CSRF check failed (settings.CSRF_FAILURE_VIEW): 403, in the
    user's language, telling them to reload the page (usually their session expired)."""
    return render(request, "core/csrf_failure.html", status=403)


@login_required
@require_GET
def home(request):
    """Việc cần làm: the user's own work across modules, the most urgent first (core.worklist)."""
    today = timezone.localdate()
    parts = worklist.sections(request.user, today)
    chosen = request.GET.get("kind", "")
    shown = [part for part in parts if not chosen or part.source.key == chosen]
    items = worklist.merged(shown)
    return render(
        request,
        "core/home.html",
        {
            "today": today,
            "rows": [_row(item, today) for item in items],
            "kinds": [part for part in parts if part.total],
            "more": [part for part in shown if part.more > 0],
            "chosen": chosen if any(part.source.key == chosen for part in parts) else "",
            "total": sum(part.total for part in parts),
        },
    )


def _when(days: int | None) -> str:
    if days is None:
        return "none"
    if days == 0:
        return "today"
    return "overdue" if days < 0 else "ahead"


def _row(item: worklist.WorkItem, today) -> dict:
    days = item.days(today)
    return {"item": item, "when": _when(days), "days": abs(days or 0)}


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is down for us
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 10)
        if cache.get("healthz") != "1":
            return "error: value not read back"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and monitoring: database and cache, as JSON."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(value == "ok" for value in checks.values())
    payload = {"status": "ok" if healthy else "error", **checks, "database_vendor": connection.vendor}
    # With Redis configured, which side the cache is on in this process: "database" while Redis is out of
    # reach. Still 200 (every app server would fail the probe alike), but monitoring sees Redis down.
    serving = getattr(cache, "serving", None)
    if serving is not None:
        payload["cache_serving"] = serving
    return JsonResponse(payload, status=200 if healthy else 503)
