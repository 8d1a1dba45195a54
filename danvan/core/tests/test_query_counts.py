"""What each list page and dashboard costs in queries: the same with 3 rows as with 30 (no N+1), and
never more than its recorded baseline (`query_baselines.json`).

Each page below has a row maker: `rows(world, start, stop)` adds rows `start..stop-1` of what the page
lists, spread over the units of the shared tree. The page is read by the bloc administrator at the
root (who sees every row), once to warm the per-process caches (the tree mirror, the calendar) and the
menu's counts kept until the next write (`core.worklist`), then counted with 3 rows and with 30 (read
once more after the rows are written, to count the page and not the menu's sources; the work home is
counted reading its sources). A page whose count rises above its baseline fails: find the query
that came in (an N+1, a missing select_related) or, when the page really needs it, raise the number
in the JSON with the reason in the commit. `QUERY_BASELINES=record pytest -p no:xdist
danvan/core/tests/test_query_counts.py` rewrites the file from the counts measured (run it alone).
"""

import datetime
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.core import worklist

BASELINES = Path(__file__).with_name("query_baselines.json")
DAY = datetime.date(2026, 3, 2)
FEW, MANY = 3, 30


def _units(world, i):
    return (world.tree.stp, world.tree.syt, world.tree.stp_cb1, world.tree.syt_cb1)[i % 4]


def cases(world, start, stop, clocks=True):
    from danvan.voice.cases.models import Case, Channel, Clock, Kind
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)
    rule = DeadlineRule.objects.order_by("pk").first()
    for i in range(start, stop):
        unit = _units(world, i)
        case = Case.objects.create(
            reference=f"Q-{i}",
            unit=unit,
            handler=world.personas["case_handler"] if i % 2 else None,
            kind=(Kind.COMPLAINT_FIRST, Kind.PETITION, Kind.FEEDBACK)[i % 3],
            channel=Channel.DESK,
            subject=f"Khiếu nại số {i}",
            content="Nội dung",
            received_on=DAY,
        )
        if clocks:
            Clock.objects.create(
                case=case, unit=unit, step="accept", rule=rule, started_on=DAY, days=10,
                due_on=DAY + datetime.timedelta(days=i % 20 - 5),
            )  # fmt: skip


def flags(world, start, stop):
    from danvan.voice.cases.models import Case, CaseFlag

    cases(world, 1000 + start * 2, 1000 + stop * 2, clocks=False)
    found = list(Case.objects.filter(reference__startswith="Q-1").order_by("-pk")[: (stop - start) * 2])
    for first, second in zip(found[::2], found[1::2], strict=False):
        CaseFlag.objects.create(case=first, other_case=second, kind=CaseFlag.Kind.DUPLICATE)


def box_openings(world, start, stop):
    from danvan.voice.cases.models import BoxOpening

    for i in range(start, stop):
        BoxOpening.objects.create(
            unit=_units(world, i), opened_on=DAY, opened_by="Tổ mở hòm thư", letters=i,
            created_by=world.personas["admin"],
        )  # fmt: skip


def documents(world, start, stop):
    from danvan.directives.models import Delivery, Document

    for i in range(start, stop):
        unit = _units(world, i)
        document = Document.objects.create(
            unit=unit, direction="out" if i % 2 else "in", doc_type="CV", number_symbol=f"{i}-CV/Q", symbol_key=f"{i}-cv/q",
            issuer="Đảng ủy", issued_on=DAY, year=DAY.year, subject=f"Văn bản số {i}",
            created_by=world.personas["admin"],
        )  # fmt: skip
        Delivery.objects.create(
            document=document, unit=world.tree.stp_cb2, sent_on=DAY, sent_by=world.personas["admin"]
        )


def programmes(world, start, stop):
    from danvan.programmes.models import Occurrence, Programme, Task

    for i in range(start, stop):
        unit = _units(world, i)
        programme = Programme.objects.create(
            unit=unit, title=f"Chương trình {i}", starts_on=DAY, created_by=world.personas["admin"]
        )
        task = Task.objects.create(programme=programme, text=f"Nhiệm vụ {i}", lead=unit)
        Occurrence.objects.create(task=task, due_on=DAY + datetime.timedelta(days=i))


def entries(world, start, stop):
    from danvan.reception.models import Entry
    from danvan.voice.cases.models import Kind

    for i in range(start, stop):
        Entry.objects.create(
            unit=world.tree.stp, year=DAY.year, number=i + 1, received_on=DAY, kind=Kind.PETITION,
            content=f"Kiến nghị số {i}", receiver="Cán bộ A", created_by=world.personas["admin"],
        )  # fmt: skip


