"""The review report in the browser: preview with linked figures, versions, finalising into the register."""

import io

import pytest
from docx import Document

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "limitations": "Một số chi bộ chưa sinh hoạt chuyên đề.\nTỷ lệ đoàn viên sinh hoạt còn thấp.",
    "tasks": "Tăng cường sinh hoạt chuyên đề ở các chi bộ.",
    "place": "Đồng Nai",
    "signer": "Nguyễn Văn An",
}


def _url(name, *args):
    from django.urls import reverse

    return reverse(f"reviews:{name}", args=args)


def _counts():
    from danvan.audit.models import AuditEvent
    from danvan.directives.models import Document as Registered
    from danvan.reviews.models import ReviewDraft, ReviewVersion

    return tuple(m.objects.count() for m in (ReviewDraft, ReviewVersion, Registered, AuditEvent))


def _save(client, unit="DUK", period="2026S1", **changes):
    return client.post(_url("edit", unit, period), {**NARRATIVE, **changes})


def test_the_preview_links_every_figure_to_the_records_it_counts(login, tree, personas, figures):
    client = login(personas["viewer"])
    before = _counts()
    page = client.get(_url("preview", "STP", "2026S1"))
    assert page.status_code == 200
    html = page.content.decode()
    # Training classes: the register filtered on the unit and the period's days.
    assert '<a href="/activities/training/?unit=STP&amp;from=2026-01-01&amp;to=2026-06-30">2</a>' in html
    # An indicator: the dashboard of the unit and period on that indicator.
    assert "/reports/dashboard/?unit=STP&amp;period=2026S1&amp;indicator=" in html
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html and "[Hạn chế, nguyên nhân]" in html
    assert "Đảng ủy Sở Tư pháp" in html
    assert _counts() == before  # reading wrote nothing


def test_citizen_voice_figures_link_to_the_case_list(login, tree, personas, indicators):
    import datetime

    from danvan.reports import services as report_services
    from danvan.reviews import content, selectors
    from danvan.voice.cases.models import Kind
    from danvan.voice.tests.cases.lists_support import SYSTEM, receive
    from danvan.voice.tests.conftest import rules  # noqa: F401

    receive(tree.stp, kind=Kind.DENUNCIATION)
    report_services.period_get(code="2026S1", by=SYSTEM)
    review = content.build(unit=tree.stp, period_code="2026S1", day=datetime.date(2026, 7, 1))
    links = selectors.figure_links(review)
    assert any(
        url.startswith("/voice/cases/?unit=STP&kind=denunciation&received_from=01%2F01%2F2026")
        for url in links.values()
    )


def test_a_period_without_data_says_so(login, tree, personas, indicators):
    page = login(personas["viewer"]).get(_url("preview", "STP", "2025S2"))
    assert page.status_code == 200
    assert "chưa có số liệu nào của Đảng ủy Sở Tư pháp" in page.content.decode()
    assert "Hệ thống chưa có số liệu nào của đơn vị trong kỳ này" in page.content.decode()


@pytest.mark.parametrize("period", ["2026Q2", "2026X", "2026S3"])
def test_an_unknown_period_is_told_in_vietnamese(login, tree, personas, indicators, period):
    page = login(personas["viewer"]).get(_url("preview", "STP", period))
    assert page.status_code == 404
    text = page.content.decode()
    assert "chỉ lập cho 6 tháng hoặc cả năm" in text or "không phải là mã kỳ" in text


def test_the_unit_page_lists_prepared_periods_in_words(login, tree, personas, prepare):
    prepare("2026S1")
    prepare("2026Q1")
    page = login(personas["viewer"]).get(_url("unit", "STP"))
    text = page.content.decode()
    assert "6 tháng đầu năm 2026" in text and "Quý" not in text
    assert ">2026S1<" not in text


