"""`danvan demo`: load the demo organisation tree, one account per role, half-year reports, citizens' cases,
the reception register and documents sent for study,
and prepare the report periods around today (idempotent)."""

from django.core.management.base import BaseCommand

from danvan.accounts.models import Role
from danvan.audit.context import Actor, acting_as
from danvan.search import services as search

from ... import (
    boards,
    cells,
    commendations,
    data,
    dialogues,
    evaluations,
    exemplars,
    inspections,
    mediation,
    quizzes,
    training,
    workplace,
)


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại nhiều lần không tạo trùng) và in các tài khoản mẫu."

    def handle(self, *args, **options):
        with acting_as(Actor(id=None, label="danvan demo", source="command")):
            created = data.load_units()
            accounts = data.load_accounts()
            reports = data.load_reports()
            history = data.load_report_history()
            prepared = data.prepare_periods()
            voice_cases = data.load_cases()
            register = data.load_reception()
            deliveries = data.load_documents()
            programme_tasks = data.load_programme()
            # The activity registers: records whose counts are the report figures (issue 14).
            activities = [
                (workplace.load(), "bản ghi hội nghị cán bộ, công chức và công khai"),
                (boards.load(), "Ban Thanh tra nhân dân (thành viên, giám sát, kiến nghị)"),
                (cells.load(), "buổi sinh hoạt chuyên đề về công tác dân vận của chi bộ"),
                (training.load(), "lớp tập huấn, bồi dưỡng công tác dân vận"),
                (dialogues.load(), "cuộc đối thoại và các kiến nghị cần trả lời"),
                (mediation.load(), "vụ việc vào sổ theo dõi hòa giải ở cơ sở (và các tổ hòa giải)"),
                (inspections.load(), "kiến nghị sau kiểm tra, giám sát công tác dân vận"),
                (quizzes.load(), "câu hỏi trắc nghiệm trong ngân hàng câu hỏi (và đề thi đang mở)"),
                (exemplars.load(), "mô hình “Dân vận khéo” (đợt thi đua năm 2025)"),
                # after the models: a 2025 commendation names the recognised model that earned it
                (commendations.load(), "khen thưởng tập thể và cá nhân (2013 và 2025)"),
                (
                    evaluations.load(),
                    "bản đánh giá, xếp loại năm 2025 của các đơn vị trực thuộc Đảng ủy Khối",
                ),
            ]
            # Some loaders write in bulk, past the services that keep the search index: rebuild it once.
            search.reindex()
        if created:
            self.stdout.write(f"Đã tạo {created} đơn vị mẫu.")
        if reports:
            self.stdout.write(
                f"Đã tạo {reports} báo cáo mẫu ({data.REPORT_FORM}, kỳ {data.HISTORY_PERIOD} và {data.CURRENT_PERIOD})."
            )
        if history:
            self.stdout.write(
                f"Đã tạo {history} báo cáo đã duyệt của các kỳ trước (xu hướng trên bảng điều khiển)."
            )
        if prepared:
            self.stdout.write(f"Đã chuẩn bị {prepared} kỳ báo cáo quanh hôm nay (việc chạy hằng đêm).")
        if voice_cases:
            self.stdout.write(f"Đã tạo {voice_cases} vụ việc mẫu (đơn thư của công dân).")
        if register:
            self.stdout.write(f"Đã ghi {register} dòng sổ tiếp công dân và lịch tiếp công dân của lãnh đạo.")
        if deliveries:
            self.stdout.write(f"Đã gửi văn bản mẫu để quán triệt tới {deliveries} đơn vị nhận.")
        if programme_tasks:
            self.stdout.write(
                f"Đã tạo chương trình hành động mẫu từ văn bản 84-CV/ĐU ({programme_tasks} nhiệm vụ)."
            )
        for count, what in activities:
            if count:
                self.stdout.write(f"Đã ghi {count} {what} mẫu.")
        if not any(
            (created, reports, history, voice_cases, register, deliveries, programme_tasks)
        ) and not any(count for count, _what in activities):
            self.stdout.write("Dữ liệu mẫu đã có sẵn; không tạo thêm.")
        labels = dict(Role.choices)
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {data.DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<14} {labels[account.role]!s:<24} tại {account.unit_code}"
            )
