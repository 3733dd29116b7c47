"""Small helpers every module's views share: the signed-in user, query-string ints, paging, and the
standard form page (title, back link, a note, errors shown per field, 400 when refused).

Paging (issue 20): a register that shows everything must not count every visible row exactly on each
request, nor test every page number to draw five links. :class:`RegisterPaginator` counts exactly up
to :data:`ESTIMATE_ABOVE` rows (a count bounded by ``LIMIT``, which stops there); above that, on
PostgreSQL, it takes the planner's estimate of the rows (``EXPLAIN``) and says so (``estimated``: the
footer reads “约 N 条”). SQLite always counts exactly. :func:`page_links` draws the few page numbers
around the current one in Python."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

PAGE_SIZE = 50
#: above this many rows a register's total is the planner's estimate (PostgreSQL only)
ESTIMATE_ABOVE = 10_000
#: page links drawn either side of the current page
LINKS_AROUND = 2


def signed_in_user(request: HttpRequest) -> Any:
    """The signed-in user (views behind @login_required only)."""
    assert request.user.is_authenticated
    return request.user


def query_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def counting_queryset(object_list: Any) -> QuerySet[Any] | None:
    """The queryset whose rows a paginated list counts: the list itself, or what a register object
    (``ContractRegister``, ``PaymentRegister`` …) exposes as ``count_queryset()``; None when unknown."""
    if isinstance(object_list, QuerySet):
        return object_list
    method = getattr(object_list, "count_queryset", None)
    return method() if callable(method) else None


def planner_rows(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (``EXPLAIN``, nothing executed); None on
    other databases or when the plan cannot be read."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


class RegisterPaginator(Paginator):
    """Django's ``Paginator`` whose count is exact up to :data:`ESTIMATE_ABOVE` rows and estimated above
    (PostgreSQL); ``estimated`` tells the template. A known total (``count=``) is used as it is."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.estimated = False
        if count is not None:
            self.__dict__["count"] = count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        queryset = counting_queryset(self.object_list)
        if queryset is None or connections[queryset.db].vendor != "postgresql":
            return int(super().count)
        bounded = queryset.order_by()[: ESTIMATE_ABOVE + 1].count()
        if bounded <= ESTIMATE_ABOVE:
            return bounded  # exact: fewer rows than the threshold
        estimate = planner_rows(queryset)
        self.estimated = True
        return max(estimate or 0, bounded)


def paginate(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE, *, count: int | None = None) -> Page:
    return RegisterPaginator(queryset, size, count=count).get_page(request.GET.get("page"))


def page_links(page: Page) -> list[int]:
    """The page numbers drawn around the current one (at most ``2 × LINKS_AROUND + 1``), without walking
    the paginator's whole page range."""
    last = page.paginator.num_pages
    return list(range(max(1, page.number - LINKS_AROUND), min(last, page.number + LINKS_AROUND) + 1))


def form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, pretitle: str = "", multipart: bool = False, note: str = ""
) -> HttpResponse:
    """Render ``core/form.html``; a bound form with errors answers 400 so clients and tests see the refusal."""
    return render(
        request,
        "core/form.html",
        {"form": form, "title": title, "back": back, "pretitle": pretitle, "multipart": multipart, "note": note},
        status=400 if form.is_bound and form.errors else 200,
    )
