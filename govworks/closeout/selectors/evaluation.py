"""Reads of the performance evaluation: what GovWorks measures for a project's indicators (with the source and
the numbers), the evaluation page, the register across the projects a user may see, the templates, and the
close checklist of the last stage before 关闭. Every read starts from what the caller may see; each function
takes a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse

from govworks.closeout import rules_evaluation as rules
from govworks.closeout.models import Evaluation, EvaluationIndicator, EvaluationTemplate, TemplateIndicator
from govworks.closeout.permissions_evaluation import evaluation_projects_visible_to
from govworks.closeout.reference_evaluation import (
    AUTO_BUDGET_EXECUTION,
    AUTO_COST_SAVING,
    AUTO_FUNDS_ARRIVAL,
    AUTO_ON_TIME,
    AUTO_QUALITY,
    AUTO_REDUCTION_RATE,
    AUTO_SAFETY,
)
from govworks.closeout.selectors.facts import project_fact
from govworks.closeout.selectors.milestones import completion_date
from govworks.construction.models import SafetyIncident
from govworks.core.money import percent_text, yuan_text
from govworks.core.registry import GateCondition
from govworks.core.rule_parameters import rule_value
from govworks.finance.models import FundingSource, FundReceipt
from govworks.projects.models import Project, Stage, StageTransition

ZERO = Decimal(0)


def pct(value: Decimal) -> str:
    return percent_text(value)


# ------------------------------------------------------------------------------------------------ measured


@dataclass(frozen=True)
class Measured:
    """What GovWorks knows for one automatic indicator: the value (None: not known, scored by hand) and the
    source with its numbers, as shown beside the indicator."""

    value: Decimal | None
    text: str


def measured_values(project: Project) -> dict[str, Measured]:
    """Every automatic indicator's value for ``project``: four queries plus one per fact provider."""
    out: dict[str, Measured] = {}
    funds = FundingSource.objects.filter(project=project).aggregate(budget=Sum("amount"), paid=Sum("paid"))
    budget = Decimal(funds["budget"] or 0)
    paid = Decimal(funds["paid"] or 0)
    received = Decimal(FundReceipt.objects.filter(source__project=project).aggregate(s=Sum("amount"))["s"] or 0)
    if budget > 0:
        arrival = rules.ratio(received, budget)
        execution = rules.ratio(paid, budget)
        assert arrival is not None and execution is not None
        out[AUTO_FUNDS_ARRIVAL] = Measured(
            arrival, f"资金管理：实际到位 {yuan_text(received)} ÷ 预算指标 {yuan_text(budget)} = {pct(arrival)}"
        )
        out[AUTO_BUDGET_EXECUTION] = Measured(
            execution, f"国库支付：已支付 {yuan_text(paid)} ÷ 预算指标 {yuan_text(budget)} = {pct(execution)}"
        )
    else:
        out[AUTO_FUNDS_ARRIVAL] = Measured(None, "未登记资金来源：请手工填写并上传佐证")
        out[AUTO_BUDGET_EXECUTION] = Measured(None, "未登记资金来源：请手工填写并上传佐证")
    done = completion_date(project)
    if done is None:
        out[AUTO_ON_TIME] = Measured(None, "尚无竣工验收合格日期：请手工填写并上传佐证")
    else:
        late = max(0, (done - project.planned_end).days)
        out[AUTO_ON_TIME] = Measured(
            Decimal(late),
            f"计划竣工 {project.planned_end:%Y-%m-%d}，竣工验收合格 {done:%Y-%m-%d}："
            + ("按期完成" if late == 0 else f"延期 {late} 天"),
        )
    final_cost = project_fact("final_accounts.final_cost", project)
    estimate = project.approved_estimate
    if final_cost is None or estimate is None:
        missing = "竣工决算总投资" if final_cost is None else "批复概算"
        out[AUTO_COST_SAVING] = Measured(None, f"尚无{missing}：请手工填写并上传佐证")
    else:
        saving = rules.saving_rate(Decimal(estimate), Decimal(final_cost))
        out[AUTO_COST_SAVING] = Measured(
            saving,
            f"竣工决算：（批复概算 {yuan_text(estimate)} − 决算总投资 {yuan_text(final_cost)}）÷ 批复概算 = "
            + (pct(saving) if saving is not None else "—"),
        )
    quality = project_fact("acceptance.quality_ok", project)
    if quality is None:
        out[AUTO_QUALITY] = Measured(None, "尚无竣工验收结论：请手工填写并上传佐证")
    else:
        out[AUTO_QUALITY] = Measured(
            Decimal(1) if quality else Decimal(0),
            "竣工验收：一次验收合格，无未修复缺陷" if quality else "竣工验收：未一次合格或有未修复缺陷",
        )
    reduction = project_fact("settlement.reduction_rate", project)
    if reduction is None:
        out[AUTO_REDUCTION_RATE] = Measured(None, "尚无结算审计审定结果：请手工填写并上传佐证")
    else:
        submitted = project_fact("settlement.submitted_total", project)
        approved = project_fact("settlement.approved_total", project)
        numbers = (
            f"（送审 {yuan_text(submitted)} − 审定 {yuan_text(approved)}）÷ 送审 = "
            if submitted is not None and approved is not None
            else "审减率 "
        )
        out[AUTO_REDUCTION_RATE] = Measured(Decimal(reduction), f"结算审计：{numbers}{pct(Decimal(reduction))}")
    counts = dict(
        SafetyIncident.objects.filter(project=project).values("severity").annotate(n=Count("pk")).values_list("severity", "n")
    )
    total = sum(counts.values())
    labels = dict(SafetyIncident.Severity.choices)
    detail = "、".join(f"{labels[s]} {counts[s]} 起" for s in labels if counts.get(s))
    out[AUTO_SAFETY] = Measured(
        Decimal(total), "施工安全：无安全事故记录" if total == 0 else f"施工安全：登记安全事故 {total} 起（{detail}）"
    )
    return out


