from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "danvan.reviews"
    label = "reviews"
    verbose_name = "Semi-annual and annual review reports"

    def ready(self):
        from danvan.accounts import policy
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register
        from danvan.core import navigation
        from danvan.orgs import unit_links

        from .models import ReviewDraft, ReviewVersion, State

        # The period is named in words by the record's name; its code is never shown.
        register(model=ReviewDraft, unit=lambda draft: draft.unit, exclude=("period_code",))
        register(
            model=ReviewVersion,
            unit=lambda version: version.draft.unit,
            exclude=("frozen_docx", "frozen_xlsx", "frozen_html"),
        )
        from danvan.voice.identity import crypto

        crypto.plain_register(ReviewVersion, "frozen_docx", "frozen_xlsx")  # a report, nothing sealed
        describe(ReviewDraft, name=_("Review report"), choices={"state": State.choices})
        describe(ReviewVersion, name=_("Review report version"))

        def may_view(user, unit=None) -> bool:
            if unit is None:
                return policy.has_any(user, policy.Perm.REPORT_VIEW)
            return policy.can(user, policy.Perm.REPORT_VIEW, unit)

        navigation.register(
            label=_("Semi-annual and annual reviews"),
            url_name="reviews:home",
            key="reviews",
            order=230,
            visible=may_view,
            group="reports",
        )
        unit_links.register(
            unit_links.UnitLink(
                key="reviews",
                label=_("Semi-annual and annual reviews"),
                url_name="reviews:unit",
                visible=may_view,
            )
        )
