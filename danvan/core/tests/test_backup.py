"""Issue 17 item 5: `danvan backup` and `danvan restore` — a restore into a fresh database finds the same
counts and content hashes, and the uploaded files; the identity keys are said to be kept apart."""

import json
import re
import sqlite3
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from danvan.accounts.models import User
from danvan.core import backup
from danvan.core.testing import processes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh(tmp_path):
    """The environment of a new installation: its own DATA_DIR and an empty database."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    env = processes.environment(folder)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{folder / 'fresh.sqlite3'}"
        yield env
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = env["DATABASE_URL"].rpartition("/")[0] + f"/{name}"
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables_of(env) -> dict:
    """The counts and hashes of the restored database, read by another process."""
    done = processes.python(
        "import json\nfrom danvan.core import backup\nprint(json.dumps(backup.database_manifest()))",
        env,
    )
    return json.loads(done.stdout)


def test_a_backup_restored_into_a_fresh_database_has_the_same_rows_and_files(personas, tmp_path, fresh):
    default_storage.save("voice/1/tệp-đính-kèm", ContentFile(b"%PDF-1.4 bien ban"))
    out = StringIO()
    call_command("backup", out=str(tmp_path / "backups"), stdout=out)

    [archive] = (tmp_path / "backups").glob("*.tar")
    assert re.fullmatch(r"danvan-backup-\d{4}-\d{2}-\d{2}-\d{6}\.tar", archive.name)
    assert "KHÔNG chứa khóa mã hóa danh tính" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        readme = tar.extractfile("README.txt").read().decode()
    assert "media/voice/1/tệp-đính-kèm" in names and manifest["database"] in names
    assert "IDENTITY_KEYS" in readme and "IDENTITY_KEYS" in manifest["identity_keys"]
    assert manifest["tables"]["accounts_user"]["rows"] == User.objects.count() > 0
    assert manifest["files"]["voice/1/tệp-đính-kèm"]["bytes"] == 17

    restored = processes.danvan("restore", str(archive), env=fresh)
    assert "khớp với bản sao lưu" in restored.stdout and "IDENTITY_KEYS" in restored.stdout
    assert _tables_of(fresh) == manifest["tables"]  # every table: same count, same content hash
    media = Path(fresh["DATA_DIR"]) / "media" / "voice" / "1" / "tệp-đính-kèm"
    assert media.read_bytes() == b"%PDF-1.4 bien ban"

    # Into a database that holds an installation: refused in Vietnamese, unless --force.
    again = processes.danvan("restore", str(archive), env=fresh, check=False)
    assert again.returncode != 0
    assert "Cơ sở dữ liệu đã có dữ liệu" in again.stderr and "--force" in again.stderr
    forced = processes.danvan("restore", str(archive), "--force", env=fresh)
    assert "khớp với bản sao lưu" in forced.stdout


def test_the_hash_sees_a_changed_value_and_not_the_order_of_rows(tmp_path):
    db = sqlite3.connect(tmp_path / "t.sqlite3")
    db.execute("CREATE TABLE t (a, b)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "một"), (2, "hai")])
    first = backup.table_digest(db.cursor(), "t")
    db.execute("DELETE FROM t")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(2, "hai"), (1, "một")])
    assert backup.table_digest(db.cursor(), "t") == first == {"rows": 2, "sha256": first["sha256"]}
    db.execute("UPDATE t SET b = 'ba' WHERE a = 2")
    assert backup.table_digest(db.cursor(), "t")["sha256"] != first["sha256"]


def test_a_damaged_restore_is_told(personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _archive, manifest = backup.create(tmp_path / "backups")
    assert backup.verify(manifest) == []
    manifest["tables"]["accounts_user"]["rows"] += 1
    manifest["files"]["missing.pdf"] = {"bytes": 1, "sha256": "0"}
    problems = backup.verify(manifest)
    assert any("accounts_user" in problem for problem in problems)
    assert "Tệp missing.pdf thiếu hoặc khác" in problems
