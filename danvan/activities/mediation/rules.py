"""The rules of grassroots mediation that read no record and write none (used by the services, the
pages and the demo): the team's composition (khoản 1 Điều 12) and the names typed in one field."""

from django.utils.translation import gettext as _

from .models import LAW, Sex

MIN_MEDIATORS = 3


def team_rule(sexes: list[str]) -> str:
    """The refusal of khoản 1 Điều 12 for a team whose mediators have these sexes ("" when it holds)."""
    women = sum(1 for sex in sexes if sex == Sex.FEMALE)
    if len(sexes) >= MIN_MEDIATORS and women:
        return ""
    return _(
        "A mediation team must have at least three mediators, at least one of them a woman "
        "(%(law)s, khoản 1 Điều 12): it would have %(count)s, %(women)s of them women."
    ) % {"law": LAW, "count": len(sexes), "women": women}


def split_names(text: str) -> list[str]:
    """Names typed in one cell or field, separated by “;” (or by lines)."""
    return [name.strip() for name in str(text or "").replace("\n", ";").split(";") if name.strip()]