def cell_meetings(world, start, stop):
    from danvan.activities.cells.models import Meeting

    for i in range(start, stop):
        cell = world.tree.stp_cb1 if i % 2 else world.tree.syt_cb1
        Meeting.objects.create(unit=cell, held_on=DAY, topic=f"Chuyên đề {i}", attendees=i)


def review_reports(world, start, stop):
    """A finalised review report of STP for each of the years 2000 + i, with two versions each."""
    from danvan.reviews.models import ReviewDraft, ReviewVersion

    for i in range(start, stop):
        draft = ReviewDraft.objects.create(unit=world.tree.stp, period_code=str(2000 + i), state="final")
        for number in (1, 2):
            ReviewVersion.objects.create(draft=draft, number=number, tasks="Nhiệm vụ")


def commendations(world, start, stop):
    from danvan.emulation.commendations.models import Commendation

    for i in range(start, stop):
        Commendation.objects.create(
            kind="individual" if i % 2 else "collective",
            unit=_units(world, i),
            recipient_name=f"Người {i}" if i % 2 else "",
            form=("certificate", "merit", "order")[i % 3],
            issuer_unit=world.tree.root if i % 2 else None,
            issuer_name="" if i % 2 else "UBND tỉnh",
            decision_number=f"{i}/QĐ",
            decision_date=DAY,
            reason="Thành tích",
            year=DAY.year,
        )


def reception_days(world, start, stop):
    from danvan.reception.models import ReceptionDay

    for i in range(start, stop):
        ReceptionDay.objects.create(
            unit=world.tree.stp, date=DAY + datetime.timedelta(days=i), leader_name="Nguyễn Văn A",
            leader_position="Bí thư", place="Trụ sở", created_by=world.personas["admin"],
        )  # fmt: skip


def events(world, start, stop):
    from danvan.audit.models import AuditEvent

    for i in range(start, stop):
        unit = _units(world, i)
        AuditEvent.objects.create(
            action="update", actor_id=world.personas["admin"].pk, actor_label="admin_duk", unit_id=unit.pk,
            unit_code=unit.code, unit_path=unit.path, model="orgs.unit", object_id=str(unit.pk),
            object_repr=f"Sự kiện {i}", changes={"name": [f"A{i}", f"B{i}"]},
        )  # fmt: skip


def users(world, start, stop):
    from danvan.accounts.models import Role, RoleAssignment, User

    for i in range(start, stop):
        user = User.objects.create_user(username=f"q_user_{i}", password="mat-khau-thu-nghiem-1")
        RoleAssignment.objects.create(
            user=user, unit=_units(world, i), role=Role.values[i % len(Role.values)]
        )


def cells(world, start, stop):
    """Cells under STP: the children of the tree and the dashboard, the units of the lists."""
    for i in range(start, stop):
        make_unit(world.tree.catalogue, f"STP-Q{i}", f"Chi bộ số {i}", "cell", world.tree.stp)


def reports(world, start, stop):
    from danvan.orgs.models import Unit
    from danvan.reports import services
    from danvan.reports.models import Report, ReportForm

    form = ReportForm.objects.get(code="BC-DV-6T")
    period = services.period_get(code="2026S1", by=System("tests"))
    cells(world, start, stop)
    for i in range(start, stop):
        unit = Unit.objects.get(code=f"STP-Q{i}")
        Report.objects.create(form=form, unit=unit, period=period, status="submitted" if i % 2 else "draft")


def _dashboard_rows(world, start, stop):
    from danvan.reports import rollup, services

    cells(world, start, stop)
    rollup.build_period_units(services.period_get(code="2026S1", by=System("tests")))


def work(world, start, stop):
    """The work home: cases, documents to study and programme tasks, of the units below the root."""
    cases(world, start, stop)
    documents(world, start, stop)
    programmes(world, start, stop)


def background_jobs(world, start, stop):
    from danvan.jobs.models import Job

    states = (Job.State.DONE, Job.State.RUNNING, Job.State.FAILED, Job.State.WAITING)
    for i in range(start, stop):
        Job.objects.create(
            kind="orgs.units_export",
            state=states[i % 4],
            done=i,
            total=100,
            created_by=world.personas["admin"],
        )


