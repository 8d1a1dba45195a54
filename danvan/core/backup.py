"""Backups: one tar archive holding the database, the uploaded files and a manifest (`danvan backup`,
`danvan restore`).

- The database: on SQLite a copy made with SQLite's online backup API (consistent while the instance
  runs); on PostgreSQL `pg_dump --format=custom` with the connection's parameters, from the snapshot the
  manifest is counted in.
- The uploaded files: everything under MEDIA_ROOT (attachments, imported files, jobs' results).
- `manifest.json`: per table its row count and a content hash (SHA-256 of each row, summed: the order
  of rows does not matter), per file its SHA-256; `README.txt` says what is in the archive.

The identity keys (IDENTITY_KEYS, or DATA_DIR/identity.key on the embedded default) are NOT in the
archive: without them the sealed identities of citizens cannot be read. Keep them separately.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import formats, timezone

FORMAT = 1
DATABASE_FILES = {"database.sqlite3", "database.dump"}  # what `backup` names the dump
SKIPPED_TABLES = {"danvan_cache"}  # the shared cache: transient, not restored by value
KEYS_REMINDER = (
    "CHÚ Ý: Bản sao lưu KHÔNG chứa khóa mã hóa danh tính (IDENTITY_KEYS, hoặc tệp identity.key trong thư mục "
    "dữ liệu). Thiếu các khóa đó thì không thể đọc danh tính đã niêm phong của người gửi đơn. "
    "Hãy cất giữ các khóa riêng, ở nơi an toàn khác với bản sao lưu."
)


def number(value: int) -> str:
    """1.673, as Vietnamese write it."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


class BackupError(Exception):
    """What went wrong, in Vietnamese, for the operator."""


# ---------------------------------------------------------------- the manifest


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def table_digest(cursor, table: str) -> dict:
    """Row count and content hash of one table (order-free: the sum of the rows' SHA-256)."""
    cursor.execute(f"SELECT * FROM {_quote(table)}")
    total, rows = 0, 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest = hashlib.sha256(repr(tuple(_plain(value) for value in row)).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 256)
            rows += 1
    return {"rows": rows, "sha256": f"{total:064x}"}


def sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall() if name not in SKIPPED_TABLES]


def postgresql_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [name for (name,) in cursor.fetchall() if name not in SKIPPED_TABLES]


def tables_manifest(cursor, vendor: str) -> dict[str, dict]:
    names = sqlite_tables(cursor) if vendor == "sqlite" else postgresql_tables(cursor)
    return {name: table_digest(cursor, name) for name in names}


