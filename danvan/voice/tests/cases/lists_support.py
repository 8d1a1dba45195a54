"""Helpers shared by the tests of the lists, statistics, patterns and reminders (not a test module)."""

import datetime

from danvan.accounts.actors import System
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Kind

SYSTEM = System("tests")

PERSON = {"name": "Nguyễn Văn An", "address": "12 Lê Lợi, Biên Hòa", "phone": "0912 345 678"}
OTHER_PERSON = {"name": "Trần Thị Bình", "address": "5 Hùng Vương, Biên Hòa", "phone": "0987 654 321"}
LETTER = (
    "Chúng tôi đề nghị cơ quan xem xét việc thu hồi đất tại tổ 5 khu phố 3 phường Tân Mai, "
    "việc bồi thường chưa đúng quy định và chưa công khai phương án cho người dân được biết."
)


def receive(unit, *, kind=Kind.COMPLAINT_FIRST, day=datetime.date(2026, 3, 2), **more):
    """A case received through the service (the identity of PERSON unless anonymous or given)."""
    anonymous = more.pop("anonymous", False)
    spec = cases.NewCase(
        unit=unit,
        kind=kind,
        channel=more.pop("channel", "desk"),
        subject=more.pop("subject", "Khiếu nại quyết định thu hồi đất"),
        content=more.pop("content", "Nội dung khiếu nại chi tiết."),  # too short to be compared
        received_on=day,
        anonymous=anonymous,
        identity=None if anonymous else more.pop("identity", PERSON),
        **more,
    )
    return cases.case_receive(by=SYSTEM, spec=spec)[0]


def resolve(case, *, accepted: datetime.date, decided: datetime.date):
    """Accept the case on `accepted` and resolve it on `decided`."""
    cases.case_accept(by=SYSTEM, case=case, day=accepted)
    return cases.case_resolve(
        by=SYSTEM, case=case, decision_number="01/QĐ-GQKN", decision_date=decided, summary="Giải quyết xong."
    )
