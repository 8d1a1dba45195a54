from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def import_rows(*, rows, by) -> int:
    from . import services

    return services.boards_import(rows=rows, by=by)


class BoardsConfig(AppConfig):
    """The People's Inspection Board (Ban Thanh tra nhân dân) of each agency: terms, members,
    supervisions and recommendations to the head (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 60)."""

    name = "danvan.activities.boards"
    label = "boards"
    verbose_name = "People's Inspection Boards"

    def ready(self):
        from danvan.activities.registers import Register, menu_link, register
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register as audited

        from . import overview, services, worklist
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
                columns=services.IMPORT_COLUMNS,
                optional=services.IMPORT_OPTIONAL,
                import_rows=import_rows,
                # members: "Họ tên | chức vụ | vai trò" separated by ";", a fourth part for an office
                # the law bars (Thủ trưởng, Cấp phó, Kế toán trưởng; Không or nothing otherwise)
                example=(
                    (
                        "STP",
                        "01/03/2025",
                        45,
                        "Nguyễn Văn An | Chuyên viên | Trưởng ban; Trần Thị Bình | Chuyên viên | Phó Trưởng ban; "
                        "Lê Văn Cường | Văn thư | Thành viên | Không",
                        "28/02/2027",
                        "12/QĐ-CĐ",
                        "Hội nghị cán bộ, công chức bầu ngày 20/02/2025",
                    ),
                    (
                        "SYT",
                        "2024-06-01",
                        "120",
                        "Phạm Thu Hà | Kế toán viên | Trưởng ban; Hoàng Minh Đức | Bác sĩ | Thành viên; "
                        "Vũ Thị Lan | Điều dưỡng | Thành viên; Đỗ Văn Nam | Chuyên viên | Thành viên | Không",
                    ),
                ),
            )
        )
        worklist.register()
        menu_link(label=_("People's Inspection Boards"), url_name="boards:home", key="boards", order=426)

        from . import indexing

        indexing.SEARCHED.register()  # the one search (danvan.search)
