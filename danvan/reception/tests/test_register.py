"""The reception register: numbering, sealed identities, accept -> case, bad input refused, masking."""

import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.reception import privacy, services
from danvan.reception.models import Entry, Handling, IdentityView
from danvan.voice.cases.models import Case, Channel, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.services import identity_keys_rotate

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
D = datetime.date
NAME = "Nguyễn Văn Tố"
ADDRESS = "12 Lê Lợi, Biên Hòa"


def spec(unit, **more):
    values = {
        "unit": unit,
        "received_on": D(LAST_YEAR, 3, 10),
        "kind": Kind.COMPLAINT_FIRST,
        "content": "Khiếu nại quyết định thu hồi đất của hộ gia đình.",
        "receiver": "Trần Thị Tiếp",
        "name": NAME,
        "address": ADDRESS,
        "id_number": "075123456789",
        "id_issued_on": D(2021, 5, 4),
        "id_issued_by": "Cục Cảnh sát QLHC về TTXH",
    }
    values.update(more)
    return services.NewEntry(**values)


def test_entries_are_numbered_per_unit_and_year(tree):
    first = services.entry_record(spec=spec(tree.stp), by=SYSTEM)
    second = services.entry_record(spec=spec(tree.stp, received_on=D(LAST_YEAR, 4, 1)), by=SYSTEM)
    earlier = services.entry_record(spec=spec(tree.stp, received_on=D(LAST_YEAR - 1, 12, 30)), by=SYSTEM)
    elsewhere = services.entry_record(spec=spec(tree.syt), by=SYSTEM)
    assert [(e.year, e.number) for e in (first, second, earlier, elsewhere)] == [
        (LAST_YEAR, 1),
        (LAST_YEAR, 2),
        (LAST_YEAR - 1, 1),
        (LAST_YEAR, 1),
    ]


