"""Actions of finance, which roles hold them, and who sees what.

* 财务 keeps the funds (资金来源, 到位), finalizes approved payment requests into treasury instructions and
  records or imports the treasury's confirmations; they also keep the wage accounts with 工程管理岗.
* 工程管理岗 and 科室负责人 draft and submit payment requests, keep the cost items, record day labour and
  the wage transfers of their agency's projects; the approval chain decides (no one approves what they
  submitted).
* The supervising engineer (监理, an external user) confirms the completed value and day labour of the
  projects where their company holds a contract; the owner's representative (工程管理岗, not the
  recorder) confirms day labour too.
* 纪检监察 reads everything of the agency and receives the wage alerts.
* Reads follow the project: whoever may read the project reads its money.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import ExternalKind, Role
from govworks.projects.permissions import projects_visible_to

FUND_MANAGE = "finance.fund_manage"
PAYMENT_REQUEST = "finance.payment_request"
PAYMENT_FINALIZE = "finance.payment_finalize"
TREASURY = "finance.treasury"
COST_MANAGE = "finance.cost_manage"
DAY_LABOUR_RECORD = "finance.day_labour_record"
DAY_LABOUR_CONFIRM = "finance.day_labour_confirm"
WAGE_MANAGE = "finance.wage_manage"
WAGE_ALERT_VIEW = "finance.wage_alert_view"

org_perms.register_role_actions(
    Role.PROJECT_MANAGER, {PAYMENT_REQUEST, COST_MANAGE, DAY_LABOUR_RECORD, DAY_LABOUR_CONFIRM, WAGE_MANAGE}
)
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, {PAYMENT_REQUEST, COST_MANAGE, DAY_LABOUR_CONFIRM})
org_perms.register_role_actions(Role.LIAISON, {DAY_LABOUR_RECORD})
org_perms.register_role_actions(Role.FINANCE, {FUND_MANAGE, PAYMENT_FINALIZE, TREASURY, COST_MANAGE, WAGE_MANAGE})
org_perms.register_role_actions(Role.DISCIPLINE, {WAGE_ALERT_VIEW})
org_perms.ACTION_LABELS.update(
    {
        FUND_MANAGE: "登记资金来源和资金到位",
        PAYMENT_REQUEST: "起草和提交付款申请",
        PAYMENT_FINALIZE: "办结付款申请（生成国库支付指令）",
        TREASURY: "登记或导入国库支付回单",
        COST_MANAGE: "维护成本科目和合同归集",
        DAY_LABOUR_RECORD: "记录点工",
        DAY_LABOUR_CONFIRM: "确认点工（建设单位代表）",
        WAGE_MANAGE: "登记农民工工资专用账户、拨付和保证金",
        WAGE_ALERT_VIEW: "接收欠薪预警",
    }
)


def may_read_finance(user: Any) -> bool:
    """Internal users with a business role somewhere see the finance pages (filtered to their projects)."""
    return bool(org_perms.business_readable_agency_ids(user)) and not getattr(user, "is_external", False)


def may(user: Any, action: str, project: Any) -> bool:
    return org_perms.can(user, action, project.agency_id)


def supervises(user: Any, project: Any) -> bool:
    """An external user of a 监理单位 whose company (as a supplier) holds a contract on ``project``."""
    if not getattr(user, "is_external", False) or user.external_org is None:
        return False
    if user.external_org.kind != ExternalKind.SUPERVISOR:
        return False
    from govworks.procurement.models import Contract

    return Contract.objects.filter(project_id=project.pk, supplier__external_org_id=user.external_org_id).exists()


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def payment_requests_visible_to(user: Any) -> QuerySet[Any]:
    from govworks.finance.models import PaymentRequest

    return PaymentRequest.objects.filter(project__in=projects_visible_to(user))


def access_payment_request(user: Any, pk: Any) -> Any:
    qs = payment_requests_visible_to(user).select_related(
        "project",
        "project__agency",
        "contract",
        "contract__supplier",
        "milestone",
        "source",
        "payee_account",
        "completed_value",
        "created_by",
    )
    return _get_or_404(qs, pk)


def access_instruction(user: Any, pk: Any) -> Any:
    from govworks.finance.models import PaymentInstruction

    qs = PaymentInstruction.objects.filter(request__project__in=projects_visible_to(user)).select_related(
        "request", "request__project", "request__contract", "agency", "issued_by"
    )
    return _get_or_404(qs, pk)


def access_source(user: Any, pk: Any) -> Any:
    from govworks.finance.models import FundingSource

    return _get_or_404(FundingSource.objects.filter(project__in=projects_visible_to(user)).select_related("project"), pk)


def access_day_labour(user: Any, pk: Any) -> Any:
    """Readers of the project, and the supervising engineer of it."""
    from govworks.finance.models import DayLabour

    row = _get_or_404(DayLabour.objects.select_related("project", "project__agency"), pk)
    if projects_visible_to(user).filter(pk=row.project_id).exists() or supervises(user, row.project):
        return row
    raise Http404("记录不存在或您无权查看")
