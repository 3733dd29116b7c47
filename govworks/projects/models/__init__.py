"""Models of the project lifecycle, one module per aggregate."""

from govworks.projects.models.approvals import ApprovalChainRule, ApprovalRequest, ApprovalStep, Delegation
from govworks.projects.models.decisions import AgendaItem, HigherReview, Meeting, MeetingMember, Opinion
from govworks.projects.models.documents import DocumentType, DocumentVersion, ProjectDocument
from govworks.projects.models.plans import AnnualPlan, PlanItem
from govworks.projects.models.projects import Project, ProjectType, Stage, StageTransition
from govworks.projects.models.responsibility import ProjectResponsibility, ResponsibilityTemplate
from govworks.projects.models.reviews import (
    Expert,
    ExpertOpinion,
    ExpertReview,
    JointReview,
    JointReviewSeat,
    Speciality,
)

__all__ = [
    "AgendaItem",
    "AnnualPlan",
    "ApprovalChainRule",
    "ApprovalRequest",
    "ApprovalStep",
    "Delegation",
    "DocumentType",
    "DocumentVersion",
    "Expert",
    "ExpertOpinion",
    "ExpertReview",
    "HigherReview",
    "JointReview",
    "JointReviewSeat",
    "Meeting",
    "MeetingMember",
    "Opinion",
    "PlanItem",
    "Project",
    "ProjectDocument",
    "ProjectResponsibility",
    "ProjectType",
    "ResponsibilityTemplate",
    "Speciality",
    "Stage",
    "StageTransition",
]