def quizzes(world, start, stop):
    from danvan.emulation.quizzes.tests import factories

    for i in range(start, stop):
        unit = world.tree.stp_cb1 if i % 2 else world.tree.syt
        factories.question(unit, text=f"Câu hỏi {i}?", topic=f"Chủ đề {i % 3}")
        factories.quiz(unit, title=f"Đề thi {i}")


def exemplars(world, start, stop):
    """“Dân vận khéo” models of the units of the tree, half of them nominated (waiting for review)."""
    from danvan.emulation.exemplars.models import Campaign, Exemplar

    campaign, _ = Campaign.objects.get_or_create(
        unit=world.tree.root,
        year=DAY.year,
        defaults={
            "title": "Đợt thi đua",
            "nominations_until": DAY,
            "review_until": DAY,
            "recognition_by": DAY,
        },
    )
    for i in range(start, stop):
        unit = (world.tree.stp_cb1, world.tree.syt_cb1, world.tree.stp_cb2)[i % 3]
        Exemplar.objects.create(
            campaign=campaign, unit=unit, field="economy", title=f"Mô hình {i}", authors="Chi bộ",
            description="Mô tả", started_on=DAY, registered_on=DAY, nominated_on=DAY,
            stage="nominated" if i % 2 else "draft",
        )  # fmt: skip


def emulation_campaigns(world, start, stop):
    from danvan.emulation.exemplars.models import Campaign

    for i in range(start, stop):
        Campaign.objects.create(
            unit=_units(world, i), year=2000 + i, title=f"Đợt {i}",
            nominations_until=DAY, review_until=DAY, recognition_by=DAY,
        )  # fmt: skip


def evaluations(world, start, stop):
    """Cells under STP, each with a classified evaluation of 2025 (one criterion of 100 points)."""
    from decimal import Decimal

    from danvan.emulation.evaluations.models import Criterion, Evaluation, Score, Scorecard, Section
    from danvan.orgs.models import Unit

    card = Scorecard.objects.first() or Scorecard.objects.create(
        title="Bộ tiêu chí", applies_from=2025, active=True
    )
    section = card.sections.first() or Section.objects.create(scorecard=card, title="I")
    criterion = section.criteria.first() or Criterion.objects.create(
        section=section, text="Tiêu chí", max_points=100
    )
    cells(world, start, stop)
    for i in range(start, stop):
        evaluation = Evaluation.objects.create(
            unit=Unit.objects.get(code=f"STP-Q{i}"),
            period="2025",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            scorecard=card,
            state="final",
            self_total=Decimal(60 + i),
            total=Decimal(60 + i % 5),
            classification="passed",
        )
        Score.objects.create(evaluation=evaluation, criterion=criterion, self_points=Decimal(60 + i))


# name -> (URL, query string, row maker)
PAGES = {
    "core:home": ("core:home", {}, work),
    "voice:case_list": ("voice:case_list", {}, cases),
    "voice:overdue": ("voice:overdue", {}, cases),
    "voice:stats": ("voice:stats", {}, cases),
    "voice:flags": ("voice:flags", {}, flags),
    "voice:box_openings": ("voice:box_openings", {}, box_openings),
    "case-list": ("case-list", {}, cases),
    "directives:list": ("directives:list", {}, documents),
    "directives:to_study": ("directives:to_study", {}, documents),
    "document-list": ("document-list", {}, documents),
    "delivery-list": ("delivery-list", {}, documents),
    "programmes:home": ("programmes:home", {}, programmes),
    "programme-list": ("programme-list", {}, programmes),
    "occurrence-list": ("occurrence-list", {}, programmes),
    "reception:home": ("reception:home", {}, entries),
    "reception:register": ("reception:register", {"code": "STP"}, entries),
    "reception:days": ("reception:days", {"code": "STP"}, reception_days),
    "audit:list": ("audit:list", {}, events),
    "audit-event-list": ("audit-event-list", {}, events),
    "administration:user_list": ("administration:user_list", {}, users),
    "user-list": ("user-list", {}, users),
    "role-assignment-list": ("role-assignment-list", {}, users),
    "orgs:tree": ("orgs:tree", {}, cells),
    "orgs:children": ("orgs:children", {"code": "STP"}, cells),
    "orgs:search": ("orgs:search", {"?": {"q": "Chi bộ"}}, cells),
    "unit-list": ("unit-list", {}, cells),
    "reports:home": ("reports:home", {}, reports),
    "report-list": ("report-list", {}, reports),
    "reports:dashboard": ("reports:dashboard", {"?": {"unit": "STP", "period": "2026S1"}}, _dashboard_rows),
    "reports:ranking": ("reports:ranking", {"?": {"unit": "STP", "period": "2026S1"}}, _dashboard_rows),
    "jobs:list": ("jobs:list", {}, background_jobs),
    "cells:list": ("cells:list", {}, cell_meetings),
    "cells:coverage": ("cells:coverage", {"?": {"unit": "DUK", "year": str(DAY.year)}}, cell_meetings),
    "cell-meeting-list": ("cell-meeting-list", {}, cell_meetings),
    "quizzes:home": ("quizzes:home", {}, quizzes),
    "quizzes:quizzes": ("quizzes:quizzes", {}, quizzes),
    "quizzes:bank": ("quizzes:bank", {}, quizzes),
    "quiz-question-list": ("quiz-question-list", {}, quizzes),
    "quiz-list": ("quiz-list", {}, quizzes),
    "commendations:list": ("commendations:list", {}, commendations),
    "commendation-list": ("commendation-list", {}, commendations),
    "exemplars:list": ("exemplars:list", {}, exemplars),
    "exemplars:review_queue": ("exemplars:review_queue", {}, exemplars),
    "exemplars:campaigns": ("exemplars:campaigns", {}, emulation_campaigns),
    "exemplar-list": ("exemplar-list", {}, exemplars),
    "evaluations:home": ("evaluations:home", {}, evaluations),
    "evaluations:ranking": ("evaluations:ranking", {"?": {"unit": "STP", "period": "2025"}}, evaluations),
    "evaluation-list": ("evaluation-list", {}, evaluations),
    "reviews:unit": ("reviews:unit", {"code": "STP"}, review_reports),
}


