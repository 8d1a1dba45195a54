import datetime

from django.template import Context, Template
from django.utils import translation


def render(source, **context):
    return Template("{% load vn %}" + source).render(Context(context))


def test_numbers_and_percentages_use_vietnamese_separators():
    with translation.override("vi"):
        assert render("{{ n|number }}", n=1673) == "1.673"
        assert render("{{ n|number }}", n=2560000) == "2.560.000"
        assert render("{{ r|percent }}", r=73.5) == "73,5 %"
        assert render("{{ r|percent }}", r=100) == "100 %"
        assert render("{{ r|percent:2 }}", r=1673 / 2276 * 100) == "73,51 %"


def test_empty_values_render_as_nothing():
    assert render("{{ n|number }}|{{ n|percent }}", n=None) == "|"
    assert render("{{ n|number }}", n="không phải số") == "không phải số"


def test_dates_are_day_month_year():
    with translation.override("vi"):
        assert Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": datetime.date(2014, 6, 6)})
        ) == ("06/06/2014")
        assert Template("{{ d }}").render(Context({"d": datetime.date(2025, 3, 1)})) == "01/03/2025"
