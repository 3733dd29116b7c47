"""Fixtures of the supplier tests: world + a city 科室负责人 and a sub-agency 科室负责人."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sw(world: Any) -> Any:
    """world + ``head`` (city 科室负责人) and ``other_head`` (other agency 科室负责人)."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    def person(username: str, agency: Any, role: str) -> Any:
        user = UserFactory(username=username, full_name=username, agency=agency)
        RoleGrantFactory(user=user, agency=agency, role=role)
        return user

    world.head = person("chenzq", world.city, "department_head")
    world.other_head = person("otherhead", world.other, "department_head")
    world.other_discipline = person("otherdisc", world.other, "discipline")
    return world


@pytest.fixture
def project(sw: Any) -> Any:
    """A city project (outside the plan), for evaluations and refused awards."""
    import datetime as dt
    from decimal import Decimal

    from govworks.projects.models import ApprovalChainRule, DocumentType, ResponsibilityTemplate
    from govworks.projects.reference import seed_reference
    from govworks.projects.services.projects import project_create_outside_plan

    seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)
    today = dt.date.today()
    return project_create_outside_plan(
        actor=sw.pm,
        agency=sw.city,
        manager=sw.pm,
        department=sw.construction,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="市民中心空调改造",
        project_type="repair",
        location="市民中心",
        estimate_amount=Decimal("380000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=90),
    )
