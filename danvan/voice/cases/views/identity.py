"""Who sent a case, and the protected attachments: pages that show them only where the policy allows.

- `case_identity` (voice:case_identity): the decrypted identity, for users for whom
  `policy.can_see_identity(user, case)` holds (a denouncer: only the case handlers of the case's
  own unit); 404 to whoever cannot see the case, 403 to the others. Every showing is written to
  `IdentityAccess` first; the handlers of the unit see that log on the page and may correct the
  identity (services.identity_correct).
- `attachment` (voice:attachment): a file of a case; protected ones (handwriting, identity papers)
  under the same rule as the identity and logged, others to whoever may see the case.

They are the case file's pages (the case decides who may see them), so they live with the cases and
read the identity through `identity.services` (which logs the showing) and `identity.selectors`.

Nothing is cached (no-store), and the views are `sensitive_variables`/`sensitive_post_parameters`
so an error report never shows the identity.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.core.clients import client_ip
from danvan.core.downloads import stored_content
from danvan.core.forms import TextField, attach_service_errors
from danvan.voice.identity import crypto
from danvan.voice.identity import selectors as identity_selectors
from danvan.voice.identity import services as identity_services
from danvan.voice.identity.services import What

from .. import attachments, services
from ..models import Attachment
from ..selectors import visible_cases

ACCESS_SHOWN = 200  # the newest rows of the access log shown on the page
# Types a browser may be handed as they are; anything else is served as opaque bytes.
SAFE_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff"}
)
WHAT_LABELS = {
    What.IDENTITY: gettext_lazy("Viewed the identity"),
    What.EDIT: gettext_lazy("Corrected the identity"),
    What.ATTACHMENT: gettext_lazy("Downloaded a protected attachment"),
}


class IdentityForm(forms.Form):
    name = TextField(label=gettext_lazy("Full name"), max_length=300, required=False)
    address = TextField(label=gettext_lazy("Address"), max_length=300, required=False)
    phone = TextField(label=gettext_lazy("Phone"), max_length=300, required=False)
    email = TextField(label=gettext_lazy("Email"), max_length=300, required=False)
    id_number = TextField(
        label=gettext_lazy("Identity document number"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Citizen identity card, identity card or passport."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"


@sensitive_post_parameters()
@sensitive_variables()
@never_cache
@login_required
def case_identity(request, pk: int):
    user = request.user
    case = obtain(visible_cases(user).select_related("unit"), user=user, pk=pk)
    if not policy.can_see_identity(user, case):
        raise PermissionDenied
    handles = policy.can(user, Perm.CASE_HANDLE, case.unit)
    may_edit = handles and not case.anonymous
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = IdentityForm(request.POST)
        if form.is_valid():
            try:
                services.identity_correct(
                    case=case, data=form.cleaned_data, by=user, ip_address=client_ip(request)
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The sender's identity was corrected."))
                return redirect("voice:case_identity", pk=case.pk)
    person = identity_services.identity_reveal(case=case, by=user, ip_address=client_ip(request))
    if may_edit and form is None:
        form = IdentityForm(initial=person or {})
    rows = [(str(IdentityForm.base_fields[key].label), (person or {}).get(key, "")) for key in crypto.FIELDS]
    log = list(identity_selectors.accesses(case)[:ACCESS_SHOWN]) if handles else None
    for entry in log or ():
        entry.label = WHAT_LABELS.get(entry.what, entry.what)
    context = {
        "case": case,
        "person": person,
        "rows": rows,
        "form": form if may_edit else None,
        "log": log,
        "attachments": case.attachments.filter(protected=True),
    }
    return render(request, "voice/identity/page.html", context)


@never_cache
@login_required
def attachment(request, token: str):
    visible = policy.scope(
        request.user, Perm.CASE_VIEW, Attachment.objects.select_related("case__unit"), "case__unit__path"
    )
    found = obtain(visible, user=request.user, token=token)
    if found.protected:
        if not policy.can_see_identity(request.user, found.case):
            raise PermissionDenied
        identity_services.identity_access_record(
            case=found.case, what=What.ATTACHMENT, ip_address=client_ip(request), by=request.user
        )
    content_type = found.content_type if found.content_type in SAFE_TYPES else "application/octet-stream"
    try:
        content = attachments.read(found)
    except FileNotFoundError as error:
        raise Http404 from error
    return stored_content(content, found.name, content_type)