def grade_bounds(agency: Any, on: dt.date | None = None) -> rules.GradeBounds:
    return rules.GradeBounds(
        Decimal(rule_value("perf.grade_excellent_min", agency=agency, on=on)),
        Decimal(rule_value("perf.grade_good_min", agency=agency, on=on)),
        Decimal(rule_value("perf.grade_fair_min", agency=agency, on=on)),
    )


def output_effect_min(agency: Any) -> Decimal:
    return Decimal(rule_value("perf.output_effect_min", agency=agency))


# ------------------------------------------------------------------------------------------------ templates


def templates_visible_to(user: Any) -> QuerySet[EvaluationTemplate]:
    """The default template and the templates of the agencies whose records the user reads."""
    from govworks.org import permissions as org_perms

    return EvaluationTemplate.objects.filter(
        Q(agency__isnull=True) | Q(agency_id__in=org_perms.business_readable_agency_ids(user))
    ).select_related("agency")


def template_for(agency: Any) -> EvaluationTemplate | None:
    """The template a new evaluation of ``agency`` uses: the agency's own (newest), else the default."""
    return (
        EvaluationTemplate.objects.filter(Q(agency=agency) | Q(agency__isnull=True))
        .order_by(F("agency_id").desc(nulls_last=True), "-id")
        .first()
    )


def template_rows(template: EvaluationTemplate) -> list[TemplateIndicator]:
    return list(template.indicators.order_by("seq"))


def template_problems(template: EvaluationTemplate, rows: list[TemplateIndicator] | None = None) -> list[str]:
    rows = template_rows(template) if rows is None else rows
    return rules.template_problems(
        {k: Decimal(str(v)) for k, v in template.weights.items()},
        [rules.IndicatorPoints(r.dimension, r.name, Decimal(r.points), r.full_at, r.zero_at, bool(r.auto_key)) for r in rows],
        output_effect_min=output_effect_min(template.agency),
    )


# ------------------------------------------------------------------------------------------------ one evaluation


@dataclass
class DimensionRow:
    code: str
    label: str
    points: Decimal
    score: Decimal
    indicators: list[EvaluationIndicator] = field(default_factory=list)


@dataclass
class EvaluationView:
    project: Project
    evaluation: Evaluation | None
    dimensions: list[DimensionRow]
    score: Decimal
    grade: str
    chart: dict[str, Any] | None
    unfilled: int


def evaluation_of(project: Project) -> Evaluation | None:
    return (
        Evaluation.objects.filter(project=project)
        .select_related("template", "submitted_by", "reviewed_by", "created_by", "report", "agency")
        .first()
    )


