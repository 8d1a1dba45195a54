"""Reminder kinds of the tests' own (not a test module): "note" reminds whoever the test says of whatever
notes the test says; "memo" never has anything to send."""

from dataclasses import dataclass

from danvan.reminders.kinds import Digests, Kind

PLAN: list = []  # (user, section, Note), filled through the `plan` fixture


@dataclass(frozen=True)
class Note:
    key: str
    text: str
    unit: object = None


def _collect(today) -> Digests:
    found = Digests()
    for user, section, note in PLAN:
        found.add(user, section, note)
    return found


def _context(sections, today) -> dict:
    return {"firsts": len(sections["first"])}


NOTES = Kind(
    name="note",
    label="Notes",
    subject_template="reminders_test/subject.txt",
    body_template="reminders_test/body.txt",
    sections=("first", "second"),
    collect=_collect,
    context=_context,
)
MEMOS = Kind(
    name="memo",
    label="Memos",
    subject_template="reminders_test/subject.txt",
    body_template="reminders_test/body.txt",
    sections=("first", "second"),
    collect=lambda today: Digests(),
    context=_context,
)
KINDS = (NOTES, MEMOS)  # registered in this order through the `plan` fixture
