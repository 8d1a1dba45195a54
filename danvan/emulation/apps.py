from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    """Module 6: emulation and evaluation. This package holds what its parts share (the overview and its
    registry of cards, the menu group); each part is a Django app of its own below it
    (danvan/emulation/<part>/: exemplars, commendations, evaluations, quizzes), registering itself here
    from its ready()."""

    name = "danvan.emulation"
    label = "emulation"
    verbose_name = "Emulation and evaluation"

    def ready(self):
        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register_group(key="emulation", label=_("Emulation"), order=450)
        navigation.register(
            label=_("Emulation overview"),
            url_name="emulation:home",
            key="emulation",
            order=452,  # the group's first link: its parts follow (454 … 468)
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_VIEW),
            group="emulation",
        )