def database_manifest() -> dict[str, dict]:
    """Counts and hashes of the configured database. SQLite is read through a plain connection (values
    as stored, as in the archive's copy), not Django's, which turns dates into datetimes."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        plain = sqlite3.connect(name, uri=name.startswith("file:"))  # the tests' in-memory database
        try:
            return tables_manifest(plain.cursor(), "sqlite")
        finally:
            plain.close()
    with connection.cursor() as cursor:
        return tables_manifest(cursor, connection.vendor)


def files_manifest(root: Path) -> dict[str, dict]:
    found: dict[str, dict] = {}
    if not root.is_dir():
        return found
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        found[path.relative_to(root).as_posix()] = {
            "bytes": path.stat().st_size,
            "sha256": digest.hexdigest(),
        }
    return found


# ---------------------------------------------------------------- PostgreSQL


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"Không tìm thấy chương trình {args[0]} (cài gói postgresql-client cùng phiên bản máy chủ)."
        )
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} báo lỗi: {done.stderr.strip()}")


# ---------------------------------------------------------------- backup


def archive_name(now: datetime.datetime | None = None) -> str:
    return f"danvan-backup-{timezone.localtime(now).strftime('%Y-%m-%d-%H%M%S')}.tar"


def create(folder: Path) -> tuple[Path, dict]:
    """Write one archive into `folder`; returns its path and its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / archive_name()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        work_dir = Path(work)
        if connection.vendor == "sqlite":
            database = work_dir / "database.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(database)
            try:
                connection.connection.backup(copy)
                tables = tables_manifest(copy.cursor(), "sqlite")
            finally:
                copy.close()
        elif connection.vendor == "postgresql":
            database = work_dir / "database.dump"
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        f"--snapshot={snapshot}",
                        f"--file={database}",
                    ],
                    _pg_env(),
                )
                tables = tables_manifest(cursor, "postgresql")
        else:
            raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
        files = files_manifest(media)
        manifest: dict = {
            "format": FORMAT,
            "created": timezone.localtime().isoformat(),
            "engine": connection.vendor,
            "database": database.name,
            "tables": tables,
            "files": files,
            "identity_keys": KEYS_REMINDER,
        }
        with tarfile.open(target, "w") as tar:
            tar.add(database, arcname=database.name)
            _add_text(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            _add_text(tar, "README.txt", _readme(manifest))
            if media.is_dir():
                for name in files:
                    tar.add(media / name, arcname=f"media/{name}")
    return target, manifest


def _add_text(tar: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _readme(manifest: dict) -> str:
    rows = sum(table["rows"] for table in manifest["tables"].values())
    return (
        f"Bản sao lưu DânVận, tạo lúc {manifest['created']}.\n\n"
        f"- {manifest['database']}: cơ sở dữ liệu ({manifest['engine']}), {number(len(manifest['tables']))} bảng, "
        f"{number(rows)} dòng.\n"
        f"- media/: {number(len(manifest['files']))} tệp đã tải lên.\n"
        "- manifest.json: số dòng và mã băm nội dung của từng bảng, mã băm của từng tệp.\n\n"
        f"{KEYS_REMINDER}\n\n"
        "Phục hồi vào một cơ sở dữ liệu mới, trống: danvan restore <tệp .tar>\n"
    )


# ---------------------------------------------------------------- restore


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError
            return json.loads(member.read().decode())
    except (OSError, tarfile.TarError, KeyError, ValueError):
        raise BackupError(f"{archive} không phải là bản sao lưu DânVận đọc được.") from None


def holds_data() -> bool:
    """Whether the configured database already holds an installation (an account or more)."""
    from django.contrib.auth import get_user_model

    table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
        cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
        return cursor.fetchone() is not None


def restore(archive: Path, *, force: bool = False) -> dict:
    """Put the archive's database and files in place; returns the manifest. Verify with `verify`."""
    manifest = read_manifest(archive)
    if manifest.get("engine") != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của cơ sở dữ liệu {manifest.get('engine')}, còn cơ sở dữ liệu đang cấu hình là "
            f"{connection.vendor}: hãy phục hồi vào cùng loại."
        )
    if holds_data() and not force:
        raise BackupError(
            "Cơ sở dữ liệu đã có dữ liệu (tài khoản người dùng). Phục hồi sẽ ghi đè toàn bộ: hãy phục hồi vào "
            "một cơ sở dữ liệu mới, trống, hoặc thêm --force nếu chắc chắn muốn ghi đè."
        )
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r") as tar:
        work_dir = Path(work)
        tar.extractall(work_dir, filter="data")
        if manifest.get("database") not in DATABASE_FILES:  # the archive names its dump: only ours
            raise BackupError("Bản sao lưu không hợp lệ: tệp cơ sở dữ liệu trong bản kê không đúng.")
        database = work_dir / manifest["database"]
        if not database.is_file():
            raise BackupError("Bản sao lưu không hợp lệ: thiếu tệp cơ sở dữ liệu.")
        if connection.vendor == "sqlite":
            connection.close()
            source = sqlite3.connect(database)
            target = sqlite3.connect(connection.settings_dict["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            connection.close()
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--clean",
                    "--if-exists",
                    "--exit-on-error",
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(database),
                ],
                _pg_env(),
            )
        extracted = work_dir / "media"
        if extracted.is_dir():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(extracted, media, dirs_exist_ok=True)
    cache.clear()  # the calendar version, settings, counts and rate counters of the data just replaced
    return manifest


def verify(manifest: dict) -> list[str]:
    """What differs between the database and files now in place and the manifest (empty: all the same)."""
    tables = database_manifest()
    problems = [
        f"Bảng {name}: {tables.get(name)} khác bản sao lưu {expected}"
        for name, expected in manifest["tables"].items()
        if tables.get(name) != expected
    ]
    problems += [
        f"Bảng {name} không có trong bản sao lưu" for name in tables.keys() - manifest["tables"].keys()
    ]
    files = files_manifest(Path(settings.MEDIA_ROOT))
    problems += [
        f"Tệp {name} thiếu hoặc khác"
        for name, expected in manifest["files"].items()
        if files.get(name) != expected
    ]
    return problems
