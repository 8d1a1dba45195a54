from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """The quiz bank for cadres (bộ câu hỏi trắc nghiệm) and its timed quizzes."""

    name = "danvan.emulation.quizzes"
    label = "quizzes"
    verbose_name = "Quiz bank"

    def ready(self):
        from danvan.accounts import policy
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register as audited
        from danvan.core import navigation
        from danvan.emulation import cards
        from danvan.reminders import kinds as reminder_kinds

        from . import overview, reminders, sources, worklist
        from .models import Attempt, Choice, Question, Quiz, Topic

        audited(model=Question, unit=lambda question: question.unit)
        audited(model=Choice, unit=lambda choice: choice.question.unit)
        audited(model=Quiz, unit=lambda quiz: quiz.unit)
        audited(model=Attempt, unit=lambda attempt: attempt.unit)
        audited(model=Topic, unit=lambda topic: None)
        describe(Question, name=_("Quiz question"))
        describe(Choice, name=_("Choice of a quiz question"))
        describe(Quiz, name=_("Quiz"))
        describe(Attempt, name=_("Quiz attempt"))
        describe(Topic, name=_("Quiz topic"))

        cards.register(
            cards.Card(
                key="quizzes",
                label=_("Quizzes"),
                url_name="quizzes:home",
                order=40,
                figures=overview.figures,
            )
        )
        sources.register()
        worklist.register()
        reminder_kinds.register(reminders.REMINDER_KIND, order=60)
        navigation.register(
            label=_("Quizzes"),
            url_name="quizzes:home",
            key="quizzes",
            order=462,
            visible=lambda user: policy.has_any(user, policy.Perm.QUIZ_TAKE),
            group="emulation",
        )
        navigation.register(
            label=_("Question bank"),
            url_name="quizzes:bank",
            key="quiz_bank",
            order=464,
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_MANAGE),
            group="emulation",
        )
