"""Validation of a report's values: parsing what was typed, and the rules between values.

Rules, each explained in Vietnamese with the elements it concerns:
- every value is a whole number within the element's minimum (0 by default) and maximum;
- for every indicator whose elements are all on the form: numerator ≤ denominator;
- the custom rules attached to the form (or to every form).
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import DataElement, Indicator, ReportForm, ValidationRule
from .rollup import compare

_THOUSANDS = re.compile(r"^-?\d{1,3}([. ]\d{3})+$")
_PLAIN = re.compile(r"^-?\d+$")
MAX_ABS = 10**15


class ValueParseError(ValueError):
    pass


def parse_whole(raw) -> int | None:
    """A whole number from what a user typed ("1.673", "1 673", "1673"); None when empty."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueParseError(_("Enter a whole number."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValueParseError(_("Enter a whole number, without decimals."))
        value = int(raw)
    else:
        text = str(raw).strip().replace("\u00a0", " ")
        if text == "":
            return None
        if _PLAIN.match(text):
            value = int(text)
        elif _THOUSANDS.match(text):
            value = int(re.sub(r"[. ]", "", text))
        elif re.match(r"^-?\d+[.,]\d+$", text):
            raise ValueParseError(_("Enter a whole number, without decimals."))
        else:
            raise ValueParseError(_("“%(text)s” is not a number.") % {"text": text[:40]})
    if abs(value) >= MAX_ABS:
        raise ValueParseError(_("The number is too large."))
    return value


@dataclass
class Problem:
    message: str
    elements: list[str] = field(default_factory=list)  # codes of the elements it concerns


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def element_problems(element: DataElement, value: int | None) -> list[Problem]:
    if value is None:
        return []
    if element.min_value is not None and value < element.min_value:
        if element.min_value == 0:
            return [Problem(_("%(name)s cannot be negative.") % {"name": element.name}, [element.code])]
        return [
            Problem(
                _("%(name)s must be at least %(min)s.")
                % {"name": element.name, "min": _n(element.min_value)},
                [element.code],
            )
        ]
    if element.max_value is not None and value > element.max_value:
        return [
            Problem(
                _("%(name)s must be at most %(max)s.") % {"name": element.name, "max": _n(element.max_value)},
                [element.code],
            )
        ]
    return []


def check(form: ReportForm, values: dict[str, int | None]) -> list[Problem]:
    """Every rule the values (element code → value; None = empty) break, in form order."""
    elements = {e.code: e for e in DataElement.objects.filter(code__in=list(values))}
    problems: list[Problem] = []
    for code, value in values.items():
        if code in elements:
            problems.extend(element_problems(elements[code], value))

    present = {code for code, value in values.items() if value is not None}
    indicators = (
        Indicator.objects.prefetch_related("terms__element")
        .filter(terms__element__code__in=present)
        .distinct()
    )
    for indicator in indicators:
        numerator = [t.element for t in indicator.terms.all() if t.side == "n"]
        denominator = [t.element for t in indicator.terms.all() if t.side == "d"]
        codes = {e.code for e in numerator + denominator}
        if not denominator or not codes <= present:
            continue
        top = sum(values[e.code] for e in numerator)
        bottom = sum(values[e.code] for e in denominator)
        if top > bottom:
            problems.append(
                Problem(
                    _("%(numerator)s (%(top)s) cannot exceed %(denominator)s (%(bottom)s).")
                    % {
                        "numerator": " + ".join(e.name for e in numerator),
                        "top": _n(top),
                        "denominator": " + ".join(e.name for e in denominator),
                        "bottom": _n(bottom),
                    },
                    sorted(codes),
                )
            )

    rules = ValidationRule.objects.filter(Q(form=form) | Q(form__isnull=True)).prefetch_related(
        "left", "right"
    )
    for rule in rules:
        left = [e.code for e in rule.left.all()]
        right = [e.code for e in rule.right.all()]
        if not left or not set(left + right) <= present:
            continue
        left_sum = sum(values[c] for c in left)
        right_sum = sum(values[c] for c in right) if right else (rule.right_constant or 0)
        if not compare(left_sum, rule.comparator, right_sum):
            problems.append(Problem(rule.message, sorted(set(left + right))))
    return problems
