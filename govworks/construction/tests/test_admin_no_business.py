"""三员分立 (issue 12 item 10): the three administrators do no business anywhere. Every person picker for
business work leaves them out (one predicate: ``org.permissions.business_people``) and every service that
puts a person on business work refuses them (``org.permissions.require_business_person``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditadmin")


def admin_ids(w: Any) -> set[int]:
    return {getattr(w, a).pk for a in ADMINS}


def choices(response: Any, field: str) -> set[int]:
    assert response.status_code == 200
    return set(response.context["form"].fields[field].queryset.values_list("pk", flat=True))


def assert_picker_without_admins(w: Any, ids: set[int], *business: Any) -> None:
    # then no administrator can be picked, and the business people still can
    assert ids.isdisjoint(admin_ids(w)), "an administrator is offered"
    assert {p.pk for p in business} <= ids


# ------------------------------------------------------------------------------------------ pickers


def test_meeting_chair_and_member_pickers_leave_out_the_administrators(client, cw):
    # given the city's 科室负责人 opening a new leadership meeting
    client.force_login(cw.head)
    response = client.get(reverse("projects:meeting_create"))
    # then neither the chair nor the member picker offers 钱晓东, 冯磊 or 蒋红
    assert_picker_without_admins(cw, choices(response, "chair"), cw.leader, cw.principal)
    assert_picker_without_admins(cw, choices(response, "members"), cw.leader, cw.principal, cw.head)


def test_delegation_picker_leaves_out_the_administrators(client, cw):
    client.force_login(cw.leader)
    response = client.get(reverse("projects:delegation_create"))
    assert_picker_without_admins(cw, choices(response, "delegate"), cw.head, cw.principal)


def test_plan_item_responsible_picker_leaves_out_the_administrators(client, cw):
    from govworks.projects.services.plans import annual_plan_create

    plan = annual_plan_create(actor=cw.pm, agency=cw.city, year=timezone.localdate().year, title="年度计划")
    client.force_login(cw.pm)
    response = client.get(reverse("projects:plan_item_add", args=[plan.pk]))
    assert_picker_without_admins(cw, choices(response, "responsible"), cw.pm, cw.head)


def test_joint_review_reviewer_picker_leaves_out_the_administrators(client, cw, site_project):
    client.force_login(cw.pm)
    response = client.get(reverse("projects:joint_review_request", args=[site_project.pk]))
    assert_picker_without_admins(cw, choices(response, "reviewer_1"), cw.head, cw.finance)


def test_red_light_leader_and_liaison_pickers_leave_out_the_administrators(client, cw, site_project):
    client.force_login(cw.pm)
    response = client.get(reverse("construction:site_edit", args=[site_project.pk]))
    assert_picker_without_admins(cw, choices(response, "leader"), cw.leader, cw.principal)
    assert_picker_without_admins(cw, choices(response, "liaison"), cw.liaison)


def test_site_meeting_action_owner_picker_leaves_out_the_administrators(client, cw, site_project):
    client.force_login(cw.pm)
    response = client.get(reverse("construction:meeting_create", args=[site_project.pk]))
    assert_picker_without_admins(cw, choices(response, "action_owner_0"), cw.pm, cw.contractor)


def test_stage_responsibility_picker_leaves_out_the_administrators(client, cw, site_project):
    # given the 科室负责人 naming the 责任人 of a stage, when he submits the 系统管理员
    client.force_login(cw.head)
    before = list(site_project.responsibilities.values_list("stage", "responsible_id"))
    response = client.post(
        reverse("projects:responsibility_assign", args=[site_project.pk, "construction"]),
        {"responsible": cw.sysadmin.pk, "department": cw.construction.pk},
    )
    # then the choice is not accepted and nothing changed
    assert response.status_code in (200, 302, 400)
    assert list(site_project.responsibilities.values_list("stage", "responsible_id")) == before


# ------------------------------------------------------------------------------------------ services


def refused(call: Any, message: str) -> None:
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == "org.administrator_no_business"
    assert info.value.message == message
    assert AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() == seq  # nothing recorded


def test_meeting_create_refuses_an_administrator_as_chair_or_member(cw):
    from govworks.projects.models import Meeting
    from govworks.projects.services.decisions import meeting_create

    def create(chair: Any, members: list[Any]) -> Any:
        return meeting_create(
            actor=cw.head,
            agency=cw.city,
            kind="party_group",
            title="党组会",
            held_on=timezone.localdate(),
            chair=chair,
            members=members,
        )

    refused(
        lambda: create(cw.sysadmin, [cw.leader, cw.principal]),
        "三员分立：钱晓东 是系统管理员/安全管理员/安全审计员，不能担任会议主持人",
    )
    refused(
        lambda: create(cw.principal, [cw.leader, cw.auditadmin]),
        "三员分立：蒋红 是系统管理员/安全管理员/安全审计员，不能担任会议成员",
    )
    assert Meeting.objects.count() == 0


def test_responsibility_assign_refuses_an_administrator(cw, site_project):
    from govworks.projects.services.projects import responsibility_assign

    before = list(site_project.responsibilities.values_list("stage", "responsible_id"))
    refused(
        lambda: responsibility_assign(
            actor=cw.head, project=site_project, stage="construction", responsible=cw.secadmin, department=None
        ),
        "三员分立：冯磊 是系统管理员/安全管理员/安全审计员，不能担任阶段责任人",
    )
    assert list(site_project.responsibilities.values_list("stage", "responsible_id")) == before


def test_plan_item_refuses_an_administrator_as_responsible(cw):
    from govworks.projects.models import PlanItem
    from govworks.projects.services.plans import PlanItemData, annual_plan_create, plan_item_add

    plan = annual_plan_create(actor=cw.pm, agency=cw.city, year=timezone.localdate().year, title="年度计划")
    today = timezone.localdate()
    data = PlanItemData(
        name="会议室改造",
        project_type="repair",
        location="机关大院",
        estimated_amount=Decimal("200000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=60),
        department=cw.construction,
        responsible=cw.auditadmin,
        expected_outcome="改善办公条件",
    )
    refused(
        lambda: plan_item_add(actor=cw.pm, plan=plan, data=data),
        "三员分立：蒋红 是系统管理员/安全管理员/安全审计员，不能担任计划项目责任人",
    )
    assert PlanItem.objects.count() == 0


def test_delegation_refuses_an_administrator(cw):
    from govworks.projects.models import Delegation
    from govworks.projects.services.approvals import delegation_create

    today = timezone.localdate()
    refused(
        lambda: delegation_create(actor=cw.leader, delegate=cw.sysadmin, starts_on=today, ends_on=today, reason="出差"),
        "三员分立：钱晓东 是系统管理员/安全管理员/安全审计员，不能担任审批受托人",
    )
    assert Delegation.objects.count() == 0


def test_joint_review_refuses_an_administrator_as_reviewer(cw, site_project):
    from govworks.projects.models import JointReview
    from govworks.projects.services.reviews import joint_review_request

    refused(
        lambda: joint_review_request(
            actor=cw.pm,
            project=site_project,
            stage=site_project.stage,
            subject="消防方案联审",
            due_on=timezone.localdate(),
            seats=[("财务科", cw.finance), ("信息中心", cw.sysadmin)],
        ),
        "三员分立：钱晓东 是系统管理员/安全管理员/安全审计员，不能担任联审部门经办人",
    )
    assert JointReview.objects.count() == 0


def test_site_configure_refuses_an_administrator_as_red_light_leader(cw, site_project):
    from govworks.construction.models import ProjectSite
    from govworks.construction.services.schedule import site_configure

    before = list(ProjectSite.objects.values_list("liaison_id", "leader_id"))
    refused(
        lambda: site_configure(
            actor=cw.pm, project=site_project, latitude=None, longitude=None, liaison=cw.liaison, leader=cw.secadmin
        ),
        "三员分立：冯磊 是系统管理员/安全管理员/安全审计员，不能担任责任领导（红灯约谈）",
    )
    assert list(ProjectSite.objects.values_list("liaison_id", "leader_id")) == before


def test_site_meeting_refuses_an_administrator_as_action_owner(cw, site_project):
    from govworks.construction.models import SiteMeeting
    from govworks.construction.services.meetings import meeting_record

    today = timezone.localdate()
    refused(
        lambda: meeting_record(
            actor=cw.pm,
            project=site_project,
            kind="regular",
            held_on=today,
            agenda="进度协调",
            attendees="各方代表",
            minutes="会议纪要",
            decisions="",
            actions=[{"text": "整改消防通道", "owner": cw.auditadmin, "due_on": today}],
        ),
        "三员分立：蒋红 是系统管理员/安全管理员/安全审计员，不能担任督办事项责任人",
    )
    assert SiteMeeting.objects.count() == 0
