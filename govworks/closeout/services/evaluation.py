"""Writes of the performance evaluation (绩效评价, 财预〔2020〕10号).

Templates: an agency copies the default (reference data) and edits the weights and points of its copy; an edit
that breaks Σ = 100, 产出 + 效益 ≥ 60 or a dimension's sum is refused with the rule and the numbers.

Per project: the project's department starts the evaluation from the agency's template (every indicator copied,
the ones GovWorks measures filled with their source and numbers), scores the rest by hand with evidence and a
comment, and submits the self-evaluation; 财务 or 内审 (not whoever filled or submitted it — 职责分离) approves,
which fixes the score and grade (优/良/中/差 from perf.grade_*_min) and files the report PDF as the stage's
《绩效评价报告》, or returns it. Each service checks permission and rules at the moment of action, writes, and
records the audit event in the same transaction; a refusal changes nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from govworks.closeout import rules_evaluation as rules
from govworks.closeout.models import Evaluation, EvaluationIndicator, EvaluationTemplate, TemplateIndicator
from govworks.closeout.permissions_evaluation import (
    EVAL_REVIEW,
    EVAL_SELF,
    EVAL_TEMPLATE,
    may_self_evaluate,
)
from govworks.closeout.reference_evaluation import seed_default_template
from govworks.closeout.selectors import evaluation as selectors
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.pdf import html_to_pdf
from govworks.core.uploads import upload_check
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.projects.models import DocumentType, DocumentVersion, Project, ProjectDocument, Stage

EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".ofd", ".zip")
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
REPORT_DOC_TYPE = "performance_report"
EDITABLE = (Evaluation.Status.DRAFT, Evaluation.Status.RETURNED)


def default_template() -> EvaluationTemplate:
    """The deployment's default template, created from the reference data when missing."""
    return seed_default_template(template_model=EvaluationTemplate, indicator_model=TemplateIndicator)  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------------ templates


def evaluation_template_copy(*, actor: User, agency: Agency, source: EvaluationTemplate | None = None) -> EvaluationTemplate:
    """Copy ``source`` (default: the deployment's default template) as ``agency``'s own template to edit."""
    org_perms.require(actor, EVAL_TEMPLATE, agency.pk)
    source = source or default_template()
    if source.agency_id not in (None, agency.pk):
        raise DomainError("evaluation.template_agency", "只能复制默认模板或本单位的模板")
    with transaction.atomic():
        n = EvaluationTemplate.objects.filter(agency=agency).count() + 1
        name = f"{agency.short_name or agency.name}绩效评价指标体系" + (f"（{n}）" if n > 1 else "")
        template = EvaluationTemplate.objects.create(
            agency=agency,
            name=name,
            source=source.source,
            weight_decision=source.weight_decision,
            weight_process=source.weight_process,
            weight_output=source.weight_output,
            weight_effect=source.weight_effect,
            updated_by=actor,
        )
        TemplateIndicator.objects.bulk_create(
            TemplateIndicator(
                template=template,
                seq=r.seq,
                dimension=r.dimension,
                level2=r.level2,
                name=r.name,
                points=r.points,
                method=r.method,
                auto_key=r.auto_key,
                full_at=r.full_at,
                zero_at=r.zero_at,
            )
            for r in source.indicators.order_by("seq")
        )
        audit_event_record(
            actor=actor,
            action="closeout.evaluation_template.copy",
            obj=template,
            agency=agency,
            summary=f"复制绩效评价模板“{source.name}”为“{template.name}”",
        )
    return template


