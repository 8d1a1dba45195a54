"""Search over the register ignores diacritics and case (SQLite and PostgreSQL) and follows the policy."""

import datetime

import pytest

from danvan.directives import selectors

from .register_helpers import CONG_VAN_84, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(tree):
    return {
        "cong_van": register(tree.stp, body=CONG_VAN_84),
        "resolution": register(
            tree.stp,
            "25-NQ/TW",
            issuer="Ban Chấp hành Trung ương",
            day=datetime.date(2013, 6, 3),
            subject="Về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác Dân vận trong tình hình mới",
            direction="in",
        ),
        "health": register(
            tree.syt,
            "12-KH/ĐU",
            issuer="Đảng ủy Sở Y tế",
            day=datetime.date(2014, 7, 1),
            subject="Kế hoạch khám sức khỏe định kỳ",
        ),
    }


def _numbers(user, query="", **filters):
    return {d.number_symbol for d in selectors.search(user, query, **filters)}


def test_search_ignores_diacritics_and_case(documents, personas):
    officer = personas["mobilisation_officer"]
    assert _numbers(officer, "nghi quyet 25") == {"25-NQ/TW", "84-CV/ĐU"}  # the công văn cites it in full
    assert _numbers(officer, "NGHỊ QUYẾT 25-nq/tw") == {"25-NQ/TW", "84-CV/ĐU"}
    assert _numbers(officer, "dan van") == {"25-NQ/TW", "84-CV/ĐU"}
    assert _numbers(officer, "Phan Văn Châu") == {"84-CV/ĐU"}  # the signer, in the text
    assert _numbers(officer, "truy cap van ban bien hoa") == {"84-CV/ĐU"}
    assert _numbers(officer, "dan van khong co dau nay") == set()


def test_filters_by_type_direction_issuer_and_year(documents, personas):
    officer = personas["mobilisation_officer"]
    assert _numbers(officer, doc_type="NQ") == {"25-NQ/TW"}
    assert _numbers(officer, direction="out") == {"84-CV/ĐU"}
    assert _numbers(officer, issuer="ban chap hanh") == {"25-NQ/TW"}
    assert _numbers(officer, year=2014) == {"84-CV/ĐU"}


def test_a_user_sees_only_the_registers_of_their_subtree(documents, personas):
    assert _numbers(personas["outsider"]) == {"12-KH/ĐU"}  # SYT's officer: none of STP's documents
    assert _numbers(personas["outsider"], "dan van") == set()
    assert _numbers(personas["viewer"]) == {"25-NQ/TW", "84-CV/ĐU"}
    assert _numbers(personas["admin"]) == {"25-NQ/TW", "84-CV/ĐU", "12-KH/ĐU"}
    assert _numbers(personas["case_handler"]) == set()  # no DOCUMENT_VIEW
    assert _numbers(personas["nobody"]) == set()