def test_each_save_makes_a_numbered_version_and_downloads_use_the_latest(login, tree, personas, figures):
    from danvan.reviews.models import ReviewDraft, ReviewVersion

    client = login(personas["reporter"])
    assert _save(client, "STP").status_code == 302
    assert _save(client, "STP", tasks="Nhiệm vụ mới.").status_code == 302
    draft = ReviewDraft.objects.get(unit=tree.stp, period_code="2026S1")
    assert list(draft.versions.values_list("number", "tasks")) == [
        (2, "Nhiệm vụ mới."),
        (1, NARRATIVE["tasks"]),
    ]
    assert draft.versions.get(number=2).created_by == personas["reporter"]
    response = client.get(_url("download", "STP", "2026S1", "docx"))
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "Nhiệm vụ mới." in texts and "[Nhiệm vụ thời gian tới]" not in texts
    assert "Tỷ lệ đoàn viên sinh hoạt còn thấp." in texts  # one paragraph a line
    first = ReviewVersion.objects.get(draft=draft, number=1)
    before = _counts()
    page = client.get(_url("version", first.pk))
    assert _counts() == before  # reading a version wrote nothing
    assert page.status_code == 200 and NARRATIVE["tasks"] in page.content.decode()
    old = client.get(_url("version_download", first.pk, "docx"))
    assert NARRATIVE["tasks"] in [p.text for p in Document(io.BytesIO(old.content)).paragraphs]
    preview = client.get(_url("preview", "STP", "2026S1")).content.decode()
    assert "Phiên bản 2" in preview and "Phiên bản 1" in preview


def test_a_too_long_narrative_is_refused_in_vietnamese_and_nothing_is_saved(login, tree, personas, figures):
    client = login(personas["reporter"])
    before = _counts()
    response = _save(client, "STP", limitations="x" * 20_001, signer="y" * 201)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tối đa 20.000 ký tự" in text
    assert _counts() == before


def _training(unit, personas):
    import datetime

    from danvan.activities.training import services
    from danvan.activities.training.specs import ClassSpec

    spec = ClassSpec(unit=unit, title="Tập huấn thêm", held_on=datetime.date(2026, 4, 2), participants=5)
    services.class_save(spec=spec, by=personas["admin"])


def test_finalising_freezes_the_report_and_registers_it_as_an_outgoing_document(
    login, tree, personas, figures
):
    from danvan.directives.models import Direction
    from danvan.directives.models import Document as Registered
    from danvan.reviews.models import ReviewDraft

    client = login(personas["mobilisation_officer"])
    Registered.objects.create(
        unit=tree.stp,
        direction=Direction.OUTGOING,
        doc_type="CV",
        number_symbol="11-CV/ĐU",
        number=11,
        issuer="Đảng ủy Sở Tư pháp",
        issued_on=__import__("datetime").date.today(),
        year=__import__("datetime").date.today().year,
        subject="Công văn trước",
    )
    assert client.get(_url("finalise", "STP", "2026S1")).status_code == 200  # the confirmation
    _save(client, "STP")
    before = client.get(_url("preview", "STP", "2026S1")).content.decode()
    assert "1.000" in before or "100 %" in before
    response = client.post(_url("finalise", "STP", "2026S1"))
    assert response.status_code == 302
    draft = ReviewDraft.objects.get(unit=tree.stp, period_code="2026S1")
    assert draft.state == "final" and draft.number_symbol == "12-BC/ĐU"
    registered = draft.document
    assert registered.direction == Direction.OUTGOING and registered.doc_type == "BC"
    assert registered.subject == "Sơ kết công tác dân vận 6 tháng đầu năm 2026"
    assert registered.original_name.endswith(".docx") and registered.signer == "Nguyễn Văn An"
    version = draft.versions.get()
    header = Document(io.BytesIO(bytes(version.frozen_docx))).tables[0].rows[0].cells[0]
    assert header.paragraphs[-1].text == "Số 12-BC/ĐU"
    # Later data do not change the finalised report.
    frozen_html = version.frozen_html
    assert ">2</a> lớp tập huấn" in frozen_html
    _training(tree.stp, personas)
    assert ">2</a> lớp tập huấn" in client.get(_url("version", version.pk)).content.decode()
    docx = client.get(_url("download", "STP", "2026S1", "docx")).content
    assert docx == bytes(version.frozen_docx)
    shown = client.get(_url("preview", "STP", "2026S1")).content.decode()
    assert "12-BC/ĐU" in shown and ">2</a> lớp tập huấn" in shown
    # No more edits; a correction is a new draft starting from the final texts.
    refused = _save(client, "STP", tasks="Sửa.")
    assert "không thể sửa" in refused.content.decode() or "đã hoàn thành" in refused.content.decode()
    assert ReviewDraft.objects.count() == 1
    assert client.post(_url("correct", "STP", "2026S1")).status_code == 302
    correction = ReviewDraft.objects.get(unit=tree.stp, period_code="2026S1", state="draft")
    assert correction.versions.get().tasks == NARRATIVE["tasks"]
    assert (
        ">3</a> lớp tập huấn" in client.get(_url("preview", "STP", "2026S1")).content.decode()
    )  # live again


