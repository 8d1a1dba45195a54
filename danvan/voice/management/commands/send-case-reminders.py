"""`danvan send-case-reminders`: the daily reminder e-mails of cases due soon and overdue, now.

Celery beat sends them every morning where a worker runs (`make worker`). An installation on the
embedded default has no beat: run this command once a day from cron instead. Sending twice on one
day sends nothing new. The same as `danvan send-reminders --kind case`, with its own message.
"""

from django.core.management.base import BaseCommand

from danvan.voice.tasks import send_case_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn các vụ việc sắp đến hạn và quá hạn (mỗi ngày một lần; chạy lại không gửi trùng)."

    def handle(self, *args, **options):
        sent = send_case_reminders()
        self.stdout.write(f"Đã gửi {sent} thư nhắc hạn.")
