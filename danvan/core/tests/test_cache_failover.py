"""Issue 17: with REDIS_URL, Redis stopped for a while does not stop the product — the cache is the
database's meanwhile (danvan.core.cache.FailoverCache), and Redis's again once it answers.

The stopped Redis is a closed port (nothing listens on 127.0.0.1:1); the running one is the machine's
(CI starts it): the `running_redis` fixture's database.
"""

import logging
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from danvan.core import cache as failover
from danvan.voice.cases import tracking

pytestmark = pytest.mark.django_db

STOPPED = "redis://127.0.0.1:1/0"


def failover_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "danvan.core.cache.FailoverCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(autouse=True)
def _no_outage_yet(monkeypatch):
    """Every test starts as a fresh process would: Redis not yet known to be away."""
    monkeypatch.setattr(failover, "_outages", {})


@pytest.fixture
def redis_stopped(settings):
    settings.CACHES = failover_cache(STOPPED)
    return cache


@pytest.fixture
def redis_running(settings, running_redis):
    settings.CACHES = failover_cache(running_redis)
    raw = redis.Redis.from_url(running_redis)
    raw.ping()  # Redis runs here and in CI: no skipping
    return cache, raw


def database_keys() -> set[str]:
    """The keys in the database cache, but the work home's version token (core.worklist), which any write
    of the test's own setup renews."""
    from danvan.core import worklist

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM danvan_cache")
        return {key for (key,) in cursor.fetchall()} - {f":1:{worklist.VERSION_KEY}"}


def test_with_redis_stopped_every_operation_is_the_database_caches(redis_stopped, caplog):
    caplog.set_level(logging.WARNING, logger="danvan.core.cache")
    assert redis_stopped.get("greeting") is None
    redis_stopped.set("greeting", "xin chào", 60)
    assert redis_stopped.get("greeting") == "xin chào"
    assert redis_stopped.add("rate", 0, 60) is True
    assert redis_stopped.add("rate", 5, 60) is False
    assert redis_stopped.incr("rate") == 1
    assert redis_stopped.incr("rate", 4) == 5
    assert redis_stopped.decr("rate") == 4
    with pytest.raises(ValueError):
        redis_stopped.incr("missing")
    redis_stopped.set_many({"a": 1, "b": 2}, 60)
    assert redis_stopped.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert redis_stopped.has_key("a") and redis_stopped.touch("a", 120)
    redis_stopped.delete_many(["a", "b"])
    assert redis_stopped.delete("greeting") is True
    assert redis_stopped.get_or_set("menu", lambda: 7, 60) == 7
    # Served from the `danvan_cache` table, with Django's keys (prefix and version) …
    assert database_keys() == {":1:rate", ":1:menu"}
    redis_stopped.clear()
    assert database_keys() == set()
    # … and Redis's absence said once, not at every operation.
    warnings = [r.getMessage() for r in caplog.records if r.name == "danvan.core.cache"]
    assert len(warnings) == 1 and warnings[0].startswith("Redis is out of reach")


def test_with_redis_stopped_the_portals_rate_limit_still_answers_and_still_counts(redis_stopped):
    guesser = Client(REMOTE_ADDR="192.0.2.60")
    for _ in range(20):
        assert guesser.post(reverse("portal:track"), {"code": tracking.new_code()}).status_code == 200
    refused = guesser.post(reverse("portal:track"), {"code": tracking.new_code()})
    assert refused.status_code == 429  # counted in the database cache
    assert "Có quá nhiều lượt tra cứu mã từ kết nối của bạn." in refused.content.decode()
    assert Client(REMOTE_ADDR="192.0.2.61").post(reverse("portal:track"), {"code": "x"}).status_code == 200


def test_with_redis_stopped_a_citizen_still_sends_a_submission_once(redis_stopped, tree, settings):
    from danvan.voice.cases.models import Case
    from danvan.voice.tests.portal.test_portal import PHONE, fill, send_url, token_of

    settings.VOICE_PORTAL_MIN_SECONDS = 0
    phone = Client(**PHONE)
    form = phone.get(send_url())
    assert form.status_code == 200
    data = {**fill(), "token": token_of(form.content.decode())}
    sent = phone.post(send_url(), data)
    assert sent.status_code == 200 and "data-tracking-code" in sent.content.decode()
    case = Case.objects.get()
    # The form's nonce, kept in the database cache, refuses the same form sent again.
    again = phone.post(send_url(), data)
    assert again.status_code == 200 and "data-tracking-code" not in again.content.decode()
    assert case.reference in again.content.decode() and Case.objects.count() == 1


def test_with_redis_running_the_cache_is_redis(redis_running):
    shared, raw = redis_running
    key = f"failover-test-{uuid.uuid4().hex}"
    try:
        shared.set(key, "xin chào", 60)
        assert shared.add(f"{key}-n", 0, 60) and shared.incr(f"{key}-n", 3) == 3
        assert shared.get(key) == "xin chào" and shared.get(f"{key}-n") == 3
        assert raw.exists(f":1:{key}", f":1:{key}-n") == 2
        assert database_keys() == set()
    finally:
        raw.delete(f":1:{key}", f":1:{key}-n")


def test_redis_is_tried_again_after_the_pause_and_forgets_what_changed_meanwhile(
    redis_running, running_redis
):
    shared, raw = redis_running
    key = f"calendar-version-{uuid.uuid4().hex}"
    try:
        shared.set(key, "v1", None)
        outage = failover._outage_of(running_redis)
        outage.begin(redis.exceptions.ConnectionError("stopped for the test"))
        shared.set(key, "v2", None)  # while Redis is away: the database cache's
        assert shared.get(key) == "v2" and raw.get(f":1:{key}") is not None
        assert database_keys() == {f":1:{key}"}
        outage.until = 0.0  # the pause is over
        # Redis answers again, without its older value of what changed meanwhile (a process reading
        # "v1" there would keep a calendar changed during the outage).
        assert shared.get(key) is None and not raw.exists(f":1:{key}")
        shared.set(key, "v3", None)
        assert raw.exists(f":1:{key}") and not outage.down
    finally:
        raw.delete(f":1:{key}")


def test_the_health_check_says_the_cache_is_the_databases_while_redis_is_away(redis_stopped, client):
    """Still 200 (the fallback works and every app server would fail alike), but monitoring can see
    that Redis is out of reach."""
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["cache"], body["cache_serving"]) == ("ok", "ok", "database")


def test_the_health_check_says_redis_when_redis_answers(redis_running, client):
    body = client.get("/healthz").json()
    assert (body["status"], body["cache_serving"]) == ("ok", "redis")
