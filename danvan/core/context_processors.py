"""Navigation: only what is built, and only what the user may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from danvan.accounts import policy

    items = [(_("Organisations"), reverse("orgs:tree"), "orgs")]
    if policy.has_any(user, policy.Perm.REPORT_VIEW) or policy.has_any(user, policy.Perm.REPORT_ENTER):
        items.append((_("Reports and indicators"), reverse("reports:home"), "reports"))
    if policy.has_any(user, policy.Perm.CASE_VIEW):
        items.append((_("Cases"), reverse("voice:case_list"), "voice-cases"))
    if policy.can(user, policy.Perm.DEADLINE_MANAGE, None):  # the rules belong to the whole installation
        items.append((_("Statutory deadlines"), reverse("voice:rules"), "voice"))
    if policy.has_any(user, policy.Perm.CASE_VIEW):
        items.append((_("Citizen reception"), reverse("reception:home"), "reception"))
    if policy.has_any(user, policy.Perm.DOCUMENT_VIEW):
        items.append((_("Documents"), reverse("directives:list"), "directives"))
        items.append((_("Documents to study"), reverse("directives:to_study"), "directives"))
        items.append((_("Action programmes"), reverse("programmes:home"), "programmes"))
    if policy.has_any(user, policy.Perm.ROLE_MANAGE):
        items.append((_("Users and roles"), reverse("accounts:user_list"), "accounts"))
    if policy.has_any(user, policy.Perm.AUDIT_VIEW):
        items.append((_("Audit log"), reverse("audit:list"), "audit"))
    items.append((_("API"), reverse("api-docs"), "api"))
    current = request.resolver_match.namespace if request.resolver_match else ""
    if current == "voice" and (request.resolver_match.url_name or "").startswith(
        ("case", "box", "overdue", "stats", "flag")
    ):
        current = "voice-cases"  # the case pages, not the deadline administration
    return {
        "nav_items": [{"label": label, "url": url, "active": key == current} for label, url, key in items]
    }
