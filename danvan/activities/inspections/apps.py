from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def import_rows(*, rows, by) -> int:
    from . import services

    return services.inspections_import(rows=rows, by=by)


class InspectionsConfig(AppConfig):
    name = "danvan.activities.inspections"
    label = "inspections"
    verbose_name = "Inspection and supervision"

    def ready(self):
        from danvan.activities.registers import menu_link
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import Inspection, Remedy, Target

        register(model=Inspection, unit=lambda inspection: inspection.unit)
        register(model=Target, unit=lambda target: target.unit)
        register(model=Remedy, unit=lambda remedy: remedy.target.unit)
        describe(Inspection, name=_("Inspection or supervision programme"))
        describe(Target, name=_("Inspected unit"))
        describe(Remedy, name=_("Recommendation or remedy"))

        from danvan.activities.registers import Register
        from danvan.activities.registers import register as register_activity

        from . import selectors, services

        register_activity(
            Register(
                key="inspection",
                label=_("Inspection and supervision"),
                url_name="inspections:home",
                order=80,
                overview=selectors.overview,
                columns=services.IMPORT_COLUMNS,
                optional=services.IMPORT_OPTIONAL,
                import_rows=import_rows,
                # one row an inspected unit's findings and remedy; the same inspecting unit, title and
                # year make one programme (a second remedy of a unit: a row with the remedy only)
                example=(
                    (
                        "DUK",
                        "Kiểm tra",
                        "Kiểm tra công tác dân vận năm 2025",
                        2025,
                        "STP",
                        "15/09/2025",
                        "Duy trì đối thoại định kỳ",
                        "Chưa sinh hoạt chuyên đề",
                        "Cơ bản hoàn thành",
                        "Tổ chức sinh hoạt chuyên đề về dân vận",
                        "31/12/2025",
                    ),
                    (
                        "DUK",
                        "Kiểm tra",
                        "Kiểm tra công tác dân vận năm 2025",
                        2025,
                        "STP",
                        "",
                        "",
                        "",
                        "",
                        "Công khai kết quả kiểm tra",
                        "2025-10-31",
                    ),
                    (
                        "DUK",
                        "Giám sát",
                        "Giám sát thực hiện quy chế dân chủ",
                        2025,
                        "SYT",
                        "2025-10-20",
                        "",
                        "Chậm công khai tài chính",
                        "Cần khắc phục",
                    ),
                ),
            )
        )

        from . import worklist

        worklist.register()

        menu_link(
            label=_("Inspection and supervision"), url_name="inspections:home", key="inspections", order=434
        )

        from . import indexing

        indexing.SEARCHED.register()  # the one search (danvan.search)
