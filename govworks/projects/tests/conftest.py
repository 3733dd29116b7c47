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


def decide_through_meeting(*, recorder: Any, chair: Any, members: list[Any], subject: Any, title: str = "") -> Any:
    """A passed 三重一大 decision on ``subject`` the way people make one, through the services the meeting
    pages call: ``recorder`` schedules a 党组会议 chaired by ``chair``, records everyone present, puts
    ``subject`` on the agenda (refused when it does not await a decision), records each member's 同意; the
    chair concludes 通过 last. Never a decision row written in code."""
    from django.utils import timezone

    from govworks.projects.services import decisions

    meeting = decisions.meeting_create(
        actor=recorder,
        agency=chair.agency,
        kind="party_group",
        title=title or f"党组会议（审议{subject}）",
        held_on=timezone.localdate(),
        chair=chair,
        members=members,
    )
    decisions.meeting_record_attendance(actor=recorder, meeting=meeting, present=[chair.pk, *[m.pk for m in members]])
    item = decisions.agenda_item_add(actor=recorder, meeting=meeting, subject=subject)
    for member in members:
        decisions.opinion_record(actor=recorder, item=item, member=member, choice="agree", comment="同意")
    return decisions.agenda_conclude(actor=chair, item=item, passed=True, conclusion="经集体讨论，同意。")
