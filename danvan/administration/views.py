"""User and role management for administrators.

Needs Perm.ROLE_MANAGE somewhere (else 403); users and role assignments outside the administrator's
subtrees answer 404, as if they did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.accounts.services import password_setting_email_send
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only
from danvan.core.pages import acted

from . import selectors, services
from .forms import ActiveForm, RoleGrantForm, UserCreateForm

PAGE_SIZE = 50


def _site_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@login_required
def user_list(request):
    require_somewhere(request.user, Perm.ROLE_MANAGE)
    query = request.GET.get("q", "").strip()[:100]
    users = selectors.users_managed_by(admin=request.user)
    if query:
        users = selectors.user_search(users=users, query=query)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "administration/user_list.html", {"page": page, "query": query})


@login_required
def user_create(request):
    require_somewhere(request.user, Perm.ROLE_MANAGE)
    form = UserCreateForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=form.password,
                unit=data["unit_code"],
                role=data["role"] or None,
                by=request.user,
            )
        except ValidationError as exc:
            attach_service_errors(form, exc, fields={"password": "password1"})
        else:
            if form.password is None:
                password_setting_email_send(user=user, site_url=_site_url(request), by=request.user)
                messages.success(
                    request,
                    _("Account %(username)s created; a password-setting link was emailed to %(email)s.")
                    % {"username": user.username, "email": user.email},
                )
            else:
                messages.success(request, _("Account %(username)s created.") % {"username": user.username})
            return redirect("administration:user_detail", pk=user.pk)
    return render(request, "administration/user_create.html", {"form": form})


@login_required
def user_detail(request, pk: int):
    require_somewhere(request.user, Perm.ROLE_MANAGE)
    user = obtain(selectors.users_managed_by(admin=request.user), user=request.user, pk=pk)
    grant_form = RoleGrantForm(request.POST or None, admin=request.user, prefix="grant")
    if request.method == "POST" and grant_form.is_valid():
        try:
            services.role_grant(
                user=user,
                unit=grant_form.cleaned_data["unit_code"],
                role=grant_form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            attach_service_errors(grant_form, exc, fields={"unit": "unit_code"})
        else:
            messages.success(request, _("Role granted."))
            return redirect("administration:user_detail", pk=user.pk)
    managed = user.managed_assignments  # type: ignore[attr-defined]  # prefetched by users_managed_by
    context = {
        "subject": user,
        "assignments": managed,
        "hidden_roles": user.role_assignments.count() - len(managed),
        "grant_form": grant_form,
        "can_change_account": selectors.account_fully_managed(admin=request.user, user=user),
    }
    return render(request, "administration/user_detail.html", context)


@login_required
@post_only("administration:user_detail")
def user_set_active(request, pk: int):
    require_somewhere(request.user, Perm.ROLE_MANAGE)
    user = obtain(selectors.users_managed_by(admin=request.user), user=request.user, pk=pk)
    if not selectors.account_fully_managed(admin=request.user, user=user):
        raise PermissionDenied
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood; nothing was changed."))
        return redirect("administration:user_detail", pk=user.pk)
    try:
        services.user_set_active(user=user, active=form.cleaned_data["active"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if user.is_active:
            messages.success(
                request, _("Account %(username)s may sign in again.") % {"username": user.username}
            )
        else:
            messages.success(
                request, _("Account %(username)s can no longer sign in.") % {"username": user.username}
            )
    return redirect("administration:user_detail", pk=user.pk)


@login_required
@post_only("administration:user_list", keep=())
def role_revoke(request, pk: int):
    require_somewhere(request.user, Perm.ROLE_MANAGE)
    assignment = obtain(selectors.assignments_managed_by(admin=request.user), user=request.user, pk=pk)
    user_pk = assignment.user_id
    if not acted(
        request, lambda: services.role_revoke(assignment=assignment, by=request.user), done=_("Role revoked.")
    ):
        return redirect("administration:user_detail", pk=user_pk)
    if not selectors.users_managed_by(admin=request.user).filter(pk=user_pk).exists():
        return redirect("administration:user_list")
    return redirect("administration:user_detail", pk=user_pk)
