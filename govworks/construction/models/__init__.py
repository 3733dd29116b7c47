"""Models of construction supervision, one module per aggregate."""

from govworks.construction.models.freezes import PaymentFreeze
from govworks.construction.models.incidents import SafetyIncident
from govworks.construction.models.inspections import (
    Inspection,
    InspectionKind,
    RectificationNotice,
    RectificationStep,
)
from govworks.construction.models.lights import Interview, LightEvaluation, RecoveryPlan
from govworks.construction.models.meetings import ActionItem, SiteMeeting
from govworks.construction.models.schedule import ProgressReport, ScheduleTask
from govworks.construction.models.site_reports import (
    DailyReport,
    DailyReportEntry,
    Party,
    SitePhoto,
    StagedPhoto,
    SupervisionDiary,
)
from govworks.construction.models.sites import Light, ProjectSite

__all__ = [
    "ActionItem",
    "DailyReport",
    "DailyReportEntry",
    "Inspection",
    "InspectionKind",
    "Interview",
    "Light",
    "LightEvaluation",
    "Party",
    "PaymentFreeze",
    "ProgressReport",
    "ProjectSite",
    "RecoveryPlan",
    "RectificationNotice",
    "RectificationStep",
    "SafetyIncident",
    "ScheduleTask",
    "SiteMeeting",
    "SitePhoto",
    "StagedPhoto",
    "SupervisionDiary",
]
