"""What pages do the same way: save a form through a service, act on a record, confirm a deletion,
read a year from the address, show a page of a filtered list, list what an import refused.

A page's view stays thin: it finds the record (`accounts.permissions.obtain`), builds the form and
names the service call, the message and where to go next; these helpers do the rest the one way:

- `saved`: on a POST with a valid form, the service call; its ValidationError goes onto the form
  (`core.forms.attach_service_errors`), its success is said (`messages.success`) and answered with the
  next page. None when the form page is to be drawn (again).
- `acted`: a POST that changes a record without a form (remove, close); what the service refuses is
  said as error messages.
- `confirmed_delete`: the confirmation page on a GET, the deletion on a POST.
- `year_in`: a year typed in the address, within bounds.
- `filtered_page`: a list filtered by a form, one page of it, and the filter as the query its links keep
  (the form drawn by the include `core/_filter_form.html`).
- `errors_shown`: what an import refused, for the include `core/_import_errors.html` (the first errors
  listed, the rest counted).

An export recorded in the audit log is `audit.exports.xlsx_export`; the API's counterparts are in
`accounts.api` (`PermRequired`, `validated`).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from .forms import attach_service_errors
from .text import whole

T = TypeVar("T")
FIRST_YEAR = 2000
ERRORS_SHOWN = 50  # errors an import page lists; the rest are counted


def saved(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], T],
    *,
    done: str,
    then: HttpResponseBase | Callable[[T], HttpResponseBase],
) -> HttpResponseBase | None:
    """On a POST with a valid `form`: `save(form.cleaned_data)` (the service call). A ValidationError is
    put on the form and None returned (draw the form again); otherwise `done` is said and `then` (a
    response, or made from what `save` returned) answered. None on a GET or an invalid form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        attach_service_errors(form, error)
        return None
    messages.success(request, done)
    return then if isinstance(then, HttpResponseBase) else then(result)


def acted(request: HttpRequest, act: Callable[[], object], *, done: str) -> bool:
    """`act()` (a service call of a POST without a form): `done` said when it succeeds, each message of
    its ValidationError said as an error when it refuses. Whether it succeeded."""
    try:
        act()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    messages.success(request, done)
    return True


def confirmed_delete(
    request: HttpRequest,
    delete: Callable[[], object],
    *,
    done: str,
    then: HttpResponseBase,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponseBase:
    """The page asking to confirm a deletion (`template` with `context`) on a GET; on a POST `delete()`,
    `done` said and `then` answered."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return then
    return render(request, template, dict(context))


def year_in(text: str | None, *, last: int) -> int | None:
    """The year typed (`?year=`), from FIRST_YEAR to `last`; None when empty or out of bounds."""
    year = whole(text, digits=4)
    return year if year is not None and FIRST_YEAR <= year <= last else None


def errors_shown(errors: Sequence[str], *, shown: int = ERRORS_SHOWN) -> dict[str, Any]:
    """The context of `core/_import_errors.html`: the first `shown` of an import's `errors`, how many
    there are, how many more are not listed."""
    return {
        "errors": list(errors[:shown]),
        "error_count": len(errors),
        "more_errors": max(0, len(errors) - shown),
    }


@dataclass(frozen=True)
class Listed:
    """A list filtered by a form: its `rows` (none while the form is wrong), the `page` asked for and the
    filter as the `query` its links keep ("?unit=…", or "" without a filter)."""

    rows: QuerySet
    page: Page
    query: str

    @property
    def offset(self) -> int:
        """How many lines come before the page's first (to number them across pages)."""
        return self.page.start_index() - 1 if self.page.object_list else 0


def filtered_page(request: HttpRequest, rows: QuerySet, *, form: forms.Form, query: str, size: int) -> Listed:
    """The page `?page=` of `rows` in pages of `size`; no rows while the filter `form` is bound but wrong
    (the form says why); `query` is the filter as a query string."""
    if form.is_bound and not form.is_valid():
        rows = rows.none()
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    return Listed(rows=rows, page=page, query=f"?{query}" if query else "")


@dataclass
class Slice:
    """One page of a list read without counting it: `size` rows from `?page=`, and whether there are
    pages before and after (for a "previous / next" pager; the download holds every row)."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def sliced(request: HttpRequest, rows: QuerySet, size: int) -> Slice:
    """The page `?page=` of the ordered `rows`, `size` of them: one query of `size` + 1 rows, no count
    (a page past the end or a wrong number gives the first page)."""
    text = request.GET.get("page") or "1"
    number = int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1
    taken = list(rows[(number - 1) * size : number * size + 1])
    if not taken and number > 1:
        return sliced_first(rows, size)
    return Slice(taken[:size], number, len(taken) > size)


def sliced_first(rows: QuerySet, size: int) -> Slice:
    taken = list(rows[: size + 1])
    return Slice(taken[:size], 1, len(taken) > size)
