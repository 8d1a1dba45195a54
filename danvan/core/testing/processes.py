"""Other processes of the same installation, for tests: a file copy of the test database and the
environment a `danvan` subprocess needs to use it (as a second app server, a worker or cron would)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def database_file(folder: Path) -> Path:
    """A file copy of the (SQLite) test database, migrated as it is: another process can open it."""
    target = folder / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return target


def database_url(folder: Path) -> str:
    """A URL another process opens to share this test's database: on SQLite a file copy of it (tests
    of one process do not see it change), on PostgreSQL the test database itself (use `transactional_db`:
    what the other process writes is flushed after the test)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{database_file(folder)}"
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'])}{password}@{host}{port}/{db['NAME']}"


def environment(folder: Path) -> dict[str, str]:
    """The environment of another process of this installation (its DATA_DIR is `folder`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DATA_DIR")}
    env.update(
        DATABASE_URL=database_url(folder), DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="danvan.settings"
    )
    return env


def python(code: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run `code` in a new Python process with Django set up; its stdout is returned."""
    prelude = "import django; django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True, **kwargs
    )
    if done.returncode != 0:
        raise AssertionError(f"The other process failed:\n{done.stdout}\n{done.stderr}")
    return done


def danvan(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a `danvan` command in a new process."""
    done = subprocess.run([sys.executable, "-m", "danvan", *args], env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"danvan {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done
