from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    """The People's Inspection Board (Ban Thanh tra nhân dân) of each agency: terms, members,
    supervisions and recommendations to the head (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 60)."""

    name = "danvan.activities.boards"
    label = "boards"
    verbose_name = "People's Inspection Boards"

    def ready(self):
        from danvan.accounts import policy
        from danvan.activities.registers import Register, register
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register as audited
        from danvan.core import navigation

        from . import overview, worklist
        from .models import Activity, Board, Member, Recommendation

        audited(model=Board, unit=lambda board: board.unit)
        audited(model=Member, unit=lambda member: member.board.unit)
        audited(model=Activity, unit=lambda activity: activity.board.unit)
        audited(model=Recommendation, unit=lambda recommendation: recommendation.board.unit)
        describe(Board, name=_("People's Inspection Board"))
        describe(Member, name=_("Member of a People's Inspection Board"))
        describe(Activity, name=_("Supervision by a People's Inspection Board"))
        describe(Recommendation, name=_("Recommendation of a People's Inspection Board"))

        register(
            Register(
                key="inspection_board",
                label=_("People's Inspection Boards"),
                url_name="boards:home",
                order=30,
                overview=overview.figures,
            )
        )
        worklist.register()
        navigation.register(
            label=_("People's Inspection Boards"),
            url_name="boards:home",
            key="boards",
            order=426,
            visible=lambda user: policy.has_any(user, policy.Perm.ACTIVITY_VIEW),
            group="activities",
        )
