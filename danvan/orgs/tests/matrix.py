"""The organisation registry's URLs in the permission matrix (`danvan.core.testing.matrix`)."""

from django.core.files.base import ContentFile

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made


def unit(world, unit):
    return {"code": unit.code}


def regulation(world, unit):
    unit.regulation_file.save("quy-che.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"code": unit.code}


def unit_import(world, unit):
    from danvan.orgs.models import UnitImport

    # An import job belongs to whoever started it; the officer of the unit's subtree started this one.
    people = {world.own: "bloc_admin", world.foreign: "outsider"}
    person = world.personas[people.get(unit, "admin")]
    job = UnitImport.objects.create(original_name=f"don-vi-{unit.code}.xlsx", created_by=person)
    return {"pk": job.pk}


def picked(world, unit):
    # Every unit in reach is offered when nothing is typed: the code of another unit's never is.
    return Made({}, marker=f'"{unit.code}"', query={"q": ""})


def register(matrix):
    view = Perm.UNIT_VIEW
    matrix.read("orgs:unit_detail", perm=view, make=unit)
    matrix.read("orgs:children", perm=view, make=unit)
    matrix.read("orgs:regulation_file", perm=view, make=regulation)
    for name in ("unit_create", "unit_change", "unit_move", "unit_merge", "unit_split", "unit_dissolve"):
        matrix.read(f"orgs:{name}", perm=Perm.UNIT_RESTRUCTURE, make=unit, see=view)
    matrix.read("orgs:lead_assign", perm=Perm.UNIT_EDIT, make=unit, see=view)
    matrix.read("orgs:regulation_set", perm=Perm.UNIT_EDIT, make=unit, see=view)
    matrix.listing("orgs:tree", perm=view)
    matrix.listing("orgs:search", perm=view)
    matrix.listing("orgs:unit_pick", perm=view, make=picked)
    matrix.listing("orgs:group_list", perm=view)
    matrix.listing("orgs:import_upload", perm=Perm.UNIT_IMPORT)
    matrix.read("orgs:import_detail", perm=Perm.UNIT_IMPORT, make=unit_import)
    matrix.listing("orgs:export", perm=Perm.UNIT_EXPORT)

    matrix.read("unit-detail", perm=view, make=unit)
    for name in ("children", "descendants", "history"):
        matrix.read(f"unit-{name}", perm=view, make=unit)
    for name in ("change", "dissolve", "merge", "move", "split"):
        matrix.write_only(f"unit-{name}", perm=Perm.UNIT_RESTRUCTURE, make=unit, note="POST: restructuring")
    for name in ("lead", "regulation"):
        matrix.write_only(f"unit-{name}", perm=Perm.UNIT_EDIT, make=unit, note="POST: the unit's details")
    matrix.listing("unit-list", perm=view)
    matrix.listing("unit-type-list", perm=None)
    matrix.listing("unit-group-list", perm=None)
