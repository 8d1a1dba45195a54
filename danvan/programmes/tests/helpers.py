"""Shared material: seed 004 (the công văn 84-CV/ĐU followed by Chương trình 60-CTr/ĐUK) and a document."""

import datetime
from pathlib import Path

from danvan.accounts.actors import System
from danvan.directives import services as directive_services

SYSTEM = System("tests")

SEED_004_TEXT = (Path(__file__).parent / "data" / "seed_004.txt").read_text(encoding="utf-8")


def register_document(unit, body=SEED_004_TEXT, number_symbol="84-CV/ĐU", day=datetime.date(2014, 6, 6)):
    spec = directive_services.DocumentSpec(
        unit=unit,
        direction="out",
        doc_type="CV",
        number_symbol=number_symbol,
        issuer="Đảng ủy Sở Tư pháp",
        issued_on=day,
        subject="Triển khai thực hiện Chương trình hành động của Đảng ủy Khối",
        body=body,
    )
    return directive_services.document_save(spec=spec, by=SYSTEM)
