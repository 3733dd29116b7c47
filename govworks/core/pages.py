"""Small helpers every module's views share: the signed-in user, query-string ints, paging, and the
standard form page (title, back link, a note, errors shown per field, 400 when refused)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 50


def signed_in_user(request: HttpRequest) -> Any:
    """The signed-in user (views behind @login_required only)."""
    assert request.user.is_authenticated
    return request.user


def query_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def paginate(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


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
