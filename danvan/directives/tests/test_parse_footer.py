"""The footer: recipients (nơi nhận) and the signature, also when its two columns were flattened into one;
signing authorities written as Nghị định 30/2020 writes them, and as the register stores them."""

import pytest

from danvan.directives import forms, parsing
from danvan.directives.models import SigningAuthority

HEAD = "ĐẢNG ỦY SỞ TƯ PHÁP\nSố: 84-CV/ĐU\nBiên Hòa, ngày 6 tháng 6 năm 2014\nV/v triển khai\n\nNội dung.\n\n"
RECIPIENTS = ["Như trên", "BT, PBT Đảng ủy", "Lưu: VT, ĐU"]
SIGNATURE = ("T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Phan Văn Châu")


@pytest.mark.parametrize(
    "footer",
    [
        # Left column first, each row on one line (the reviewer's case).
        "Nơi nhận: T/M ĐẢNG ỦY\n- Như trên; PHÓ BÍ THƯ\n- BT, PBT Đảng ủy;\n- Lưu: VT, ĐU. (đã ký)\nPhan Văn Châu",
        # The two columns interleaved line by line (a PDF text layer).
        "Nơi nhận: T/M ĐẢNG ỦY\n- Như trên;\nPHÓ BÍ THƯ\n- BT, PBT Đảng ủy;\n- Lưu: VT, ĐU.\n\n\n\nPhan Văn Châu",
        # Right column first.
        "T/M ĐẢNG ỦY Nơi nhận:\nPHÓ BÍ THƯ - Như trên;\n- BT, PBT Đảng ủy;\n(đã ký) - Lưu: VT, ĐU.\nPhan Văn Châu",
        # Glued by a PDF text layer, either order.
        "T/M ĐẢNG ỦYNơi nhận:\nPHÓ BÍ THƯ- Như trên;\n- BT, PBT Đảng ủy;\n- Lưu: VT, ĐU.\nPhan Văn Châu",
        "Nơi nhận: T/M ĐẢNG ỦY\n- Như trên;PHÓ BÍ THƯ\n- BT, PBT Đảng ủy;\n- Lưu: VT, ĐU.Phan Văn Châu",
        # The authority on a line of its own between the recipients.
        "Nơi nhận:\n- Như trên;\nT/M ĐẢNG ỦY\n- BT, PBT Đảng ủy;\nPHÓ BÍ THƯ\n- Lưu: VT, ĐU.\nPhan Văn Châu",
        "Nơi nhận:\n- Như trên; T/M ĐẢNG ỦY\n- BT, PBT Đảng ủy; PHÓ BÍ THƯ\n- Lưu: VT, ĐU.\n\nPhan Văn Châu",
        # Written "TM." and followed by the body of a next document (seed 004's shape).
        "Nơi nhận: TM. ĐẢNG ỦY\n- Như trên; PHÓ BÍ THƯ\n- BT, PBT Đảng ủy;\n- Lưu: VT, ĐU.\n\nPhan Văn Châu\n\n"
        "2. Yêu cầu\n\n- Xác định rõ nhiệm vụ.",
    ],
)
def test_flattened_footer_keeps_recipients_and_signature_apart(footer):
    doc = parsing.parse(HEAD + footer)
    assert doc.recipients == RECIPIENTS
    assert (doc.signing_authority, doc.signer_title, doc.signer) == SIGNATURE


def test_flattened_footer_with_a_chain_of_authorities():
    doc = parsing.parse(
        HEAD + "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như trên; KT. CHỦ TỊCH\n- Lưu: VT, NC. PHÓ CHỦ TỊCH\n\n"
        "Trần Thị Bình"
    )
    assert doc.recipients == ["Như trên", "Lưu: VT, NC"]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thị Bình",
    )


