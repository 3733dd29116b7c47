"""Reads of the register: status and expiry filters on their boundary dates, text search, visibility."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from govworks.procurement.selectors.suppliers import supplier_list_visible_to
from govworks.procurement.tests.factories import ListingFactory, QualificationFactory, SupplierFactory

ON = dt.date(2026, 3, 31)


def names(user: Any, **kw: Any) -> list[str]:
    return list(supplier_list_visible_to(user=user, **kw).values_list("name", flat=True))


def test_status_filter_boundaries(sw: Any) -> None:
    black = SupplierFactory(registered_by=sw.city, name="黑")
    grey = SupplierFactory(registered_by=sw.city, name="灰")
    SupplierFactory(registered_by=sw.city, name="正常")
    ListingFactory(supplier=black, kind="black", starts_on=dt.date(2026, 3, 1), ends_on=ON, recorded_by=sw.pm)
    ListingFactory(supplier=grey, kind="grey", starts_on=ON, ends_on=None, recorded_by=sw.pm)
    ListingFactory(supplier=black, kind="grey", starts_on=dt.date(2026, 1, 1), ends_on=None, recorded_by=sw.pm)
    assert names(sw.pm, status="black", on=ON) == ["黑"]
    assert names(sw.pm, status="grey", on=ON) == ["灰"]  # black wins over grey
    assert names(sw.pm, status="normal", on=ON) == ["正常"]
    after = ON + dt.timedelta(days=1)
    assert names(sw.pm, status="black", on=after) == []
    assert sorted(names(sw.pm, status="grey", on=after)) == ["灰", "黑"]
    assert names(sw.pm, status="grey", on=ON - dt.timedelta(days=1)) == []


def test_lifted_listing_stops_counting_the_day_it_is_lifted(sw: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.city, name="黑")
    today = timezone.localdate()
    ListingFactory(
        supplier=supplier, kind="black", starts_on=today - dt.timedelta(days=10), lifted_at=timezone.now(), recorded_by=sw.pm
    )
    assert names(sw.pm, status="black", on=today - dt.timedelta(days=1)) == ["黑"]
    assert names(sw.pm, status="black", on=today) == []


def test_expiry_filters_include_the_30th_day(sw: Any) -> None:
    for name, expires in [
        ("当天到期", ON),
        ("第30天", ON + dt.timedelta(days=30)),
        ("第31天", ON + dt.timedelta(days=31)),
        ("昨天过期", ON - dt.timedelta(days=1)),
    ]:
        QualificationFactory(
            supplier=SupplierFactory(registered_by=sw.city, name=name), expires_on=expires, issued_on=dt.date(2020, 1, 1)
        )
    assert sorted(names(sw.pm, expiry="soon", on=ON)) == sorted(["当天到期", "第30天"])
    assert names(sw.pm, expiry="expired", on=ON) == ["昨天过期"]


def test_text_and_visibility(sw: Any) -> None:
    s = SupplierFactory(registered_by=sw.other, name="浙江安泰消防工程有限公司", legal_representative="钱安泰")
    assert names(sw.pm, text="安泰") == ["浙江安泰消防工程有限公司"]
    assert names(sw.pm, text=s.credit_code[-6:].lower()) == ["浙江安泰消防工程有限公司"]
    assert names(sw.no_role) == []
    assert names(sw.contractor) == []
    assert names(sw.sysadmin) == []


def test_rules_module_is_pure() -> None:
    """rules.py takes facts and returns decisions: it imports nothing of Django."""
    tree = ast.parse((Path(__file__).parent.parent / "rules.py").read_text())
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in imported if m.split(".")[0] in {"django", "rest_framework", "govworks"}}
