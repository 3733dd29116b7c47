"""Reads of projects: the register with filters, the workspace, the timeline. Every read starts from
``projects_visible_to``; every page costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from govworks.core.models import AuditEvent
from govworks.core.registry import GateCondition
from govworks.projects import permissions as perms
from govworks.projects.models import (
    AgendaItem,
    ApprovalRequest,
    ApprovalStep,
    DocumentType,
    DocumentVersion,
    ExpertReview,
    HigherReview,
    JointReview,
    JointReviewSeat,
    Project,
    ProjectDocument,
    ProjectResponsibility,
    StageTransition,
)
from govworks.projects.services.common import content_type_of
from govworks.projects.services.projects import IMPORT_NOTE_PREFIX, gate_conditions


@dataclass(frozen=True)
class ProjectFilter:
    agency_id: int | None = None
    stage: str = ""
    project_type: str = ""
    text: str = ""
    outside_plan: bool = False
    manager_id: int | None = None
    year: int | None = None


def project_list_visible_to(*, user: Any, filters: ProjectFilter) -> QuerySet[Project]:
    """The project register: visible projects matching the filters, newest first."""
    qs = perms.projects_visible_to(user).select_related("agency", "manager", "department")
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.project_type:
        qs = qs.filter(project_type=filters.project_type)
    if filters.text:
        qs = qs.filter(Q(code__icontains=filters.text) | Q(name__contains=filters.text) | Q(location__contains=filters.text))
    if filters.outside_plan:
        qs = qs.filter(plan_item__isnull=True)
    if filters.manager_id:
        qs = qs.filter(manager_id=filters.manager_id)
    if filters.year:
        qs = qs.filter(planned_start__year=filters.year)
    return qs.order_by("-created_at", "-id")


@dataclass
class StageDocuments:
    stage: str
    label: str
    rows: list[tuple[DocumentType, ProjectDocument | None, list[DocumentVersion]]] = field(default_factory=list)


@dataclass
class Workspace:
    project: Project
    gate: list[GateCondition]
    responsibilities: list[ProjectResponsibility]
    documents: list[StageDocuments]
    transitions: list[StageTransition]
    approvals: list[ApprovalRequest]
    decisions: list[AgendaItem]
    higher_reviews: list[HigherReview]
    expert_reviews: list[ExpertReview]
    joint_reviews: list[JointReview]


def project_workspace(*, project: Project) -> Workspace:
    """Everything the workspace page shows, in a fixed number of queries."""
    from govworks.projects.models import Stage

    types = list(DocumentType.objects.all())
    docs = {
        d.doc_type_id: d
        for d in ProjectDocument.objects.filter(project=project).prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
        )
    }
    by_stage: dict[str, StageDocuments] = {}
    for t in types:
        bucket = by_stage.setdefault(t.stage, StageDocuments(t.stage, Stage(t.stage).label))
        doc = docs.get(t.pk)
        bucket.rows.append((t, doc, list(doc.versions.all()) if doc else []))
    order = [s.value for s in Stage]
    ct = content_type_of(project)
    return Workspace(
        project=project,
        gate=gate_conditions(project),
        responsibilities=sorted(
            ProjectResponsibility.objects.filter(project=project).select_related("responsible", "department"),
            key=lambda r: order.index(r.stage) if r.stage in order else 99,
        ),
        documents=sorted(by_stage.values(), key=lambda s: order.index(s.stage)),
        transitions=list(StageTransition.objects.filter(project=project).select_related("actor").order_by("id")),
        approvals=list(
            ApprovalRequest.objects.filter(subject_type=ct, subject_id=project.pk)
            .select_related("submitted_by")
            .prefetch_related(Prefetch("steps", queryset=ApprovalStep.objects.select_related("decided_by", "on_behalf_of")))
            .order_by("-submitted_at")
        ),
        decisions=list(
            AgendaItem.objects.filter(subject_type=ct, subject_id=project.pk)
            .select_related("meeting")
            .order_by("-meeting__held_on")
        ),
        higher_reviews=list(HigherReview.objects.filter(project=project).select_related("recorded_by")),
        expert_reviews=list(ExpertReview.objects.filter(project=project).select_related("drawn_by").order_by("-drawn_at")),
        joint_reviews=list(
            JointReview.objects.filter(project=project)
            .prefetch_related(Prefetch("seats", queryset=JointReviewSeat.objects.select_related("reviewer")))
            .order_by("-requested_at")
        ),
    )


def stages_done_offline(*, transitions: list[StageTransition]) -> set[str]:
    """The stages a 历史项目录入 recorded as done offline: every stage from 计划 up to (not including) the
    stage the import brought the project to. Those stages never went through a gate here, so the
    project page says so instead of showing them as passed."""
    from govworks.projects.rules import STAGE_ORDER

    offline: set[str] = set()
    for t in transitions:
        if t.note.startswith(IMPORT_NOTE_PREFIX) and t.from_stage in STAGE_ORDER and t.to_stage in STAGE_ORDER:
            start, end = STAGE_ORDER.index(t.from_stage), STAGE_ORDER.index(t.to_stage)
            offline.update(STAGE_ORDER[start:end])
    return offline


def project_timeline(*, project: Project, before_seq: int | None = None, size: int = 50) -> list[AuditEvent]:
    """Everything that happened to the project, newest first, from the audit trail (keyset pages)."""
    qs = AuditEvent.objects.filter(context_type="projects.project", context_id=str(project.pk))
    if before_seq is not None:
        qs = qs.filter(seq__lt=before_seq)
    return list(qs.order_by("-seq")[: size + 1])


def access_document_version(*, user: Any, pk: Any) -> DocumentVersion:
    from django.http import Http404

    try:
        return DocumentVersion.objects.select_related("document__project").get(
            pk=pk, document__project__in=perms.projects_visible_to(user)
        )
    except (DocumentVersion.DoesNotExist, ValueError):
        raise Http404("记录不存在或您无权查看") from None
