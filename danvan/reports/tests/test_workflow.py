"""The report workflow is declared once (`reports.workflow.STEPS`): the grid and the API offer exactly it.

Each test reads the declaration (a step's name, from-states, target, rule, reason, styling, summary)
and checks a page or an endpoint against it, so a page or endpoint that lists actions of its own, or
forgets one, fails here.
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.reports import services, workflow
from danvan.reports.models import Report

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

FORM = "BC-DV-6T"
SIGNOFF = {
    False: SimpleNamespace(requires_head_signoff=False),
    True: SimpleNamespace(requires_head_signoff=True),
}
# (step, state, the form asks for the head's sign-off): every state each step starts from, on either kind of form
STEP_IN_STATE = [
    (step.name, state, signoff)
    for step in workflow.STEPS
    for signoff in (False, True)
    for state in sorted(step.starts_from(SIGNOFF[signoff]))
]
BUTTON = re.compile(
    r'name="action" value="(?P<name>[a-z_]+)">(?P<between>.*?)<button type="submit"(?P<secondary> class="secondary")?>',
    re.DOTALL,
)


@pytest.fixture
def report(indicators, tree):
    """STP's 2026S1 report, with values that pass the form's rules (so it may be submitted)."""
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms[FORM], unit=tree.stp, period=period, by=SYSTEM)
    services.values_save(report=report, values={"MEMBERS_TOTAL": 100, "MEMBERS_ACTIVE": 90}, by=SYSTEM)
    return report


def put_in(report: Report, state: str, signoff: bool = False) -> Report:
    Report.objects.filter(pk=report.pk).update(status=state)
    type(report.form).objects.filter(pk=report.form_id).update(requires_head_signoff=signoff)
    return Report.objects.get(pk=report.pk)


def holder(personas, rule: workflow.Rule):
    """Someone who satisfies `rule` on STP: its reporter for the unit, its head to sign off, the bloc
    admin above it."""
    return {workflow.Rule.UNIT: personas["reporter"], workflow.Rule.HEAD: personas["unit_head"]}.get(
        rule, personas["admin"]
    )


def buttons(client) -> dict[str, dict]:
    html = client.get(reverse("reports:grid", args=[FORM, "STP", "2026S1"])).content.decode()
    return {
        found["name"]: {"reason": 'name="reason"' in found["between"], "primary": not found["secondary"]}
        for found in BUTTON.finditer(html)
    }


@pytest.mark.parametrize("signoff", [False, True])
@pytest.mark.parametrize("state", Report.Status.values)
@pytest.mark.parametrize("who", ["reporter", "unit_head", "admin", "viewer"])
def test_the_grid_offers_exactly_the_declared_steps_of_the_state_that_the_user_may_take(
    report, personas, login, tree, state, who, signoff
):
    put_in(report, state, signoff)
    user = personas[who]
    expected = {
        step.name: {"reason": step.reason, "primary": step.primary}
        for step in workflow.STEPS
        if state in step.starts_from(SIGNOFF[signoff]) and workflow.holds(user, step.rule, tree.stp)
    }
    assert buttons(login(user)) == expected


def test_every_rule_is_held_by_someone_and_not_by_everyone(personas, tree):
    for rule in workflow.Rule:
        assert workflow.holds(holder(personas, rule), rule, tree.stp)
    assert not workflow.holds(personas["reporter"], workflow.Rule.ABOVE, tree.stp)
    assert not workflow.holds(personas["viewer"], workflow.Rule.UNIT, tree.stp)
    assert not workflow.holds(personas["admin"], workflow.Rule.HEAD, tree.stp)  # a head of its own unit only


@pytest.mark.parametrize("name,state,signoff", STEP_IN_STATE)
def test_every_declared_step_is_offered_and_taken_on_the_grid_from_each_of_its_states(
    report, personas, login, name, state, signoff
):
    step = workflow.STEP[name]
    report = put_in(report, state, signoff)
    client = login(holder(personas, step.rule))
    assert name in buttons(client)
    answer = client.post(
        reverse("reports:grid_action", args=[FORM, "STP", "2026S1"]),
        {"action": name, "revision": report.revision, "reason": "Số liệu cần xem lại"},
        follow=True,
    )
    assert answer.status_code == 200
    assert Report.objects.get(pk=report.pk).status == step.target
    assert [str(m) for m in answer.context["messages"]] == [str(step.done)]


@pytest.mark.parametrize("name,state,signoff", STEP_IN_STATE)
def test_every_declared_step_is_an_api_endpoint_taken_from_each_of_its_states(
    report, personas, api, name, state, signoff
):
    step = workflow.STEP[name]
    report = put_in(report, state, signoff)
    url = reverse(f"report-{name}", args=[report.pk])
    assert url == f"/api/v1/reports/{report.pk}/{name}/"
    client = api(holder(personas, step.rule))
    if step.reason:
        refused = client.post(url, {"revision": report.revision}, format="json")
        assert refused.status_code == 400 and "reason" in refused.json()
    answer = client.post(url, {"revision": report.revision, "reason": "Số liệu cần xem lại"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == step.target


@pytest.mark.parametrize("name", workflow.NAMES)
def test_a_step_from_a_state_it_does_not_start_from_is_refused_by_the_api(report, personas, api, name):
    step = workflow.STEP[name]
    starts = step.starts_from(SIGNOFF[True])
    state = next(s for s in Report.Status.values if s not in starts and s != step.target)
    report = put_in(report, state, True)
    answer = api(holder(personas, step.rule)).post(
        reverse(f"report-{name}", args=[report.pk]),
        {"revision": report.revision, "reason": "x"},
        format="json",
    )
    assert answer.status_code == 400
    assert Report.objects.get(pk=report.pk).status == state


def test_the_schema_has_one_endpoint_per_declared_step_with_its_summary(login, personas):
    paths = login(personas["nobody"]).get("/api/schema/", {"format": "json"}).json()["paths"]
    declared = {f"/api/v1/reports/{{id}}/{step.name}/": step.summary for step in workflow.STEPS}
    offered = {path: item["post"]["summary"] for path, item in paths.items() if path in declared}
    assert offered == declared
    workflow_paths = {
        path
        for path in paths
        if re.fullmatch(r"/api/v1/reports/\{id\}/[a-z_]+/", path) and "post" in paths[path]
    }
    assert workflow_paths == set(declared)
