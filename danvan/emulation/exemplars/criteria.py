"""The criteria a reviewer scores a “Dân vận khéo” model on, with their maximum points (100 in all).

The installation's own set (the movement's guidance was not checked): creativity, effectiveness,
the people's participation and whether the model can be replicated elsewhere."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    code: str
    label: object
    maximum: int


CRITERIA = (
    Criterion("creativity", _("Creativity"), 25),
    Criterion("effectiveness", _("Effectiveness"), 35),
    Criterion("participation", _("People's participation and consensus"), 20),
    Criterion("replicability", _("Can be replicated"), 20),
)
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}
MAXIMUM = sum(criterion.maximum for criterion in CRITERIA)
