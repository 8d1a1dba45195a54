import datetime

import pytest
from django.utils import timezone

from conftest import make_user
from danvan.accounts.models import Role


@pytest.fixture
def people(tree, personas):
    """The inspector (an officer of the bloc, DUK), the inspected (STP's officer), another unit's (SYT)."""
    return {
        "inspector": make_user("officer_duk", unit=tree.root, role=Role.MOBILISATION_OFFICER),
        "inspected": personas[Role.MOBILISATION_OFFICER],
        "viewer": personas[Role.VIEWER],
        "other": personas["outsider"],
    }


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def planned(tree, people, today):
    """A programme of DUK inspecting STP (findings recorded a month ago) with two remedies."""
    from danvan.activities.inspections import services

    inspector = people["inspector"]
    start = today - datetime.timedelta(days=40)
    inspection = services.inspection_create(
        unit=tree.root,
        kind="inspection",
        title="Kiểm tra công tác dân vận tại Sở Tư pháp",
        reference="Kế hoạch 15-KH/ĐUK",
        year=start.year,
        starts_on=start,
        ends_on=today + datetime.timedelta(days=30),
        units=[tree.stp],
        by=inspector,
    )
    target = inspection.targets.get()
    target = services.findings_record(
        target=target,
        conducted_on=today - datetime.timedelta(days=30),
        strengths="Tổ chức đối thoại định kỳ",
        shortcomings="Chưa sinh hoạt chuyên đề",
        conclusion="Cơ bản hoàn thành",
        by=inspector,
    )
    soon = services.remedy_add(
        target=target,
        content="Tổ chức sinh hoạt chuyên đề",
        due_on=today + datetime.timedelta(days=5),
        by=inspector,
    )
    late = services.remedy_add(
        target=target,
        content="Công khai kết quả kiểm tra",
        due_on=today - datetime.timedelta(days=3),
        by=inspector,
    )
    later = services.remedy_add(
        target=target,
        content="Rà soát quy chế dân vận",
        due_on=today + datetime.timedelta(days=60),
        by=inspector,
    )
    return {"inspection": inspection, "target": target, "soon": soon, "late": late, "later": later}
