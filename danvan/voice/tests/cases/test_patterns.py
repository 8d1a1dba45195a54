"""Patterns: duplicates and repeats found by fingerprint or content, mass and over-level marks, the flags page."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.voice.cases import patterns, selectors
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import CaseEvent, CaseFlag, CaseLink, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.models import CaseFingerprint, Identity

from .lists_support import LETTER, OTHER_PERSON, PERSON, receive, resolve

SYSTEM = System("tests")

D = datetime.date
Flag = CaseFlag.Kind
URL = reverse("voice:flags")


@pytest.fixture
def flagged(tree, rules):
    """The same letter from the same person to STP and to SYT: one duplicate across units."""
    first = receive(tree.stp, content=LETTER, day=D(2026, 3, 2))
    second = receive(tree.syt, content=LETTER, day=D(2026, 3, 5))
    return first, second


def _pairs(case):
    return {
        (f.kind, f.other_case_id, f.basis)
        for f in CaseFlag.objects.filter(case=case, other_case__isnull=False)
    }


def test_words_fold_accents_case_and_punctuation():
    assert patterns.words("Đường  LÊ-LỢI, phường Tân Mai!") == ["duong", "le", "loi", "phuong", "tan", "mai"]
    assert patterns.similarity(patterns.words(LETTER), patterns.words(LETTER.upper())) == 1.0


def test_the_same_letter_to_two_units_is_a_duplicate_by_submitter_and_content(flagged):
    first, second = flagged
    assert _pairs(second) == {(Flag.DUPLICATE, first.pk, CaseFlag.Basis.BOTH)}
    assert _pairs(first) == set()  # the flag stays on the newer case
    flag = CaseFlag.objects.get(case=second)
    assert flag.score == 1


def test_near_identical_content_without_accents_from_another_person_is_found(tree, rules):
    first = receive(tree.stp, content=LETTER, identity=PERSON)
    # Typed without accents, a word changed, another sender: the words still match at ≥ 0,9.
    retyped = (
        "Chung toi de nghi co quan xem xet viec thu hoi dat tai to 5 khu pho 3 phuong Tan Mai, "
        "viec boi thuong chua dung quy dinh va chua cong khai phuong an cho nhan dan duoc biet."
    )
    second = receive(tree.syt, content=retyped, identity=OTHER_PERSON, day=D(2026, 3, 4))
    ((kind, other, basis),) = _pairs(second)
    assert (kind, other, basis) == (Flag.DUPLICATE, first.pk, CaseFlag.Basis.CONTENT)
    assert 0.9 <= CaseFlag.objects.get(case=second).score < 1
    # A different letter from a different person is no match.
    third = receive(
        tree.syt,
        content="Đề nghị sửa chữa tuyến đường liên xã bị hư hỏng nặng sau mùa mưa lũ vừa qua ở xã Phú Lý.",
        identity={"name": "Lê Văn Cường", "address": "Phú Lý, Vĩnh Cửu"},
        day=D(2026, 3, 4),
    )
    assert _pairs(third) == set()


def test_the_same_submitter_is_found_by_fingerprint_without_decrypting(tree, rules, monkeypatch):
    first = receive(tree.stp, content="Việc thứ nhất.", identity=PERSON)

    def refuse(token):
        raise AssertionError("matching must not decrypt an identity")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    # Same person (phone written another way), a different matter.
    second = receive(
        tree.stp,
        content="Việc thứ hai, hoàn toàn khác.",
        identity={**PERSON, "phone": "+84 912 345 678"},
        day=D(2026, 3, 3),
    )
    assert _pairs(second) == {(Flag.DUPLICATE, first.pk, CaseFlag.Basis.SUBMITTER)}
    assert set(CaseFingerprint.objects.filter(case=second).values_list("value", flat=True)) == set(
        Identity.objects.get(case=second).fingerprints
    )


def test_a_letter_sent_again_after_the_decision_is_a_repeat(tree, rules):
    first = receive(tree.stp, content=LETTER, day=D(2026, 3, 2))
    resolve(first, accepted=D(2026, 3, 5), decided=D(2026, 3, 20))
    again = receive(tree.stp, content=LETTER, day=D(2026, 4, 1))
    assert _pairs(again) == {(Flag.REPEAT, first.pk, CaseFlag.Basis.BOTH)}


def test_beyond_twelve_months_only_exact_copies_are_found(tree, rules):
    old = receive(tree.stp, content=LETTER, identity=PERSON, day=D(2024, 3, 1))
    near = receive(tree.syt, content=LETTER + " Xin cảm ơn.", identity=OTHER_PERSON, day=D(2026, 3, 2))
    assert _pairs(near) == set()  # similar, but the earlier letter is too old to be read again
    copy = receive(tree.syt, content=LETTER, identity=OTHER_PERSON, day=D(2026, 3, 3))
    assert (Flag.DUPLICATE, old.pk, CaseFlag.Basis.CONTENT) in _pairs(copy)  # an exact copy, by its digest


def test_mass_and_over_level_marks_follow_the_classification(tree, rules):
    case = receive(tree.stp, people_count=7, is_over_level=True)

    def marks(case):
        return set(CaseFlag.objects.filter(case=case, other_case__isnull=True).values_list("kind", flat=True))

    assert marks(case) == {Flag.MASS, Flag.OVER_LEVEL}
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST, people_count=2)
    )
    assert marks(case) == set()
    cases.case_classify(
        by=SYSTEM, case=case, spec=cases.Classification(kind=Kind.COMPLAINT_FIRST, people_count=5)
    )
    assert marks(case) == {Flag.MASS}
    assert marks(receive(tree.stp, people_count=4)) == set()


def test_a_corrected_identity_is_matched_again(tree, rules):
    first = receive(tree.stp, content="Việc thứ nhất.", identity=PERSON)
    second = receive(tree.syt, content="Việc thứ hai.", identity=OTHER_PERSON, day=D(2026, 3, 3))
    assert _pairs(second) == set()
    row = Identity.objects.get(case=second)
    row.ciphertext, row.fingerprints = crypto.encrypt(PERSON), crypto.fingerprints(PERSON)
    row.save()
    assert _pairs(second) == {(Flag.DUPLICATE, first.pk, CaseFlag.Basis.SUBMITTER)}


# ---------------------------------------------------------------- the page


def _bloc_handler(tree):
    return make_user("handler_duk", unit=tree.root, role=Role.CASE_HANDLER)


def test_a_pair_across_units_is_shown_only_to_users_who_may_see_both(flagged, personas, login, tree):
    first, second = flagged
    bloc = login(personas["admin"]).get(URL).content.decode()
    assert f'data-other="{first.reference}"' in bloc and f'data-case="{second.reference}"' in bloc
    for persona in ("case_handler", "unit_head", "outsider"):  # STP sees only the first, SYT only the second
        html = login(personas[persona]).get(URL).content.decode()
        assert first.reference not in html and second.reference not in html, persona
    # Nobody's identity is on the page, not even for the bloc administrator.
    for value in PERSON.values():
        assert value not in bloc


def test_a_viewer_and_a_reporter_get_403(flagged, personas, login):
    for persona in ("viewer", "reporter", "nobody"):
        assert login(personas[persona]).get(URL).status_code == 403, persona


def test_a_handler_above_both_units_links_the_cases_and_the_suggestion_goes(flagged, tree, login):
    first, second = flagged
    handler = _bloc_handler(tree)
    client = login(handler)
    flag = CaseFlag.objects.get(case=second, kind=Flag.DUPLICATE)
    assert "Liên kết hồ sơ" in client.get(URL).content.decode()
    response = client.post(reverse("voice:flag_link", args=[flag.pk]))
    assert response.status_code == 302
    assert CaseLink.objects.filter(case=second, other=first, kind="duplicate").exists()
    assert CaseLink.objects.filter(case=first, other=second).exists()
    assert CaseEvent.objects.filter(case=first, action="link").exists()
    assert f'data-flag="{flag.pk}"' not in client.get(URL).content.decode()


def test_linking_needs_case_handle_on_both_cases(flagged, personas, login, tree):
    _first, second = flagged
    flag = CaseFlag.objects.get(case=second, kind=Flag.DUPLICATE)
    # The unit head at DUK sees both cases but does not handle cases: 403.
    head = make_user("head_duk", unit=tree.root, role=Role.UNIT_HEAD)
    assert login(head).post(reverse("voice:flag_link", args=[flag.pk])).status_code == 403
    # The handler of STP cannot see the SYT case: the flag does not exist for them.
    assert login(personas["case_handler"]).post(reverse("voice:flag_link", args=[flag.pk])).status_code == 404
    assert not CaseLink.objects.exists()


def test_dismissing_a_wrong_suggestion(flagged, tree, login):
    handler = _bloc_handler(tree)
    flag = CaseFlag.objects.get(kind=Flag.DUPLICATE)
    login(handler).post(reverse("voice:flag_dismiss", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.dismissed_at is not None and flag.dismissed_by == handler
    assert not selectors.visible_flags(handler).filter(pk=flag.pk).exists()
    assert not CaseLink.objects.exists()


def test_marks_are_listed_for_the_units_subtree_only(tree, rules, personas, login):
    mass = receive(tree.stp_cb1, people_count=12, content="Tập thể người dân phản đối.")
    html = login(personas["unit_head"]).get(URL, {"kind": "mass"}).content.decode()
    assert f'data-case="{mass.reference}"' in html and "12 người" in html
    assert 'data-kind="mass">Đơn đông người: 1' in html
    outsider = login(personas["outsider"]).get(URL).content.decode()
    assert mass.reference not in outsider and 'data-kind="mass">Đơn đông người: 0' in outsider
    # A mark follows the classification: it offers no action.
    assert "Liên kết hồ sơ" not in login(personas["case_handler"]).get(URL).content.decode()


def test_the_migration_indexes_cases_received_before_patterns_existed(tree, rules):
    import importlib

    from django.apps import apps

    from danvan.voice.cases.models import CaseSignature

    case = receive(tree.stp, content=LETTER, people_count=9)
    CaseSignature.objects.all().delete()
    CaseFingerprint.objects.all().delete()
    CaseFlag.objects.all().delete()
    backfill = importlib.import_module("danvan.voice.migrations.0006_patterns_backfill")
    backfill.forward(apps, None)
    backfill.forward(apps, None)  # twice: nothing doubled
    signature = CaseSignature.objects.get(case=case)
    assert (signature.words, signature.digest) == (
        len(patterns.words(LETTER)),
        patterns.digest(patterns.words(LETTER)),
    )
    assert CaseFingerprint.objects.filter(case=case).count() == len(
        Identity.objects.get(case=case).fingerprints
    )
    assert list(CaseFlag.objects.values_list("kind", flat=True)) == [Flag.MASS]
    # The next letter finds the old one.
    again = receive(tree.syt, content=LETTER, day=D(2026, 3, 9))
    assert _pairs(again) == {(Flag.DUPLICATE, case.pk, CaseFlag.Basis.BOTH)}


def test_the_case_page_shows_its_flags_only_to_those_who_may_see_both_cases(tree, rules, personas, login):
    first = receive(tree.stp, content=LETTER, day=D(2026, 3, 2))
    second = receive(tree.stp, content=LETTER, day=D(2026, 3, 5))
    handler = login(personas["case_handler"])
    page = handler.get(reverse("voice:case_detail", args=[second.pk])).content.decode()
    assert 'id="flags"' in page and first.reference in page
    # From the other side of the pair the flag shows too, pointing back at the newer case.
    page = handler.get(reverse("voice:case_detail", args=[first.pk])).content.decode()
    assert 'id="flags"' in page and second.reference in page
    # A duplicate across units: STP's handler sees the STP case but not the SYT one, so no flag.
    third = receive(tree.syt, content=LETTER, day=D(2026, 3, 6))
    assert CaseFlag.objects.filter(case=third).exists()
    outsider_handler = make_user("handler_syt_flags", unit=tree.syt, role=Role.CASE_HANDLER)
    page = login(outsider_handler).get(reverse("voice:case_detail", args=[third.pk])).content.decode()
    assert first.reference not in page and second.reference not in page


def test_a_received_case_is_matched_before_its_figures_lock_the_roll_up():
    """The figures' receiver (the roll-up rows of every ancestor, held until commit) runs after pattern
    matching: submissions at the same moment then wait only for each other's last step, not for each
    other's matching (deploy/smoke measured 9 s a portal submission the other way round)."""
    from django.db.models.signals import post_save

    from danvan.voice.cases import patterns, sources
    from danvan.voice.cases.models import CaseEvent

    receivers = [receiver for receiver in post_save._live_receivers(CaseEvent)[0]]
    assert receivers.index(patterns.case_event_saved) < receivers.index(sources.case_event_saved)
    assert receivers[-1] is sources.case_event_saved