def evaluation_view(project: Project) -> EvaluationView:
    """The evaluation page: indicators by first-level dimension with points and scores, the running total and
    grade, and the chart of the four dimensions (None when there is nothing to draw). Three queries."""
    evaluation = evaluation_of(project)
    rows = list(evaluation.indicators.select_related("filled_by").order_by("seq")) if evaluation else []
    dims: list[DimensionRow] = []
    for code in rules.DIMENSIONS:
        mine = [r for r in rows if r.dimension == code]
        dims.append(
            DimensionRow(
                code,
                rules.DIMENSION_LABELS[code],
                sum((Decimal(r.points) for r in mine), ZERO),
                sum((Decimal(r.score) for r in mine if r.score is not None), ZERO),
                mine,
            )
        )
    score = rules.total_score(Decimal(r.score) if r.score is not None else None for r in rows)
    grade = ""
    if evaluation is not None:
        grade = evaluation.grade or rules.grade_of(score, grade_bounds(project.agency))
    return EvaluationView(
        project=project,
        evaluation=evaluation,
        dimensions=dims,
        score=score,
        grade=grade,
        chart=dimension_chart(dims) if any(r.score is not None for r in rows) else None,
        unfilled=sum(1 for r in rows if r.score is None),
    )


def dimension_chart(dims: list[DimensionRow]) -> dict[str, Any]:
    """ECharts bars of the four first-level indicators: points available and points scored. Only labels from
    the framework and numbers; the page passes it through ``json_script`` (escaped)."""
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["分值", "得分"], "top": 0},
        "grid": {"left": 40, "right": 20, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": [d.label for d in dims]},
        "yAxis": {"type": "value", "name": "分"},
        "series": [
            {"name": "分值", "type": "bar", "data": [float(d.points) for d in dims], "barMaxWidth": 28},
            {"name": "得分", "type": "bar", "data": [float(d.score) for d in dims], "barMaxWidth": 28},
        ],
    }


# ------------------------------------------------------------------------------------------------ the register


def evaluations_visible_to(user: Any) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(project__in=evaluation_projects_visible_to(user))


def evaluation_register(user: Any, *, grade: str = "", status: str = "", q: str = "") -> QuerySet[Evaluation]:
    qs = evaluations_visible_to(user)
    if grade:
        qs = qs.filter(grade=grade)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(project__code__icontains=q) | Q(project__name__icontains=q))
    return qs.select_related("project", "agency", "submitted_by", "reviewed_by").order_by("-created_at", "-id")


def projects_awaiting_evaluation(user: Any, limit: int = 50) -> list[Project]:
    """Projects in 绩效评价 without an evaluation yet (one query)."""
    return list(
        evaluation_projects_visible_to(user)
        .filter(stage=Stage.EVALUATION, performance_evaluation__isnull=True)
        .select_related("agency")
        .order_by("stage_entered_on", "id")[:limit]
    )


def approved_on(project: Any) -> dt.date | None:
    """Fact ``evaluation.approved_on``."""
    return (
        Evaluation.objects.filter(project=project, status=Evaluation.Status.APPROVED)
        .values_list("approved_on", flat=True)
        .first()
    )


# ------------------------------------------------------------------------------------------------ close


#: the close-out records the project needs before it closes: (fact, label, stage whose record it is, url names)
CLOSE_RECORDS: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("acceptance.passed_on", "竣工验收合格", Stage.ACCEPTANCE, ("closeout:acceptance",)),
    ("settlement.approved_total", "结算审计已审定", Stage.SETTLEMENT, ("closeout:settlement_list",)),
    (
        "final_accounts.approved_on",
        "竣工财务决算已批复",
        Stage.FINAL_ACCOUNTS,
        ("closeout:fa_detail",),
    ),
    ("archive.transferred_on", "档案已移交城建档案馆", Stage.ARCHIVING, ("closeout:archive_detail",)),
    ("assets.confirmed_on", "资产移交已经使用部门确认", Stage.ASSET_HANDOVER, ("closeout:asset_detail",)),
    ("evaluation.approved_on", "绩效评价已评定", Stage.EVALUATION, ("closeout:evaluation_project",)),
    ("review.finished_on", "项目复盘报告已完成", None, ("closeout:review_detail",)),
)
OFFLINE = "线下办理（历史项目录入）"


