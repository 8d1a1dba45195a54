"""The “Dân vận khéo” models in the permission matrix: the list, a model, its actions, the review queue,
the campaigns (pages and API)."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

YEAR = 2025


def _campaign(unit):
    from danvan.emulation.exemplars.models import Campaign

    campaign, _created = Campaign.objects.get_or_create(
        unit=unit,
        year=YEAR,
        defaults={
            "title": f"MATRIX-CAMPAIGN-{unit.code}",
            "nominations_until": datetime.date(YEAR, 8, 31),
            "review_until": datetime.date(YEAR, 9, 30),
            "recognition_by": datetime.date(YEAR, 10, 15),
        },
    )
    return campaign


def _exemplar(unit, stage="draft", campaign_unit=None):
    from danvan.emulation.exemplars.models import Exemplar

    return Exemplar.objects.create(
        campaign=_campaign(campaign_unit or unit),
        unit=unit,
        field="economy",
        title=f"MATRIX-MODEL-{unit.code}-{stage}",
        authors="Chi bộ 1",
        description="Mô hình thử",
        started_on=datetime.date(2024, 1, 1),
        registered_on=datetime.date(YEAR, 3, 1),
        nominated_on=datetime.date(YEAR, 3, 2) if stage != "draft" else None,
        stage=stage,
    )


def exemplar(world, unit):
    made = _exemplar(unit)
    return Made({"pk": made.pk}, marker=made.title)


def exemplar_listed(world, unit):
    made = _exemplar(unit)
    return Made({}, marker=made.title)


def waiting_listed(world, unit):
    """A model nominated by a cell below `unit`: STP's reviewers are its level above."""
    cell = world.tree.stp_cb1 if unit == world.tree.stp else world.tree.syt_cb1
    made = _exemplar(cell, stage="nominated", campaign_unit=unit)
    return Made({}, marker=made.title)


def evidence(world, unit):
    from django.core.files.base import ContentFile

    from danvan.emulation.exemplars.models import Evidence

    made = _exemplar(unit)
    row = Evidence(
        exemplar=made, name="minh-chung.pdf", content_type="application/pdf", sha256="0" * 64, size=9
    )
    row.file.save("matrix-evidence", ContentFile(b"%PDF-1.4\n"), save=False)
    row.save()
    return Made({"pk": made.pk, "evidence_pk": row.pk})


def replication(world, unit):
    from danvan.emulation.exemplars.models import Replication

    made = _exemplar(unit)
    row = Replication.objects.create(exemplar=made, unit=unit, adopted_on=datetime.date(YEAR, 5, 1))
    return Made({"pk": made.pk, "replication_pk": row.pk})


def campaign(world, unit):
    made = _campaign(unit)
    return Made({"pk": made.pk}, marker=made.title)


def campaign_listed(world, unit):
    made = _campaign(unit)
    return Made({}, marker=made.title)


CAMPAIGN_ABOVE = "a campaign of the unit above reaches STP: its units see it (to register their models)"


def register(matrix):
    view, record, review, manage = (
        Perm.EMULATION_VIEW,
        Perm.EMULATION_RECORD,
        Perm.EMULATION_REVIEW,
        Perm.EMULATION_MANAGE,
    )
    matrix.listing("exemplars:list", perm=view, make=exemplar_listed)
    matrix.read("exemplars:export", perm=view, writes=EXPORT)
    matrix.read("exemplars:create", perm=record)
    matrix.listing("exemplars:review_queue", perm=review, make=waiting_listed)
    matrix.read("exemplars:detail", perm=view, make=exemplar)
    matrix.read("exemplars:edit", perm=record, make=exemplar, see=view)
    matrix.read("exemplars:evidence", perm=view, make=evidence)
    for name, note in (
        ("nominate", "POST: nominate the model"),
        ("review", "POST: the review of the level above"),
        ("recognise", "POST: recognise the model"),
        ("return", "POST: return the model"),
        ("evidence_add", "POST: attach a file"),
        ("replication_add", "POST: record a replication"),
    ):
        matrix.write_only(f"exemplars:{name}", perm=record, make=exemplar, note=note)
    matrix.write_only("exemplars:evidence_remove", perm=record, make=evidence, note="POST: remove a file")
    matrix.write_only(
        "exemplars:replication_remove", perm=record, make=replication, note="POST: delete a replication"
    )
    matrix.listing("exemplars:campaigns", perm=view, make=campaign_listed)
    matrix.read("exemplars:campaign_create", perm=manage)
    matrix.read("exemplars:campaign", perm=view, make=campaign, above=False, note=CAMPAIGN_ABOVE)
    matrix.read(
        "exemplars:campaign_edit", perm=manage, make=campaign, see=view, above=False, note=CAMPAIGN_ABOVE
    )
    matrix.read(
        "exemplars:campaign_delete", perm=manage, make=campaign, see=view, above=False, note=CAMPAIGN_ABOVE
    )
    register_api(matrix)


def register_api(matrix):
    view, record = Perm.EMULATION_VIEW, Perm.EMULATION_RECORD
    matrix.listing("exemplar-list", perm=view, make=exemplar_listed)
    matrix.read("exemplar-detail", perm=view, make=exemplar)
    for name, note in (
        ("exemplar-nominate", "POST: nominate the model"),
        ("exemplar-review", "POST: the review of the level above"),
        ("exemplar-recognise", "POST: recognise the model"),
        ("exemplar-send-back", "POST: return the model"),
        ("exemplar-replications", "POST: record a replication"),
    ):
        matrix.write_only(name, perm=record, make=exemplar, note=note)
    matrix.listing("exemplar-campaign-list", perm=view, make=campaign_listed)
    matrix.read("exemplar-campaign-detail", perm=view, make=campaign, above=False, note=CAMPAIGN_ABOVE)
