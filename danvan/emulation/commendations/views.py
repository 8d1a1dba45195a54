"""Pages of commendations (/emulation/commendations/): the list per year and unit (filters, XLSX), a
commendation, record / correct / delete (with confirmation), the decision's file, the import from XLSX
with its sample file.

A commendation is seen with EMULATION_VIEW at its recipient's unit or above and written with
EMULATION_RECORD there; one out of reach answers 404 as if it did not exist, one seen without the right
to change it 403. GET pages only read (an export records who exported what).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.downloads import stored_file
from danvan.core.pages import errors_shown, filtered_page, saved
from danvan.core.text import whole
from danvan.emulation.evaluations import selectors as evaluation_selectors
from danvan.emulation.exemplars import selectors as exemplar_selectors
from danvan.reports.periods import period_words

from . import selectors, services
from .forms import CommendationForm, ConfirmForm, FilterForm, ImportForm
from .models import LAW, Commendation

PAGE_SIZE = 100

COLUMNS = [
    ("number", gettext_lazy("No."), "count", 6),
    ("year", gettext_lazy("Year of the movement"), "count", 10),
    ("kind", gettext_lazy("Commended"), "text", 12),
    ("recipient", gettext_lazy("Collective or person"), "text", 30),
    ("position", gettext_lazy("Position"), "text", 20),
    ("unit", gettext_lazy("Unit of the recipient"), "text", 30),
    ("form", gettext_lazy("Form of commendation"), "text", 24),
    ("title", gettext_lazy("As written in the decision"), "text", 30),
    ("issuer", gettext_lazy("Issued by"), "text", 24),
    ("decision_number", gettext_lazy("Decision number"), "text", 16),
    ("decision_date", gettext_lazy("Decision date"), "date", 12),
    ("reason", gettext_lazy("Reason"), "text", 40),
    ("earned_for", gettext_lazy("Earned by"), "text", 30),
]

#: An example row of the import file (the sample workbook), in the order of the columns.
SAMPLE = (
    {
        "kind": "Tập thể",
        "unit_code": "STP",
        "recipient_name": "",
        "form": "Giấy khen",
        "decision_number": "125-QĐ/ĐUK",
        "decision_date": "15/12/2013",
        "reason": "Đã có thành tích xuất sắc trong công tác dân vận năm 2013",
        "year": 2013,
        "issuer_code": "DUK",
    },
    {
        "kind": "Cá nhân",
        "unit_code": "STP",
        "recipient_name": "Nguyễn Thị Lan",
        "form": "Bằng khen của Chủ tịch UBND tỉnh",
        "decision_number": "2345/QĐ-UBND",
        "decision_date": "20/12/2013",
        "reason": "Hoàn thành xuất sắc nhiệm vụ công tác dân vận",
        "year": 2013,
        "position": "Chuyên viên",
        "issuer_name": "UBND tỉnh",
    },
)


def _filter(request):
    form = FilterForm(request.GET or None, user=request.user)
    wanted = selectors.Filter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        wanted = selectors.Filter(
            unit=data["unit"],
            year=data["year"],
            form=data["form"],
            kind=data["kind"],
            start=data["from"],
            end=data["to"],
        )
    return form, wanted


@login_required
def commendation_list(request):
    """The commendations the user may see, per year and unit, with the totals and the figures per form."""
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    form, wanted = _filter(request)
    found = filtered_page(
        request,
        selectors.rows(request.user, wanted),
        form=form,
        query=selectors.query_of(wanted),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "commendations/list.html",
        {
            "form": form,
            "page": found.page,
            "offset": found.offset,
            "totals": selectors.totals(found.rows),
            "per_form": selectors.per_form(found.rows),
            "query": found.query,
            "can_record": policy.has_any(request.user, Perm.EMULATION_RECORD),
            "law": LAW,
        },
    )


def _row(number: int, item: Commendation) -> list:
    return [
        number,
        item.year,
        item.get_kind_display(),
        item.recipient,
        item.position,
        item.unit.name,
        item.get_form_display(),
        item.title,
        item.issuer,
        item.decision_number,
        item.decision_date,
        item.reason,
        item.earned_for,
    ]


@login_required
def commendation_xlsx(request):
    """The list as an XLSX workbook, with the filters of the page."""
    require_somewhere(request.user, Perm.EMULATION_VIEW)
    form, wanted = _filter(request)
    items = list(selectors.rows(request.user, wanted)) if not form.errors else []
    columns = [tables.Column(str(label), kind=kind, width=width) for _key, label, kind, width in COLUMNS]
    title = _("Commendations")
    if wanted.year:
        title = f"{title} – {_('Year %(year)s') % {'year': wanted.year}}"
    sheet = tables.Sheet(
        name=_("Commendations")[:31],
        rows=(_row(number, item) for number, item in enumerate(items, start=1)),
        columns=columns,
        title=title,
    )
    return xlsx_export(
        sheets=[sheet],
        filename=f"khen-thuong-{timezone.localdate():%Y%m%d}.xlsx",
        model=Commendation._meta.label_lower,
        what=_("Commendations (%(count)s lines)") % {"count": len(items)},
        unit=wanted.unit,
        changes={"filter": selectors.query_of(wanted), "rows": len(items)},
    )


def _visible(user):
    return selectors.commendations_for(user).select_related("unit", "issuer_unit")


@login_required
def commendation_detail(request, pk: int):
    visible = _visible(request.user).select_related("exemplar__unit", "evaluation__unit")
    item = obtain(visible, user=request.user, pk=pk)
    return render(
        request,
        "commendations/detail.html",
        {
            "item": item,
            "can_record": policy.can(request.user, Perm.EMULATION_RECORD, item.unit),
            "law": LAW,
            "earned_by": _earned_by(item),
        },
    )


def _earned_by(item: Commendation) -> dict[str, str] | None:
    """The record that earned the commendation, named in words, with the address of its page."""
    if item.exemplar_id and item.exemplar is not None:
        return {
            "label": _("“Dân vận khéo” model"),
            "text": f"{item.exemplar.title} — {item.exemplar.unit.name}",
            "url": reverse("exemplars:detail", args=[item.exemplar_id]),
        }
    if item.evaluation_id and item.evaluation is not None:
        return {
            "label": _("Evaluation"),
            "text": f"{item.evaluation.unit.name} — {period_words(item.evaluation.period)}",
            "url": reverse("evaluations:evaluation", args=[item.evaluation_id]),
        }
    return None


FIELDS = (
    "kind",
    "unit",
    "recipient_name",
    "position",
    "form",
    "title",
    "issuer_unit",
    "issuer_name",
    "decision_number",
    "decision_date",
    "year",
    "reason",
    "earned_for",
)


def _edit_page(request, item: Commendation | None):
    keep = [item.unit] if item is not None else []
    issuer = item.issuer_unit if item is not None else None
    if request.method == "POST":
        form = CommendationForm(request.POST, request.FILES, user=request.user, keep=keep, issuer_kept=issuer)

        def save(data: dict) -> Commendation:
            if item is None:
                return services.commendation_record(
                    spec=services.CommendationSpec.of(data), upload=data.get("decision_file"), by=request.user
                )
            return services.commendation_update(
                commendation=item,
                spec=services.CommendationSpec.of(data),
                upload=data.get("decision_file"),
                remove_file=data.get("remove_file", False),
                by=request.user,
            )

        done = saved(
            request,
            form,
            save,
            done=_("The commendation was saved."),
            then=lambda written: redirect("commendations:detail", pk=written.pk),
        )
        if done is not None:
            return done
    else:
        if item is not None:
            initial = {name: getattr(item, name) for name in FIELDS}
            initial["unit"] = item.unit.code
            initial["issuer_unit"] = item.issuer_unit.code if item.issuer_unit else ""
            initial["exemplar"] = item.exemplar_id
            initial["evaluation"] = item.evaluation_id
        else:
            initial = {"kind": "collective", "year": timezone.localdate().year, **_linked(request)}
        form = CommendationForm(initial=initial, user=request.user, keep=keep, issuer_kept=issuer)
    return render(request, "commendations/form.html", {"form": form, "item": item, "law": LAW})


@login_required
def commendation_create(request):
    require_somewhere(request.user, Perm.EMULATION_RECORD)
    return _edit_page(request, None)


@login_required
def commendation_edit(request, pk: int):
    item = obtain(_visible(request.user), user=request.user, do=Perm.EMULATION_RECORD, pk=pk)
    return _edit_page(request, item)


@login_required
def commendation_delete(request, pk: int):
    """GET: what will be deleted, and a confirmation box; POST: delete."""
    item = obtain(_visible(request.user), user=request.user, do=Perm.EMULATION_RECORD, pk=pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = item.year
        services.commendation_delete(commendation=item, by=request.user)
        messages.success(request, _("The commendation was deleted."))
        return redirect(f"{_list_url()}?year={year}")
    return render(request, "commendations/delete.html", {"item": item, "form": form})


def _list_url() -> str:
    return reverse("commendations:list")


@login_required
def decision_file(request, pk: int):
    item = obtain(_visible(request.user), user=request.user, pk=pk)
    if not item.decision_file:
        raise Http404
    return stored_file(
        item.decision_file, item.decision_file_name or "quyet-dinh.pdf", item.decision_file_type
    )


# ---------------------------------------------------------------- import


def _heading(key: str) -> str:
    return services.HEADINGS[key].lower()


def _read_rows(checked) -> list[services.ImportRow]:
    """The file's rows, cells by column key; the header row names the columns by their headings."""
    table = tables.read_table(checked)
    header = tables.map_header(
        *table[0],
        required=[_heading(key) for key in services.IMPORT_COLUMNS],
        optional=[_heading(key) for key in services.IMPORT_OPTIONAL],
    )
    keys = [*services.IMPORT_COLUMNS, *services.IMPORT_OPTIONAL]
    rows = []
    for line, cells in table[1:]:
        values = header.values(cells)
        rows.append(services.ImportRow(line, {key: values.get(_heading(key)) for key in keys}))
    return rows