def _link(names: tuple[str, ...], project: Any) -> str:
    """The page of the record: a project's page of that area, or the area's register (结算审计台账)."""
    for name in names:
        try:
            return reverse(name, args=[project.pk])
        except NoReverseMatch:
            try:
                return reverse(name) + f"?project={project.pk}"
            except NoReverseMatch:
                continue
    return reverse("projects:project_detail", args=[project.pk])


def _fact_text(key: str, value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return yuan_text(value)
    return str(value)


def stages_offline(project: Any) -> set[str]:
    """The stages a 历史项目录入 recorded as done offline (one query), as the project page reads them."""
    from govworks.projects.selectors.projects import stages_done_offline

    return stages_done_offline(transitions=list(StageTransition.objects.filter(project=project).order_by("id")))


def close_conditions(project: Any, *, offline: set[str] | None = None) -> list[GateCondition]:
    """What must be true before the project closes: every close-out record complete. A record of a stage the
    project's 历史项目录入 brought it past counts as done offline (as the project page shows those stages); a
    record no module provides yet counts as not complete."""
    offline = stages_offline(project) if offline is None else offline
    out = []
    for key, label, stage, names in CLOSE_RECORDS:
        value = project_fact(key, project)
        if value is not None:
            ok, detail = True, f"已完成：{_fact_text(key, value)}"
        elif stage is not None and stage in offline:
            ok, detail = True, OFFLINE
        else:
            ok, detail = False, "尚未完成"
        out.append(GateCondition(f"close:{key}", label, ok, detail, _link(names, project)))
    return out


@dataclass
class CloseoutSummary:
    project: Project
    transitions: list[StageTransition]
    offline: set[str]
    contract_total: Decimal | None
    settlement_submitted: Any
    settlement_approved: Any
    reduction_rate: Any
    final_cost: Any
    evaluation: Evaluation | None
    conditions: list[GateCondition]

    @property
    def reduction_text(self) -> str:
        return "—" if self.reduction_rate is None else pct(Decimal(self.reduction_rate))

    @property
    def grade_text(self) -> str:
        if self.evaluation is None or not self.evaluation.grade:
            return "—"
        return f"{rules.grade_label(self.evaluation.grade)}（{self.evaluation.score} 分）"


def closeout_summary(project: Any) -> CloseoutSummary:
    """The story of a project at its close: the stages it went through with dates, the key numbers (contract,
    settlement, final cost, 审减率, grade) and the close checklist."""
    from govworks.procurement.models import Contract
    from govworks.projects.selectors.projects import stages_done_offline

    transitions = list(StageTransition.objects.filter(project=project).select_related("actor").order_by("id"))
    offline = stages_done_offline(transitions=transitions)
    contract_total = Contract.objects.filter(project=project, status=Contract.Status.SIGNED).aggregate(s=Sum("amount"))["s"]
    return CloseoutSummary(
        project=project,
        transitions=transitions,
        offline=offline,
        contract_total=contract_total,
        settlement_submitted=project_fact("settlement.submitted_total", project),
        settlement_approved=project_fact("settlement.approved_total", project),
        reduction_rate=project_fact("settlement.reduction_rate", project),
        final_cost=project_fact("final_accounts.final_cost", project),
        evaluation=Evaluation.objects.filter(project=project).first(),
        conditions=close_conditions(project, offline=offline),
    )


# ------------------------------------------------------------------------------------------------ workbench


def self_evaluation_todo(user: Any, agency_ids: set[int]) -> list[Any]:
    """Projects of the user's department (or managed by them) in 绩效评价 whose evaluation is not submitted."""
    department = getattr(user, "department_id", None)
    return list(
        Project.objects.filter(agency_id__in=agency_ids, stage=Stage.EVALUATION)
        .filter(Q(manager=user) | Q(department_id=department))
        .exclude(performance_evaluation__status__in=[Evaluation.Status.SUBMITTED, Evaluation.Status.APPROVED])
        .order_by("stage_entered_on", "id")[:30]
    )


def review_todo(user: Any, agency_ids: set[int]) -> list[Evaluation]:
    """Submitted evaluations the user may review (not those they submitted)."""
    return list(
        Evaluation.objects.filter(agency_id__in=agency_ids, status=Evaluation.Status.SUBMITTED)
        .exclude(submitted_by=user)
        .select_related("project")
        .order_by("submitted_at")[:30]
    )