def test_the_identity_is_sealed_never_in_plain_text_nor_in_the_audit_log(tree):
    entry = services.entry_record(
        spec=spec(tree.stp, representatives=["Lê Văn Đại"], people_count=3), by=SYSTEM
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reception_entry WHERE id = %s", [entry.pk])
        stored = repr(cursor.fetchall())
    assert "075123456789" not in stored and "Nguy" not in stored and "Lê Lợi" not in stored
    assert privacy.unseal(Entry.objects.get(pk=entry.pk).ciphertext) == {
        "name": NAME,
        "address": ADDRESS,
        "id_number": "075123456789",
        "id_issued_on": "2021-05-04",
        "id_issued_by": "Cục Cảnh sát QLHC về TTXH",
        "representatives": ["Lê Văn Đại"],
    }
    created = AuditEvent.objects.get(model="reception.entry", object_id=str(entry.pk))
    assert created.unit_code == "STP"
    assert "ciphertext" not in created.changes and NAME not in repr(created.changes)


def test_accepting_receives_a_desk_case_at_the_same_unit_in_the_same_transaction(tree, personas):
    handler = personas["case_handler"]
    entry = services.entry_record(spec=spec(tree.stp, handling=Handling.ACCEPT, people_count=2), by=handler)
    case = entry.case
    assert (case.unit, case.channel, case.kind, case.people_count) == (tree.stp, Channel.DESK, entry.kind, 2)
    assert case.received_on == entry.received_on and case.content == entry.content
    assert crypto.decrypt(case.identity.ciphertext) == {
        "name": NAME,
        "address": ADDRESS,
        "id_number": "075123456789",
    }
    assert case.events.get().actor == handler


def test_an_entry_recorded_without_a_decision_is_handled_once(tree, personas):
    entry = services.entry_record(spec=spec(tree.stp, kind=Kind.DENUNCIATION), by=SYSTEM)
    assert entry.case is None and not entry.handling
    services.entry_handle(entry=entry, handling=Handling.ACCEPT, by=personas["case_handler"])
    entry.refresh_from_db()
    assert entry.case.identity_protected and entry.case.unit == tree.stp
    with pytest.raises(ValidationError) as refused:
        services.entry_handle(
            entry=entry, handling=Handling.TRANSFER, transfer_to="Thanh tra tỉnh", by=SYSTEM
        )
    assert "đã được xử lý" in refused.value.message_dict["handling"][0]
    assert Case.objects.count() == 1


def test_return_and_transfer_open_no_case(tree):
    returned = services.entry_record(
        spec=spec(tree.stp, handling=Handling.RETURN, guidance="Hướng dẫn gửi đơn đến Tòa án nhân dân tỉnh."),
        by=SYSTEM,
    )
    moved = services.entry_record(
        spec=spec(tree.stp, handling=Handling.TRANSFER, transfer_to="Sở Tài nguyên"), by=SYSTEM
    )
    assert returned.case is None and moved.case is None and Case.objects.count() == 0
    assert moved.transfer_to == "Sở Tài nguyên"


FUTURE = object()  # tomorrow, reckoned when the test runs (a run can cross midnight)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "họ và tên"),
        ({"received_on": FUTURE}, "received_on", "tương lai"),
        ({"handling": Handling.TRANSFER, "transfer_to": "  "}, "transfer_to", "được chuyển đến"),
        ({"handling": Handling.ACCEPT, "people_count": -3}, "people_count", "số người"),
        ({"people_count": 0}, "people_count", "số người"),
        ({"handling": Handling.RETURN}, "guidance", "hướng dẫn"),
        ({"id_number": "", "id_issued_on": D(2020, 1, 1)}, "id_number", "số giấy tờ"),
        ({"anonymous": True}, "anonymous", "ẩn danh"),
        ({"receiver": ""}, "receiver", "người tiếp"),
        ({"content": ""}, "content", "nội dung"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(tree, changes, field, message):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    changes = {name: tomorrow if value is FUTURE else value for name, value in changes.items()}
    with pytest.raises(ValidationError) as refused:
        services.entry_record(spec=spec(tree.stp, **changes), by=SYSTEM)
    assert message in " ".join(refused.value.message_dict[field]).lower()
    assert Entry.objects.count() == 0 and Case.objects.count() == 0
    assert not AuditEvent.objects.filter(model="reception.entry").exists()


def test_feedback_may_be_anonymous_and_carries_no_identity(tree):
    entry = services.entry_record(
        spec=spec(
            tree.stp,
            kind=Kind.FEEDBACK,
            anonymous=True,
            name="",
            address="",
            id_number="",
            id_issued_on=None,
            id_issued_by="",
            handling=Handling.ACCEPT,
        ),
        by=SYSTEM,
    )
    assert bytes(entry.ciphertext) == b"" and entry.case.anonymous
    assert privacy.shown_identity(None, entry) == "(ẩn danh)"


def test_a_denunciations_identity_is_shown_only_to_the_case_handlers_of_the_unit(tree, personas):
    above = make_user("handler_duk", unit=tree.root, role=Role.CASE_HANDLER)
    entry = services.entry_record(spec=spec(tree.stp, kind=Kind.DENUNCIATION), by=SYSTEM)
    shown = privacy.shown_identity(personas["case_handler"], entry)
    assert NAME in shown and "075123456789" in shown and "04/05/2021" in shown
    for user in (personas["unit_head"], personas["mobilisation_officer"], personas["admin"], above):
        assert privacy.shown_identity(user, entry) == "(được bảo vệ)"
    complaint = services.entry_record(spec=spec(tree.stp), by=SYSTEM)
    assert NAME in privacy.shown_identity(personas["unit_head"], complaint)


def test_identity_views_are_written_once(tree, personas):
    entry = services.entry_record(spec=spec(tree.stp, kind=Kind.DENUNCIATION), by=SYSTEM)
    privacy.log_views(personas["case_handler"], [entry], "entry")
    view = IdentityView.objects.get()
    with pytest.raises(ValueError):
        view.save()
    with pytest.raises(ValueError):
        view.delete()


def test_rotating_the_identity_key_reseals_the_register(tree, settings):
    entry = services.entry_record(spec=spec(tree.stp), by=SYSTEM)
    old, new = settings.IDENTITY_KEYS[0], Fernet.generate_key().decode()
    settings.IDENTITY_KEYS = [new, old]
    assert identity_keys_rotate(by=SYSTEM).others == 1
    settings.IDENTITY_KEYS = [new]  # the old key dropped: the register still reads
    entry.refresh_from_db()
    assert privacy.unseal(entry.ciphertext)["name"] == NAME
