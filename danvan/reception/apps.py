from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "danvan.reception"
    label = "reception"
    verbose_name = "Citizen reception"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register
        from danvan.voice.identity import crypto

        from .models import Entry, ReceptionDay, UnitSetting

        # The person is sealed under the identity keys: `danvan rotate-identity-key` re-encrypts it too.
        crypto.seal_register(Entry, "ciphertext")
        # The sealed identity never reaches the audit log's before/after values.
        register(model=Entry, unit=lambda entry: entry.unit, exclude={"ciphertext"})
        register(model=ReceptionDay, unit=lambda day: day.unit)
        register(model=UnitSetting, unit=lambda setting: setting.unit)
        describe(ReceptionDay, name=_("Leader's reception day"))
        describe(UnitSetting, name=_("Reception setting of a unit"))

        # The register's entries in the one search (danvan.search), never who came.
        from . import indexing

        indexing.register()

        # Reception days to hold or to log on the work home (core.worklist).
        from . import worklist

        worklist.register()

        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Citizen reception"),
            url_name="reception:home",
            key="reception",
            order=500,
            visible=lambda user: policy.has_any(user, policy.Perm.CASE_VIEW),
            group="voice",
        )
