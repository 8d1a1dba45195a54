"""DânVận: the platform for mass mobilisation work (công tác dân vận)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