def _decimal(value: Any, label: str, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError("evaluation.number", f"{label}须为数字", field=field) from None


def evaluation_template_update(
    *, actor: User, template: EvaluationTemplate, weights: dict[str, Any], points: dict[int, Any]
) -> EvaluationTemplate:
    """Set the four weights and the points of the template's indicators (``points``: indicator id → 分值).
    Refused, with the rule and the numbers, when the result breaks Σ = 100, 产出 + 效益 ≥ 60 or a dimension's
    sum; the default template is reference data and is never edited."""
    if template.agency_id is None:
        raise DomainError("evaluation.template_default", "默认模板为参考数据，不能修改：请先“复制为本单位模板”再调整")
    org_perms.require(actor, EVAL_TEMPLATE, template.agency_id)
    with transaction.atomic():
        template = EvaluationTemplate.objects.select_for_update(of=("self",)).select_related("agency").get(pk=template.pk)
        rows = list(template.indicators.order_by("seq"))
        before = {k: str(v) for k, v in template.weights.items()}
        new_weights = {
            d: _decimal(weights.get(d, template.weights[d]), f"{rules.DIMENSION_LABELS[d]}权重", f"weight_{d}")
            for d in rules.DIMENSIONS
        }
        for r in rows:
            if r.pk in points:
                r.points = _decimal(points[r.pk], f"“{r.name}”分值", f"points_{r.pk}")
        for d in rules.DIMENSIONS:
            setattr(template, f"weight_{d}", new_weights[d])
        problems = selectors.template_problems(template, rows)
        if problems:
            raise DomainError("evaluation.template_invalid", "模板不符合规则，未保存：" + "；".join(problems))
        template.updated_by = actor
        template.save()
        TemplateIndicator.objects.bulk_update(rows, ["points"])
        audit_event_record(
            actor=actor,
            action="closeout.evaluation_template.update",
            obj=template,
            agency=template.agency,
            summary=f"修改绩效评价模板“{template.name}”：决策 {rules.points_text(new_weights['decision'])} / 过程 "
            f"{rules.points_text(new_weights['process'])} / 产出 {rules.points_text(new_weights['output'])} / 效益 "
            f"{rules.points_text(new_weights['effect'])}",
            changes={"weights": {"before": before, "after": {k: str(v) for k, v in new_weights.items()}}},
        )
    return template


# ------------------------------------------------------------------------------------------------ one project


def _require_self(actor: User, project: Project) -> None:
    org_perms.require(actor, EVAL_SELF, project.agency_id)
    if not may_self_evaluate(actor, project):
        raise PermissionDenied(f"绩效自评由项目责任科室（{project.department}）或项目负责人办理")


def _apply_measured(rows: list[EvaluationIndicator], project: Project) -> list[EvaluationIndicator]:
    """Fill the automatic indicators from what GovWorks knows now; an indicator whose fact became unknown loses
    its computed score (a hand score, with its filler, stays)."""
    measured = selectors.measured_values(project)
    changed = []
    for r in rows:
        if not r.auto_key:
            continue
        m = measured.get(r.auto_key)
        if m is None:
            continue
        r.source_text = m.text[:300]
        if m.value is not None and r.full_at is not None and r.zero_at is not None:
            r.value = m.value
            r.score = rules.linear_score(
                m.value, points=Decimal(r.points), full_at=Decimal(r.full_at), zero_at=Decimal(r.zero_at)
            )
            r.filled_by, r.filled_at, r.comment = None, None, ""
        else:
            if r.value is not None:  # was measured, now unknown: to be scored by hand
                r.score = None
            r.value = None
        changed.append(r)
    EvaluationIndicator.objects.bulk_update(changed, ["value", "source_text", "score", "filled_by", "filled_at", "comment"])
    return rows


def evaluation_start(*, actor: User, project: Project) -> Evaluation:
    """Start ``project``'s evaluation from its agency's template (the default when it has none): every indicator
    copied, those GovWorks measures filled. Only in 绩效评价, once per project."""
    _require_self(actor, project)
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("agency", "department").get(pk=project.pk)
        if project.stage != Stage.EVALUATION:
            raise DomainError("evaluation.stage", f"绩效评价在“绩效评价”阶段发起，项目当前为“{project.get_stage_display()}”阶段")
        if Evaluation.objects.filter(project=project).exists():
            raise DomainError("evaluation.exists", "该项目已发起绩效评价")
        template = selectors.template_for(project.agency) or default_template()
        rows_t = list(template.indicators.order_by("seq"))
        problems = selectors.template_problems(template, rows_t)
        if problems:
            raise DomainError("evaluation.template_invalid", f"模板“{template.name}”不符合规则：" + "；".join(problems))
        evaluation = Evaluation.objects.create(project=project, agency=project.agency, template=template, created_by=actor)
        rows = EvaluationIndicator.objects.bulk_create(
            EvaluationIndicator(
                evaluation=evaluation,
                seq=t.seq,
                dimension=t.dimension,
                level2=t.level2,
                name=t.name,
                points=t.points,
                method=t.method,
                auto_key=t.auto_key,
                full_at=t.full_at,
                zero_at=t.zero_at,
            )
            for t in rows_t
        )
        rows = list(evaluation.indicators.order_by("seq"))
        _apply_measured(rows, project)
        audit_event_record(
            actor=actor,
            action="closeout.evaluation.start",
            obj=evaluation,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 发起绩效评价（模板“{template.name}”，{len(rows)} 项指标，"
            f"{sum(1 for r in rows if r.value is not None)} 项系统取数）",
        )
    return evaluation


def _editable(evaluation: Evaluation) -> Evaluation:
    locked = (
        Evaluation.objects.select_for_update()
        .select_related("project", "project__agency", "project__department")
        .get(pk=evaluation.pk)
    )
    if locked.status not in EDITABLE:
        raise DomainError("evaluation.state", f"绩效评价当前为“{locked.get_status_display()}”，不能修改")
    return locked


def evaluation_refresh(*, actor: User, evaluation: Evaluation) -> Evaluation:
    """Read again what GovWorks knows for the automatic indicators (while the self-evaluation is open)."""
    _require_self(actor, evaluation.project)
    with transaction.atomic():
        evaluation = _editable(evaluation)
        rows = _apply_measured(list(evaluation.indicators.order_by("seq")), evaluation.project)
        audit_event_record(
            actor=actor,
            action="closeout.evaluation.refresh",
            obj=evaluation,
            agency=evaluation.agency,
            context=evaluation.project,
            summary=f"{evaluation.project.code} 绩效评价重新取数（{sum(1 for r in rows if r.value is not None)} 项系统取数）",
        )
    return evaluation


def evaluation_indicator_fill(
    *, actor: User, indicator: EvaluationIndicator, score: Any, comment: str, evidence: Any = None
) -> EvaluationIndicator:
    """Score an indicator GovWorks does not measure, between 0 and its points, with a comment and evidence (a file
    is required unless one is already attached)."""
    project = indicator.evaluation.project
    _require_self(actor, project)
    value = _decimal(score, "得分", "score")
    comment = (comment or "").strip()
    if evidence is not None:
        upload_check(evidence, field="evidence", types=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES)
    with transaction.atomic():
        _editable(indicator.evaluation)
        row = EvaluationIndicator.objects.select_for_update().get(pk=indicator.pk)
        if row.measured:
            raise DomainError(
                "evaluation.measured", f"“{row.name}”由系统取数计分（{row.source_text}），不能手工修改", field="score"
            )
        if value < 0 or value > row.points or value != rules.cents(value):
            raise DomainError(
                "evaluation.score_range",
                f"“{row.name}”得分须在 0 至 {rules.points_text(Decimal(row.points))} 分之间（最多两位小数）：填写为 {value} 分",
                field="score",
            )
        if len(comment) < 4:
            raise DomainError("evaluation.comment", f"请填写“{row.name}”的评分说明（不少于4个字）", field="comment")
        if evidence is None and not row.evidence:
            raise DomainError("evaluation.evidence", f"请上传“{row.name}”的佐证材料", field="evidence")
        before = None if row.score is None else str(row.score)
        row.score, row.comment, row.filled_by, row.filled_at = value, comment, actor, timezone.now()
        if evidence is not None:
            row.evidence_name = (evidence.name or "evidence")[:200]
            row.evidence.save(evidence.name or "evidence", evidence, save=False)
        row.save()
        audit_event_record(
            actor=actor,
            action="closeout.evaluation.fill",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 绩效自评“{row.name}”得 {rules.points_text(value)} / {rules.points_text(Decimal(row.points))} 分",
            changes={"score": {"before": before, "after": str(value)}},
        )
    return row


def evaluation_submit(*, actor: User, evaluation: Evaluation, summary: str) -> Evaluation:
    """Submit the self-evaluation (单位自评) for the review: the measured indicators are read again, every indicator
    must have a score, and the conclusion is written."""
    _require_self(actor, evaluation.project)
    summary = (summary or "").strip()
    if len(summary) < 10:
        raise DomainError("evaluation.summary", "请填写自评结论（不少于10个字）", field="summary")
    with transaction.atomic():
        evaluation = _editable(evaluation)
        rows = _apply_measured(list(evaluation.indicators.order_by("seq")), evaluation.project)
        missing = [r.name for r in rows if r.score is None]
        if missing:
            raise DomainError("evaluation.unfilled", f"还有 {len(missing)} 项指标未评分：" + "、".join(missing))
        score = rules.total_score(Decimal(r.score) for r in rows if r.score is not None)
        grade = rules.grade_of(score, selectors.grade_bounds(evaluation.agency))
        evaluation.status, evaluation.score, evaluation.grade = Evaluation.Status.SUBMITTED, score, grade
        evaluation.self_summary, evaluation.submitted_by, evaluation.submitted_at = summary, actor, timezone.now()
        evaluation.save()
        audit_event_record(
            actor=actor,
            action="closeout.evaluation.submit",
            obj=evaluation,
            agency=evaluation.agency,
            context=evaluation.project,
            summary=f"{evaluation.project.code} 提交绩效自评：{score} 分（{rules.grade_label(grade)}）",
        )
    return evaluation


def _sod(actor: User, evaluation: Evaluation) -> None:
    from govworks.projects.services.approvals import SeparationOfDutiesError

    fillers = set(evaluation.indicators.exclude(filled_by=None).values_list("filled_by_id", flat=True))
    roles = []
    if actor.pk == evaluation.submitted_by_id:
        roles.append("提交了自评")
    if actor.pk in fillers:
        roles.append("填报了自评指标")
    if roles:
        raise SeparationOfDutiesError(
            "evaluation.sod",
            f"职责分离：您{'、'.join(roles)}，不能审核同一项目的绩效评价，请由本单位其他财务或内审人员办理",
            obj=evaluation,
            agency=evaluation.agency,
            project=evaluation.project,
            title=f"{evaluation.project.code} 绩效评价",
            step_label="部门评价",
        )


def _file_report(*, actor: User, evaluation: Evaluation, pdf: bytes) -> DocumentVersion:
    """File the report as a new version of the project's 《绩效评价报告》 (the stage's document)."""
    project = evaluation.project
    doc_type = DocumentType.objects.get(code=REPORT_DOC_TYPE)
    document, _ = ProjectDocument.objects.get_or_create(project=project, doc_type=doc_type)
    document = ProjectDocument.objects.select_for_update().get(pk=document.pk)
    document.latest_number += 1
    document.save(update_fields=["latest_number"])
    name = f"{project.code}-绩效评价报告.pdf"
    version = DocumentVersion(
        document=document,
        number=document.latest_number,
        original_name=name,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        note="绩效评价评定后系统生成",
        uploaded_by=actor,
    )
    version.file.save(name, ContentFile(pdf), save=False)
    version.save()
    return version


def report_html(evaluation: Evaluation) -> str:
    view = selectors.evaluation_view(evaluation.project)
    return render_to_string(
        "closeout/evaluation/report_pdf.html",
        {"view": view, "e": evaluation, "p": evaluation.project, "grade_label": rules.grade_label(evaluation.grade)},
    )


def evaluation_review(*, actor: User, evaluation: Evaluation, approve: bool, opinion: str) -> Evaluation:
    """部门评价 by 财务 or 内审: approve (the score and grade become final on today's grade bounds, the report PDF is
    filed as the stage's 《绩效评价报告》) or return with the reasons. Never by whoever filled or submitted the
    self-evaluation; such an attempt is kept for 纪检监察."""
    from govworks.projects.services.approvals import SeparationOfDutiesError, approval_sod_refused_record

    org_perms.require(actor, EVAL_REVIEW, evaluation.agency_id)
    opinion = (opinion or "").strip()
    if len(opinion) < 4:
        raise DomainError("evaluation.opinion", "请填写评价意见（不少于4个字）", field="opinion")
    try:
        with transaction.atomic():
            evaluation = (
                Evaluation.objects.select_for_update()
                .select_related("project", "project__agency", "agency")
                .get(pk=evaluation.pk)
            )
            if evaluation.status != Evaluation.Status.SUBMITTED:
                raise DomainError("evaluation.state", f"绩效评价当前为“{evaluation.get_status_display()}”，不能审核")
            _sod(actor, evaluation)
            evaluation.review_opinion, evaluation.reviewed_by, evaluation.reviewed_at = opinion, actor, timezone.now()
            if not approve:
                evaluation.status = Evaluation.Status.RETURNED
                evaluation.save()
                audit_event_record(
                    actor=actor,
                    action="closeout.evaluation.return",
                    obj=evaluation,
                    agency=evaluation.agency,
                    context=evaluation.project,
                    summary=f"{evaluation.project.code} 绩效评价退回修改",
                    reason=opinion,
                )
                return evaluation
            today = timezone.localdate()
            rows = list(evaluation.indicators.all())
            score = rules.total_score(Decimal(r.score) for r in rows if r.score is not None)
            evaluation.score = score
            evaluation.grade = rules.grade_of(score, selectors.grade_bounds(evaluation.agency, today))
            evaluation.status, evaluation.approved_on = Evaluation.Status.APPROVED, today
            evaluation.save()
            evaluation.report = _file_report(actor=actor, evaluation=evaluation, pdf=html_to_pdf(report_html(evaluation)))
            evaluation.save(update_fields=["report"])
            audit_event_record(
                actor=actor,
                action="closeout.evaluation.approve",
                obj=evaluation,
                agency=evaluation.agency,
                context=evaluation.project,
                summary=f"{evaluation.project.code} 绩效评价评定：{score} 分，等级“{rules.grade_label(evaluation.grade)}”，"
                f"报告已归档为《绩效评价报告》第{evaluation.report.number}版",
                reason=opinion,
            )
    except SeparationOfDutiesError as err:
        approval_sod_refused_record(actor=actor, error=err)
        raise
    return evaluation
