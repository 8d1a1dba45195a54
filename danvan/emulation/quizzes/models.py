"""The quiz bank for cadres (bộ câu hỏi trắc nghiệm): questions with their choices, quizzes drawn from
the bank, and each person's attempts.

- A `Question` belongs to a unit (the bank of that unit, kept by its managers: EMULATION_MANAGE) and has
  a topic (`Topic`: data, added as questions name them), a difficulty, the source document it rests on and
  an explanation shown after an attempt. It has at least two `Choice` rows, at least one of them right;
  several may be right.
- A `Quiz` of a unit is open to the people of its subtree (QUIZ_TAKE) between two dates: it says how many
  questions of each difficulty to draw, from which topics (none: every topic), the time limit, how many
  attempts each person has and whether choices are shuffled.
- An `Attempt` draws its questions when it starts (`AttemptQuestion`, with the order of the choices shown)
  and ends when submitted or when its time is up; answers sent after the limit plus a grace are not
  counted. A question counts right only when exactly its right choices were chosen.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GRACE_SECONDS = 30  # answers sent this long after the time limit still count (network, a slow phone)


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Topic(models.Model):
    """A topic of the bank (Dân vận, Quy chế dân chủ ở cơ sở, Hòa giải ở cơ sở …): data, shared by all."""

    name = models.CharField(_("topic"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("quiz topic")

    def __str__(self):
        return self.name


class Question(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="quiz_questions")
    text = models.TextField(_("question"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "topic__name", "id"]
        verbose_name = _("quiz question")
        indexes = [models.Index(fields=["unit", "difficulty", "topic"], name="quiz_question_draw")]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("choice"))
    correct = models.BooleanField(_("right answer"), default=False)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("choice of a quiz question")
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="quiz_choice_position_once")
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def letter(self) -> str:
        return chr(ord("A") + self.position - 1) if 1 <= self.position <= 26 else str(self.position)


class Quiz(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="quizzes")
    title = models.CharField(_("title"), max_length=300)
    topics = models.ManyToManyField(Topic, blank=True, related_name="quizzes", verbose_name=_("topics"))
    easy_count = models.PositiveSmallIntegerField(_("easy questions"), default=0)
    medium_count = models.PositiveSmallIntegerField(_("medium questions"), default=0)
    hard_count = models.PositiveSmallIntegerField(_("hard questions"), default=0)
    minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    shuffle_choices = models.BooleanField(_("shuffle the choices"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return self.title

    @property
    def question_count(self) -> int:
        return self.easy_count + self.medium_count + self.hard_count


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    # the person's unit: the unit of their role within the quiz's subtree (the quiz's own unit otherwise)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    deadline_at = models.DateTimeField(_("time is up at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("submitted after the time limit"), default=False)
    total = models.PositiveSmallIntegerField(_("questions"))
    right = models.PositiveSmallIntegerField(_("right answers"), null=True, blank=True)

    class Meta:
        ordering = ["quiz", "user", "number"]
        verbose_name = _("quiz attempt")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="quiz_attempt_number_once")
        ]

    def __str__(self):
        return f"{self.quiz} – {self.user} #{self.number}"


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    order = models.JSONField(default=list)  # the choice ids in the order shown
    chosen = models.JSONField(default=list)  # the choice ids chosen (counted answers only)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("question of a quiz attempt")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="quiz_attempt_position_once")
        ]

    def __str__(self):
        return f"{self.attempt} – {self.position}"