def test_finalising_needs_the_written_parts(login, tree, personas, figures):
    client = login(personas["mobilisation_officer"])
    _save(client, "STP", tasks="")
    before = _counts()
    response = client.post(_url("finalise", "STP", "2026S1"), follow=True)
    assert "nhiệm vụ thời gian tới trước khi" in response.content.decode()
    assert _counts() == before


def test_the_next_number_follows_the_units_outgoing_documents(tree, personas):
    import datetime

    from danvan.directives import services
    from danvan.directives.services import DocumentSpec

    def register():
        spec = DocumentSpec(
            unit=tree.stp,
            direction="out",
            doc_type="BC",
            number_symbol="",
            issuer="Đảng ủy Sở Tư pháp",
            issued_on=datetime.date.today(),
            subject="Báo cáo",
        )
        return services.document_register_outgoing(spec=spec, symbol="BC/ĐU", by=personas["admin"])

    assert [register().number_symbol for _ in range(3)] == ["1-BC/ĐU", "2-BC/ĐU", "3-BC/ĐU"]
    # A number of this issuer and year already in the register (typed by hand as incoming) is skipped.
    hand = DocumentSpec(
        unit=tree.stp,
        direction="in",
        doc_type="BC",
        number_symbol="4-BC/ĐU",
        issuer="Đảng ủy Sở Tư pháp",
        issued_on=datetime.date.today(),
        subject="Báo cáo nhập tay",
    )
    services.document_save(spec=hand, by=personas["admin"])
    assert register().number_symbol == "5-BC/ĐU"


def test_a_viewer_may_preview_but_not_edit_or_finalise(login, tree, personas, figures):
    client = login(personas["viewer"])
    before = _counts()
    assert client.get(_url("preview", "STP", "2026S1")).status_code == 200
    assert client.get(_url("download", "STP", "2026S1", "docx")).status_code == 200
    assert client.get(_url("edit", "STP", "2026S1")).status_code == 403
    assert _save(client, "STP").status_code == 403
    assert client.post(_url("finalise", "STP", "2026S1")).status_code == 403
    assert client.post(_url("correct", "STP", "2026S1")).status_code == 403
    assert _counts() == before
    reporter = login(personas["reporter"])  # enters reports, does not manage the register
    assert reporter.get(_url("finalise", "STP", "2026S1")).status_code == 403
    assert (
        _url("finalise", "STP", "2026S1")
        not in reporter.get(_url("preview", "STP", "2026S1")).content.decode()
    )


