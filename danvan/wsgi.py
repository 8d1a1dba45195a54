import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
application = get_wsgi_application()

# An app server (gunicorn) runs no system checks: refuse to serve without the static files rather than
# answer 500 on every page (danvan/core/checks.py).
from danvan.core.checks import missing_static_manifest  # noqa: E402

if problem := missing_static_manifest():
    raise ImproperlyConfigured(problem)
