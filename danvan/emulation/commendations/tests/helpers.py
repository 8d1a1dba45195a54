"""Shared helpers of the commendation tests."""

import datetime

from danvan.accounts.actors import System
from danvan.emulation.commendations import services

SYSTEM = System("tests")
DAY = datetime.date(2025, 12, 15)


def spec(unit, **more) -> services.CommendationSpec:
    values = {
        "kind": "collective",
        "unit": unit,
        "form": "certificate",
        "decision_number": "125-QĐ/ĐUK",
        "decision_date": DAY,
        "reason": "Thành tích xuất sắc trong công tác dân vận",
        "year": 2025,
        "issuer_name": "Đảng ủy Khối các cơ quan tỉnh",
        **more,
    }
    return services.CommendationSpec(**values)