def test_a_user_of_another_unit_gets_404_everywhere(login, tree, personas, figures):
    from danvan.reviews.models import ReviewVersion

    _save(login(personas["reporter"]), "STP")
    version = ReviewVersion.objects.get()
    outsider = login(personas["outsider"])
    before = _counts()
    for url in (
        _url("unit", "STP"),
        _url("preview", "STP", "2026S1"),
        _url("edit", "STP", "2026S1"),
        _url("finalise", "STP", "2026S1"),
        _url("download", "STP", "2026S1", "docx"),
        _url("download", "STP", "2026S1", "xlsx"),
        _url("version", version.pk),
        _url("version_download", version.pk, "docx"),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(_url("edit", "STP", "2026S1"), NARRATIVE).status_code == 404
    assert outsider.post(_url("finalise", "STP", "2026S1")).status_code == 404
    assert outsider.post(_url("correct", "STP", "2026S1")).status_code == 404
    assert _counts() == before


def test_the_units_page_links_to_its_reviews_for_who_sees_its_figures(login, tree, personas):
    from django.urls import reverse

    url = reverse("orgs:unit_detail", args=["STP"])
    assert _url("unit", "STP") in login(personas["viewer"]).get(url).content.decode()
    assert _url("unit", "STP") not in login(personas["case_handler"]).get(url).content.decode()


def test_the_pdf_download_says_in_vietnamese_when_the_converter_is_missing(
    login, tree, personas, figures, monkeypatch
):
    monkeypatch.setenv("SOFFICE_PATH", "/khong/co/soffice")
    response = login(personas["viewer"]).get(_url("download", "STP", "2026S1", "pdf"))
    assert response.status_code == 503
    assert "LibreOffice" in response.content.decode() and "DOCX" in response.content.decode()
    assert 'href="/reviews/STP/2026S1/"' in response.content.decode()


def test_the_pdf_download_converts_the_report(login, tree, personas, figures):
    response = login(personas["viewer"]).get(_url("download", "STP", "2026S1", "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_preview_draws_the_annex_lines(login, tree, personas, figures):
    html = login(personas["admin"]).get(_url("preview", "DUK", "2026S1")).content.decode()
    assert '<th scope="row">Đảng ủy Sở Tư pháp</th>' in html and "73,5 % ✗" in html
    assert "2/7" in html  # the targets met of each unit


def test_staff_conferences_are_told_from_their_register_and_linked_to_it(login, tree, personas, figures):
    import datetime

    from danvan.activities.workplace import services
    from danvan.activities.workplace.services import ConferenceSpec
    from danvan.reviews import content, selectors

    for unit, day in ((tree.stp, datetime.date(2026, 1, 20)), (tree.syt, datetime.date(2026, 2, 5))):
        spec = ConferenceSpec(unit=unit, year=2025, held_on=day, staff_count=40, attendees=35, valid=True)
        services.conference_save(spec=spec, by=personas["admin"])
    outside = ConferenceSpec(
        unit=tree.stp, year=2026, held_on=datetime.date(2026, 12, 1), staff_count=40, attendees=35
    )
    services.conference_save(spec=outside, by=personas["admin"])  # held in the second half: not counted

    at_root = content.build(unit=tree.root, period_code="2026S1", day=datetime.date(2026, 7, 1))
    text = "\n".join(str(p) for section in at_root.parts for p in section.paragraphs)
    assert "Các cơ quan, đơn vị tổ chức 2 hội nghị cán bộ, công chức, viên chức." in text
    at_stp = content.build(unit=tree.stp, period_code="2026S1", day=datetime.date(2026, 7, 1))
    assert "tổ chức 1 hội nghị cán bộ" in "\n".join(str(p) for s in at_stp.parts for p in s.paragraphs)
    assert "/activities/workplace/?unit=STP&year=2025" in selectors.figure_links(at_stp).values()
    html = login(personas["viewer"]).get(_url("preview", "STP", "2026S1")).content.decode()
    assert '<a href="/activities/workplace/?unit=STP&amp;year=2025">1</a>' in html


def test_the_state_layout_is_chosen_on_the_form_kept_with_the_version_and_numbered_the_state_way(
    login, tree, personas, figures
):
    from danvan.directives.models import Direction
    from danvan.directives.models import Document as Registered
    from danvan.reviews.models import ReviewDraft

    client = login(personas["mobilisation_officer"])
    form = client.get(_url("edit", "STP", "2026S1")).content.decode()
    assert "Thể thức" in form and "Văn bản hành chính (NĐ 30/2020)" in form
    assert "Văn bản của Đảng (HD 36-HD/VPTW)" in form
    before = _counts()
    refused = _save(client, "STP", layout="government")
    assert refused.status_code == 200 and _counts() == before  # an unknown form: told, nothing saved
    assert "lựa chọn hợp lệ" in refused.content.decode()
    assert _save(client, "STP", layout="state", symbol="STP").status_code == 302
    assert _save(client, "STP", tasks="Nhiệm vụ khác.").status_code == 302  # the party's when not sent
    draft = ReviewDraft.objects.get(unit=tree.stp, period_code="2026S1")
    assert list(draft.versions.values_list("number", "layout")) == [(2, "party"), (1, "state")]
    state_version = draft.versions.get(number=1)
    page = client.get(_url("version", state_version.pk)).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "ĐẢNG CỘNG SẢN VIỆT NAM" not in page
    old = Document(io.BytesIO(client.get(_url("version_download", state_version.pk, "docx")).content))
    assert old.tables[0].rows[0].cells[1].paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert _save(client, "STP", layout="state", symbol="STP").status_code == 302
    preview = client.get(_url("preview", "STP", "2026S1")).content.decode()
    assert "Độc lập - Tự do - Hạnh phúc" in preview and "Số:      /BC-STP" in preview
    assert "Văn bản hành chính (NĐ 30/2020)" in preview  # each version says its form
    latest = Document(io.BytesIO(client.get(_url("download", "STP", "2026S1", "docx")).content))
    assert latest.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số:      /BC-STP"
    Registered.objects.create(
        unit=tree.stp,
        direction=Direction.OUTGOING,
        doc_type="CV",
        number_symbol="11-CV/ĐU",
        number=11,
        issuer="Đảng ủy Sở Tư pháp",
        issued_on=__import__("datetime").date.today(),
        year=__import__("datetime").date.today().year,
        subject="Công văn trước",
    )
    assert client.post(_url("finalise", "STP", "2026S1")).status_code == 302
    draft = ReviewDraft.objects.get(unit=tree.stp, period_code="2026S1")
    assert draft.state == "final" and draft.number_symbol == "12/BC-STP"
    assert draft.document.number_symbol == "12/BC-STP" and draft.document.signing_authority == "T/M"
    assert draft.document.signer_title == ""  # the placeholder "[CHỨC VỤ NGƯỜI KÝ]" is not registered
    frozen = Document(io.BytesIO(bytes(draft.versions.get(number=3).frozen_docx)))
    assert frozen.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số: 12/BC-STP"
    # A correction starts from the same form.
    assert client.post(_url("correct", "STP", "2026S1")).status_code == 302
    correction = ReviewDraft.objects.get(unit=tree.stp, period_code="2026S1", state="draft")
    assert correction.versions.get().layout == "state"


def test_a_state_bodys_register_number_takes_a_leading_zero_and_the_party_one_is_unchanged(tree, personas):
    import datetime

    from danvan.directives import services
    from danvan.directives.services import DocumentSpec

    def register(**pattern):
        spec = DocumentSpec(
            unit=tree.stp,
            direction="out",
            doc_type="BC",
            number_symbol="",
            issuer="Sở Tư pháp",
            issued_on=datetime.date.today(),
            subject="Báo cáo",
        )
        symbol = "BC-STP" if pattern else "BC/ĐU"
        return services.document_register_outgoing(spec=spec, symbol=symbol, by=personas["admin"], **pattern)

    assert register(pattern="{number:02d}/{symbol}").number_symbol == "01/BC-STP"
    assert register().number_symbol == "2-BC/ĐU"
    assert register(pattern="{number:02d}/{symbol}").number_symbol == "03/BC-STP"


def test_file_names_say_the_unit_and_period_in_words_and_a_second_finalise_is_told_so(
    tree, personas, figures
):
    from django.core.exceptions import ValidationError

    from danvan.reviews import narrative, services

    assert narrative.file_name("Đảng ủy Sở Tư pháp", "2026S1", "docx") == (
        "bao-cao-dang-uy-so-tu-phap-6-thang-dau-nam-2026.docx"
    )
    assert narrative.file_name("Đảng ủy Sở Tư pháp", "2026", "pdf", 12).startswith("bao-cao-so-12-dang-uy")
    admin = personas["admin"]
    services.version_save(
        unit=tree.stp, period_code="2026S1", narrative=services.Narrative(**NARRATIVE), by=admin
    )
    services.draft_finalise(unit=tree.stp, period_code="2026S1", by=admin)
    with pytest.raises(ValidationError) as error:
        services.draft_finalise(unit=tree.stp, period_code="2026S1", by=admin)
    assert "đã hoàn thành" in str(error.value)
