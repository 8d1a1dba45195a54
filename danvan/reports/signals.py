"""Keep the roll-up in step with the organisation registry.

- A mobilisation lead or a coordination regulation changes: the registry-derived values of that
  unit are recomputed in every period they reach, in the same transaction.
- The tree changes (restructuring recorded for a date): every period ending on or after that date
  gets its tree and roll-up rebuilt once the change has committed (a Celery task).
"""

import datetime

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from danvan.orgs.models import MobilisationLead, RestructuringEvent, Unit

_REGULATION_FIELDS = {"regulation_number", "regulation_signed_on", "regulation_file"}
_EVER = datetime.date(1990, 1, 1)


@receiver(post_save, sender=MobilisationLead, dispatch_uid="reports_lead_changed")
@receiver(post_delete, sender=MobilisationLead, dispatch_uid="reports_lead_deleted")
def _lead_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from . import sources

    # From the earliest day the lead could have counted: a changed start date moves either way.
    sources.refresh_unit(instance.unit_id, _EVER)


@receiver(post_save, sender=Unit, dispatch_uid="reports_regulation_changed")
def _regulation_changed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created or not _REGULATION_FIELDS & set(update_fields or ()):  # regulation_set names them
        return
    from . import sources

    sources.refresh_unit(instance.id, _EVER)


@receiver(post_save, sender=RestructuringEvent, dispatch_uid="reports_tree_changed")
def _tree_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw or not created:
        return
    from .models import Period

    period_ids = list(
        Period.objects.filter(end__gte=instance.effective_on, sources_refreshed_at__isnull=False).values_list(
            "id", flat=True
        )
    )
    if period_ids:
        from .tasks import rebuild_periods

        transaction.on_commit(lambda: rebuild_periods.delay(period_ids))
