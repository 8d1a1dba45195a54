"""Placeholder views: import and export replace these."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def import_upload(request, *args, **kwargs):
    return HttpResponse("")


import_detail = export = import_upload
