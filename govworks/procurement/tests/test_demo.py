"""The demo seeder runs through the services on top of the organisation and project demos."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone


@pytest.mark.django_db
def test_demo_suppliers(settings: Any) -> None:
    from govworks.core.models import AuditEvent
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import BLACK, EXPIRED, GREY, seed_suppliers
    from govworks.procurement.models import Supplier
    from govworks.procurement.selectors.suppliers import supplier_profile
    from govworks.procurement.services import supplier_award_problem

    rule_parameters_seed()
    seed_organisation()
    summary = seed_suppliers()
    assert Supplier.objects.count() == 12
    assert summary.startswith("12 家供应商")
    today = timezone.localdate()
    black = Supplier.objects.get(name=BLACK)
    assert "临江市住房和城乡建设局" in (supplier_award_problem(black, on=today) or "")
    assert "已于" in (supplier_award_problem(Supplier.objects.get(name=EXPIRED), on=today) or "")
    assert supplier_profile(supplier=Supplier.objects.get(name=GREY)).status == "grey"
    assert Supplier.objects.filter(external_org__isnull=False).count() == 4
    assert seed_suppliers() == "已存在，跳过"
    assert AuditEvent.objects.filter(action="procurement.supplier.create").count() == 12
