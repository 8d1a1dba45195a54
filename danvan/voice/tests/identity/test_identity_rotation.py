"""`danvan rotate-identity-key`: every identity and protected attachment moves to the first key."""

import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.audit.models import AuditEvent
from danvan.voice.cases.attachments import read as read_attachment
from danvan.voice.cases.models import Attachment, Kind
from danvan.voice.identity import crypto
from danvan.voice.identity.models import CaseFingerprint, Identity

from .test_identity import DAY, PERSON, SCAN, add_attachment, receive  # noqa: F401 (fixture)

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
OTHER = {"name": "Trần Văn Bình", "address": "7 Hùng Vương", "id_number": "079088001122"}


def run(*args) -> str:
    out = io.StringIO()
    call_command("rotate-identity-key", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def under_a(settings, receive):  # noqa: F811
    """Two identities and two protected attachments (and a plain one) encrypted under key A."""
    settings.IDENTITY_KEYS = [KEY_A]
    first, second = receive(), receive(kind=Kind.COMPLAINT_FIRST, person=OTHER)
    files = [
        add_attachment(first, SCAN, protected=True),
        add_attachment(second, b"%PDF-1.4 CCCD scan", protected=True),
        add_attachment(second, b"%PDF-1.4 evidence", protected=False),
    ]
    return first, second, files


def fingerprints_of(case) -> list[str]:
    return Identity.objects.get(case=case).fingerprints


def test_new_key_prints_a_fresh_fernet_key():
    key = run("--new-key").strip()
    Fernet(key.encode())  # a valid key
    assert key != run("--new-key").strip()


def test_rotation_moves_everything_to_the_new_key_and_the_old_key_can_go(
    settings, under_a, django_capture_on_commit_callbacks
):
    first, second, (scan, card, plain) = under_a
    old_prints = fingerprints_of(first)
    settings.IDENTITY_KEYS = [KEY_B, KEY_A]
    assert run("--check") == (
        "Chưa được mã hóa bằng khóa đứng đầu: 2 danh tính, 2 tệp đính kèm được bảo vệ, 0 bản ghi mã hóa khác.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--batch-size", "1")
    assert output.startswith("Đã mã hóa lại bằng khóa đứng đầu: 2 danh tính, 2 tệp đính kèm được bảo vệ")
    assert run("--check").startswith("Chưa được mã hóa bằng khóa đứng đầu: 0 danh tính, 0 tệp")

    settings.IDENTITY_KEYS = [KEY_B]  # the old key is dropped
    assert crypto.decrypt(Identity.objects.get(case=first).ciphertext) == PERSON
    assert crypto.decrypt(Identity.objects.get(case=second).ciphertext) == OTHER
    # Fingerprints changed with the key and still say "the same person".
    assert fingerprints_of(first) == crypto.fingerprints(PERSON) != old_prints
    assert fingerprints_of(second) == crypto.fingerprints(OTHER)
    indexed = set(CaseFingerprint.objects.filter(case=first).values_list("value", flat=True))
    assert indexed == set(crypto.fingerprints(PERSON))  # the copy patterns.py looks up follows
    scan.refresh_from_db(), card.refresh_from_db(), plain.refresh_from_db()
    assert read_attachment(scan) == SCAN and read_attachment(card) == b"%PDF-1.4 CCCD scan"
    assert read_attachment(plain) == b"%PDF-1.4 evidence"  # never encrypted, never touched
    # The replaced files are gone: nothing under the old key is left on disk.
    directory = scan.file.storage.path(f"voice/{first.pk}")
    assert sorted(p.name for p in Path(directory).iterdir()) == [scan.file.name.rsplit("/", 1)[1]]
    event = AuditEvent.objects.get(object_repr="rotate-identity-key")
    assert event.changes == {"identities": 2, "attachments": 2, "others": 0}


def test_a_second_run_has_nothing_left_to_do(settings, under_a):
    settings.IDENTITY_KEYS = [KEY_B, KEY_A]
    run()
    assert run() == (
        "Đã mã hóa lại bằng khóa đứng đầu: 0 danh tính, 0 tệp đính kèm được bảo vệ, 0 bản ghi mã hóa khác "
        "(4 bản ghi đã dùng khóa này từ trước).\n"
    )


def test_without_the_old_key_nothing_is_lost_and_the_rows_are_named(settings, under_a):
    first, _second, (scan, card, _plain) = under_a
    settings.IDENTITY_KEYS = [KEY_B]  # the old key was dropped too early
    with pytest.raises(CommandError) as error:
        run()
    assert "4 bản ghi không giải mã được bằng khóa nào trong IDENTITY_KEYS" in str(error.value)
    assert f"identity:{first.pk}" in str(error.value) and f"attachment:{card.token}" in str(error.value)
    assert PERSON["name"] not in str(error.value)
    settings.IDENTITY_KEYS = [KEY_B, KEY_A]  # put back: everything is still there
    assert crypto.decrypt(Identity.objects.get(case=first).ciphertext) == PERSON
    assert read_attachment(Attachment.objects.get(pk=scan.pk)) == SCAN


class FullDisk(FileSystemStorage):
    """A disk that fills up on the second file written."""

    writes = 0

    def _save(self, name, content):
        FullDisk.writes += 1
        if FullDisk.writes == 2:
            raise OSError("No space left on device")
        return super()._save(name, content)


def test_a_failure_mid_way_leaves_every_row_readable_and_a_new_run_finishes(settings, under_a, tmp_path):
    _first, second, (scan, card, _plain) = under_a
    settings.IDENTITY_KEYS = [KEY_B, KEY_A]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDisk"}}
    FullDisk.writes = 0
    files_before = sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file())
    with pytest.raises(OSError):
        run("--batch-size", "1")
    scan.refresh_from_db(), card.refresh_from_db()
    assert crypto.is_current(scan.file.open("rb").read())  # its batch committed
    assert not crypto.is_current(card.file.open("rb").read())  # its batch rolled back, old file kept
    assert read_attachment(card) == b"%PDF-1.4 CCCD scan"
    # The failed batch left no stray file; the committed one waits for its commit to drop the old file.
    files_after = sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file())
    assert len(files_after) == len(files_before) + 1
    assert run("--batch-size", "1").startswith("Đã mã hóa lại bằng khóa đứng đầu: 0 danh tính, 1 tệp")
    settings.IDENTITY_KEYS = [KEY_B]
    card.refresh_from_db()
    assert read_attachment(card) == b"%PDF-1.4 CCCD scan"
    assert crypto.decrypt(Identity.objects.get(case=second).ciphertext) == OTHER


