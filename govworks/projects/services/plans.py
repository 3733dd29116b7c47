"""年度工程建设计划: draft → submitted → decided (collective decision) → filed with the superior,
who may return it; an approved plan is amended by a new revision, never edited in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, Department, User
from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, AnnualPlan, PlanItem
from govworks.projects.services.common import money

ITEM_FIELDS = [
    "name",
    "project_type",
    "location",
    "estimated_amount",
    "funding_source",
    "planned_start",
    "planned_end",
    "department",
    "responsible",
    "expected_outcome",
]


@dataclass(frozen=True)
class PlanItemData:
    name: str
    project_type: str
    location: str
    estimated_amount: Decimal
    funding_source: str
    planned_start: dt.date
    planned_end: dt.date
    department: Department
    responsible: User
    expected_outcome: str


def _editable(plan: AnnualPlan) -> None:
    if not plan.is_editable:
        raise DomainError("plan.not_editable", f"计划状态为“{plan.get_status_display()}”，不能修改；如需调整请发起修订")


def _check_item(plan: AnnualPlan, data: PlanItemData) -> None:
    if data.planned_end < data.planned_start:
        raise DomainError("plan.item_dates", "计划竣工日期不能早于计划开工日期", field="planned_end")
    if data.estimated_amount <= 0:
        raise DomainError("plan.item_amount", "估算金额须大于0", field="estimated_amount")
    if data.department.agency_id != plan.agency_id:
        raise DomainError("plan.item_department", "责任科室须为本单位科室", field="department")
    if data.responsible.agency_id != plan.agency_id:
        raise DomainError("plan.item_responsible", "责任人须为本单位人员", field="responsible")
    org_perms.require_business_person(data.responsible, duty="计划项目责任人", field="responsible")


def annual_plan_create(*, actor: User, agency: Agency, year: int, title: str) -> AnnualPlan:
    """Start the year's plan (one live plan per agency and year; amendments are revisions)."""
    org_perms.require(actor, perms.PLAN_EDIT, agency.pk)
    this_year = timezone.localdate().year
    if not (this_year - 1 <= year <= this_year + 2):
        raise DomainError("plan.year", f"计划年度应在{this_year - 1}至{this_year + 2}年之间", field="year")
    with transaction.atomic():
        if AnnualPlan.objects.filter(agency=agency, year=year).exclude(status=AnnualPlan.Status.SUPERSEDED).exists():
            raise DomainError("plan.exists", f"{agency.name}已有{year}年度计划；如需调整请在原计划上发起修订", field="year")
        plan = AnnualPlan.objects.create(agency=agency, year=year, title=title, drafted_by=actor)
        audit_event_record(
            actor=actor, action="projects.plan.create", obj=plan, agency=agency, summary=f"编制{year}年度工程建设计划“{title}”"
        )
    return plan


def plan_item_add(*, actor: User, plan: AnnualPlan, data: PlanItemData) -> PlanItem:
    org_perms.require(actor, perms.PLAN_EDIT, plan.agency_id)
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        _check_item(plan, data)
        seq = (plan.items.aggregate(m=Max("seq"))["m"] or 0) + 1
        item = PlanItem(plan=plan, seq=seq, **data.__dict__)
        item.full_clean()
        item.save()
        audit_event_record(
            actor=actor,
            action="projects.plan.item_add",
            obj=item,
            agency=plan.agency,
            summary=f"计划增列项目：{item.name}（估算 {money(item.estimated_amount)}）",
        )
    return item


def plan_item_remove(*, actor: User, item: PlanItem) -> None:
    org_perms.require(actor, perms.PLAN_EDIT, item.plan.agency_id)
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=item.plan_id)
        _editable(plan)
        audit_event_record(
            actor=actor, action="projects.plan.item_remove", obj=plan, agency=plan.agency, summary=f"计划删除项目：{item.name}"
        )
        item.delete()


def plan_items_replace(*, actor: User, plan: AnnualPlan, items: Sequence[PlanItemData]) -> int:
    """All-or-nothing import: replace the draft's items with ``items`` (already validated row by row)."""
    org_perms.require(actor, perms.PLAN_EDIT, plan.agency_id)
    if not items:
        raise DomainError("plan.import_empty", "导入文件中没有项目行")
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        for data in items:
            _check_item(plan, data)
        removed = plan.items.count()
        plan.items.all().delete()
        PlanItem.objects.bulk_create([PlanItem(plan=plan, seq=i, **data.__dict__) for i, data in enumerate(items, start=1)])
        total = sum((d.estimated_amount for d in items), Decimal(0))
        audit_event_record(
            actor=actor,
            action="projects.plan.import",
            obj=plan,
            agency=plan.agency,
            summary=f"从Excel导入计划项目 {len(items)} 项（替换原有 {removed} 项），估算合计 {money(total)}",
        )
    return len(items)


