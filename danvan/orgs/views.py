"""Organisation pages: the tree as of a date, search, the unit page and its restructuring forms.

Every view asks `danvan.accounts.policy`. A unit outside the user's scope answers 404 (its
existence is not revealed); a unit in scope without the permission for the act answers 403.
Writes go through services.py; a ValidationError it raises is shown on the form, nothing saved.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import itself, obtain
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.downloads import stored_file
from danvan.core.forms import attach_service_errors
from danvan.core.text import check_text, search_terms, whole

from . import forms, selectors, selectors_web, services, unit_links
from .fields import for_user
from .models import Unit, UnitGroup, UnitType
from .services import NewUnit

SEARCH_PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------


def _as_of(request) -> tuple[datetime.date, forms.AsOfForm]:
    """The date the page shows (?as_of=, dd/mm/yyyy or ISO; today when absent or malformed)."""
    form = forms.AsOfForm(request.GET)
    day = form.cleaned_data.get("as_of") if form.is_valid() else None
    return day or selectors.today(), form


def _posted(request, *, files: bool = False):
    """The submitted data on POST (even when empty, so a blank form shows its errors), else None."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def _unit(request, code: str, do: Perm | None = None) -> Unit:
    """The unit named in the address: 404 if the user may not see it, 403 if they may not `do` this."""
    return obtain(selectors.units_for(request.user), user=request.user, do=do, unit=itself, code=code)


def _visible_versions(user, day: datetime.date):
    return policy.scope(user, Perm.UNIT_VIEW, selectors.versions_on(day), field="unit__path")


def _child_nodes(user, unit: Unit, day: datetime.date) -> list:
    """The children of `unit` on `day` that the user may see, each with its own visible child count."""
    visible = policy.scope(user, Perm.UNIT_VIEW, selectors.children(unit, day), field="unit__path")
    return selectors_web.with_scoped_child_counts(visible, _visible_versions(user, day))


def _links(user, units) -> list[tuple[Unit, bool]]:
    """(unit, may the user open its page) for units named on a page."""
    return [(unit, policy.can(user, Perm.UNIT_VIEW, unit)) for unit in units]


def _done(request, unit: Unit, message: str):
    messages.success(request, message)
    return redirect("orgs:unit_detail", code=unit.code)


def _may_restructure(user, form, field: str, unit: Unit) -> bool:
    """Whether the user administers `unit`, a unit they named in the form; if not, say so on the form."""
    if not policy.can(user, Perm.UNIT_VIEW, unit):
        form.add_error(field, forms.unit_not_found(unit.code))
        return False
    if not policy.can(user, Perm.UNIT_RESTRUCTURE, unit):
        form.add_error(field, _("You may not restructure unit %(code)s.") % {"code": unit.code})
        return False
    return True


def _may_place_under(user, form, parent: Unit | None) -> bool:
    """Whether the user may put new units under `parent` (where a merge or split places them)."""
    if policy.can(user, Perm.UNIT_RESTRUCTURE, parent):
        return True
    if parent is None:
        form.add_error(None, _("Only administrators of the whole tree may place units at its top."))
    else:
        message = _("The new units would be placed under %(name)s, which you do not administer.")
        form.add_error(None, message % {"name": parent.name})
    return False


def _parent_on(unit: Unit, day: datetime.date) -> tuple[bool, Unit | None]:
    """(does the unit exist on `day`, its parent then): where the products of a merge or split go."""
    version = selectors.version_of(unit, day)
    return version is not None, version.parent if version else None


def _form_page(request, unit: Unit, form, title: str, template: str = "orgs/unit_form.html", **extra):
    return render(request, template, {"unit": unit, "form": form, "title": title, **extra})


# --- browsing ---------------------------------------------------------------------------------


@login_required
def tree(request):
    """The tree as of a date, from the units where the user's view rights start."""
    day, as_of_form = _as_of(request)
    user = request.user
    visible = _visible_versions(user, day)
    roots = selectors_web.roots_on(policy.scope_paths(user, Perm.UNIT_VIEW), day)
    roots = selectors_web.with_scoped_child_counts(roots, visible)
    for root in roots:
        root.expanded = True
        root.nodes = _child_nodes(user, root.unit, day)
    context = {"roots": roots, "as_of": day, "as_of_form": as_of_form, "exchange_url": _exchange_url(user)}
    return render(request, "orgs/tree.html", context)


def _exchange_url(user) -> str:
    """Where "Import/export units" leads the user: the import page, else the export page, else nowhere."""
    if policy.has_any(user, Perm.UNIT_IMPORT):
        return reverse("orgs:import_upload")
    return reverse("orgs:export") if policy.has_any(user, Perm.UNIT_EXPORT) else ""


