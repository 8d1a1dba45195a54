from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """Grassroots mediation (Luật Hòa giải ở cơ sở 2013): teams, mediators and the register of cases,
    counted into the report figures MEDIATION_CASES and MEDIATION_SUCCESSFUL."""

    name = "danvan.activities.mediation"
    label = "mediation"
    verbose_name = "Grassroots mediation"

    def ready(self):
        from danvan.activities.registers import menu_link
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import Case, Mediator, Team

        register(model=Team, unit=lambda team: team.unit)
        register(model=Mediator, unit=lambda mediator: mediator.team.unit)
        register(model=Case, unit=lambda case: case.unit)
        describe(Team, name=_("Mediation team"))
        describe(Mediator, name=_("Mediator"))
        describe(Case, name=_("Mediation case"))

        from . import sources

        sources.register()

        from danvan.activities import registers

        from . import selectors, services

        registers.register(
            registers.Register(
                key="mediation",
                label=_("Grassroots mediation"),
                url_name="mediation:cases",
                order=60,
                columns=services.IMPORT_COLUMNS,
                import_rows=services.import_rows,
                overview=selectors.overview,
                example=(
                    (
                        "STP",
                        "2025-08-12",
                        "Ông Nguyễn Văn A; bà Trần Thị B",
                        "Tranh chấp lối đi chung",
                        "Lê Thị C; Phạm Văn D",
                        "Thành",
                        "2025-08-20",
                    ),
                ),
            )
        )

        menu_link(label=_("Grassroots mediation"), url_name="mediation:cases", key="mediation", order=432)

        from . import indexing

        indexing.SEARCHED.register()  # the one search (danvan.search)
