"""A programme pre-filled from a document: lead units only when sure, deadlines as the text writes them."""

import datetime

import pytest

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.programmes import services, specs
from danvan.programmes.models import DueRule, TaskKind

from .helpers import register_document

SYSTEM = System("tests")
D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def bloc_bodies(tree):
    """The bloc's own bodies, as units under the bloc (as an installation may register them)."""
    return {
        "btg": make_unit(tree.catalogue, "BTG", "Ban Tuyên giáo Đảng ủy Khối", "agency", tree.root),
        "vp": make_unit(tree.catalogue, "VP", "Văn phòng Đảng ủy Khối", "agency", tree.root),
        "ubkt": make_unit(tree.catalogue, "UBKT", "Ủy ban Kiểm tra Đảng ủy Khối", "agency", tree.root),
    }


def test_a_lead_is_a_unit_only_when_its_name_is_sure(tree, bloc_bodies):
    stp = tree.stp
    assert specs.resolve_lead(stp, "chi bo 1") == tree.stp_cb1  # without accents
    assert specs.resolve_lead(stp, "CHI BỘ 2") == tree.stp_cb2  # any case
    assert specs.resolve_lead(tree.root, "ban tuyên giáo đảng ủy khối") == bloc_bodies["btg"]
    assert specs.resolve_lead(tree.root, "UBKTĐUK") == bloc_bodies["ubkt"]  # an abbreviation in capitals
    # a part of a name, or a name containing one, is not sure
    assert specs.resolve_lead(tree.root, "Ban Tuyên giáo") is None
    assert (
        specs.resolve_lead(tree.root, "Văn phòng") is None
    )  # "Chi bộ Văn phòng" and "Văn phòng Đảng ủy Khối"
    assert specs.resolve_lead(stp, "Chi bộ 1, 2, 3 và 4") is None
    assert specs.resolve_lead(stp, "Đảng ủy Sở Tư pháp và các chi bộ") is None
    # phrases naming nobody in particular
    for generic in ("các cơ quan, đơn vị", "Cấp ủy các cấp", "các chi bộ", "mỗi cán bộ, đảng viên"):
        assert specs.resolve_lead(tree.root, generic) is None, generic
    # two units of the same name: not sure which
    make_unit(tree.catalogue, "SYT-CB2", "Chi bộ 2", "cell", tree.syt)
    assert specs.resolve_lead(tree.root, "Chi bộ 2") is None
    assert specs.resolve_lead(stp, "Chi bộ 2") == tree.stp_cb2  # within STP's tree it is sure


def test_seed_004_on_the_bloc_matches_the_bodies_the_bloc_has(tree, bloc_bodies):
    document = register_document(tree.root)
    programme = services.programme_create(document=document, by=SYSTEM)
    tasks = {task.order: task for task in programme.tasks.filter(kind=TaskKind.TASK)}
    assert len(tasks) == 19
    led = {order: task.lead for order, task in tasks.items() if task.lead_id}
    # "Giao Ban Tuyên giáo Đảng ủy khối …", "Ban Tuyên giáo Đảng ủy khối chủ trì …" (items 1, 2, 7 and
    # item 5 of "Tổ chức thực hiện"); not "Ban Tuyên giáo phối hợp …" nor "Ban Tuyên giáo của Đảng ủy"
    assert led == {
        2: bloc_bodies["btg"],
        5: bloc_bodies["btg"],
        14: bloc_bodies["btg"],
        19: bloc_bodies["btg"],
    }
    assert tasks[3].lead is None and tasks[3].lead_text == "Ban Tuyên giáo"
    assert tasks[15].lead is None and tasks[15].lead_text == "Các cấp ủy đảng trực thuộc"
    assert tasks[1].lead is None and tasks[1].lead_text == ""  # an item naming nobody
    # coordinating bodies the same way: "Văn phòng Đảng ủy khối" is a unit, "các ban" is not
    assert list(tasks[14].coordinating.all()) == [bloc_bodies["vp"]]
    assert tasks[14].coordinating_text == ["Ủy ban Kiểm tra", "các ban", "Văn phòng Đảng ủy khối"]


def test_deadlines_are_taken_from_the_text(tree):
    body = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Giao Chi bộ 1 chủ trì tổ chức hội nghị chuyên đề trong quý III/2026.\n"
        "2. Giao Chi bộ 2 chủ trì xây dựng quy chế phối hợp, hoàn thành trước 30/6/2027.\n"
        "3. Giao Chi bộ 1 tổng hợp, báo cáo kết quả trước ngày 15/12 hằng năm.\n"
        "4. Định kỳ 6 tháng, Chi bộ 2 báo cáo Đảng ủy trước ngày 15/6 hằng năm.\n"
        "5. Giao Chi bộ 2 chủ trì, thường xuyên theo dõi, đôn đốc việc thực hiện.\n"
        "6. Các cơ quan, đơn vị nâng cao chất lượng sinh hoạt chuyên đề"
    )
    document = register_document(tree.stp, body=body, number_symbol="92-KH/ĐU", day=D(2026, 1, 5))
    programme = services.programme_create(document=document, starts_on=D(2026, 1, 5), by=SYSTEM)
    rules = [
        (task.lead, task.rule, task.due_on, task.day, task.month)
        for task in programme.tasks.order_by("order")
    ]
    assert rules == [
        (tree.stp_cb1, DueRule.FIXED, D(2026, 9, 30), None, None),
        (tree.stp_cb2, DueRule.FIXED, D(2027, 6, 30), None, None),
        (tree.stp_cb1, DueRule.ANNUAL, None, 15, 12),
        (tree.stp_cb2, DueRule.SEMIANNUAL, None, 15, 6),
        (tree.stp_cb2, DueRule.ONGOING, None, None, None),
        (None, DueRule.NONE, None, None, None),  # "các cơ quan, đơn vị": the user chooses
    ]
    ongoing = programme.tasks.get(order=5)
    assert list(ongoing.occurrences.values_list("due_on", flat=True)) == [None]
    assert str(ongoing.rule_text()) == "Thường xuyên, không có hạn"
    semiannual = programme.tasks.get(order=4)
    assert list(semiannual.occurrences.values_list("due_on", flat=True))[:2] == [
        D(2026, 6, 15),
        D(2026, 12, 15),
    ]
