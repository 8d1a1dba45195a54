"""The jobs' services refuse whoever the policy does not allow, with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.accounts.actors import System
from danvan.accounts.policy import Perm
from danvan.jobs import kinds, services
from danvan.jobs.models import Job

pytestmark = pytest.mark.django_db

KIND = kinds.Kind(name="test.noop", label="Việc thử", run=lambda job, progress: None, perm=Perm.UNIT_EXPORT)


def test_a_job_about_a_unit_is_refused_to_a_user_of_another_unit(tree, personas):
    with kinds.only(KIND), pytest.raises(PermissionDenied):
        services.job_start(kind=KIND.name, params={}, by=personas["outsider"], unit_path=tree.stp.path)
    assert not Job.objects.exists()


def test_a_job_is_refused_to_a_user_without_the_kinds_right(personas):
    with kinds.only(KIND), pytest.raises(PermissionDenied):
        services.job_start(kind=KIND.name, params={}, by=personas["reporter"])
    assert not Job.objects.exists()


def test_a_job_about_a_unit_runs_for_a_holder_there_and_for_the_system(tree, personas):
    with kinds.only(KIND):
        mine = services.job_start(
            kind=KIND.name, params={}, by=personas["viewer"], unit_path=tree.stp_cb1.path
        )
        system = services.job_start(kind=KIND.name, params={}, by=System("tests"))
    assert mine.state == system.state == Job.State.DONE and system.created_by is None


def test_only_the_installation_sweeps_dead_jobs(personas):
    for person in (personas["admin"], personas["nobody"]):
        with pytest.raises(PermissionDenied):
            services.jobs_fail_stale(by=person)
