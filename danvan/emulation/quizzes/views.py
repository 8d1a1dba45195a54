"""Pages of the quiz bank (/emulation/quizzes/).

- Taking (QUIZ_TAKE): the quizzes open to me, a quiz's page (start an attempt), the attempt (a single
  scrollable form with big tap targets and a countdown that also works without JavaScript: the server's
  time and the time it is up are printed), then its result with the right answers and explanations.
  An attempt is seen by its taker only.
- Results (EMULATION_VIEW at the quiz's unit): scores per person and unit, participation, per question
  statistics (hardest first, how often each wrong choice was picked), XLSX.
- The bank and the quizzes (EMULATION_MANAGE): questions one by one or imported (XLSX/CSV/DOCX, all or
  nothing), a sample file, new quizzes, a quiz changed (what it draws only until someone has started
  it) or closed now.
A record out of reach answers 404; one seen without the right to act, 403. GETs never write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.http import post_only
from danvan.core.pages import acted, errors_shown, saved
from danvan.core.tables import FileRejected
from danvan.orgs.fields import unit_filter

from . import importing, selectors, services
from .forms import BankFilterForm, ImportForm, QuestionForm, QuizEditForm, QuizForm
from .models import Attempt, Quiz, Topic

PAGE_SIZE = 50


def _state(quiz: Quiz, today) -> str:
    if today < quiz.opens_on:
        return _("Not open yet")
    if today > quiz.closes_on:
        return _("Closed")
    return _("Open")


# --------------------------------------------------------------------------- taking


@login_required
def home(request):
    """The quizzes open to me: open ones first, with what I did in each."""
    require_somewhere(request.user, Perm.QUIZ_TAKE)
    today = timezone.localdate()
    quizzes = list(
        selectors.quizzes_open_to(request.user).filter(closes_on__gte=today).order_by("closes_on", "id")[:100]
    )
    mine: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(user=request.user, quiz__in=quizzes).order_by("number"):
        mine.setdefault(attempt.quiz_id, []).append(attempt)
    rows = [
        {
            "quiz": quiz,
            "state": _state(quiz, today),
            "open": selectors.is_open(quiz, today),
            "attempts": mine.get(quiz.pk, []),
        }
        for quiz in quizzes
    ]
    past = list(
        Attempt.objects.filter(user=request.user)
        .exclude(quiz__in=quizzes)
        .select_related("quiz")
        .order_by("-started_at")[:50]
    )
    context = {
        "rows": rows,
        "past": past,
        "can_manage": policy.has_any(request.user, Perm.EMULATION_MANAGE),
        "can_view": policy.has_any(request.user, Perm.EMULATION_VIEW),
    }
    return render(request, "quizzes/home.html", context)


def _open_quiz(request, pk) -> Quiz:
    return obtain(selectors.quizzes_open_to(request.user), user=request.user, do=None, pk=pk)


@login_required
def quiz_detail(request, pk: int):
    """A quiz as its takers see it: what it asks, when, my attempts, the button to start."""
    require_somewhere(request.user, Perm.QUIZ_TAKE)
    quiz = _open_quiz(request, pk)
    today = timezone.localdate()
    now = timezone.now()
    attempts = selectors.attempts_of(request.user, quiz)
    running = next((attempt for attempt in attempts if selectors.is_running(attempt, now)), None)
    context = {
        "quiz": quiz,
        "state": _state(quiz, today),
        "topics": list(quiz.topics.all()),
        "attempts": [
            {
                "attempt": a,
                "score": selectors.score_of(selectors.right_of(a), a.total),
                "running": a is running,
            }
            for a in attempts
        ],
        "running": running,
        "can_start": running is None
        and selectors.is_open(quiz, today)
        and len(attempts) < quiz.attempts_allowed,
        "left": max(0, quiz.attempts_allowed - len(attempts)),
        "can_view": policy.can(request.user, Perm.EMULATION_VIEW, quiz.unit),
    }
    return render(request, "quizzes/quiz.html", context)


@login_required
@post_only("quizzes:quiz")
def attempt_start(request, pk: int):
    quiz = _open_quiz(request, pk)
    try:
        attempt = services.attempt_start(quiz=quiz, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("quizzes:quiz", pk=quiz.pk)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _own_attempt(request, pk) -> Attempt:
    return obtain(
        Attempt.objects.filter(user=request.user).select_related("quiz", "unit"), user=request.user, pk=pk
    )


@login_required
def attempt_detail(request, pk: int):
    """The attempt: its form while it runs, its result (right answers, explanations) once it ended."""
    attempt = _own_attempt(request, pk)
    now = timezone.now()
    running = selectors.is_running(attempt, now)
    right = selectors.right_of(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": selectors.items_of(attempt),
        "running": running,
        "now": now,
        "seconds_left": selectors.seconds_left(attempt, now),
        "minutes_left": -(-selectors.seconds_left(attempt, now) // 60),
        "expired": not running and attempt.submitted_at is None,
        "score": selectors.score_of(right, attempt.total),
        "percent": selectors.percent_of(right, attempt.total),
        "right": right,
    }
    return render(request, "quizzes/attempt.html", context)


@login_required
@post_only("quizzes:attempt")
def attempt_submit(request, pk: int):
    attempt = _own_attempt(request, pk)
    answers: dict[int, list[int]] = {}
    for key in request.POST:
        if key.startswith("q") and key[1:].isdecimal():
            answers[int(key[1:])] = [int(value) for value in request.POST.getlist(key) if value.isdecimal()]
    try:
        attempt = services.attempt_submit(attempt=attempt, answers=answers, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if attempt.late:
            messages.warning(request, _("The time was up: the answers sent after it were not counted."))
        else:
            messages.success(request, _("Your answers were submitted."))
    return redirect("quizzes:attempt", pk=attempt.pk)


# --------------------------------------------------------------------------- quizzes and results


@login_required
def quiz_list(request):
    """The quizzes of the units I may see, with their participation."""
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    today = timezone.localdate()
    form = unit_filter(request.GET, user=request.user, perm=Perm.EMULATION_VIEW, label=_("Unit (its people)"))
    within = form.cleaned_data["unit"] if form.is_bound and form.is_valid() else None
    qs = selectors.quizzes_visible(request.user).order_by("-opens_on", "-id")
    if within is not None:
        qs = selectors.taken_within(qs, within)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    taken = selectors.people_counts([quiz.pk for quiz in page.object_list])
    rows = [
        {"quiz": quiz, "state": _state(quiz, today), "people": taken.get(quiz.pk, 0)}
        for quiz in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "within": within,
        "query": f"unit={within.code}" if within else "",
        "can_manage": policy.has_any(request.user, Perm.EMULATION_MANAGE),
    }
    return render(request, "quizzes/quizzes.html", context)


@login_required
def quiz_create(request):
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    form = QuizForm(request.POST or None, user=request.user)

    def save(data: dict) -> Quiz:
        return services.quiz_create(spec=services.QuizSpec.of(data, unit=data["unit"]), by=request.user)

    try:
        done = saved(
            request,
            form,
            save,
            done=_("The quiz was opened to the people of the unit."),
            then=lambda quiz: redirect("quizzes:results", pk=quiz.pk),
        )
    except PermissionDenied:
        form.add_error("unit", _("You may not set quizzes for this unit."))
        done = None
    return done or render(
        request, "quizzes/quiz_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _results_quiz(request, pk) -> Quiz:
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    return obtain(selectors.quizzes_visible(request.user), user=request.user, do=Perm.EMULATION_VIEW, pk=pk)


@login_required
def results(request, pk: int):
    quiz = _results_quiz(request, pk)
    found = selectors.results(quiz)
    context = {
        "quiz": quiz,
        "results": found,
        "state": _state(quiz, timezone.localdate()),
        "topics": list(quiz.topics.all()),
    }
    return render(request, "quizzes/results.html", context)


@login_required
def results_xlsx(request, pk: int):
    quiz = _results_quiz(request, pk)
    found = selectors.results(quiz)
    people = tables.Sheet(
        name=_("Scores per person"),
        title=quiz.title,
        columns=[
            tables.Column(_("Person"), width=28),
            tables.Column(_("Unit"), width=32),
            tables.Column(_("Attempts"), kind="count", width=10),
            tables.Column(_("Right answers"), kind="count", width=12),
            tables.Column(_("Questions"), kind="count", width=10),
            tables.Column(_("Score (out of 10)"), kind="number", width=12),
            tables.Column(_("Share right"), kind="rate", width=12),
        ],
        rows=(
            [row.name, row.unit, row.attempts, row.right, row.total, row.score, row.percent]
            for row in found.people
        ),
    )
    units = tables.Sheet(
        name=_("Per unit"),
        title=quiz.title,
        columns=[
            tables.Column(_("Unit"), width=32),
            tables.Column(_("People with a role"), kind="count", width=14),
            tables.Column(_("Took the quiz"), kind="count", width=12),
            tables.Column(_("Participation"), kind="rate", width=12),
            tables.Column(_("Average score (out of 10)"), kind="number", width=14),
        ],
        rows=([row.name, row.people, row.took, row.participation, row.average] for row in found.units),
    )
    questions = tables.Sheet(
        name=_("Per question"),
        title=quiz.title,
        columns=[
            tables.Column(_("Question"), width=60),
            tables.Column(_("Topic"), width=24),
            tables.Column(_("Difficulty"), width=12),
            tables.Column(_("Times asked"), kind="count", width=10),
            tables.Column(_("Share right"), kind="rate", width=12),
            tables.Column(_("Wrong choices picked"), width=60),
        ],
        rows=(
            [
                stat.question.text,
                stat.question.topic.name,
                stat.question.get_difficulty_display(),
                stat.asked,
                stat.share,
                "; ".join(
                    f"{c.choice.letter}. {c.choice.text}: {c.picked}"
                    for c in stat.choices
                    if not c.choice.correct
                ),
            ]
            for stat in found.questions
        ),
    )
    return xlsx_export(
        sheets=[people, units, questions],
        filename=f"ket-qua-thi-{quiz.pk}.xlsx",
        model=Quiz._meta.label_lower,
        what=quiz.title,
        unit=quiz.unit,
        changes={"people": len(found.people), "questions": len(found.questions)},
    )


# --------------------------------------------------------------------------- the bank


@login_required
def bank(request):
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    form = BankFilterForm(request.GET or None)
    qs = selectors.bank_visible(request.user)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["topic"]:
            qs = qs.filter(topic=form.cleaned_data["topic"])
        if form.cleaned_data["difficulty"]:
            qs = qs.filter(difficulty=form.cleaned_data["difficulty"])
    page = Paginator(qs.order_by("topic__name", "difficulty", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "total": qs.count()}
    return render(request, "quizzes/bank.html", context)


@login_required
def question_create(request):
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    form = QuestionForm(request.POST or None, user=request.user)
    try:
        done = saved(
            request,
            form,
            lambda data: services.question_create(unit=data["unit"], spec=form.spec(), by=request.user),
            done=_("The question was added to the bank."),
            then=lambda question: redirect("quizzes:question", pk=question.pk),
        )
    except PermissionDenied:
        form.add_error("unit", _("You may not keep the question bank of this unit."))
        done = None
    context = {"form": form, "topics": Topic.objects.all()}
    return done or render(request, "quizzes/question_form.html", context, status=400 if form.errors else 200)


def _question(request, pk):
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    return obtain(selectors.bank_visible(request.user), user=request.user, pk=pk)


@login_required
def question_detail(request, pk: int):
    """A question of the bank, and its form for the managers of its unit."""
    question = _question(request, pk)
    can_edit = policy.can(request.user, Perm.EMULATION_MANAGE, question.unit)
    choices = list(question.choices.order_by("position"))
    initial = {
        "text": question.text,
        "topic": question.topic.name,
        "difficulty": question.difficulty,
        "source": question.source,
        "explanation": question.explanation,
    }
    for index, choice in enumerate(choices, start=1):
        initial[f"choice_{index}"] = choice.text
        initial[f"right_{index}"] = choice.correct
    form = QuestionForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    done = saved(
        request,
        form,
        lambda _data: services.question_update(question=question, spec=form.spec(), by=request.user),
        done=_("The question was saved."),
        then=redirect("quizzes:question", pk=question.pk),
    )
    if done is not None:
        return done
    context = {
        "question": question,
        "choices": choices,
        "form": form,
        "can_edit": can_edit,
        "topics": Topic.objects.all(),
    }
    return render(request, "quizzes/question.html", context, status=400 if form.errors else 200)


@login_required
@post_only("quizzes:question")
def question_active(request, pk: int):
    question = _question(request, pk)
    if not policy.can(request.user, Perm.EMULATION_MANAGE, question.unit):
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    services.question_set_active(question=question, active=active, by=request.user)
    messages.success(
        request, _("The question is back in use.") if active else _("The question is no longer drawn.")
    )
    return redirect("quizzes:question", pk=question.pk)


@login_required
def bank_import(request):
    """Import questions from XLSX, CSV or DOCX: every question checked first, all saved or none."""
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    imported = None
    if request.method == "POST" and form.is_valid():
        try:
            specs = importing.read_specs(form.cleaned_data["file"])
            imported = services.questions_import(unit=form.cleaned_data["unit"], specs=specs, by=request.user)
        except FileRejected as error:
            errors = [str(problem) for problem in error.errors]
        except importing.ImportProblems as error:
            errors = error.messages
        except ValidationError as error:
            errors = importing.problems_of(error)
        except PermissionDenied:
            errors = [_("You may not keep the question bank of this unit.")]
    context = {
        "form": form,
        **errors_shown(errors),
        "imported": imported,
        "headings": importing.HEADINGS,
    }
    return render(request, "quizzes/import.html", context, status=400 if errors or form.errors else 200)


@login_required
def bank_sample(request):
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    columns = [
        tables.Column(heading, width=40 if index == 0 else 18)
        for index, heading in enumerate(importing.HEADINGS)
    ]
    sheet = tables.Sheet(name=_("Questions"), rows=importing.sample_rows(), columns=columns)
    return tables.xlsx_response(tables.workbook([sheet]), filename="mau-nhap-cau-hoi.xlsx")


# --------------------------------------------------------------------------- changing and closing a quiz


def _managed_quiz(request, pk) -> Quiz:
    require_somewhere(request.user, Perm.EMULATION_MANAGE)
    return obtain(selectors.quizzes_visible(request.user), user=request.user, do=Perm.EMULATION_MANAGE, pk=pk)


@login_required
def quiz_edit(request, pk: int):
    quiz = _managed_quiz(request, pk)
    initial = {name: getattr(quiz, name) for name in services.QuizSpec.SETTINGS}
    initial["topics"] = list(quiz.topics.all())
    form = QuizEditForm(request.POST or None, initial=initial, user=request.user)
    started = quiz.attempts.exists()
    if started:  # what it draws no longer changes (services.quiz_update refuses it too)
        for name in ("topics", *services.DRAW_FIELDS):
            form.fields[name].disabled = True

    def update(data):
        return services.quiz_update(
            quiz=quiz, spec=services.QuizSpec.of(data, unit=quiz.unit), by=request.user
        )

    done = saved(
        request, form, update, done=_("The quiz was changed."), then=redirect("quizzes:results", pk=quiz.pk)
    )
    if done:
        return done
    context = {"form": form, "quiz": quiz, "started": started}
    return render(request, "quizzes/quiz_edit.html", context, status=400 if form.errors else 200)


@login_required
@post_only("quizzes:results")
def quiz_close(request, pk: int):
    quiz = _managed_quiz(request, pk)
    acted(
        request,
        lambda: services.quiz_close(quiz=quiz, by=request.user),
        done=_("The quiz was closed: nobody can start it any more; its results stay."),
    )
    return redirect("quizzes:results", pk=quiz.pk)