@login_required
def children(request, code: str):
    """HTML fragment: the children of a unit, for the lazy tree."""
    unit = _unit(request, code)
    day, _form = _as_of(request)
    return render(
        request, "orgs/_children.html", {"nodes": _child_nodes(request.user, unit, day), "as_of": day}
    )


@login_required
def search(request):
    """Units whose name or code contains every word typed, ignoring diacritics and case."""
    day, _form = _as_of(request)
    form = forms.SearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    page, results = None, []
    if search_terms(query):
        found = selectors.search(query, within=_visible_versions(request.user, day))
        page = Paginator(found, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        results = list(page.object_list)
        chains = selectors_web.ancestor_chains(results, day)
        for version in results:
            version.crumbs = _links(request.user, [v.unit for v in chains[version.unit_id]])
    context = {
        "form": form,
        "query": query,
        "searched": page is not None,
        "page": page,
        "results": results,
        "as_of": day,
    }
    return render(request, "orgs/search.html", context)


@login_required
def unit_pick(request: HttpRequest) -> JsonResponse:
    """The unit picker's suggestions (`core/unitpicker.js`): the units in force matching ?q= where the
    user holds ?perm= (viewing by default), under the unit ?within= (a code) when given, as JSON {results: [{code, name, path_label}], more}."""
    try:
        perm = Perm(request.GET.get("perm") or Perm.UNIT_VIEW)
        query = check_text(request.GET.get("q", ""), limit=200)
        within_code = check_text(request.GET.get("within", ""), limit=64)
    except (ValueError, ValidationError):
        return JsonResponse({"results": [], "more": False}, status=400)
    within = selectors.unit_by_code(within_code) if within_code else None
    if within_code and within is None:
        return JsonResponse({"results": [], "more": False}, status=400)
    results, more = selectors.pick(request.user, query, perm, within=within)
    return JsonResponse({"results": [result.as_json() for result in results], "more": more})


def _status(unit: Unit, version, day: datetime.date) -> tuple[str, str]:
    """(badge class, label) of the unit on `day`."""
    if version is not None:
        return "ok", _("In force")
    if day < unit.valid_from:
        return "warn", _("Not yet established on this date")
    return "warn", _("No longer exists on this date")


def _lifecycle(unit: Unit, today: datetime.date) -> str:
    """The unit's standing today, in words: in force, not yet, ending later, or ended."""
    if unit.valid_to is not None and unit.valid_to <= today:
        return _("Dissolved from %(day)s") % {"day": day_text(unit.valid_to)}
    if today < unit.valid_from:
        return _("Comes into force on %(day)s") % {"day": day_text(unit.valid_from)}
    if unit.valid_to is not None:
        return _("In force until %(day)s") % {"day": day_text(unit.valid_to)}
    return _("In force")


@login_required
def unit_detail(request, code: str):
    unit = _unit(request, code)
    user = request.user
    day, as_of_form = _as_of(request)
    version = selectors.version_of(unit, day)
    shown = version or selectors.latest_version(unit)
    history = selectors.history(unit)
    timeline = selectors_web.timeline(unit, history)
    for entry in timeline:
        entry.links = _links(user, entry.units)
    leads = list(unit.leads.all())
    status_class, status = _status(unit, version, day)
    context = {
        "unit": unit,
        "version": version,
        "shown": shown,
        "as_of": day,
        "as_of_form": as_of_form,
        "status": status,
        "status_class": status_class,
        "lifecycle": _lifecycle(unit, selectors.today()),
        "not_yet": version is None and day < unit.valid_from,
        "ancestors": _links(user, [v.unit for v in selectors.ancestors(shown, day if version else None)]),
        "groups": list(shown.groups.all()),
        "current_lead": next((lead for lead in leads if lead.ended_on is None), None),
        "leads": leads,
        "nodes": _child_nodes(user, unit, day) if version else [],
        "predecessors": _links(user, [link.predecessor for link in history["predecessors"]]),
        "successors": _links(user, [link.successor for link in history["successors"]]),
        "timeline": timeline,
        "can_restructure": policy.can(user, Perm.UNIT_RESTRUCTURE, unit),
        "can_edit": policy.can(user, Perm.UNIT_EDIT, unit),
        "unit_links": unit_links.links_for(user, unit),
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def regulation_file(request, code: str):
    """The coordination regulation document, to those who may see the unit."""
    unit = _unit(request, code)
    if not unit.regulation_file:
        raise Http404
    return stored_file(unit.regulation_file, unit.regulation_file.name.rsplit("/", 1)[-1])


# --- restructuring ----------------------------------------------------------------------------


@login_required
def unit_create(request, code: str):
    parent = _unit(request, code, Perm.UNIT_RESTRUCTURE)
    form = forms.UnitCreateForm(_posted(request), initial={"valid_from": selectors.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = NewUnit(
            code=data["code"],
            name=data["name"],
            unit_type=data["unit_type"],
            parent=parent,
            short_name=data["short_name"],
            groups=list(data["groups"]),
        )
        try:
            unit = services.unit_create(
                spec=spec, valid_from=data["valid_from"], by=request.user, decision=data["decision"]
            )
        except ValidationError as error:
            attach_service_errors(form, error, {"parent": "valid_from"})
        else:
            return _done(request, unit, _("Unit %(name)s was created.") % {"name": unit.name})
    return _form_page(request, parent, form, _("New unit under %(name)s") % {"name": parent.name})


def _unchanged(version, data: dict) -> bool:
    return (
        version is not None
        and version.name == data["name"].strip()
        and version.short_name == data["short_name"].strip()
        and version.unit_type_id == data["unit_type"].id
        and {g.id for g in version.groups.all()} == {g.id for g in data["groups"]}
    )


@login_required
def unit_change(request, code: str):
    unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
    current = selectors.version_of(unit) or selectors.latest_version(unit)
    initial = {
        "name": current.name,
        "short_name": current.short_name,
        "unit_type": current.unit_type,
        "groups": list(current.groups.all()),
        "effective_on": selectors.today(),
    }
    form = forms.UnitChangeForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _unchanged(selectors.version_of(unit, data["effective_on"]), data):
            form.add_error(None, _("Nothing to change: the unit already has these values on that date."))
        else:
            try:
                services.unit_change(
                    unit=unit,
                    effective_on=data["effective_on"],
                    name=data["name"],
                    short_name=data["short_name"],
                    unit_type=data["unit_type"],
                    groups=list(data["groups"]),
                    by=request.user,
                    decision=data["decision"],
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                return _done(request, unit, _("The change was recorded."))
    return _form_page(request, unit, form, _("Rename or change %(name)s") % {"name": unit.name})


@login_required
def unit_move(request, code: str):
    unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
    form = for_user(
        forms.UnitMoveForm(_posted(request), initial={"effective_on": selectors.today()}), request.user
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _may_restructure(request.user, form, "parent_code", form.parent)
    ):
        data = form.cleaned_data
        try:
            services.unit_move(
                unit=unit,
                new_parent=form.parent,
                effective_on=data["effective_on"],
                by=request.user,
                decision=data["decision"],
            )
        except ValidationError as error:
            attach_service_errors(form, error, {"parent": "parent_code"})
        else:
            return _done(request, unit, _("The unit was moved under %(name)s.") % {"name": form.parent.name})
    return _form_page(request, unit, form, _("Move %(name)s") % {"name": unit.name})


def _merge(request, unit: Unit, form):
    """Check the rights on every unit the merge touches, then merge. Returns the successor or None."""
    data, user = form.cleaned_data, request.user
    units = list(dict.fromkeys([unit, *form.other_units]))
    if not all(_may_restructure(user, form, "others", other) for other in units[1:]):
        return None
    into, new = form.into, None
    if into is not None and not _may_restructure(user, form, "into_code", into):
        return None
    if into is None:
        exists, parent = _parent_on(unit, data["effective_on"])
        if exists and not _may_place_under(user, form, parent):
            return None
        new = NewUnit(code=data["new_code"], name=data["new_name"], unit_type=data["new_type"], parent=parent)
    try:
        return services.unit_merge(
            units=units,
            effective_on=data["effective_on"],
            into=into,
            new=new,
            by=user,
            decision=data["decision"],
        )
    except ValidationError as error:
        attach_service_errors(form, error, {"code": "new_code", "name": "new_name"})
        return None


@login_required
def unit_merge(request, code: str):
    unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
    form = for_user(
        forms.UnitMergeForm(_posted(request), initial={"effective_on": selectors.today()}), request.user
    )
    if request.method == "POST" and form.is_valid():
        successor = _merge(request, unit, form)
        if successor is not None:
            return _done(
                request, successor, _("The units were merged into %(name)s.") % {"name": successor.name}
            )
    return _form_page(request, unit, form, _("Merge %(name)s") % {"name": unit.name})


def _split_parts(request) -> int:
    """How many new units the split form offers (from the submitted formset or ?parts=)."""
    raw = request.POST.get("parts-TOTAL_FORMS") or request.GET.get("parts") or ""
    parts = whole(raw, digits=3)
    parts = forms.SPLIT_MIN_PARTS if parts is None else parts
    return min(max(parts, forms.SPLIT_MIN_PARTS), forms.SPLIT_MAX_PARTS)


def _split(request, unit: Unit, form, formset):
    """Check the rights and the child assignments, then split. Returns the new units or None."""
    data = form.cleaned_data
    exists, parent = _parent_on(unit, data["effective_on"])
    if exists and not _may_place_under(request.user, form, parent):
        return None
    slots = [part.cleaned_data.get("code") if part.cleaned_data else None for part in formset.forms]
    assignments = form.assignments(slots)
    for name, child in form.child_fields:
        if assignments[child] is None:
            form.add_error(name, _("That new unit is left empty above."))
    if not form.is_valid():
        return None
    specs = [
        NewUnit(
            code=part.cleaned_data["code"],
            name=part.cleaned_data["name"],
            unit_type=part.cleaned_data["unit_type"],
        )
        for part in formset.forms
        if part.cleaned_data
    ]
    try:
        return services.unit_split(
            unit=unit,
            effective_on=data["effective_on"],
            into=specs,
            children=assignments,
            by=request.user,
            decision=data["decision"],
        )
    except ValidationError as error:
        attach_service_errors(form, error, {})
        return None


@login_required
def unit_split(request, code: str):
    unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
    parts = _split_parts(request)
    data = request.POST if request.method == "POST" else None
    # The units under it on the effective date, which the split hands on (today until a date is posted).
    children = list(selectors.children(unit, forms.UnitSplitForm.effective_day(data) or selectors.today()))
    form = forms.UnitSplitForm(
        data, children=children, parts=parts, initial={"effective_on": selectors.today()}
    )
    formset = forms.split_formset_class(parts)(data, prefix="parts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        created = _split(request, unit, form, formset)
        if created is not None:
            names = ", ".join(new.name for new in created)
            return _done(request, unit, _("The unit was split into %(names)s.") % {"names": names})
    title = _("Split %(name)s") % {"name": unit.name}
    extra = {"formset": formset, "parts": parts, "more": parts + 1 if parts < forms.SPLIT_MAX_PARTS else None}
    return _form_page(request, unit, form, title, "orgs/unit_split.html", **extra)


@login_required
def unit_dissolve(request, code: str):
    unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
    form = forms.UnitDissolveForm(_posted(request), initial={"effective_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_dissolve(
                unit=unit, effective_on=data["effective_on"], by=request.user, decision=data["decision"]
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            return _done(request, unit, _("The unit was dissolved."))
    return _form_page(request, unit, form, _("Dissolve %(name)s") % {"name": unit.name})


# --- mobilisation lead and coordination regulation ---------------------------------------------


@login_required
def lead_assign(request, code: str):
    unit = _unit(request, code, Perm.UNIT_EDIT)
    form = forms.LeadForm(_posted(request), initial={"assigned_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_assign(unit=unit, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            return _done(request, unit, _("The mobilisation lead was recorded."))
    return _form_page(request, unit, form, _("Mobilisation lead of %(name)s") % {"name": unit.name})


@login_required
def regulation_set(request, code: str):
    unit = _unit(request, code, Perm.UNIT_EDIT)
    initial = {"number": unit.regulation_number, "signed_on": unit.regulation_signed_on}
    form = forms.RegulationForm(_posted(request), _posted(request, files=True), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.regulation_set(
                unit=unit,
                number=data["number"],
                signed_on=data["signed_on"],
                file=data["file"],
                by=request.user,
            )
        except ValidationError as error:
            attach_service_errors(form, error, {"regulation_number": "number"})
        else:
            return _done(request, unit, _("The coordination regulation was recorded."))
    title = _("Coordination regulation of %(name)s") % {"name": unit.name}
    return _form_page(request, unit, form, title, multipart=True)


# --- catalogue --------------------------------------------------------------------------------


@login_required
def group_list(request):
    """Unit groups and unit types; bloc administrators may add to both."""
    may_add = policy.can(request.user, Perm.UNIT_RESTRUCTURE, None)
    group_form, type_form = forms.UnitGroupForm(prefix="group"), forms.UnitTypeForm(prefix="type")
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if request.POST.get("kind") == "type":
            type_form = form = forms.UnitTypeForm(request.POST, prefix="type")
        else:
            group_form = form = forms.UnitGroupForm(request.POST, prefix="group")
        if form.is_valid():
            added = form.save()
            messages.success(request, _("%(name)s was added.") % {"name": added.name})
            return redirect("orgs:group_list")
    context = {
        "groups": UnitGroup.objects.all(),
        "types": UnitType.objects.all(),
        "may_add": may_add,
        "group_form": group_form,
        "type_form": type_form,
    }
    return render(request, "orgs/group_list.html", context)
