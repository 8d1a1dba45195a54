"""Shared material of the register tests: seed 004's công văn and a quick way to register documents."""

import datetime
from pathlib import Path

from danvan.accounts.actors import System
from danvan.directives import services

SYSTEM = System("tests")

_DATA = Path(__file__).parent / "register_data"

# Seed 004 (/work/shared/seeds) kept beside the tests: the công văn 84-CV/ĐU of Đảng ủy Sở Tư pháp,
# then the programme 60-CTr/ĐUK it passes on. CONG_VAN_84 is its first part, up to the signature.
SEED_004_TEXT = (_DATA / "seed_004.txt").read_text(encoding="utf-8")
CONG_VAN_84 = (_DATA / "seed_004_cong_van.txt").read_text(encoding="utf-8")


def spec(
    unit, number_symbol="84-CV/ĐU", *, issuer="Đảng ủy Sở Tư pháp", day=datetime.date(2014, 6, 6), **extra
):
    values = {
        "unit": unit,
        "direction": "out",
        "doc_type": number_symbol.split("-")[1].split("/")[0] if "-" in number_symbol else "CV",
        "number_symbol": number_symbol,
        "issuer": issuer,
        "issued_on": day,
        "subject": "Triển khai thực hiện Chương trình hành động của Đảng ủy Khối",
    }
    values.update(extra)
    return services.DocumentSpec(**values)


def register(unit, number_symbol="84-CV/ĐU", *, by=SYSTEM, **extra):
    return services.document_save(spec=spec(unit, number_symbol, **extra), by=by)
