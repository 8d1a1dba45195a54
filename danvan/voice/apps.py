"""The voice app's shell: one Django app (label `voice`) made of four sub-packages.

`deadlines` (the statutory deadline engine) ← `identity` (who sent a case; imports no other
sub-package) ← `cases` (the cases, their clocks, files, patterns, figures and staff pages) ←
`portal` (the citizens' portal and Open311). The shell holds what Django looks for in an app —
this config, `models.py`, the URL modules, `tasks.py`, the management commands, migrations,
templates and static files — and wires the sub-packages together here: audit registrations,
signal receivers, the reports' sources, the rotation of protected attachments and the menu.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CASE_PAGES = ("case", "box", "overdue", "stats", "flag")  # URL names of the case pages, not the deadlines'


def _on_case_page(match) -> bool:
    return match.namespace == "voice" and (match.url_name or "").startswith(CASE_PAGES)


class VoiceConfig(AppConfig):
    name = "danvan.voice"
    label = "voice"
    verbose_name = "Citizen and staff voice"

    def ready(self):
        self._register_deadlines()
        self._register_cases()
        self._register_identity()
        self._register_menu()

    def _register_deadlines(self):
        from django.db.models.signals import post_delete, post_save

        from danvan.audit.services import register

        from .deadlines import calendar
        from .deadlines.models import CalendarDay, DeadlineRule

        # Rules and the calendar belong to the whole installation, not to one unit.
        register(model=DeadlineRule, unit=lambda rule: None)
        register(model=CalendarDay, unit=lambda entry: None)
        post_save.connect(calendar.changed, sender=CalendarDay, dispatch_uid="voice-calendar-saved")
        post_delete.connect(calendar.changed, sender=CalendarDay, dispatch_uid="voice-calendar-deleted")

    def _register_cases(self):
        from django.db.models.signals import post_save

        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .cases import indexing, patterns, sources
        from .cases.models import BoxOpening, CaseEvent
        from .identity.models import Identity

        register(model=BoxOpening, unit=lambda opening: opening.unit)
        describe(BoxOpening, name=_("Suggestion box opening"))
        # Figures and patterns follow the cases (sources.py, patterns.py).
        sources.register()
        indexing.register()  # the one search (danvan.search): the case file, never its sender
        # Patterns first, figures last: the figures update the roll-up rows of every ancestor, which every
        # other submission must then wait for until this one commits; matching patterns meanwhile (a query
        # per similar case) made each submission wait for all the others' matching (deploy/smoke: 9 s).
        post_save.connect(patterns.case_event_saved, sender=CaseEvent, dispatch_uid="voice-patterns-event")
        post_save.connect(sources.case_event_saved, sender=CaseEvent, dispatch_uid="voice-stats-event")
        post_save.connect(patterns.identity_saved, sender=Identity, dispatch_uid="voice-patterns-identity")

        # Cases overdue or due soon: the second of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds

        from .cases.reminders import REMINDER_KIND

        reminder_kinds.register(REMINDER_KIND, order=20)

        # The same clocks on the work home (core.worklist).
        from .cases import worklist

        worklist.register()

    def _register_identity(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .cases import attachments
        from .cases.models import Attachment
        from .identity import crypto
        from .identity.models import Identity

        # Who sent a case: the log sees that it changed, never its values (ciphertext, fingerprints).
        register(model=Identity, unit=lambda person: person.case.unit, exclude=("ciphertext", "fingerprints"))
        describe(Identity, name=_("Sender"))
        # Protected attachments are sealed under the identity keys: `rotate-identity-key` re-encrypts them.
        crypto.rotation_register(
            "voice.attachment",
            rows=lambda: Attachment.objects.filter(protected=True),
            rotate=attachments.rotate,
        )

    def _register_menu(self):
        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Cases"),
            url_name="voice:case_list",
            key="voice-cases",
            order=300,
            visible=lambda user: policy.has_any(user, policy.Perm.CASE_VIEW),
            current=_on_case_page,
            group="voice",
        )
        navigation.register(
            label=_("Statutory deadlines"),
            url_name="voice:rules",
            key="voice",
            order=400,
            # The rules belong to the whole installation.
            visible=lambda user: policy.can(user, policy.Perm.DEADLINE_MANAGE, None),
            current=lambda match: match.namespace == "voice" and not _on_case_page(match),
            group="voice",
        )
