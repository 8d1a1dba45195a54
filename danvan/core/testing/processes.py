"""Other processes of the same installation, for tests: a file copy of the test database and the
environment a `danvan` subprocess needs to use it (as a second app server, a worker or cron would)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection


def database_file(folder: Path) -> Path:
    """A file copy of the (SQLite) test database, migrated as it is: another process can open it."""
    target = folder / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return target


def environment(database: Path, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DATA_DIR")}
    env.update(
        DATABASE_URL=f"sqlite:///{database}", DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="danvan.settings"
    )
    return env


def python(code: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run `code` in a new Python process with Django set up; its stdout is returned."""
    prelude = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True, check=True, **kwargs
    )


def danvan(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a `danvan` command in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "danvan", *args], env=env, capture_output=True, text=True, check=check
    )
