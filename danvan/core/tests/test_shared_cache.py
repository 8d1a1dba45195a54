"""Issue 17: several app servers share one cache (the database cache on the embedded default)."""

import datetime
import os
import subprocess
import sys

import pytest

from danvan.core.testing import processes

pytestmark = pytest.mark.django_db


def test_the_embedded_default_caches_in_the_database_and_redis_when_configured():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    read = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    plain = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + read],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert plain.stdout.strip() == "danvan.core.cache.DatabaseCache"
    env["REDIS_URL"] = "redis://127.0.0.1:6379/4"
    redis = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + read],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert redis.stdout.strip() == "danvan.core.cache.FailoverCache"


def test_migrate_makes_the_cache_table(database_cache):
    from django.db import connection

    assert "danvan_cache" in connection.introspection.table_names()
    database_cache.set("k", 1)
    assert database_cache.get("k") == 1


def test_incr_keeps_the_expiry_and_refuses_a_missing_key(database_cache):
    from django.db import connection

    database_cache.add("rate", 0, 600)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM danvan_cache")
        (before,) = cursor.fetchone()
    assert database_cache.incr("rate") == 1
    assert database_cache.incr("rate", 4) == 5
    assert database_cache.decr("rate") == 4
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM danvan_cache")
        (after,) = cursor.fetchone()
    assert after == before  # Django's own incr would reset it to the default timeout (300 s)
    with pytest.raises(ValueError):
        database_cache.incr("missing")


def test_another_process_reads_what_this_one_wrote_and_counts_atomically(transactional_db, tmp_path):
    env = processes.environment(tmp_path)
    processes.python(
        "from django.core.cache import cache; cache.set('greeting', 'xin chào', None); cache.add('n', 0, None)",
        env,
    )
    seen = processes.python("from django.core.cache import cache; print(cache.get('greeting'))", env)
    assert seen.stdout.strip() == "xin chào"
    # Two processes counting at once lose no count (django-ratelimit's allowance).
    count = "from django.core.cache import cache\nfor _ in range(60): cache.incr('n')"
    runners = [
        subprocess.Popen([sys.executable, "-c", "import django; django.setup()\n" + count], env=env)
        for _ in range(2)
    ]
    assert [runner.wait() for runner in runners] == [0, 0]
    total = processes.python("from django.core.cache import cache; print(cache.get('n'))", env)
    assert total.stdout.strip() == "120"


def test_a_day_off_saved_in_one_process_is_seen_by_another_that_already_read_the_calendar(
    transactional_db, tmp_path
):
    env = processes.environment(tmp_path)
    day = datetime.date(2031, 3, 5)  # a Wednesday
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import datetime, sys, django; django.setup()\n"
            "from danvan.voice.deadlines import calendar\n"
            f"day = datetime.date.fromisoformat('{day.isoformat()}')\n"
            "print(calendar.is_working_day(day), flush=True)\n"
            "sys.stdin.readline()\n"
            "print(calendar.is_working_day(day), flush=True)\n",
        ],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "True"
    processes.python(
        "import datetime\n"
        "from danvan.accounts.actors import System\n"
        "from danvan.voice.deadlines import services\n"
        f"services.calendar_day_add(day=datetime.date.fromisoformat('{day.isoformat()}'), kind='day_off', reason='Nghỉ bù', by=System('test'))",
        env,
    )
    second, _ = reader.communicate("\n", timeout=60)
    assert second.strip() == "False"


def test_django_ratelimit_counts_on_the_database_cache(database_cache, rf):
    from django_ratelimit.core import get_usage

    request = rf.post("/public/", REMOTE_ADDR="203.0.113.7")
    usages = [get_usage(request, group="t", key="ip", rate="3/m", increment=True) for _ in range(4)]
    assert [usage["count"] for usage in usages] == [1, 2, 3, 4]
    assert [usage["should_limit"] for usage in usages] == [False, False, False, True]
    other = rf.post("/public/", REMOTE_ADDR="203.0.113.8")
    assert get_usage(other, group="t", key="ip", rate="3/m", increment=True)["count"] == 1
