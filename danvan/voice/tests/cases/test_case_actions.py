"""The actions on a case are declared once (`workflow.ACTIONS`): the case file and the API offer exactly them.

Each test reads the declaration (an action's name, the states it starts from, whether the case file
has a form for it, its refusal, its API summary) and checks a page or an endpoint against it, so a
page or an endpoint that decides on its own which actions exist, or when, fails here.
"""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.voice.cases import services as cases
from danvan.voice.cases import workflow
from danvan.voice.cases.models import Case, Kind, State

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(tree, rules):
    """A complaint received at STP a month ago (no notification period runs for it)."""
    spec = cases.NewCase(
        unit=tree.stp,
        kind=Kind.COMPLAINT_FIRST,
        channel="desk",
        subject="Khiếu nại về tiền bồi thường giải phóng mặt bằng",
        content="Nội dung khiếu nại chi tiết.",
        received_on=timezone.localdate() - datetime.timedelta(days=30),
        identity={"name": "Nguyễn Văn Bình", "address": "34 Hùng Vương, phường Thống Nhất"},
    )
    return cases.case_receive(by=SYSTEM, spec=spec)[0]


def put_in(case: Case, state: str) -> Case:
    paused_from = State.ACCEPTED if state == State.PAUSED else ""
    Case.objects.filter(pk=case.pk).update(state=state, paused_from=paused_from)
    return Case.objects.get(pk=case.pk)


def declared(state: str, *, on_page: bool = False) -> set[str]:
    return {
        spec.action for spec in workflow.ACTIONS if state in spec.sources and (spec.on_page or not on_page)
    }


@pytest.mark.parametrize("state", State.values)
def test_the_api_lists_exactly_the_declared_actions_of_the_state(case, personas, api, state):
    put_in(case, state)
    detail = api(personas["case_handler"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert set(detail["actions"]) == declared(state)


@pytest.mark.parametrize("state", State.values)
def test_the_case_file_offers_a_form_for_exactly_the_declared_actions_of_the_state(
    case, personas, login, state
):
    put_in(case, state)
    page = login(personas["case_handler"]).get(reverse("voice:case_detail", args=[case.pk])).content.decode()
    offered = re.findall(r'id="action-([a-z]+)"', page)
    # In the declared order; notifying also needs a running notification period, which this case lacks.
    expected = declared(state, on_page=True) - {"notify"}
    assert offered == [name for name in workflow.allowed(state) if name in expected]


def test_every_declared_action_is_an_api_endpoint_with_its_summary_and_there_are_no_others(login, personas):
    paths = login(personas["nobody"]).get("/api/schema/", {"format": "json"}).json()["paths"]
    expected = {f"/api/v1/cases/{{id}}/{spec.action}/": spec.summary for spec in workflow.ACTIONS}
    posts = {
        path: item["post"]["summary"]
        for path, item in paths.items()
        if re.fullmatch(r"/api/v1/cases/\{id\}/[a-z_]+/", path) and "post" in item
    }
    assert posts == expected
    for spec in workflow.ACTIONS:
        assert reverse(f"case-{spec.action}", args=[7]) == f"/api/v1/cases/7/{spec.action}/"


@pytest.mark.parametrize("action", [spec.action for spec in workflow.ACTIONS if spec.on_page])
def test_an_action_the_state_does_not_allow_is_refused_on_the_case_file_with_the_declared_refusal(
    case, personas, login, action
):
    state = next(state for state in State.values if state not in workflow.SPEC[action].sources)
    case = put_in(case, state)
    events = case.events.count()
    answer = login(personas["case_handler"]).post(reverse("voice:case_action", args=[case.pk, action]), {})
    assert answer.status_code == 302
    assert workflow.refusal(case, action) in [str(m) for m in get_messages(answer.wsgi_request)]
    assert Case.objects.get(pk=case.pk).state == state and case.events.count() == events


def test_every_page_action_has_a_form_and_every_form_a_declared_action():
    from danvan.voice.cases.forms import _FORMS, ACTION_FORMS

    assert list(ACTION_FORMS) == [spec.action for spec in workflow.ACTIONS if spec.on_page]
    assert set(_FORMS) == set(ACTION_FORMS)
    assert all(form.action == name for name, form in ACTION_FORMS.items())
