"""Pages of the document register: the list with search and filters, a document with its relations
both ways, the registration and correction form, the import of a .txt/.docx/.pdf file reviewed before
it is saved, and the original file and attachments served through the policy.

Every page asks the policy: seeing needs DOCUMENT_VIEW on the register's unit, writing DOCUMENT_MANAGE.
A document the user may not see answers 404 as if it did not exist; one they see without the right
to change it answers 403.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.downloads import stored_file
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only

from . import extract, parsing, selectors, services
from .forms import (
    AttachmentForm,
    DocumentForm,
    ImportForm,
    RelationForm,
    ReviewForm,
    SearchForm,
    initial_from_parsed,
)
from .models import DocumentAttachment

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
PENDING_SALT = "directives.import"
PENDING_MAX_AGE = 24 * 3600
PENDING_FOLDER = "directives/pending"


def _documents(user):
    """The documents `user` may read: a unit the document was sent to reads it, nothing more."""
    return selectors.visible_documents(user).select_related("unit", "created_by")


@login_required
def document_list(request):
    require_somewhere(request.user, Perm.DOCUMENT_VIEW)
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    documents = selectors.search(
        request.user,
        data.get("q", ""),
        doc_type=data.get("doc_type", ""),
        direction=data.get("direction", ""),
        issuer=data.get("issuer", ""),
        year=data.get("year"),
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directives/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": policy.has_any(request.user, Perm.DOCUMENT_MANAGE),
        },
    )


@login_required
def document_detail(request, pk: int):
    document = obtain(_documents(request.user), user=request.user, pk=pk)
    can_manage = policy.can(request.user, Perm.DOCUMENT_MANAGE, document.unit)
    return render(
        request,
        "directives/detail.html",
        {
            "document": document,
            "relations": selectors.relations_of(request.user, document),
            "attachments": document.attachments.all(),
            "can_manage": can_manage,
            "relation_form": RelationForm() if can_manage else None,
            "attachment_form": AttachmentForm() if can_manage else None,
            "can_follow": policy.can(request.user, Perm.DOCUMENT_VIEW, document.unit),
            "received": policy.scope(
                request.user,
                Perm.DOCUMENT_VIEW,
                document.deliveries.select_related("unit"),
                field="unit__path",
            )[:20],
        },
    )


def _save(request, form, document=None, original=None):
    try:
        return services.document_save(spec=form.spec(), by=request.user, document=document, original=original)
    except ValidationError as error:
        attach_service_errors(form, error)
        return None


@login_required
def document_create(request):
    require_somewhere(request.user, Perm.DOCUMENT_MANAGE)
    form = DocumentForm(request.POST or None, user=request.user, initial={"direction": "in"})
    if request.method == "POST" and form.is_valid():
        document = _save(request, form)
        if document is not None:
            messages.success(request, _("The document has been registered."))
            return redirect("directives:detail", pk=document.pk)
    return render(request, "directives/form.html", {"form": form, "document": None})


@login_required
def document_edit(request, pk: int):
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    form = DocumentForm(request.POST or None, user=request.user, initial=DocumentForm.initial_of(document))
    if request.method == "POST" and form.is_valid() and _save(request, form, document=document) is not None:
        messages.success(request, _("The document has been saved."))
        return redirect("directives:detail", pk=document.pk)
    return render(request, "directives/form.html", {"form": form, "document": document})


@login_required
@post_only("directives:detail")
def relation_add(request, pk: int):
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    form = RelationForm(request.POST)
    if form.is_valid():
        try:
            services.relation_add(document=document, by=request.user, **form.cleaned_data)
            messages.success(request, _("The relation has been saved."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("directives:detail", pk=document.pk)


@login_required
@post_only("directives:detail", keep=("pk",))
def relation_remove(request, pk: int, relation_pk: int):
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    relation = get_object_or_404(document.relations, pk=relation_pk)
    services.relation_remove(relation=relation, by=request.user)
    messages.success(request, _("The relation has been removed."))
    return redirect("directives:detail", pk=document.pk)


@login_required
@post_only("directives:detail")
def attachment_add(request, pk: int):
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        item = services.attachment_add(document=document, upload=form.cleaned_data["file"], by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The attachment “%(name)s” has been added.") % {"name": item.name})
    return redirect("directives:detail", pk=document.pk)


@login_required
@post_only("directives:detail", keep=("pk",))
def attachment_remove(request, pk: int, attachment_pk: int):
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    item = get_object_or_404(document.attachments, pk=attachment_pk)
    services.attachment_remove(attachment=item, by=request.user)
    messages.success(request, _("The attachment “%(name)s” has been removed.") % {"name": item.name})
    return redirect("directives:detail", pk=document.pk)


def _file_response(field_file, name: str, content_type: str):
    return stored_file(field_file, name or "van-ban", content_type)


@login_required
def original(request, pk: int):
    document = obtain(_documents(request.user), user=request.user, pk=pk)
    if not document.original:
        raise Http404
    return _file_response(document.original, document.original_name, document.original_type)


@login_required
def attachment(request, pk: int):
    attachments = DocumentAttachment.objects.filter(document__in=selectors.visible_documents(request.user))
    item = obtain(attachments, user=request.user, pk=pk)
    return _file_response(item.file, item.name, item.content_type)


# ---------------------------------------------------------------- import


def _parsed(text: str) -> dict:
    try:
        return parsing.parse(text).as_dict()
    except Exception:  # a parser failure must not lose the upload: the person fills the form in
        logger.exception("parsing an imported document failed")
        return {}


def _pending_save(request, upload: uploads.Checked) -> str:
    stored = uploads.store_in(PENDING_FOLDER, upload)
    return signing.dumps(
        {
            "path": stored.path,
            "user": request.user.pk,
            "name": stored.name,
            "type": stored.content_type,
            "sha256": stored.sha256,
        },
        salt=PENDING_SALT,
    )


def _pending_load(request, token: str) -> tuple[dict, uploads.Checked] | None:
    try:
        data = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != request.user.pk or not str(data.get("path", "")).startswith(f"{PENDING_FOLDER}/"):
        return None
    try:
        content = uploads.read(data["path"], sha256=data.get("sha256", ""))
    except (OSError, uploads.DamagedFile):
        return None
    return data, uploads.Checked(name=data["name"], content_type=data["type"], content=content)


def remove_abandoned_imports(now=None) -> int:
    """Delete the pending uploads older than PENDING_MAX_AGE: their review token has expired, so no
    one can save them any more. Returns how many files were deleted."""
    now = now or timezone.now()
    try:
        _folders, names = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if (now - default_storage.get_modified_time(path)).total_seconds() > PENDING_MAX_AGE:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # removed meanwhile by its import
            continue
    return removed


@login_required
def import_upload(request):
    require_somewhere(request.user, Perm.DOCUMENT_MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = extract.text_of(upload.name, upload.content)
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            initial = initial_from_parsed(_parsed(text), text)
            initial.update(
                unit=form.cleaned_data["unit"],
                direction=form.cleaned_data["direction"],
                pending=_pending_save(request, upload),
            )
            review = ReviewForm(user=request.user, initial=initial)
            return render(request, "directives/review.html", {"form": review, "file_name": upload.name})
    return render(request, "directives/import.html", {"form": form})


@login_required
@post_only("directives:import")
def import_save(request):
    require_somewhere(request.user, Perm.DOCUMENT_MANAGE)
    form = ReviewForm(request.POST, user=request.user)
    pending = _pending_load(request, request.POST.get("pending", ""))
    if pending is None:
        messages.error(request, _("The uploaded file has expired or is missing: upload it again."))
        return redirect("directives:import")
    data, upload = pending
    if form.is_valid():
        document = _save(request, form, original=upload)
        if document is not None:
            default_storage.delete(data["path"])
            messages.success(request, _("The document has been registered with its original file."))
            return redirect("directives:detail", pk=document.pk)
    return render(request, "directives/review.html", {"form": form, "file_name": upload.name})
