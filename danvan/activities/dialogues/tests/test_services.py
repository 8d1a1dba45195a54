import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.activities.dialogues import services
from danvan.activities.dialogues.models import Audience, Dialogue, Issue, IssueState
from danvan.audit.models import AuditEvent

from .conftest import SYSTEM, D, spec

pytestmark = pytest.mark.django_db


def test_an_officer_records_a_dialogue_at_their_unit_and_it_is_audited(tree, personas, today):
    dialogue = services.dialogue_record(
        spec=spec(tree.stp_cb1, audience=Audience.CITIZENS), by=personas["mobilisation_officer"]
    )
    assert dialogue.unit == tree.stp_cb1 and dialogue.created_by == personas["mobilisation_officer"]
    issue = services.issue_add(
        dialogue=dialogue,
        content="Sửa đường",
        answerer="Phòng Kế hoạch",
        due_on=D(2026, 7, 1),
        by=personas["mobilisation_officer"],
    )
    assert issue.state == IssueState.OPEN
    assert AuditEvent.objects.filter(model="dialogues.dialogue", object_id=str(dialogue.pk)).exists()
    assert AuditEvent.objects.filter(model="dialogues.issue", object_id=str(issue.pk)).exists()


@pytest.mark.parametrize("persona", ["viewer", "case_handler", "nobody"])
def test_who_may_not_record_activities_is_refused(tree, personas, today, persona):
    with pytest.raises(PermissionDenied):
        services.dialogue_record(spec=spec(tree.stp), by=personas[persona])
    assert not Dialogue.objects.exists()


def test_a_unit_outside_the_scope_is_refused(tree, personas, today):
    with pytest.raises(PermissionDenied):
        services.dialogue_record(spec=spec(tree.syt), by=personas["mobilisation_officer"])
    dialogue = services.dialogue_record(spec=spec(tree.syt), by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.issue_add(dialogue=dialogue, content="X", by=personas["mobilisation_officer"])
    with pytest.raises(PermissionDenied):
        services.dialogue_delete(dialogue=dialogue, by=personas["mobilisation_officer"])
    # Moving one's own dialogue to a unit out of reach is refused in words, nothing changes.
    own = services.dialogue_record(spec=spec(tree.stp), by=personas["mobilisation_officer"])
    with pytest.raises(ValidationError) as error:
        services.dialogue_update(dialogue=own, spec=spec(tree.syt), by=personas["mobilisation_officer"])
    assert "nằm ngoài phạm vi" in error.value.message_dict["unit"][0]
    own.refresh_from_db()
    assert own.unit == tree.stp


def test_bad_input_is_refused_with_messages_per_field(tree, today):
    with pytest.raises(ValidationError) as error:
        services.dialogue_record(
            spec=spec(tree.stp, held_on=D(2026, 6, 16), leader_name=" ", participants=-1, audience="x"),
            by=SYSTEM,
        )
    errors = error.value.message_dict
    assert errors["held_on"] == ["Ngày không được sau ngày hôm nay (ở tương lai)."]
    assert set(errors) == {"held_on", "leader_name", "participants", "audience"}
    assert not Dialogue.objects.exists()


def test_an_issue_is_answered_then_closed(tree, today):
    dialogue = services.dialogue_record(spec=spec(tree.stp), by=SYSTEM)
    issue = services.issue_add(dialogue=dialogue, content="Chế độ trực", by=SYSTEM)
    common = {"content": "Chế độ trực", "answerer": "Văn phòng", "due_on": D(2026, 4, 1)}
    with pytest.raises(ValidationError) as error:
        services.issue_update(
            issue=issue, answer="", state=IssueState.ANSWERED, answered_on=None, by=SYSTEM, **common
        )
    assert set(error.value.message_dict) == {"answer", "answered_on"}
    with pytest.raises(ValidationError) as error:
        services.issue_update(
            issue=issue,
            answer="Đã bố trí",
            state=IssueState.ANSWERED,
            answered_on=D(2026, 1, 1),
            by=SYSTEM,
            **common,
        )
    assert "answered_on" in error.value.message_dict
    services.issue_update(
        issue=issue,
        answer="Đã bố trí",
        state=IssueState.CLOSED,
        answered_on=D(2026, 3, 20),
        by=SYSTEM,
        **common,
    )
    issue.refresh_from_db()
    assert (issue.state, issue.answered_on, issue.answerer) == (
        IssueState.CLOSED,
        D(2026, 3, 20),
        "Văn phòng",
    )
    with pytest.raises(ValidationError):  # due before the dialogue
        services.issue_add(dialogue=dialogue, content="Khác", due_on=D(2026, 1, 1), by=SYSTEM)
    assert Issue.objects.count() == 1
