"""Documents of the register in the one search: found by number and symbol, subject and text, by those
who may open them (the register's unit, the units it was sent to for study), kept current by the services."""

import datetime

import pytest

from danvan.accounts.models import User
from danvan.directives import dissemination, indexing
from danvan.search import selectors
from danvan.search import services as search
from danvan.search.models import Entry

from .register_helpers import SYSTEM, register, spec

pytestmark = pytest.mark.django_db

BODY = "Các chi bộ tổ chức quán triệt đến toàn thể đảng viên; đồng chí Bí thư chi bộ chịu trách nhiệm."


def found(user, query):
    return [(result.kind, result.title) for result in selectors.search(user, query).results]


def documents(user, query):
    return [title for kind, title in found(user, query) if kind == indexing.KIND]


def api_titles(api, user, query):
    response = api(user).get("/api/v1/search/", {"q": query})
    assert response.status_code == 200
    return [result["title"] for result in response.json()["results"] if result["type"] == indexing.KIND]


def root():
    return User.objects.create_superuser(username="root", password="x-mat-khau-9")


def test_found_by_number_and_symbol_first_by_words_with_or_without_accents(tree, personas):
    own = register(tree.stp, body=BODY, signer="Nguyễn Văn Ký", signer_title="Bí thư")
    register(tree.stp, "184-CV/ĐU", subject="Về việc khác")
    register(
        tree.stp, "85-CV/ĐU", subject="Về việc thực hiện", body="Thực hiện Công văn số 84-CV/ĐU của Đảng ủy."
    )
    officer = personas["mobilisation_officer"]
    title = "84-CV/ĐU Triển khai thực hiện Chương trình hành động của Đảng ủy Khối"
    assert documents(officer, "84-CV/ĐU")[0] == title
    assert "184-CV/ĐU Về việc khác" not in documents(officer, "84-CV/ĐU")
    assert documents(officer, "84/CV")[0] == title
    assert documents(officer, "quan triet dang vien") == [title]  # the text, accents left out
    assert documents(officer, "quán triệt đảng viên") == [title]
    assert documents(officer, "quan triet dang vien chi bo nguyen van ky") == [title]  # the signer
    [result] = [r for r in selectors.search(officer, "quan triet").results if r.kind == indexing.KIND]
    assert result.context == "Công văn · 06/06/2014 · Đảng ủy Sở Tư pháp"
    assert result.url == f"/directives/{own.pk}/" and result.label == "Văn bản"


def test_seen_at_the_register_and_where_it_was_sent_for_study(tree, personas, api):
    document = register(tree.root, "60-CTr/ĐUK", issuer="Đảng ủy Khối", body=BODY)
    title = document.number_symbol + " " + document.subject
    stp_officer, outsider = personas["mobilisation_officer"], personas["outsider"]
    assert documents(stp_officer, "60-CTr/ĐUK") == [] and api_titles(api, outsider, "60-CTr/ĐUK") == []
    assert documents(personas["admin"], "60-CTr/ĐUK") == [title]
    dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM)
    assert documents(stp_officer, "60-CTr/ĐUK") == [title]  # STP-CB1 is in STP's subtree
    assert api_titles(api, stp_officer, "60-CTr/ĐUK") == [title]
    assert documents(outsider, "60-CTr/ĐUK") == [] and api_titles(api, outsider, "60-CTr/ĐUK") == []
    assert documents(personas["case_handler"], "60-CTr/ĐUK") == []  # no DOCUMENT_VIEW
    dissemination.send(document=document, units=[tree.syt_cb1, tree.stp_cb1], by=SYSTEM)
    assert documents(outsider, "60-CTr/ĐUK") == [title]
    assert api_titles(api, outsider, "60-CTr/ĐUK") == [title]


def test_a_document_of_another_unit_is_not_found(tree, personas, api):
    register(tree.stp, body=BODY)
    assert documents(personas["outsider"], "84-CV/ĐU") == []
    assert api_titles(api, personas["outsider"], "quan triet") == []
    assert documents(personas["nobody"], "84-CV/ĐU") == []


def test_a_correction_is_found_by_its_new_words_not_the_old(tree, personas):
    document = register(tree.stp, body=BODY)
    officer = personas["mobilisation_officer"]
    corrected = spec(
        tree.stp, "86-CV/ĐU", subject="Về việc tổ chức đối thoại với thanh niên", body="Hội nghị đối thoại."
    )
    from danvan.directives import services

    services.document_save(spec=corrected, document=document, by=SYSTEM)
    assert documents(officer, "86-CV/ĐU") == ["86-CV/ĐU Về việc tổ chức đối thoại với thanh niên"]
    assert documents(officer, "84-CV/ĐU") == []
    assert documents(officer, "quan triet") == []
    assert documents(officer, "doi thoai thanh nien") == ["86-CV/ĐU Về việc tổ chức đối thoại với thanh niên"]
    assert Entry.objects.filter(kind=indexing.KIND).count() == 1


def _entries() -> list[tuple]:
    return sorted(
        (
            entry.object_id,
            entry.perm,
            entry.unit_path,
            entry.title,
            entry.context,
            entry.text,
            entry.url,
            entry.title_tokens,
            entry.body_tokens,
            tuple(sorted(entry.reach.values_list("path", flat=True))),
        )
        for entry in Entry.objects.filter(kind=indexing.KIND)
    )


def test_reindex_gives_the_entries_the_services_made(tree, personas):
    register(tree.stp, body=BODY)
    sent = register(tree.root, "60-CTr/ĐUK", issuer="Đảng ủy Khối", day=datetime.date(2014, 5, 5))
    dissemination.send(document=sent, units=[tree.stp_cb1, tree.syt_cb1], by=SYSTEM)
    made = _entries()
    assert len(made) == 2 and made[1][-1] == tuple(sorted([tree.stp_cb1.path, tree.syt_cb1.path]))
    Entry.objects.filter(kind=indexing.KIND).delete()
    assert search.reindex(kind=indexing.KIND) == {indexing.KIND: 2}
    assert _entries() == made
    assert documents(root(), "60-CTr/ĐUK") == [sent.number_symbol + " " + sent.subject]
