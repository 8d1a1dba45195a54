"""Settings come from the environment; check them in a fresh interpreter each time."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from danvan.settings import envbool

PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps({'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL, "
    "'cache': settings.CACHES['default']['BACKEND'], 'engine': settings.DATABASES['default']['ENGINE'], "
    "'lang': settings.LANGUAGE_CODE}))"
)


def probe(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="danvan.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_the_embedded_default_is_sqlite_with_eager_tasks():
    values = probe()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True and values["broker"] == "memory://"
    assert values["lang"] == "vi"


def test_redis_url_makes_redis_the_broker_and_the_cache():
    values = probe(REDIS_URL="redis://127.0.0.1:6379/3", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert values["eager"] is False and values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["cache"] == "danvan.core.cache.FailoverCache"
    assert values["engine"] == "django.db.backends.postgresql"


def test_boolean_variables_accept_only_true_or_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        envbool("SOME_FLAG", "False")


def test_secrets_may_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 20 + "-from-a-file-" + "x" * 30)
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    keys = tmp_path / "identity-keys"
    keys.write_text("k" * 43 + "=")
    clean.update(
        SECRET_KEY_FILE=str(secret), IDENTITY_KEYS_FILE=str(keys), DEBUG="False", ALLOWED_HOSTS="a.example.vn"
    )
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SECRET_KEY); print(settings.IDENTITY_KEYS[0])"
    )
    clean["DJANGO_SETTINGS_MODULE"] = "danvan.settings"
    out = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [secret.read_text(), keys.read_text()]


def test_the_example_env_file_lists_every_variable():
    import re
    from pathlib import Path

    import danvan.settings as module

    source = Path(module.__file__).read_text()
    used = set(re.findall(r'env(?:bool|int|list)?\("([A-Z_]+)"', source))
    example = (Path(module.__file__).parent.parent / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert used - listed == set()


def test_on_sqlite_a_transaction_takes_the_write_lock_when_it_begins(tmp_path):
    """Two requests that each read and then write (an API update) overlap: the second must wait at its start
    (where SQLite waits for a busy writer), not fail at its first write with "database is locked" (a 500)."""
    code = """
import sqlite3

import django
from django.conf import settings

django.setup()
from django.db import connection, transaction

connection.cursor().execute("CREATE TABLE t (n INTEGER)")
other = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0, isolation_level=None)
with transaction.atomic():
    connection.cursor().execute("SELECT count(*) FROM t")  # a request reads first ...
    try:
        other.execute("BEGIN IMMEDIATE")  # ... while another one means to write
        print("the other began")
    except sqlite3.OperationalError as error:
        print(error)
other.execute("BEGIN IMMEDIATE")
print("the other began after")
"""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    clean.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="danvan.settings")
    out = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["database is locked", "the other began after"]
