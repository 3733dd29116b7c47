"""Fixtures of the lifecycle tests: a city agency with a full leadership and a helper to make projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture
def lifecycle(world: Any) -> Any:
    """world + city department head, principal leader, finance, internal audit; reference data seeded."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.projects.models import ApprovalChainRule, DocumentType, ResponsibilityTemplate
    from govworks.projects.reference import seed_reference

    seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)

    def person(username: str, role: str) -> Any:
        user = UserFactory(username=username, full_name=username, agency=world.city, department=world.construction)
        RoleGrantFactory(user=user, agency=world.city, role=role)
        return user

    world.head = person("chenzq", "department_head")
    world.principal = person("sungp", "principal_leader")
    world.finance = person("liujing", "finance")
    world.auditor = person("zhengli", "internal_audit")
    return world


def pdf(name: str = "doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test " + name.encode(), content_type="application/pdf")


@pytest.fixture
def make_project(lifecycle: Any) -> Any:
    from govworks.projects.services.projects import project_create_outside_plan

    def make(amount: str = "380000", **kw: Any) -> Any:
        today = dt.date.today()
        fields = {
            "name": kw.pop("name", "机关食堂修缮"),
            "project_type": "repair",
            "location": "市级机关大院",
            "estimate_amount": Decimal(amount),
            "funding_source": "fiscal",
            "planned_start": today,
            "planned_end": today + dt.timedelta(days=90),
        }
        return project_create_outside_plan(
            actor=lifecycle.pm,
            agency=lifecycle.city,
            manager=lifecycle.pm,
            department=lifecycle.construction,
            reason="十一月巡查发现安全隐患，须尽快处置。",
            **fields,
        )

    return make
