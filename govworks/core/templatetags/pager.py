"""``{% load pager %}``: the page links of ``core/_pagination.html``, computed in Python."""

from __future__ import annotations

from typing import Any

from django import template

from govworks.core.pages import page_links as _page_links

register = template.Library()


@register.filter
def page_links(page: Any) -> list[int]:
    """The few page numbers around ``page.number`` (see ``govworks.core.pages.page_links``)."""
    return _page_links(page)


@register.filter
def count_estimated(page: Any) -> bool:
    """Whether the total under ``page`` is the database's estimate (``RegisterPaginator``)."""
    page.paginator.count  # noqa: B018 (counting decides whether it is an estimate)
    return bool(getattr(page.paginator, "estimated", False))
