"""Programmes from a document: pre-filled tasks, lead units, due rules, occurrences, states, progress."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.actors import System
from danvan.programmes import schedule, selectors, services, specs
from danvan.programmes.models import DueRule, Occurrence, Programme, ProgressUpdate, State, Task, TaskKind

from .helpers import register_document

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

D = datetime.date


def _programme(tree, **extra):
    return Programme.objects.create(unit=tree.stp, title="Chương trình thử", starts_on=D(2026, 1, 1), **extra)


def _years_of_15_12(start):
    """The 15/12 deadlines from `start` to the horizon."""
    return [
        D(year, 12, 15) for year in range(start.year, schedule.horizon().year + 1) if D(year, 12, 15) >= start
    ]


def test_prefill_from_seed_004(tree):
    document = register_document(tree.stp)  # dated 06/06/2014
    programme = services.programme_create(document=document, by=SYSTEM)
    assert programme.unit == tree.stp and programme.document == document
    # created today, it starts today: not on the document's date twelve years ago
    assert programme.starts_on == schedule.today()
    tasks = list(programme.tasks.all())
    assignments = [task for task in tasks if task.kind == TaskKind.TASK]
    targets = [task for task in tasks if task.kind == TaskKind.TARGET]
    # the 7 numbered items of "Nội dung, nhiệm vụ và giải pháp", the 7 explicit assignments in them and
    # the 5 items of "Tổ chức thực hiện"; the 5 sentences with a percentage commitment
    assert (len(assignments), len(targets)) == (19, 5)
    texts = [task.text for task in assignments]
    assert texts[0].startswith("Tăng cường xây dựng Đảng về chính trị, tư tưởng và tổ chức")
    for covering in ("Đảng ủy Sở triển khai toàn văn", "Trong quá trình truy cập", "Trên đây là"):
        assert not any(text.startswith(covering) for text in texts), covering
    giao = next(
        task for task in assignments if task.text.startswith("Giao Ban Tuyên giáo Đảng ủy khối phối hợp")
    )
    assert giao.lead is None and giao.lead_text == "Ban Tuyên giáo Đảng ủy khối"  # not a unit of the tree
    assert "Văn phòng" in giao.coordinating_text
    # no body of the text is a unit of STP's tree: every lead is left for the user to choose
    assert not any(task.lead_id for task in tasks)
    # "… định kỳ báo cáo …" under "Tổ chức thực hiện": yearly on the closing sentence's 15/12
    annual = [task for task in assignments if task.rule == DueRule.ANNUAL]
    assert [(task.order, task.day, task.month) for task in annual] == [(15, 15, 12), (19, 15, 12)]
    for task in annual:
        assert list(task.occurrences.values_list("due_on", flat=True)) == _years_of_15_12(programme.starts_on)
    semiannual = programme.tasks.get(rule=DueRule.SEMIANNUAL)
    assert semiannual.text.startswith("Định kỳ 6 tháng, 1 năm") and (semiannual.day, semiannual.month) == (
        15,
        12,
    )
    assert not Occurrence.objects.filter(task__programme=programme, due_on=D(2014, 12, 15)).exists()
    # nothing is due before the start, so nothing is overdue the moment the programme exists
    assert not Occurrence.objects.filter(task__programme=programme, due_on__lt=programme.starts_on).exists()
    assert selectors.progress(programme).overdue == 0
    assert {task.percent for task in targets} >= {100, 80}
    assert any(task.text.startswith("Đảm bảo 100% các tổ chức cơ sở đảng") for task in targets)
    # every task has at least one occurrence, so it has a state
    assert not programme.tasks.filter(occurrences__isnull=True).exists()


def test_prefill_from_seed_004_on_a_chosen_start(tree):
    document = register_document(tree.stp)
    programme = services.programme_create(document=document, starts_on=D(2025, 1, 1), by=SYSTEM)
    assert programme.starts_on == D(2025, 1, 1)
    annual = programme.tasks.get(order=19)
    assert list(annual.occurrences.values_list("due_on", flat=True)) == _years_of_15_12(D(2025, 1, 1))
    assert annual.occurrences.first().due_on == D(2025, 12, 15)


@pytest.mark.parametrize(
    "starts_on,message",
    [
        (D(2014, 6, 5), "không thể bắt đầu trước ngày của văn bản (06/06/2014)"),
        (D(2099, 1, 1), "phải bắt đầu chậm nhất vào ngày"),
    ],
)
def test_a_start_before_the_document_or_too_far_ahead_is_refused(tree, starts_on, message):
    document = register_document(tree.stp)
    with pytest.raises(ValidationError) as error:
        services.programme_create(document=document, starts_on=starts_on, by=SYSTEM)
    assert message in " ".join(error.value.messages)
    assert not Programme.objects.exists() and not Task.objects.exists() and not Occurrence.objects.exists()


def test_a_date_in_the_text_before_the_start_is_not_made_an_overdue_deadline(tree):
    body = (
        "Giao Chi bộ 1 chủ trì tổ chức hội nghị trước ngày 30/9/2026.\n\n"
        "Giao Chi bộ 2 chủ trì tổng kết trước ngày 30/11/2026."
    )
    document = register_document(tree.stp, body=body, number_symbol="91-CV/ĐU", day=D(2026, 6, 1))
    programme = services.programme_create(document=document, starts_on=D(2026, 10, 1), by=SYSTEM)
    first, second = programme.tasks.order_by("order")
    assert (first.rule, first.due_on) == (DueRule.NONE, None)  # 30/09 is before the start: no deadline
    assert list(first.occurrences.values_list("due_on", flat=True)) == [None]
    assert (second.rule, second.due_on) == (DueRule.FIXED, D(2026, 11, 30))


def test_a_due_date_before_the_start_is_refused(tree):
    programme = _programme(tree)  # starts 01/01/2026
    spec = specs.TaskSpec(text="Hội nghị", rule=DueRule.FIXED, due_on=D(2025, 12, 31))
    with pytest.raises(ValidationError) as error:
        services.task_save(programme=programme, spec=spec, by=SYSTEM)
    assert "31/12/2025 là trước ngày chương trình bắt đầu (01/01/2026)" in " ".join(error.value.messages)
    assert not Task.objects.exists() and not Occurrence.objects.exists()


def test_lead_is_resolved_without_accents_within_the_tree(tree):
    assert specs.resolve_lead(tree.stp, "chi bo 1") == tree.stp_cb1
    assert specs.resolve_lead(tree.stp, "CHI BỘ 2") == tree.stp_cb2
    assert specs.resolve_lead(tree.stp, "Chi bộ Văn phòng") is None  # SYT's cell, outside STP's tree
    assert specs.resolve_lead(tree.root, "Chi bộ Văn phòng") == tree.syt_cb1
    body = "Giao Chi bo 1 chủ trì, phối hợp với Chi bộ 2 tổ chức hội nghị trước ngày 30/9/2026."
    document = register_document(tree.stp, body=body, number_symbol="90-CV/ĐU", day=D(2026, 6, 1))
    programme = services.programme_create(document=document, starts_on=D(2026, 6, 1), by=SYSTEM)
    task = programme.tasks.get()
    assert task.lead == tree.stp_cb1
    assert list(task.coordinating.all()) == [tree.stp_cb2]
    assert (task.rule, task.due_on) == (DueRule.FIXED, D(2026, 9, 30))
    assert list(task.occurrences.values_list("due_on", flat=True)) == [D(2026, 9, 30)]


def test_a_lead_outside_the_tree_is_refused_and_nothing_saved(tree):
    programme = _programme(tree)
    with pytest.raises(ValidationError) as error:
        services.task_save(
            programme=programme, spec=specs.TaskSpec(text="Tổ chức hội nghị", lead=tree.syt), by=SYSTEM
        )
    assert "không thuộc" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        services.task_save(
            programme=programme, spec=specs.TaskSpec(text="Phối hợp", coordinating=[tree.syt_cb1]), by=SYSTEM
        )
    assert not Task.objects.exists() and not Occurrence.objects.exists()


def test_annual_rule_on_15_12_creates_one_occurrence_a_year_idempotently(tree):
    programme = _programme(tree)
    spec = specs.TaskSpec(text="Báo cáo kết quả", lead=tree.stp_cb1, rule=DueRule.ANNUAL, day=15, month=12)
    task = services.task_save(programme=programme, spec=spec, by=SYSTEM)
    days = list(task.occurrences.values_list("due_on", flat=True))
    last = schedule.horizon().year
    assert days == [D(year, 12, 15) for year in range(2026, last + 1)]
    assert services.occurrences_generate(task=task, by=SYSTEM) == 0  # nothing twice
    assert services.occurrences_generate(task=task, until=D(last + 2, 12, 31), by=SYSTEM) == 2
    assert task.occurrences.count() == len(days) + 2


def test_semiannual_rule_gives_both_halves(tree):
    programme = _programme(tree)
    spec = specs.TaskSpec(text="Sơ kết", rule=DueRule.SEMIANNUAL, day=15, month=6)
    task = services.task_save(programme=programme, spec=spec, by=SYSTEM)
    days = list(task.occurrences.values_list("due_on", flat=True))
    assert days[:3] == [D(2026, 6, 15), D(2026, 12, 15), D(2027, 6, 15)]


@pytest.mark.parametrize("day,month", [(31, 2), (30, 2), (29, 2), (31, 4), (0, 5), (15, 13)])
def test_impossible_day_of_the_year_is_refused(tree, day, month):
    programme = _programme(tree)
    spec = specs.TaskSpec(text="Báo cáo", rule=DueRule.ANNUAL, day=day, month=month)
    with pytest.raises(ValidationError) as error:
        services.task_save(programme=programme, spec=spec, by=SYSTEM)
    assert "không phải là ngày có trong mọi năm" in " ".join(error.value.messages)
    assert not Task.objects.exists()


@pytest.mark.parametrize("day,month", [(31, 10), (31, 4), (30, 8), (31, 8), (29, 8)])
def test_a_six_monthly_day_must_exist_in_both_halves(tree, day, month):
    programme = _programme(tree)
    spec = specs.TaskSpec(text="Sơ kết", rule=DueRule.SEMIANNUAL, day=day, month=month)
    with pytest.raises(ValidationError) as error:
        services.task_save(programme=programme, spec=spec, by=SYSTEM)
    assert "không phải là ngày có trong mọi năm" in " ".join(error.value.messages)
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "spec",
    [
        specs.TaskSpec(text="x", rule=DueRule.FIXED, due_on=D(9999, 12, 31)),
        specs.TaskSpec(text="x", rule=DueRule.RELATIVE, relative_to=D(9999, 12, 30), relative_days=3000),
        specs.TaskSpec(text="x", rule=DueRule.RELATIVE, relative_to=D(1, 1, 1), relative_days=3),
    ],
)
def test_a_date_far_from_the_programme_is_refused_in_vietnamese(tree, spec):
    programme = _programme(tree)
    with pytest.raises(ValidationError) as error:
        services.task_save(programme=programme, spec=spec, by=SYSTEM)
    assert "quá xa ngày bắt đầu" in " ".join(error.value.messages)
    assert not Task.objects.exists()


def test_relative_rule_counts_days_after_the_date(tree):
    programme = _programme(tree)
    spec = specs.TaskSpec(
        text="Báo cáo sau hội nghị", rule=DueRule.RELATIVE, relative_to=D(2026, 3, 10), relative_days=30
    )
    task = services.task_save(programme=programme, spec=spec, by=SYSTEM)
    assert list(task.occurrences.values_list("due_on", flat=True)) == [D(2026, 4, 9)]
    # changing the rule replaces the untouched occurrence
    spec.relative_days = 45
    services.task_save(programme=programme, spec=spec, task=task, by=SYSTEM)
    assert list(task.occurrences.values_list("due_on", flat=True)) == [D(2026, 4, 24)]
    with pytest.raises(ValidationError):
        services.task_save(
            programme=programme,
            spec=specs.TaskSpec(text="x", rule=DueRule.RELATIVE, relative_days=5),
            by=SYSTEM,
        )


def test_states_and_overdue(tree):
    programme = _programme(tree)
    spec = specs.TaskSpec(text="Tổ chức hội nghị", rule=DueRule.FIXED, due_on=D(2026, 5, 1))
    occurrence = services.task_save(programme=programme, spec=spec, by=SYSTEM).occurrences.get()
    assert occurrence.status(D(2026, 5, 1)) == State.NOT_STARTED
    assert occurrence.status(D(2026, 5, 2)) == "overdue"
    services.progress_report(
        occurrence=occurrence, state=State.IN_PROGRESS, text="Đang chuẩn bị", on=D(2026, 4, 20), by=SYSTEM
    )
    occurrence.refresh_from_db()
    assert occurrence.status(D(2026, 4, 30)) == State.IN_PROGRESS
    assert occurrence.status(D(2026, 6, 1)) == "overdue"
    assert selectors.overdue(Occurrence.objects.all(), D(2026, 6, 1)).count() == 1
    services.progress_report(
        occurrence=occurrence, state=State.DONE, text="Đã tổ chức", on=D(2026, 5, 3), by=SYSTEM
    )
    occurrence.refresh_from_db()
    assert occurrence.status(D(2026, 6, 1)) == State.DONE and not occurrence.on_time
    assert selectors.overdue(Occurrence.objects.all(), D(2026, 6, 1)).count() == 0
    result = selectors.progress(programme, D(2026, 6, 1))
    assert (result.total, result.done, result.on_time, result.overdue) == (1, 1, 0, 0)
    assert selectors.progress_by_programme([programme.pk], D(2026, 6, 1)) == {programme.pk: result}


def test_progress_of_many_programmes_in_one_query_matches_each(tree, django_assert_num_queries):
    programmes = [_programme(tree), _programme(tree)]
    for index, programme in enumerate(programmes):
        for offset, (due, done_on) in enumerate(
            [
                (D(2026, 3, 1), D(2026, 2, 20)),
                (D(2026, 3, 2), D(2026, 3, 9)),
                (D(2026, 3, 3), None),
                (D(2026, 9, 1), None),
                (None, None),
            ][index:]
        ):
            rule = DueRule.FIXED if due else DueRule.NONE
            task = services.task_save(
                programme=programme,
                spec=specs.TaskSpec(text=f"Việc {offset}", rule=rule, due_on=due),
                by=SYSTEM,
            )
            if done_on:
                services.progress_report(
                    occurrence=task.occurrences.get(), state=State.DONE, text="Xong", on=done_on, by=SYSTEM
                )
    day = D(2026, 3, 10)
    with django_assert_num_queries(1):
        figures = selectors.progress_by_programme([programme.pk for programme in programmes], day)
    assert figures == {programme.pk: selectors.progress(programme, day) for programme in programmes}
    first = figures[programmes[0].pk]
    assert (first.total, first.done, first.on_time, first.late, first.overdue, first.upcoming) == (
        4,
        2,
        1,
        1,
        1,
        1,
    )


def test_progress_with_evidence(tree):
    programme = _programme(tree)
    occurrence = services.task_save(
        programme=programme, spec=specs.TaskSpec(text="Quán triệt"), by=SYSTEM
    ).occurrences.get()
    evidence = SimpleUploadedFile("bien-ban.txt", "Biên bản hội nghị quán triệt".encode(), "text/plain")
    update = services.progress_report(
        occurrence=occurrence,
        state=State.DONE,
        text="Đã quán triệt cho 45/50 đảng viên",
        links=["https://danvan.example/voice/cases/12/"],
        file=evidence,
        on=D(2026, 2, 1),
        by=SYSTEM,
    )
    assert update.file_name == "bien-ban.txt" and update.file_type == "text/plain"
    assert update.file.read().decode() == "Biên bản hội nghị quán triệt"
    assert update.links == ["https://danvan.example/voice/cases/12/"]
    occurrence.refresh_from_db()
    assert occurrence.state == State.DONE and occurrence.on_time


def test_bad_evidence_is_refused_and_nothing_saved(tree, settings):
    programme = _programme(tree)
    occurrence = services.task_save(
        programme=programme, spec=specs.TaskSpec(text="Quán triệt"), by=SYSTEM
    ).occurrences.get()
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/octet-stream")
    with pytest.raises(ValidationError):
        services.progress_report(occurrence=occurrence, state=State.DONE, text="Xong", file=bad, by=SYSTEM)
    settings.DIRECTIVES_MAX_FILE_MB = 0.001
    big = SimpleUploadedFile("lon.txt", b"a" * 5000, "text/plain")
    with pytest.raises(ValidationError) as error:
        services.progress_report(occurrence=occurrence, state=State.DONE, text="Xong", file=big, by=SYSTEM)
    assert "MB" in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        services.progress_report(
            occurrence=occurrence, state=State.DONE, text="Xong", links=["javascript:alert(1)"], by=SYSTEM
        )
    assert "không phải là địa chỉ web" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        services.progress_report(occurrence=occurrence, state=State.DONE, text="   ", by=SYSTEM)
    assert not ProgressUpdate.objects.exists()
    occurrence.refresh_from_db()
    assert occurrence.state == State.NOT_STARTED


NOT_ALLOWED = "Nội dung chứa ký tự không được phép."


def test_a_control_character_in_a_task_a_title_or_progress_is_refused_and_nothing_is_saved(tree):
    programme = _programme(tree)
    with pytest.raises(ValidationError) as caught:
        services.task_save(
            programme=programme, spec=specs.TaskSpec(text="Quán triệt\x07 nghị quyết"), by=SYSTEM
        )
    assert caught.value.message_dict["text"] == [NOT_ALLOWED]
    assert not Task.objects.exists()
    document = register_document(tree.stp)
    with pytest.raises(ValidationError) as caught:
        services.programme_create(document=document, title="Chương trình\x1b hành động", by=SYSTEM)
    assert caught.value.message_dict["title"] == [NOT_ALLOWED]
    assert Programme.objects.count() == 1
    occurrence = services.task_save(
        programme=programme, spec=specs.TaskSpec(text="Quán triệt"), by=SYSTEM
    ).occurrences.get()
    with pytest.raises(ValidationError) as caught:
        services.progress_report(occurrence=occurrence, state=State.DONE, text="Đã\x1f xong", by=SYSTEM)
    assert caught.value.message_dict["text"] == [NOT_ALLOWED]
    with pytest.raises(ValidationError) as caught:
        services.progress_report(
            occurrence=occurrence,
            state=State.DONE,
            text="Đã xong",
            links=["https://danvan.vn/bien-ban\x07"],
            by=SYSTEM,
        )
    assert caught.value.message_dict["links"] == [NOT_ALLOWED]
    assert not ProgressUpdate.objects.exists()
    occurrence.refresh_from_db()
    assert occurrence.state != State.DONE
