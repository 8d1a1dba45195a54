from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    """Thematic cell meetings on mobilisation (sinh hoạt chuyên đề về công tác dân vận): seed 004 asks
    every party cell for at least one a year. The register, its coverage, its report figures
    ("cells.*" sources), its import kind `cell_meeting` and its part of the work home."""

    name = "danvan.activities.cells"
    label = "cells"
    verbose_name = "Thematic cell meetings"

    def ready(self):
        from danvan.activities import registers
        from danvan.activities.registers import menu_link
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from . import selectors, services, sources, worklist
        from .models import Meeting

        register(model=Meeting, unit=lambda meeting: meeting.unit)
        describe(Meeting, name=_("Thematic cell meeting"))
        sources.register()
        worklist.register()
        registers.register(
            registers.Register(
                key="cell_meeting",
                label=_("Thematic cell meetings"),
                url_name="cells:list",
                order=50,
                columns=("unit_code", "held_on", "topic", "attendees"),
                import_rows=services.import_rows,
                overview=selectors.overview,
                example=(("STP-CB1", "15/03/2026", "Quán triệt Quy chế dân chủ ở cơ sở", 12),),
            )
        )
        menu_link(label=_("Thematic cell meetings"), url_name="cells:list", key="cells", order=428)

        from . import indexing

        indexing.SEARCHED.register()  # the one search (danvan.search)