def test_a_bad_batch_size_gets_a_vietnamese_error(db):
    with pytest.raises(CommandError, match=r"--batch-size phải là số nguyên từ 1 đến 10000\."):
        run("--batch-size", "không")


@pytest.fixture
def sealed_entry(settings, tree):
    """A reception-register entry sealed under key A, its field registered for rotation."""
    from danvan.reception import privacy
    from danvan.reception.models import Entry

    settings.IDENTITY_KEYS = [KEY_A]
    entry = Entry.objects.create(
        unit=tree.stp,
        year=2026,
        number=1,
        received_on=DAY,
        kind=Kind.DENUNCIATION,
        content="Tố cáo tại buổi tiếp công dân.",
        receiver="Cán bộ tiếp dân",
        ciphertext=privacy.seal({"name": PERSON["name"], "id_number": PERSON["id_number"]}),
        identity_protected=True,
    )
    before = crypto.sealed_fields()
    crypto.seal_register(Entry, "ciphertext")
    yield entry
    crypto._sealed.clear()
    crypto._sealed.update(before)


def test_records_other_apps_sealed_under_the_keys_are_rotated_too(settings, sealed_entry):
    from danvan.reception import privacy

    settings.IDENTITY_KEYS = [KEY_B, KEY_A]
    assert run("--check").endswith("0 tệp đính kèm được bảo vệ, 1 bản ghi mã hóa khác.\n")
    run()
    settings.IDENTITY_KEYS = [KEY_B]
    sealed_entry.refresh_from_db()
    assert privacy.unseal(sealed_entry.ciphertext)["name"] == PERSON["name"]


def test_binary_fields_no_rotation_covers_are_named(db):
    from danvan.reception.models import Entry

    before = crypto.sealed_fields()
    try:
        crypto._sealed.pop(Entry, None)
        err = io.StringIO()
        call_command("rotate-identity-key", "--check", stdout=io.StringIO(), stderr=err)
        assert "không được mã hóa lại: reception.Entry.ciphertext." in err.getvalue()
        crypto.seal_register(Entry, "ciphertext")
        err = io.StringIO()
        call_command("rotate-identity-key", "--check", stdout=io.StringIO(), stderr=err)
        assert err.getvalue() == ""
    finally:
        crypto._sealed.clear()
        crypto._sealed.update(before)
