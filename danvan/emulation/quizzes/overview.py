"""The quizzes' card on the emulation overview: the year's quizzes, who took them, the average score."""

from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.templatetags.vn import number
from danvan.emulation.cards import Figure

from . import selectors


def figures(user, year: int) -> list[Figure]:
    if not policy.has_any(user, Perm.EMULATION_VIEW):
        return []
    found = selectors.year_figures(user, year)
    if not found["quizzes"] and not found["questions"]:
        return []
    listing = reverse("quizzes:quizzes")
    shown = [
        Figure(label=_("Quizzes opened"), value=number(found["quizzes"]), url=listing),
        Figure(label=_("People who took them"), value=number(found["people"])),
        Figure(label=_("Attempts ended"), value=number(found["attempts"])),
        Figure(
            label=_("Average score (out of 10)"),
            value=number(found["average"], 2) if found["average"] is not None else "—",
        ),
        Figure(label=_("Questions in the bank"), value=number(found["questions"])),
    ]
    return shown
