"""Migration reports 0012 (catalogue.activity_sources): the figures the activity registers count.

An old database typed MEDIATION_*, TRAINING_* and DIALOGUES_HELD and had no cell-meeting figures;
after the migration those elements take their sources, unless an administrator gave one another, and
each seeded form gains the cell section once."""

import importlib

import pytest
from django.apps import apps

from danvan.reports import catalogue
from danvan.reports.models import DataElement, FormField, FormSection, Indicator, IndicatorTerm, ReportForm

pytestmark = pytest.mark.django_db

migration = importlib.import_module("danvan.reports.migrations.0012_activity_sources")


def _as_before_the_migration():
    """The catalogue as migration 0011 left it, with an administrator's own source on one element."""
    FormField.objects.filter(element__code__in=catalogue.CELL_ELEMENTS).delete()
    FormSection.objects.filter(title=catalogue.CELL_SECTION).delete()
    IndicatorTerm.objects.filter(indicator__code="CELL_MEETING_RATE").delete()
    Indicator.objects.filter(code="CELL_MEETING_RATE").delete()
    DataElement.objects.filter(code__in=catalogue.CELL_ELEMENTS).delete()
    DataElement.objects.filter(code__in=catalogue.ACTIVITY_SOURCES).update(source="")
    DataElement.objects.filter(code="DIALOGUES_HELD").update(source="voice.dialogues_by_hand")


def _cell_sections(form):
    return list(
        FormSection.objects.filter(form=form, fields__element__code__in=catalogue.CELL_ELEMENTS)
        .distinct()
        .values_list("title", flat=True)
    )


def test_typed_elements_take_their_sources_and_forms_gain_the_cell_section_once(indicators):
    _as_before_the_migration()
    forms = list(ReportForm.objects.filter(code__in=[spec["code"] for spec in catalogue.FORMS]))
    assert forms and all(_cell_sections(form) == [] for form in forms)

    migration.load(apps, None)
    migration.load(apps, None)  # run again (a restored database): nothing is added twice

    sources = dict(
        DataElement.objects.filter(code__in=catalogue.ACTIVITY_SOURCES).values_list("code", "source")
    )
    assert sources == {
        "MEDIATION_CASES": "mediation.cases_received",
        "MEDIATION_SUCCESSFUL": "mediation.cases_successful",
        "TRAINING_CLASSES": "training.classes",
        "TRAINING_PARTICIPANTS": "training.participants",
        "DIALOGUES_HELD": "voice.dialogues_by_hand",  # an administrator's choice is kept
    }
    for form in forms:
        assert _cell_sections(form) == [catalogue.CELL_SECTION]
        last = FormSection.objects.filter(form=form).order_by("-order").first()
        assert last.title == catalogue.CELL_SECTION
        codes = list(last.fields.order_by("order").values_list("element__code", flat=True))
        assert codes == ["CELLS_TOTAL", "CELLS_WITH_THEMATIC_MEETING"]
    rate = Indicator.objects.get(code="CELL_MEETING_RATE")
    assert [e.code for e in rate.elements("n")] == ["CELLS_WITH_THEMATIC_MEETING"]
    assert [e.code for e in rate.elements("d")] == ["CELLS_TOTAL"]
    assert {(t.unit_group_id, t.comparator, t.value) for t in rate.targets.all()} == {(None, "gte", 100)}


def test_a_form_an_administrator_already_gave_a_cell_element_is_left_alone(indicators):
    _as_before_the_migration()
    form = ReportForm.objects.get(code="BC-DV-6T")
    catalogue.ensure(apps)  # the cell elements exist (an administrator created them by hand)…
    own = FormSection.objects.create(form=form, title="Chi bộ", order=99)
    FormField.objects.create(section=own, element=DataElement.objects.get(code="CELLS_TOTAL"), order=1)

    migration.load(apps, None)

    assert _cell_sections(form) == ["Chi bộ"]