def _error_lines(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    lines = []
    for line, problems in sorted(error.message_dict.items(), key=lambda item: int(item[0])):
        for message in problems:
            lines.append(_("Row %(row)s: %(message)s") % {"row": line, "message": message})
    return lines


@login_required
def commendation_import(request):
    """GET: the form and the file's columns (nothing written); POST: every row checked, all saved or none."""
    if not policy.has_any(request.user, Perm.EMULATION_RECORD):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    imported = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = _read_rows(form.cleaned_data["file"])
            if not rows:
                raise tables.FileRejected(_("The file has no rows below the header."))
            imported = services.import_rows(rows=rows, by=request.user)
        except tables.FileRejected as error:
            errors = [str(problem) for problem in error.errors]
        except ValidationError as error:
            errors = _error_lines(error)
    context = {
        "form": form,
        "columns": [services.HEADINGS[key] for key in services.IMPORT_COLUMNS],
        "optional": [services.HEADINGS[key] for key in services.IMPORT_OPTIONAL],
        **errors_shown(errors),
        "imported": imported,
    }
    if imported is not None:
        messages.success(request, _("%(count)s commendations were imported.") % {"count": imported})
        return redirect(_list_url())
    status = 400 if errors or form.errors else 200
    return render(request, "commendations/import.html", context, status=status)


@login_required
def import_sample(request):
    """A sample file to fill in: the columns as the header, two example rows (GET; nothing written)."""
    if not policy.has_any(request.user, Perm.EMULATION_RECORD):
        raise PermissionDenied
    keys = [*services.IMPORT_COLUMNS, *services.IMPORT_OPTIONAL]
    columns = [
        tables.Column(services.HEADINGS[key], width=max(14, len(services.HEADINGS[key]) + 4)) for key in keys
    ]
    sample = [[row.get(key) for key in keys] for row in SAMPLE]
    sheet = tables.Sheet(name=_("Commendations")[:31], rows=sample, columns=columns)
    return tables.xlsx_response(tables.workbook([sheet]), filename="mau-nhap-khen-thuong.xlsx")


# ---------------------------------------------------------------- a commendation recorded from what earned it


def _linked(request) -> dict:
    """The initial values of a new commendation opened from a model's or an evaluation's page
    (?exemplar=ID or ?evaluation=ID): the link, the record's unit as the recipient, the year. A record the
    user does not see, or no number, is ignored (the form then starts empty). Reads only."""
    for name, visible in (
        ("exemplar", exemplar_selectors.exemplars_for),
        ("evaluation", evaluation_selectors.evaluations_for),
    ):
        wanted = whole(request.GET.get(name))
        if wanted is None:
            continue
        found = visible(request.user).select_related("unit").filter(pk=wanted).first()
        if found is None:
            return {}
        year = found.campaign.year if name == "exemplar" else found.period_end.year
        return {name: found.pk, "unit": found.unit.code, "year": year}
    return {}
