"""The training register in the activities registry: its import (`--kind training`) and overview."""

from django.utils.translation import gettext_lazy as _

from danvan.activities.registers import Register
from danvan.activities.registers import register as register_kind

COLUMNS = ("unit_code", "title", "held_on", "participants")
OPTIONAL = ("topic", "organiser", "ended_on", "place", "notes")


def import_rows(*, rows, by) -> int:
    from . import services

    return services.classes_import(rows=rows, by=by)


def overview(user, year: int):
    from . import selectors

    return selectors.overview(user, year)


def register() -> None:
    register_kind(
        Register(
            key="training",
            label=_("Training classes"),
            url_name="training:list",
            order=60,
            columns=COLUMNS,
            optional=OPTIONAL,
            import_rows=import_rows,
            overview=overview,
            example=(
                ("STP", "Tập huấn kỹ năng công tác dân vận", "15/09/2025", 85),
                ("STP-CB1", "Bồi dưỡng nghiệp vụ dân vận chính quyền", "2025-10-20", 40),
            ),
        )
    )
