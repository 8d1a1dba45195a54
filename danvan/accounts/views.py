"""Signing in and out, changing and resetting passwords (Django's views with our templates), one's API
tokens and the administrators' second factor.

User and role management pages: `danvan.administration.views`.
"""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice

from danvan.core.forms import attach_service_errors

from . import second_factor, selectors, services
from .forms import ApiTokenForm, PasswordResetForm, SecondFactorEnrolForm, SecondFactorForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"valid_hours": selectors.password_link_valid_hours()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---------------------------------------------------------------- API tokens


def _no_store(response: HttpResponse) -> HttpResponse:
    """A page showing a secret is kept by no cache, the browser's included."""
    response["Cache-Control"] = "no-store"
    return response


@login_required
def token_list(request):
    """The signed-in person's API tokens, and the form that makes one (its secret shown on the answer
    to that POST, once: it is stored nowhere)."""
    form = ApiTokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.api_token_create(
                name=form.cleaned_data["name"], days=form.cleaned_data["days"], by=request.user
            )
        except ValidationError as exc:
            attach_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": selectors.api_tokens_of(request.user),
        "created": created,
        "secret": secret,
        "now": timezone.now(),
        "max_days": settings.API_TOKEN_MAX_DAYS,
    }
    return _no_store(render(request, "accounts/tokens.html", context))


@login_required
def token_revoke(request, pk: int):
    """Revoking one of one's tokens: a confirmation (GET), then the POST that revokes it."""
    token = get_object_or_404(selectors.api_tokens_of(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.api_token_revoke(token=token, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})


# ---------------------------------------------------------------- the administrators' second factor


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def otp_verify(request):
    """The second step of an administrator's sign-in: the authenticator's code or a backup code."""
    if second_factor.step_needed(request.user, request.session) != second_factor.VERIFY:
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(code=form.cleaned_data["code"], by=request.user)
        except ValidationError as exc:
            attach_service_errors(form, exc)
        else:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You signed in with a backup code; %(left)s are left. Enrol your app again to get new ones."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrol(request):
    """Setting up the authenticator app: a QR code and the secret as text, confirmed by a code. The
    backup codes are shown on the answer to that POST, once."""
    if not second_factor.may_enrol(request.user):
        raise PermissionDenied
    form = SecondFactorEnrolForm(request.POST or None)
    key = error = None
    if request.method == "POST":
        key = second_factor.unsign_key(request.user, request.POST.get("key", ""))
        if key is None:  # tampered with, or open too long: a new secret, with a word why
            error = _("This page was open too long: scan the new code below and try again.")
        elif form.is_valid():
            try:
                device, codes = services.second_factor_enrol(
                    key=key, code=form.cleaned_data["code"], by=request.user
                )
            except ValidationError as exc:
                attach_service_errors(form, exc)  # the same secret again: the app already holds it
            else:
                django_otp.login(request, device)
                request.session[second_factor.SESSION_KEY] = True
                return _no_store(render(request, "accounts/otp_enrolled.html", {"codes": codes}))
    if key is None:
        key = second_factor.new_key()
        form = SecondFactorEnrolForm(initial={"key": second_factor.sign_key(request.user, key)})
    context = {
        "form": form,
        "error": error,
        "qr": second_factor.qr_svg(second_factor.config_url(request.user, key)),
        "config_url": second_factor.config_url(request.user, key),  # a link for the app on the same phone
        "key_text": second_factor.key_text(key),
        "enrolled": second_factor.has_device(request.user),
        "required": settings.OTP_REQUIRED_FOR_ADMINS,
    }
    return _no_store(render(request, "accounts/otp_enrol.html", context))
