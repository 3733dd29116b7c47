"""The projects module's 三重一大 subjects (registered from ``ProjectsConfig.ready``):

* ``plan`` — an annual plan submitted for the meeting's decision (a plan returned after its decision
  comes back, so it is decided again);
* ``project`` — a project at 立项 whose controlling amount reaches ``tzyd.large_fund_min_amount``
  (the 立项 gate demands a passed decision on it).

Each kind gives the meeting its candidates (from ``visible_to``, one query), why an object does not await a
decision, and the facts shown on the agenda."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse

from govworks.core.money import yuan_text
from govworks.core.registry import DecisionFact, DecisionSubjectFacts, DecisionSubjectKind, register_decision_subject
from govworks.core.rule_parameters import rule_value
from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, AnnualPlan, Project, Stage

THRESHOLD_KEY = "tzyd.large_fund_min_amount"
THRESHOLD_NAME = "三重一大大额资金起点"


def large_fund_min_amount(agency: Any) -> Decimal:
    """The agency's ``tzyd.large_fund_min_amount`` today (以上 includes the number)."""
    return Decimal(str(rule_value(THRESHOLD_KEY, agency=agency)))


# ---------------------------------------------------------------------------------------- plans


def _plans(qs: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    return qs.select_related("agency").annotate(total=Sum("items__estimated_amount"), item_count=Count("items"))


def plan_candidates(user: Any, agency: Any) -> QuerySet[AnnualPlan]:
    """The agency's plans ``user`` may see that were submitted for the meeting's decision."""
    qs = perms.plans_visible_to(user).filter(agency_id=agency.pk, status=AnnualPlan.Status.SUBMITTED)
    return _plans(qs).order_by("-year", "-revision", "-id")


def plan_problem(plan: AnnualPlan) -> str:
    """A plan awaits the decision once submitted to the meeting (提交会议审议)."""
    if plan.status != AnnualPlan.Status.SUBMITTED:
        return f"计划当前状态为“{plan.get_status_display()}”，须先提交会议审议"
    return ""


def plan_facts(plan: AnnualPlan) -> DecisionSubjectFacts:
    """年度、计划项目数、估算合计 (from the annotations of ``plan_candidates``/the kind's queryset)."""
    total = Decimal(getattr(plan, "total", None) or 0)
    return DecisionSubjectFacts(
        title=str(plan),
        amount=total,
        facts=(
            DecisionFact("单位", plan.agency.name),
            DecisionFact("年度", f"{plan.year}年（第{plan.revision}版）"),
            DecisionFact("计划项目", f"{getattr(plan, 'item_count', 0)} 项"),
            DecisionFact("估算合计", yuan_text(total)),
        ),
        url=reverse("projects:plan_detail", args=[plan.pk]),
    )


def _plan_on_decision(plan: Any, item: Any) -> None:
    from govworks.projects.services.plans import annual_plan_on_decision

    annual_plan_on_decision(plan=plan, item=item)


PLAN = DecisionSubjectKind(
    key="plan",
    label="年度计划",
    model=AnnualPlan,
    category=AgendaItem.Category.MAJOR_PROJECT,
    candidates=plan_candidates,
    problem=plan_problem,
    problem_code="agenda.plan_state",
    facts=plan_facts,
    queryset=lambda: _plans(AnnualPlan.objects.all()),
    visible_to=perms.plans_visible_to,
    agency_id=lambda plan: int(plan.agency_id),
    redecidable=True,
    on_decision=_plan_on_decision,
    order=10,
)


# ---------------------------------------------------------------------------------------- projects


def _projects(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("agency", "department", "manager")


def project_candidates(user: Any, agency: Any) -> QuerySet[Project]:
    """The agency's projects ``user`` may see at 立项 whose controlling amount (approved estimate, else the
    estimate) reaches ``tzyd.large_fund_min_amount``."""
    qs = perms.projects_visible_to(user).filter(agency_id=agency.pk, stage=Stage.INITIATION)
    threshold = large_fund_min_amount(agency)
    at_least = Q(approved_estimate__gte=threshold) | Q(approved_estimate__isnull=True, estimate_amount__gte=threshold)
    return _projects(qs.filter(at_least)).order_by("code")


def project_problem(project: Project) -> str:
    """A project awaits the decision at 立项 when its amount reaches the agency's threshold."""
    if project.stage != Stage.INITIATION:
        return f"项目{project.code}当前处于“{project.get_stage_display()}”阶段；三重一大集体决策在立项阶段作出"
    threshold = large_fund_min_amount(project.agency)
    if project.controlling_amount < threshold:
        return (
            f"项目{project.code}金额 {yuan_text(project.controlling_amount)} 未达到{THRESHOLD_NAME} {yuan_text(threshold)}，"
            "无须集体决策"
        )
    return ""


def project_facts(project: Project) -> DecisionSubjectFacts:
    """项目编号、责任部门、金额 (批复概算，未批复时为估算)."""
    approved = project.approved_estimate is not None
    return DecisionSubjectFacts(
        title=str(project),
        amount=project.controlling_amount,
        facts=(
            DecisionFact("项目", f"{project.code} {project.name}"),
            DecisionFact("阶段", project.get_stage_display()),
            DecisionFact("批复概算" if approved else "估算金额", yuan_text(project.controlling_amount)),
            DecisionFact("项目负责人", project.manager.display_name if project.manager_id else "—"),
        ),
        url=reverse("projects:project_detail", args=[project.pk]),
    )


PROJECT = DecisionSubjectKind(
    key="project",
    label="项目立项",
    model=Project,
    category=AgendaItem.Category.MAJOR_PROJECT,
    candidates=project_candidates,
    problem=project_problem,
    problem_code="agenda.not_awaiting",
    facts=project_facts,
    queryset=lambda: _projects(Project.objects.all()),
    visible_to=perms.projects_visible_to,
    agency_id=lambda project: int(project.agency_id),
    project=lambda project: project,
    order=20,
)


def register() -> None:
    """Called from ``ProjectsConfig.ready``."""
    register_decision_subject(PLAN)
    register_decision_subject(PROJECT)
