"""Paging of registers (issue 20 item 2): exact totals up to the threshold and on SQLite, the planner's
estimate above it on PostgreSQL (the page says “约”), and page links drawn in Python."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory

from govworks.core import pages
from govworks.core.pages import RegisterPaginator, page_links, paginate
from govworks.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _page(number: int, num_pages: int) -> SimpleNamespace:
    return SimpleNamespace(number=number, paginator=SimpleNamespace(num_pages=num_pages))


def test_page_links_are_the_few_around_the_current_page():
    assert page_links(_page(1, 1)) == [1]
    assert page_links(_page(1, 4001)) == [1, 2, 3]
    assert page_links(_page(100, 4001)) == [98, 99, 100, 101, 102]
    assert page_links(_page(4001, 4001)) == [3999, 4000, 4001]


def test_the_footer_draws_five_links_however_many_pages(rf: RequestFactory):
    """Given 4,001 pages, when page 100 is shown, then the footer holds five numbered links and a small body."""
    for i in range(5):
        AgencyFactory(name=f"分页单位{i}")
    request = rf.get("/", {"page": "3"})
    page = paginate(request, _Many(4001 * 50), size=50)
    html = render_to_string("core/_pagination.html", {"page": page}, request=request)
    assert html.count('class="page-link" href=') == 4 + 4  # first, previous, 2 numbers before, 2 after, next, last
    assert "共 200050 条" in html and "第 3 / 4001 页" in html
    assert len(html) < 5000


class _Many:
    """A list-like of ``n`` items without rows (Paginator needs count and slices)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def count(self) -> int:
        return self.n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k: slice) -> list[int]:
        return list(range(self.n))[k]


def test_below_the_threshold_the_total_is_exact(monkeypatch):
    for i in range(7):
        AgencyFactory(name=f"计数单位{i}")
    from govworks.org.models import Agency

    paginator = RegisterPaginator(Agency.objects.order_by("id"), 2)
    assert paginator.count == Agency.objects.count()
    assert paginator.estimated is False


def test_sqlite_always_counts_exactly(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    monkeypatch.setattr(pages, "ESTIMATE_ABOVE", 3)
    for i in range(7):
        AgencyFactory(name=f"计数单位{i}")
    from govworks.org.models import Agency

    paginator = RegisterPaginator(Agency.objects.order_by("id"), 2)
    assert paginator.count == Agency.objects.count()
    assert paginator.estimated is False


@pytest.mark.postgres_only
def test_above_the_threshold_postgresql_shows_the_planners_estimate(monkeypatch, rf: RequestFactory):
    """Given more rows than the threshold (lowered to 3 here), the total is the planner's estimate — at least the
    threshold + 1 rows the bounded count saw — and the footer says “约”, without a link to a last page that
    may not exist."""
    monkeypatch.setattr(pages, "ESTIMATE_ABOVE", 3)
    for i in range(9):
        AgencyFactory(name=f"估算单位{i}")
    from govworks.org.models import Agency

    paginator = RegisterPaginator(Agency.objects.order_by("id"), 2)
    assert paginator.count >= 4
    assert paginator.estimated is True
    request = rf.get("/")
    page = paginate(request, Agency.objects.order_by("id"), size=2)
    html = render_to_string("core/_pagination.html", {"page": page}, request=request)
    assert "约" in html and "共" not in html
    assert "末页" not in html
