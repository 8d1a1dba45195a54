from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "danvan.reception"
    label = "reception"
    verbose_name = "Citizen reception"

    def ready(self):
        from danvan.audit.services import register
        from danvan.voice import identity

        from .models import Entry, ReceptionDay, UnitSetting

        # The person is sealed under the identity keys: `danvan rotate-identity-key` re-encrypts it too.
        identity.seal_register(Entry, "ciphertext")
        # The sealed identity never reaches the audit log's before/after values.
        register(Entry, unit=lambda entry: entry.unit, exclude={"ciphertext"})
        register(ReceptionDay, unit=lambda day: day.unit)
        register(UnitSetting, unit=lambda setting: setting.unit)
