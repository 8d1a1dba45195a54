"""The read replica (core.replica): with DATABASE_REPLICA_URL set, reads inside `reading()` are served by the
replica, every other read and every write by the primary, and a transaction on the primary reads its own
writes. Checked in a fresh interpreter with two SQLite files standing for the primary and its replica (each
holds a different row, so the answer shows which one was read)."""

import json
import os
import subprocess
import sys

import pytest

from danvan.jobs import kinds, runner
from danvan.jobs.models import Job

PROBE = """
import django, json
from django.conf import settings
django.setup()
from django.db import connections, transaction
from django.contrib.contenttypes.models import ContentType
from danvan.core import replica

for alias, label in (("default", "primary"), ("replica", "replica")):
    with connections[alias].schema_editor() as editor:
        editor.create_model(ContentType)
    ContentType.objects.using(alias).create(app_label=label, model="row")

def seen():
    return sorted(ContentType.objects.values_list("app_label", flat=True))

out = {"aliases": sorted(settings.DATABASES), "outside": seen()}
with replica.reading():
    out["inside"] = seen()
    ContentType.objects.create(app_label="written", model="inside")
    with transaction.atomic():
        out["in_transaction"] = seen()
out["after"] = seen()
out["replica_rows"] = sorted(ContentType.objects.using("replica").values_list("app_label", flat=True))
print(json.dumps(out))
"""


def _probe(tmp_path, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="danvan.settings", DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_reads_marked_for_the_replica_go_there_and_everything_else_to_the_primary(tmp_path):
    out = _probe(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    )
    assert out["aliases"] == ["default", "replica"]
    assert out["outside"] == ["primary"]
    assert out["inside"] == ["replica"]
    # a write inside reading() went to the primary; a transaction there reads its own writes
    assert out["in_transaction"] == ["primary", "written"]
    assert out["after"] == ["primary", "written"]
    assert out["replica_rows"] == ["replica"]


def test_without_a_replica_reading_changes_nothing(tmp_path):
    probe = PROBE.replace('(("default", "primary"), ("replica", "replica"))', '(("default", "primary"),)')
    probe = probe.replace(
        'out["replica_rows"] = sorted(ContentType.objects.using("replica").values_list("app_label", flat=True))',
        "",
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL"}
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="danvan.settings",
        DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'only.sqlite3'}",
    )
    result = subprocess.run([sys.executable, "-c", probe], env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout)
    assert out["aliases"] == ["default"]
    assert out["outside"] == out["inside"] == ["primary"]


@pytest.mark.django_db
@pytest.mark.parametrize("reads_replica", [True, False])
def test_an_export_job_reads_through_the_replica_and_an_import_never(personas, reads_replica):
    from danvan.core import replica

    seen = []

    def run(job, progress):
        seen.append(replica.active())

    kind = kinds.Kind(name="probe", label="Probe", run=run, perm="unit.view", reads_replica=reads_replica)
    with kinds.only(kind):
        job = Job.objects.create(kind="probe", params={}, created_by=personas["bloc_admin"])
        assert runner.run(job.pk) == Job.State.DONE
    assert seen == [reads_replica]
    assert replica.active() is False


def test_the_registered_exports_read_the_replica_and_the_imports_the_primary():
    registered = {kind.name: kind.reads_replica for kind in kinds.kinds()}
    exports = {name for name, flag in registered.items() if flag}
    assert exports and all("export" in name for name in exports)
    assert not any(flag for name, flag in registered.items() if "import" in name)
