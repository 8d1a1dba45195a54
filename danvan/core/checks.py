"""System checks of the installation.

Static files in production mode: with DEBUG=False the static files are served from STATIC_ROOT under
hashed names (whitenoise's manifest storage), which exist only once `danvan collectstatic` has run;
without them every page would answer 500. The instance then refuses to start: `danvan check`,
`runserver`, `migrate` and the other commands stop on this check, and the WSGI application
(danvan/wsgi.py, gunicorn) raises the same message.
"""

from django.conf import STATICFILES_STORAGE_ALIAS
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.files.storage import storages

MISSING_STATIC = (
    "Static files have not been collected: {path} is missing. In production mode (DEBUG=False) every page "
    "needs them. Run `danvan collectstatic --noinput` (as the service's user, with the same environment), "
    "then start again."
)


def missing_static_manifest() -> str | None:
    """The problem when the static files' manifest is needed and missing, else None."""
    storage = storages[STATICFILES_STORAGE_ALIAS]
    if not isinstance(storage, ManifestFilesMixin) or not storage.manifest_strict:
        return None
    if storage.exists(storage.manifest_name):
        return None
    return MISSING_STATIC.format(path=storage.path(storage.manifest_name))


@checks.register()
def static_files_collected(app_configs, **kwargs):
    problem = missing_static_manifest()
    return [checks.Error(problem, id="danvan.E001")] if problem else []