def annual_plan_submit(*, actor: User, plan: AnnualPlan) -> AnnualPlan:
    """Send the plan to the leadership meeting (党组会议/局务会)."""
    org_perms.require(actor, perms.PLAN_EDIT, plan.agency_id)
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        count = plan.items.count()
        if count == 0:
            raise DomainError("plan.empty", "计划中还没有项目，不能提交")
        plan.status = AnnualPlan.Status.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.save()
        audit_event_record(
            actor=actor,
            action="projects.plan.submit",
            obj=plan,
            agency=plan.agency,
            summary=f"提交会议审议：{plan}（{count} 个项目）",
        )
    return plan


def annual_plan_on_decision(*, plan: AnnualPlan, item: AgendaItem) -> None:
    """Called by ``agenda_conclude`` inside its transaction: a passed decision approves the plan (and
    retires the revision it replaces); a rejected one sends it back to draft."""
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if item.status == AgendaItem.Status.PASSED:
        plan.status = AnnualPlan.Status.DECIDED
        plan.decided_at = timezone.now()
        if plan.previous_id:
            AnnualPlan.objects.filter(pk=plan.previous_id).update(status=AnnualPlan.Status.SUPERSEDED)
    else:
        plan.status = AnnualPlan.Status.DRAFT
    plan.save()
    audit_event_record(
        actor=None,
        action="projects.plan.decided",
        obj=plan,
        agency=plan.agency,
        summary=f"{plan}：会议决定{item.get_status_display()}（{item.meeting}）",
    )


def annual_plan_file(*, actor: User, plan: AnnualPlan) -> AnnualPlan:
    """备案: report the decided plan to the superior agency, which then sees it."""
    org_perms.require(actor, perms.PLAN_EDIT, plan.agency_id)
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update(of=("self",)).select_related("agency__parent").get(pk=plan.pk)
        if plan.status != AnnualPlan.Status.DECIDED:
            raise DomainError("plan.file_state", f"只有集体决策通过的计划才能报备，当前为“{plan.get_status_display()}”")
        if plan.agency.parent_id is None:
            raise DomainError("plan.no_superior", f"{plan.agency.name}没有上级主管部门，无需备案")
        plan.status = AnnualPlan.Status.FILED
        plan.filed_at = timezone.now()
        plan.save()
        audit_event_record(
            actor=actor,
            action="projects.plan.file",
            obj=plan,
            agency=plan.agency,
            summary=f"{plan} 报{plan.agency.parent.name}备案",  # type: ignore[union-attr]
        )
    return plan


def annual_plan_return(*, actor: User, plan: AnnualPlan, comment: str) -> AnnualPlan:
    """The superior agency returns a filed plan with its comments (it goes back to draft)."""
    if not comment.strip():
        raise DomainError("plan.return_comment", "退回须填写意见", field="comment")
    org_perms.require(actor, perms.PLAN_RETURN, plan.agency.parent_id)
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != AnnualPlan.Status.FILED:
            raise DomainError("plan.return_state", f"只能退回已报备案的计划，当前为“{plan.get_status_display()}”")
        plan.status = AnnualPlan.Status.RETURNED
        plan.returned_at = timezone.now()
        plan.returned_by = actor
        plan.return_comment = comment
        plan.save()
        audit_event_record(
            actor=actor,
            action="projects.plan.return",
            obj=plan,
            agency=plan.agency,
            summary=f"上级主管部门退回 {plan}",
            reason=comment,
        )
    return plan


def annual_plan_revise(*, actor: User, plan: AnnualPlan, reason: str) -> AnnualPlan:
    """Amend an approved plan: a new revision (a copy of its items) to edit, decide and file again; the
    approved one stays in force until the revision is decided."""
    org_perms.require(actor, perms.PLAN_EDIT, plan.agency_id)
    if not reason.strip():
        raise DomainError("plan.revise_reason", "请填写修订原因", field="reason")
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status not in (AnnualPlan.Status.DECIDED, AnnualPlan.Status.FILED):
            raise DomainError("plan.revise_state", f"只有已批准或已备案的计划才能修订，当前为“{plan.get_status_display()}”")
        if hasattr(plan, "next_revision"):
            raise DomainError("plan.revise_twice", "该计划已有修订版，请在修订版上继续办理")
        revision = AnnualPlan.objects.create(
            agency=plan.agency,
            year=plan.year,
            revision=plan.revision + 1,
            previous=plan,
            title=plan.title,
            drafted_by=actor,
            revision_reason=reason,
        )
        PlanItem.objects.bulk_create(
            [PlanItem(plan=revision, **{f: getattr(i, f) for f in ["seq", *ITEM_FIELDS]}) for i in plan.items.all()]
        )
        audit_event_record(
            actor=actor,
            action="projects.plan.revise",
            obj=revision,
            agency=plan.agency,
            summary=f"发起计划修订：{revision}",
            reason=reason,
        )
    return revision


def plan_item_is_available(item: PlanItem) -> bool:
    """A plan item becomes a project once, and only from an approved (decided or filed) plan."""
    return item.plan.status in (AnnualPlan.Status.DECIDED, AnnualPlan.Status.FILED) and not hasattr(item, "project")
