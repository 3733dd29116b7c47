"""What 阳光公示 plugs in: its permission, audit labels, and the signals that move the page-cache stamp when
any record the portal reads is saved or deleted."""

from __future__ import annotations

from govworks.closeout.models import Acceptance, Evaluation, Settlement
from govworks.construction.models import ProjectSite
from govworks.org.models import Agency
from govworks.portal import (
    audit_labels_gongshi,  # noqa: F401  (registers the audit labels)
    permissions_gongshi,  # noqa: F401  (registers the action)
)
from govworks.portal.cache_gongshi import connect_signals
from govworks.portal.models import PortalWithdrawal
from govworks.procurement.models import ChangeOrder, Contract, Supplier
from govworks.projects.models import AnnualPlan, ApprovalRequest, PlanItem, Project

connect_signals(
    [
        Agency,
        AnnualPlan,
        PlanItem,
        Project,
        ApprovalRequest,
        Contract,
        Supplier,
        ChangeOrder,
        ProjectSite,
        Acceptance,
        Settlement,
        Evaluation,
        PortalWithdrawal,
    ]
)
