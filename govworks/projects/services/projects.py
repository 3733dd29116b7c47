"""Projects: creation (from the plan, or outside it with a reason), the stage gates and transitions,
amounts, suspension, and the named responsibility for each stage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.numbering import next_number
from govworks.core.registry import GateCondition, gate_conditions_from_modules
from govworks.core.rule_seed import rule_name
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, Department, User
from govworks.org.roles import Role
from govworks.projects import permissions as perms
from govworks.projects.models import (
    ApprovalRequest,
    DocumentType,
    ExpertReview,
    HigherReview,
    JointReview,
    PlanItem,
    Project,
    ProjectDocument,
    ProjectResponsibility,
    ResponsibilityTemplate,
    Stage,
    StageTransition,
)
from govworks.projects.removal_guards import removal_refusal
from govworks.projects.rules import SkipRule, next_stage, requires_collective_decision, requires_higher_review
from govworks.projects.services.common import content_type_of, first_holder, money, param
from govworks.projects.services.decisions import passed_decision_for
from govworks.projects.services.plans import plan_item_is_available
from govworks.projects.stage_listeners import stage_listeners_notify

PROJECT_FIELDS = ["name", "project_type", "location", "estimate_amount", "funding_source", "planned_start", "planned_end"]

#: stages whose exit needs facts only a later module has; until it registers its conditions the gate stays shut
MODULE_OWNED_EXITS = {
    Stage.PROCUREMENT: "招标采购完成（中标通知书发出），由招标采购模块确认",
    Stage.CONTRACT: "主体施工合同已签订，由合同模块确认",
    Stage.CONSTRUCTION: "工程完工且无未闭环整改，由施工监管模块确认",
    Stage.SETTLEMENT: "竣工验收合格、结算审计审定结算金额，由资金模块确认",
}
APPROVAL_OF_STAGE = {
    Stage.INITIATION: "project.initiation",
    Stage.FEASIBILITY: "project.feasibility",
    Stage.PRELIM_DESIGN: "project.prelim_design",
}
EXPERT_REVIEW_STAGES = {Stage.FEASIBILITY, Stage.PRELIM_DESIGN}
#: how a 历史项目录入 transition's note starts: the stages it jumps over were done offline, not through the gates
IMPORT_NOTE_PREFIX = "历史项目录入："


def skip_rules(agency: Agency) -> list[SkipRule]:
    return [
        SkipRule(
            Stage.FEASIBILITY,
            "lifecycle.feasibility_min_amount",
            param("lifecycle.feasibility_min_amount", agency),
            "单独编制可研的起点金额",
        ),
        SkipRule(
            Stage.PRELIM_DESIGN,
            "lifecycle.prelim_design_min_amount",
            param("lifecycle.prelim_design_min_amount", agency),
            "单独初步设计概算的起点金额",
        ),
    ]


# ---------------------------------------------------------------------------------------- creation


def _assign_responsibilities(project: Project) -> None:
    templates = {
        t.stage: t
        for t in ResponsibilityTemplate.objects.filter(Q(agency__isnull=True) | Q(agency=project.agency))
        .filter(Q(project_type="") | Q(project_type=project.project_type))
        .order_by("agency_id", "project_type")  # agency- and type-specific rows come last and win
    }
    rows = []
    for stage, template in templates.items():
        if template.responsible_role == Role.PROJECT_MANAGER:
            person: User | None = project.manager
        else:
            person = first_holder(project.agency_id, template.responsible_role) or project.manager
        labels = lambda roles: "、".join(Role(r).label for r in roles)  # noqa: E731
        rows.append(
            ProjectResponsibility(
                project=project,
                stage=stage,
                responsible=person,
                department=project.department,
                consulted=labels(template.consulted_roles),
                informed=labels(template.informed_roles),
                due_days=template.due_days,
            )
        )
    ProjectResponsibility.objects.bulk_create(rows)


def _check_people(agency: Agency, manager: User, department: Department) -> None:
    if manager.agency_id != agency.pk:
        raise DomainError("project.manager", "项目负责人须为本单位人员", field="manager")
    org_perms.require_business_person(manager, duty="项目负责人", field="manager")
    if not org_perms.roles_in(manager, agency.pk) & {Role.PROJECT_MANAGER, Role.DEPARTMENT_HEAD}:
        raise DomainError(
            "project.manager_role", f"{manager.display_name} 不是工程管理岗或科室负责人，不能担任项目负责人", field="manager"
        )
    if department.agency_id != agency.pk:
        raise DomainError("project.department", "责任科室须为本单位科室", field="department")


def _create(
    *,
    actor: User,
    agency: Agency,
    fields: dict[str, Any],
    manager: User,
    department: Department,
    plan_item: PlanItem | None,
    reason: str,
) -> Project:
    today = timezone.localdate()
    code = next_number(agency=agency, key="project", year=today.year, prefix=agency.code)  # LJJG-2026-0009: unique everywhere
    project = Project(
        agency=agency,
        code=code,
        plan_item=plan_item,
        outside_plan_reason=reason,
        manager=manager,
        department=department,
        stage=Stage.PLANNED,
        stage_entered_on=today,
        created_by=actor,
        **fields,
    )
    project.full_clean()
    project.save()
    StageTransition.objects.create(project=project, from_stage="", to_stage=Stage.PLANNED, actor=actor, note="项目建档")
    stage_listeners_notify(project, "", Stage.PLANNED)
    _assign_responsibilities(project)
    return project


def project_create_from_plan(*, actor: User, item: PlanItem, manager: User | None = None) -> Project:
    """A project from an item of an approved annual plan, inheriting its name, amount, dates and owners."""
    plan = item.plan
    org_perms.require(actor, perms.PROJECT_CREATE, plan.agency_id)
    manager = manager or item.responsible
    with transaction.atomic():
        item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan__agency").get(pk=item.pk)
        if not plan_item_is_available(item):
            raise DomainError("project.plan_item", f"计划项目“{item.name}”不可用：计划须已批准，且每个计划项目只能建一个项目")
        _check_people(plan.agency, manager, item.department)
        fields = {
            "name": item.name,
            "project_type": item.project_type,
            "location": item.location,
            "estimate_amount": item.estimated_amount,
            "funding_source": item.funding_source,
            "planned_start": item.planned_start,
            "planned_end": item.planned_end,
        }
        project = _create(
            actor=actor, agency=plan.agency, fields=fields, manager=manager, department=item.department, plan_item=item, reason=""
        )
        audit_event_record(
            actor=actor,
            action="projects.project.create",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"依据{plan}建立项目 {project}（估算 {money(project.estimate_amount)}）",
        )
    return project


def project_create_outside_plan(
    *, actor: User, agency: Agency, manager: User, department: Department, reason: str, **fields: Any
) -> Project:
    """A project not in the annual plan: allowed with a written reason, flagged for 纪检监察."""
    org_perms.require(actor, perms.PROJECT_CREATE, agency.pk)
    if len(reason.strip()) < 10:
        raise DomainError(
            "project.outside_reason",
            "计划外立项须写明理由（不少于10个字），该项目将提示纪检监察关注",
            field="outside_plan_reason",
        )
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise DomainError("project.fields", f"不能在建项目时设置：{'、'.join(sorted(unknown))}")
    _check_people(agency, manager, department)
    with transaction.atomic():
        project = _create(
            actor=actor,
            agency=agency,
            fields=fields,
            manager=manager,
            department=department,
            plan_item=None,
            reason=reason.strip(),
        )
        audit_event_record(
            actor=actor,
            action="projects.project.create_outside_plan",
            obj=project,
            agency=agency,
            context=project,
            summary=f"计划外立项：{project}（估算 {money(project.estimate_amount)}）",
            reason=reason.strip(),
        )
    return project


# ---------------------------------------------------------------------------------------- gates


def _documents_condition(
    project: Project, stage: str, documents: dict[int, ProjectDocument], types: list[DocumentType]
) -> list[GateCondition]:
    amount = project.controlling_amount
    url = reverse("projects:project_detail", args=[project.pk]) + "#documents"
    out = []
    for t in types:
        if t.stage != stage or not t.required or amount < t.min_amount:
            continue
        doc = documents.get(t.pk)
        ok = doc is not None and doc.latest_number > 0
        out.append(
            GateCondition(
                f"doc:{t.code}", f"上传《{t.name}》", ok, f"已上传第{doc.latest_number}版" if ok and doc else "尚未上传", url
            )
        )
    return out


def gate_conditions(project: Project, *, stage: str | None = None) -> list[GateCondition]:
    """Everything that must be true for ``project`` to leave ``stage`` (default: its current stage), evaluated now.

    Passing an earlier stage checks that a stage already left still has its conditions met (the demo
    consistency test does). A constant number of queries whatever the project holds."""
    stage = stage or project.stage
    agency = project.agency
    amount = project.controlling_amount
    conditions: list[GateCondition] = []
    base = reverse("projects:project_detail", args=[project.pk])
    if stage == Stage.SUSPENDED:
        return [GateCondition("resume", "复工须经批准并记录复工令（使用“复工”）", False, "项目停工中", base)]
    if stage == Stage.CLOSED:
        return []
    if stage == Stage.PLANNED:
        in_plan = project.plan_item_id is not None
        conditions.append(
            GateCondition(
                "plan",
                "列入年度计划，或记录计划外立项理由",
                in_plan or bool(project.outside_plan_reason),
                "计划内项目" if in_plan else "计划外项目（已记录理由，纪检监察可见）",
            )
        )
    types = list(DocumentType.objects.filter(stage=stage))
    documents = {d.doc_type_id: d for d in ProjectDocument.objects.filter(project=project, doc_type__stage=stage)}
    conditions += _documents_condition(project, stage, documents, types)
    kind = APPROVAL_OF_STAGE.get(stage)  # type: ignore[call-overload]
    if kind:
        approval = (
            ApprovalRequest.objects.filter(subject_type=content_type_of(project), subject_id=project.pk, kind=kind)
            .order_by("-submitted_at")
            .first()
        )
        detail = "尚未提交" if approval is None else f"{approval.chain_name}：{approval.get_status_display()}"
        conditions.append(
            GateCondition(
                f"approval:{kind}",
                "完成本阶段审批",
                bool(approval and approval.status == ApprovalRequest.Status.APPROVED),
                detail,
                base + "#approvals",
            )
        )
    if stage == Stage.INITIATION:
        tzyd = param("tzyd.large_fund_min_amount", agency)
        if requires_collective_decision(amount, tzyd):
            decision = passed_decision_for(project)
            conditions.append(
                GateCondition(
                    "tzyd",
                    f"三重一大集体决策通过（金额 {money(amount)} ≥“{rule_name('tzyd.large_fund_min_amount')}”{money(tzyd)}）",
                    decision is not None,
                    f"{decision.meeting}" if decision else "尚无通过的会议决定",
                    base + "#decisions",
                )
            )
        higher = param("initiation.higher_review_min_amount", agency)
        if requires_higher_review(amount, higher):
            review = HigherReview.objects.filter(project=project, conclusion=HigherReview.Conclusion.APPROVED).first()
            conditions.append(
                GateCondition(
                    "higher_review",
                    f"政府常务会议或人大审议同意（金额 {money(amount)} ≥“{rule_name('initiation.higher_review_min_amount')}”{money(higher)}）",
                    review is not None,
                    f"{review.get_body_display()} {review.document_number}" if review else "尚未登记审议结果",
                    base + "#decisions",
                )
            )
        joint_min = param("initiation.joint_review_min_amount", agency)
        if amount >= joint_min:
            joint = JointReview.objects.filter(project=project, stage=stage).order_by("-requested_at").first()
            ok = joint is not None and joint.conclusion in (JointReview.Conclusion.PASS, JointReview.Conclusion.CONDITIONAL)
            detail = "尚未发起" if joint is None else (joint.get_conclusion_display() or joint.get_status_display())
            conditions.append(
                GateCondition(
                    "joint_review",
                    f"联审通过（金额 ≥“{rule_name('initiation.joint_review_min_amount')}”{money(joint_min)}）",
                    ok,
                    detail,
                    base + "#reviews",
                )
            )
    if stage in EXPERT_REVIEW_STAGES:
        panel = ExpertReview.objects.filter(project=project, stage=stage).order_by("-drawn_at").first()
        ok = panel is not None and panel.conclusion in (ExpertReview.Conclusion.PASS, ExpertReview.Conclusion.PASS_WITH_CHANGES)
        detail = "尚未组织" if panel is None else (panel.get_conclusion_display() or panel.get_status_display())
        conditions.append(GateCondition("expert_review", "专家论证通过或修改后通过", ok, detail, base + "#reviews"))
    if stage == Stage.PRELIM_DESIGN:
        conditions.append(
            GateCondition(
                "approved_estimate",
                "录入批复概算",
                project.approved_estimate is not None,
                money(project.approved_estimate) if project.approved_estimate else "尚未录入",
                base,
            )
        )
    from_modules = gate_conditions_from_modules(stage, project)
    if from_modules is not None:
        conditions += from_modules
    elif stage in MODULE_OWNED_EXITS:
        conditions.append(GateCondition(f"module:{stage}", MODULE_OWNED_EXITS[stage], False, "该模块尚未启用：本阶段暂不能办结"))  # type: ignore[index]
    return conditions


def project_advance(*, actor: User, project: Project, note: str = "") -> Project:
    """Leave the current stage when its gate is satisfied; stages the rules let a small project skip are
    recorded with the rule. A refusal lists every unmet condition and changes nothing."""
    org_perms.require(actor, perms.PROJECT_ADVANCE, project.agency_id)
    with transaction.atomic():
        project = Project.objects.select_for_update(of=("self",)).select_related("agency").get(pk=project.pk)
        unmet = [c for c in gate_conditions(project) if not c.ok]
        if unmet:
            raise DomainError(
                "project.gate",
                f"“{project.get_stage_display()}”阶段尚不能办结，还缺：" + "；".join(f"{c.label}（{c.detail}）" for c in unmet),
            )
        step = next_stage(project.stage, amount=Decimal(project.controlling_amount), skip_rules=skip_rules(project.agency))  # type: ignore[arg-type]
        if step is None:
            raise DomainError("project.last_stage", "项目已在最后阶段")
        for skipped, rule in step.skipped:
            StageTransition.objects.create(
                project=project, from_stage=project.stage, to_stage=skipped, skipped=True, rule=rule, actor=actor
            )
        StageTransition.objects.create(project=project, from_stage=project.stage, to_stage=step.stage, actor=actor, note=note)
        before = project.stage
        project.stage = step.stage
        project.stage_entered_on = timezone.localdate()
        project.save(update_fields=["stage", "stage_entered_on", "updated_at"])
        stage_listeners_notify(project, before, step.stage)
        skipped_text = "；".join(f"跳过“{Stage(s).label}”：{r}" for s, r in step.skipped)
        audit_event_record(
            actor=actor,
            action="projects.project.advance",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 由“{Stage(before).label}”进入“{Stage(step.stage).label}”"
            + (f"（{skipped_text}）" if skipped_text else ""),
            changes={"stage": {"before": before, "after": step.stage}},
            reason=note,
        )
    return project


def project_suspend(*, actor: User, project: Project, reason: str) -> Project:
    """停工 (from construction only), with the reason; the leader in charge becomes responsible."""
    org_perms.require(actor, perms.PROJECT_ADVANCE, project.agency_id)
    if not reason.strip():
        raise DomainError("project.suspend_reason", "请填写停工原因", field="reason")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.stage != Stage.CONSTRUCTION:
            raise DomainError("project.suspend_stage", f"只有施工阶段的项目可以停工，当前为“{project.get_stage_display()}”")
        StageTransition.objects.create(
            project=project, from_stage=project.stage, to_stage=Stage.SUSPENDED, actor=actor, note=reason
        )
        project.stage_before_suspension, project.stage, project.stage_entered_on = (
            project.stage,
            Stage.SUSPENDED,
            timezone.localdate(),
        )
        project.save()
        stage_listeners_notify(project, Stage.CONSTRUCTION, Stage.SUSPENDED)
        audit_event_record(
            actor=actor,
            action="projects.project.suspend",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 停工",
            reason=reason,
        )
    return project


def project_resume(*, actor: User, project: Project, note: str) -> Project:
    """复工: back to the stage before the suspension."""
    org_perms.require(actor, perms.PROJECT_ADVANCE, project.agency_id)
    if not note.strip():
        raise DomainError("project.resume_note", "请填写复工依据（如复工令编号）", field="note")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.stage != Stage.SUSPENDED:
            raise DomainError("project.resume_stage", "项目未停工")
        target = project.stage_before_suspension or Stage.CONSTRUCTION
        StageTransition.objects.create(project=project, from_stage=Stage.SUSPENDED, to_stage=target, actor=actor, note=note)
        project.stage, project.stage_before_suspension, project.stage_entered_on = target, "", timezone.localdate()
        project.save()
        stage_listeners_notify(project, Stage.SUSPENDED, target)
        audit_event_record(
            actor=actor,
            action="projects.project.resume",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 复工",
            reason=note,
        )
    return project


def project_amounts_set(
    *, actor: User, project: Project, approved_estimate: Decimal | None = None, budget_amount: Decimal | None = None
) -> Project:
    """Record the 批复概算 and 预算 as the stages produce them (never below zero; the 概算 is final once design review starts)."""
    org_perms.require(actor, perms.PROJECT_ADVANCE, project.agency_id)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = {"approved_estimate": project.approved_estimate, "budget_amount": project.budget_amount}
        if approved_estimate is not None:
            if project.stage != Stage.PRELIM_DESIGN and not (
                project.stage in (Stage.INITIATION, Stage.FEASIBILITY) and project.approved_estimate is None
            ):
                raise DomainError(
                    "project.estimate_stage",
                    f"批复概算在“初设概算”阶段录入，当前为“{project.get_stage_display()}”；概算调整须走变更程序",
                    field="approved_estimate",
                )
            if approved_estimate <= 0:
                raise DomainError("project.estimate_positive", "批复概算须大于0", field="approved_estimate")
            project.approved_estimate = approved_estimate
        if budget_amount is not None:
            if budget_amount <= 0:
                raise DomainError("project.budget_positive", "预算金额须大于0", field="budget_amount")
            if project.approved_estimate is not None and budget_amount > project.approved_estimate:
                raise DomainError(
                    "project.budget_over_estimate",
                    f"施工图预算 {money(budget_amount)} 超过批复概算 {money(project.approved_estimate)}：须压缩规模或重报概算",
                    field="budget_amount",
                )
            project.budget_amount = budget_amount
        project.save()
        after = {"approved_estimate": project.approved_estimate, "budget_amount": project.budget_amount}
        from govworks.core.audit import diff

        audit_event_record(
            actor=actor,
            action="projects.project.amounts",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 录入金额：概算 {money(project.approved_estimate)}，预算 {money(project.budget_amount)}",
            changes=diff(before, after),
        )
    return project


def responsibility_assign(
    *, actor: User, project: Project, stage: str, responsible: User, department: Department | None
) -> ProjectResponsibility:
    """Name the 责任人 (and 责任科室) of a stage of a project (科室负责人 or 分管领导)."""
    org_perms.require(actor, perms.RESPONSIBILITY_ASSIGN, project.agency_id)
    if responsible.agency_id != project.agency_id:
        raise DomainError("responsibility.agency", "责任人须为本单位人员", field="responsible")
    org_perms.require_business_person(responsible, duty="阶段责任人", field="responsible")
    if department is not None and department.agency_id != project.agency_id:
        raise DomainError("responsibility.department", "责任科室须为本单位科室", field="department")
    with transaction.atomic():
        row = ProjectResponsibility.objects.select_for_update().filter(project=project, stage=stage).first()
        if row is None:
            raise DomainError("responsibility.stage", "该阶段没有责任分工", field="stage")
        before = row.responsible.display_name
        if row.responsible_id != responsible.pk and (locked := removal_refusal(project, row.responsible)):  # 503号第三条
            raise DomainError("responsibility.locked", locked, field="responsible")
        row.responsible, row.department = responsible, department
        row.save()
        audit_event_record(
            actor=actor,
            action="projects.responsibility.assign",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code}“{Stage(stage).label}”阶段责任人：{before} → {responsible.display_name}",
        )
    return row


def stage_due_on(project: Project, responsibility: ProjectResponsibility) -> dt.date:
    return project.stage_entered_on + dt.timedelta(days=responsibility.due_days)


def project_import_at_stage(*, actor: User, project: Project, stage: str, note: str) -> Project:
    """Bring a project that was already under way before GovWorks to the stage it has reached offline
    (历史项目录入). Only from 计划 (a fresh record), only forward; the earlier stages are recorded as done
    offline with ``note`` (e.g. the file numbers of the approvals), and 纪检监察 sees the event."""
    org_perms.require(actor, perms.PROJECT_CREATE, project.agency_id)
    if stage not in Stage.values or stage in (Stage.PLANNED, Stage.SUSPENDED):
        raise DomainError("project.import_stage", "请选择项目当前所处的阶段", field="stage")
    if len(note.strip()) < 10:
        raise DomainError("project.import_note", "请写明线下已完成阶段的依据（批复文号等，不少于10个字）", field="note")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.stage != Stage.PLANNED or project.transitions.count() > 1:
            raise DomainError("project.import_state", "只有刚建档、尚未办理任何阶段的项目可以按历史项目录入")
        StageTransition.objects.create(
            project=project, from_stage=Stage.PLANNED, to_stage=stage, actor=actor, note=f"{IMPORT_NOTE_PREFIX}{note}"
        )
        project.stage, project.stage_entered_on = stage, timezone.localdate()
        project.save(update_fields=["stage", "stage_entered_on", "updated_at"])
        stage_listeners_notify(project, Stage.PLANNED, stage)
        audit_event_record(
            actor=actor,
            action="projects.project.import_at_stage",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 按历史项目录入，当前阶段“{Stage(stage).label}”（此前阶段线下办理）",
            reason=note,
            changes={"stage": {"before": Stage.PLANNED, "after": stage}},
        )
    return project