@pytest.fixture
def indicators(catalogue):
    """The reports catalogue from its seeds (browser tests flush the migration's rows)."""
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)


def _baselines() -> dict[str, int]:
    return json.loads(BASELINES.read_text()) if BASELINES.exists() else {}


def _count(client, url, query, name) -> tuple[int, int]:
    if name in READS_ITS_SOURCES:
        worklist.changed()  # as after any write: the page reads its sources (else it reads them kept)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query, HTTP_ACCEPT="text/html,application/json")
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(queries), response.status_code


# Pages that cost a known number of queries per row today: a finding for the module's owners. (The
# dashboard cost two per child unit until issue 18: it reads its children in bulk now.)
PER_ROW: dict[str, int] = {}
# Pages counted as they are after a write, reading their sources, not as kept (`worklist`): the work home.
READS_ITS_SOURCES = {"core:home"}
# Pages that cost a fixed number more once they list more than they show: the work home counts a source
# (one query) only when it has more than `worklist.LIMIT` lines, here the cases, documents and tasks.
BEYOND_LIMIT = {"core:home": 3}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_costs_the_same_with_3_or_30_rows_and_no_more_than_its_baseline(
    name, tree, personas, login, indicators
):
    urlname, kwargs, rows = PAGES[name]
    query = kwargs.get("?", {})
    kwargs = {k: v for k, v in kwargs.items() if k != "?"}
    url = reverse(urlname, kwargs=kwargs or None)
    world = SimpleNamespace(tree=tree, personas=personas)
    client = login(personas["admin"])
    rows(world, 0, FEW)
    client.get(url, query)  # warm the per-process caches and the periods prepared once
    few, _ = _count(client, url, query, name)
    rows(world, FEW, MANY)
    client.get(url, query)  # the rows written renewed the menu's counts: counted once more, then kept
    many, _ = _count(client, url, query, name)
    allowed = PER_ROW.get(name, 0) * (MANY - FEW) + BEYOND_LIMIT.get(name, 0)
    assert many - few <= allowed, (
        f"{name}: {few} queries with {FEW} rows, {many} with {MANY}: a query per row"
    )
    if os.environ.get("QUERY_BASELINES") == "record":
        recorded = _baselines()
        recorded[name] = few
        BASELINES.write_text(json.dumps(dict(sorted(recorded.items())), indent=2) + "\n")
        return
    baseline = _baselines().get(name)
    assert baseline is not None, f"{name}: no baseline recorded in {BASELINES.name} ({few} queries now)"
    assert few <= baseline, (
        f"{name}: {few} queries, above its baseline of {baseline}: find the query that came in, "
        f"or raise the baseline in {BASELINES.name} with the reason"
    )


def test_every_baseline_names_a_measured_page():
    assert set(_baselines()) <= set(PAGES), set(_baselines()) - set(PAGES)
