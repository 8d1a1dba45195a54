"""E-mails written from a pair of templates, in the installation's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(subject_template: str, body_template: str, context: dict, to: str) -> None:
    """Render the subject (one line) and the body in settings.LANGUAGE_CODE and send them to `to`.

    Reminders run in Celery tasks and commands, outside any request: the language is set here.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(subject_template, context).splitlines())
        body = render_to_string(body_template, context)
    send_mail(subject, body, None, [to])
