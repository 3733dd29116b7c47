"""The records of supervision, one module per area; re-exported here so ``govworks.integrity.models.X`` works."""

from govworks.integrity.models.alerts import RiskAlert, RiskAlertChange, RiskAlertPerson  # noqa: F401  (risk centre)
from govworks.integrity.models.cases import (  # noqa: F401
    Case,
    CaseEvidence,
    CaseInterview,
    CaseNote,
    CaseOutcome,
    CaseParty,
    CaseRectification,
    CaseStatus,
    ManualCaseSource,
)
from govworks.integrity.models.complaints import Complaint, ComplaintAttachment, ComplaintStatus  # noqa: F401
from govworks.integrity.models.inspections import InspectionDraw, InspectionItem, InspectionPlan, InspectionResult, Inspector  # noqa: F401
