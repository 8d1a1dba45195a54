"""The documents' part of the work home (core.worklist): documents to acknowledge or to study.

The deliveries of "Documents to study" (`dissemination.to_study`), for the units where the user may act
on them (DOCUMENT_MANAGE, as the delivery page asks): not studied yet, and either not acknowledged or
with a study deadline within `worklist.SOON_DAYS` or past.
"""

import datetime

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from . import dissemination
from .models import Delivery


def _item(delivery: Delivery) -> WorkItem:
    acknowledged = delivery.acknowledged_at is not None
    return WorkItem(
        title=delivery.document.subject,
        unit=delivery.unit.name,
        due=delivery.study_due,
        url=reverse("directives:delivery", args=[delivery.pk]),
        kind=_("Document to study") if acknowledged else _("Document to acknowledge"),
        state=_("Received, not studied yet") if acknowledged else _("Receipt not acknowledged"),
    )


def documents_due(user, today: datetime.date, limit: int) -> Found:
    soon = today + datetime.timedelta(days=worklist.SOON_DAYS)
    deliveries = (
        dissemination.to_study(user, Perm.DOCUMENT_MANAGE)
        .filter(studied_on__isnull=True)
        .filter(Q(acknowledged_at__isnull=True) | Q(study_due__lte=soon))
        .order_by(F("study_due").asc(nulls_last=True), "-sent_on", "id")
    )
    return worklist.found_in(deliveries, limit, _item)


def register() -> None:
    worklist.register(
        key="documents",
        label=gettext_lazy("Documents to acknowledge or study"),
        order=40,
        collect=documents_due,
        nav="directives:to_study",
        more_url="directives:to_study",
    )
