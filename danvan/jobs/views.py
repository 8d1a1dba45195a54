"""Job pages: my jobs, one job's progress (refreshing itself), its status as JSON, its file.

Only reads: a job is started by the page of the work it does (a module's export or import page).
A job another person may not follow answers 404, as if it did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from danvan.core import downloads

from . import kinds, selectors
from .models import Job

LIST_SIZE = 50


def _job(request, pk: int) -> Job:
    return get_object_or_404(selectors.visible_jobs(request.user).select_related("created_by"), pk=pk)


def _context(job: Job) -> dict:
    kind = kinds.kind_get(job.kind)
    result_url = kind.result_url(job) if kind is not None and kind.result_url is not None else None
    return {
        "job": job,
        "label": selectors.job_label(job),
        "status": selectors.job_status(job),
        "result_url": result_url,
    }


@login_required
def job_list(request):
    jobs = selectors.visible_jobs(request.user).filter(created_by=request.user)[:LIST_SIZE]
    rows = [_context(job) for job in jobs]
    return render(request, "jobs/list.html", {"rows": rows})


@login_required
def job_detail(request, pk: int):
    return render(request, "jobs/detail.html", _context(_job(request, pk)))


@login_required
def job_status(request, pk: int):
    job = _job(request, pk)
    status = selectors.job_status(job)
    status["download_url"] = reverse("jobs:download", args=[job.pk]) if status["has_file"] else None
    response = JsonResponse(status)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def job_download(request, pk: int):
    job = _job(request, pk)
    if job.state != Job.State.DONE or not job.file:
        raise Http404
    return downloads.stored_file(job.file, job.file_name, job.file_type)
