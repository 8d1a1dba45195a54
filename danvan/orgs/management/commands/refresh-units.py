"""`danvan refresh-units`: changes of the tree recorded ahead of their effective date take effect now.

Celery beat runs it every six hours where a worker runs (`make worker`). An installation on the
embedded default has no beat: run this command from cron, at least daily, shortly after midnight.
Until it runs, a change recorded earlier for today does not yet change who may see what. Running it twice
changes nothing more.
"""

from django.core.management.base import BaseCommand

from danvan.orgs.tasks import refresh_unit_mirror


class Command(BaseCommand):
    help = (
        "Áp dụng các thay đổi cây tổ chức đã ghi trước ngày hiệu lực (chạy từ cron, ít nhất mỗi ngày một lần, "
        "khi không có Celery beat)."
    )

    def handle(self, *args, **options):
        refreshed = refresh_unit_mirror()
        self.stdout.write(f"Đã cập nhật {refreshed} đơn vị.")