def test_ordinary_footers_are_read_as_before():
    # Recipients, then the signature below them; and a list whose last item ends a line with capitals.
    doc = parsing.parse(
        HEAD + "Nơi nhận:\n- Như trên;\n- Ban Tuyên giáo, VP ĐẢNG ỦY KHỐI;\n- Lưu: VT, ĐU.\n\nT/M ĐẢNG ỦY\n"
        "PHÓ BÍ THƯ\n\n(đã ký)\n\nPhan Văn Châu"
    )
    assert doc.recipients == ["Như trên", "Ban Tuyên giáo, VP ĐẢNG ỦY KHỐI", "Lưu: VT, ĐU"]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == SIGNATURE
    # A district written "Q." among the recipients is not an acting signer.
    doc = parsing.parse(
        HEAD + "Nơi nhận: - UBND Q. BÌNH THẠNH;\n- Lưu VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn D"
    )
    assert doc.recipients == ["UBND Q. BÌNH THẠNH", "Lưu VT"]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Văn D",
    )


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("T/M ĐẢNG ỦY", "T/M ĐẢNG ỦY"),
        ("TM. ĐẢNG ỦY", "T/M ĐẢNG ỦY"),
        ("TM ĐẢNG ỦY", "T/M ĐẢNG ỦY"),
        ("T.M ĐẢNG ỦY", "T/M ĐẢNG ỦY"),
        ("T.M. BAN THƯỜNG VỤ", "T/M BAN THƯỜNG VỤ"),
        ("T/M. BAN THƯỜNG VỤ", "T/M BAN THƯỜNG VỤ"),
        ("K/T TRƯỞNG BAN", "KT. TRƯỞNG BAN"),
        ("KT CHỦ TỊCH", "KT. CHỦ TỊCH"),
        ("KT.CHỦ TỊCH", "KT. CHỦ TỊCH"),
        ("TL GIÁM ĐỐC", "TL. GIÁM ĐỐC"),
        ("TUQ. CHỦ TỊCH", "TUQ. CHỦ TỊCH"),
        ("Q. GIÁM ĐỐC", "Q. GIÁM ĐỐC"),
        ("TM. ỦY BAN NHÂN DÂN K/T CHỦ TỊCH", "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
        ("T.M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
    ],
)
def test_signing_authority_is_normalised(written, normalised):
    assert parsing.normalise_authority(written) == normalised
    doc = parsing.parse(HEAD + f"{written}\nPHÓ BÍ THƯ\n\nPhan Văn Châu")
    assert doc.signing_authority == normalised


def test_a_chain_over_two_lines_is_one_normalised_authority():
    doc = parsing.parse(HEAD + "TM. ỦY BAN NHÂN DÂN\nK/T CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Thị Bình")
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thị Bình",
    )


ACTING = ("Q.", "GIÁM ĐỐC") if "Q." in SigningAuthority.values else ("", "Q. GIÁM ĐỐC")


@pytest.mark.parametrize(
    ("written", "split"),
    [
        ("T/M ĐẢNG ỦY", ("T/M", "ĐẢNG ỦY")),
        ("TM. ĐẢNG ỦY", ("T/M", "ĐẢNG ỦY")),
        ("T.M BAN THƯỜNG VỤ", ("T/M", "BAN THƯỜNG VỤ")),
        ("T/M. BAN THƯỜNG VỤ", ("T/M", "BAN THƯỜNG VỤ")),
        ("t/m đảng ủy", ("T/M", "đảng ủy")),
        ("K/T TRƯỞNG BAN", ("KT.", "TRƯỞNG BAN")),
        ("KT. CHỦ TỊCH", ("KT.", "CHỦ TỊCH")),
        ("TL. GIÁM ĐỐC", ("TL.", "GIÁM ĐỐC")),
        ("TUQ. CHỦ TỊCH", ("TUQ.", "CHỦ TỊCH")),
        # A chain: the signer signs as deputy ("KT."), for the chairman; the collective is the issuer.
        ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", ("KT.", "CHỦ TỊCH")),
        ("T/M ỦY BAN NHÂN DÂN K/T CHỦ TỊCH", ("KT.", "CHỦ TỊCH")),
        # Quyền (acting): kept whole in "on behalf of" while the register has no "Q." choice.
        ("Q. GIÁM ĐỐC", ACTING),
        # Not authorities.
        ("T/M UBND Q. BÌNH THẠNH", ("T/M", "UBND Q. BÌNH THẠNH")),
        ("PHÓ BÍ THƯ", ("", "")),
        ("TLĐLĐ VIỆT NAM", ("", "")),
        ("Quyết định", ("", "")),
        ("", ("", "")),
    ],
)
def test_split_authority_for_the_register(written, split):
    assert forms.split_authority(written) == split
    assert split[0] in SigningAuthority.values


def test_review_form_gets_the_signers_authority_from_a_parsed_chain():
    initial = forms.initial_from_parsed({"signing_authority": "T/M ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"}, "")
    assert (initial["signing_authority"], initial["signing_for"]) == ("KT.", "CHỦ TỊCH")
