"""Writes of day labour (点工) and of the migrant-worker wage account (农民工工资专用账户).

* Day labour is recorded by 工程管理岗/项目联络员 of the project's agency and confirmed by the supervising
  engineer of the project or by the owner's representative (工程管理岗/科室负责人) — never by the person
  who recorded it. Only confirmed records count in the monthly summary and the cost centre.
* The wage account of a construction contract, its monthly labour-cost transfers (人工费用拨付, at most
  ``wage.labour_cost_transfer_cycle_days`` apart) and wage deposits (工资保证金) are kept by 工程管理岗
  and 财务. The periodic job raises an alert for every complete month without a transfer; it goes to
  the project manager and 纪检监察 and is resolved by recording that month's transfer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value
from govworks.finance import permissions as perms
from govworks.finance import rules
from govworks.finance.models import CostItem, DayLabour, WageAccount, WageAlert, WageDeposit, WageTransfer
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement.models import Contract
from govworks.projects.models import Project, Stage
from govworks.projects.services.approvals import SeparationOfDutiesError, approval_sod_refused_record


def _workbench_changed(*keys: str) -> None:
    """Forget the cached "who has items" sets of the workbench now and again once the change is committed
    (a reader between the two may have cached the old state). A stale entry only costs the reader one
    query: the workbench always reads the items themselves from the database."""
    from django.core.cache import cache

    cache.delete_many(list(keys))
    transaction.on_commit(lambda: cache.delete_many(list(keys)))


LABOUR_KEY = "finance:labour_pending_agencies"
ALERT_KEY = "finance:wage_alert_owners"


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def day_labour_record(
    *,
    actor: User,
    project: Project,
    team: str,
    trade: str,
    work_date: dt.date,
    people: int,
    workdays: Decimal,
    unit_price: Decimal,
    content: str,
    cost_item: CostItem | None = None,
) -> DayLabour:
    """Record one day's labour of a team; the amount is workdays × unit price."""
    org_perms.require(actor, perms.DAY_LABOUR_RECORD, project.agency_id)
    if not (team or "").strip() or not (trade or "").strip():
        raise DomainError("finance.labour_team", "请填写施工班组和工种", field="team")
    if not (content or "").strip():
        raise DomainError("finance.labour_content", "请填写工作内容", field="content")
    if work_date > timezone.localdate():
        raise DomainError("finance.labour_future", "日期不能晚于今天", field="work_date")
    if people is None or people <= 0 or workdays is None or workdays <= 0:
        raise DomainError("finance.labour_people", "人数和工日须大于0", field="workdays")
    if unit_price is None or unit_price <= 0:
        raise DomainError("finance.labour_price", "工日单价须大于0", field="unit_price")
    if cost_item is not None and cost_item.project_id != project.pk:
        raise DomainError("finance.labour_item", "成本科目不属于本项目", field="cost_item")
    with transaction.atomic():
        row = DayLabour.objects.create(
            project=project,
            cost_item=cost_item,
            team=team.strip(),
            trade=trade.strip(),
            work_date=work_date,
            people=people,
            workdays=workdays,
            unit_price=unit_price,
            amount=rules.cents(workdays * unit_price),
            content=content.strip(),
            recorded_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="finance.day_labour.record",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 点工 {work_date:%Y-%m-%d} {row.team}·{row.trade} {people}人 {workdays}工日 {_yuan(Decimal(row.amount))}",
        )
        _workbench_changed(LABOUR_KEY)
    return row


def day_labour_confirm(*, actor: User, record: DayLabour) -> DayLabour:
    """Confirm a day-labour record as the supervising engineer or the owner's representative; never by
    its recorder (职责分离: the refused attempt is recorded for 纪检监察 after the rollback)."""
    project = Project.objects.select_related("agency").get(pk=record.project_id)
    if perms.supervises(actor, project):
        role = "监理工程师"
    elif org_perms.can(actor, perms.DAY_LABOUR_CONFIRM, project.agency_id):
        role = "建设单位代表"
    else:
        raise PermissionDenied("点工须由本项目的监理工程师或建设单位代表确认")
    try:
        return _day_labour_confirm(actor=actor, record=record, project=project, role=role)
    except SeparationOfDutiesError as err:
        approval_sod_refused_record(actor=actor, error=err)
        raise


def _day_labour_confirm(*, actor: User, record: DayLabour, project: Project, role: str) -> DayLabour:
    with transaction.atomic():
        row = DayLabour.objects.select_for_update().get(pk=record.pk)
        if row.status != DayLabour.Status.RECORDED:
            raise DomainError("finance.labour_state", "该点工记录已确认")
        if row.recorded_by_id == actor.pk:
            raise SeparationOfDutiesError(
                "finance.labour_own",
                "职责分离：您记录了该点工，不能再确认（记录与确认须由不同的人办理）",
                obj=row,
                agency=project.agency,
                project=project,
                title=f"{project.code} 点工 {row.work_date:%Y-%m-%d} {row.team}·{row.trade}",
                step_label="点工确认",
            )
        row.status, row.confirmed_by, row.confirmed_as, row.confirmed_at = DayLabour.Status.CONFIRMED, actor, role, timezone.now()
        row.save(update_fields=["status", "confirmed_by", "confirmed_as", "confirmed_at"])
        audit_event_record(
            actor=actor,
            action="finance.day_labour.confirm",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {role}确认点工 {row.work_date:%Y-%m-%d} {row.team}·{row.trade} {_yuan(Decimal(row.amount))}",
            changes={"status": {"before": "recorded", "after": "confirmed"}},
        )
        _workbench_changed(LABOUR_KEY)
    return row


def wage_account_open(
    *,
    actor: User,
    contract: Contract,
    bank_name: str,
    account_name: str,
    account_number: str,
    labour_cost_ratio: Decimal,
    opened_on: dt.date,
) -> WageAccount:
    """Register the contractor's wage account of ``contract`` with the contract's labour-cost share."""
    project = Project.objects.select_related("agency").get(pk=contract.project_id)
    org_perms.require(actor, perms.WAGE_MANAGE, project.agency_id)
    if not (0 < labour_cost_ratio < 1):
        raise DomainError(
            "finance.wage_ratio", f"人工费用比例应在0到100%之间，填写的是 {labour_cost_ratio * 100}%", field="labour_cost_ratio"
        )
    if not account_number.strip() or not bank_name.strip():
        raise DomainError("finance.wage_account", "请填写开户银行和专用账号", field="account_number")
    with transaction.atomic():
        if WageAccount.objects.filter(contract=contract).exists():
            raise DomainError("finance.wage_account_exists", f"合同{contract.number}已登记工资专用账户")
        row = WageAccount.objects.create(
            contract=contract,
            bank_name=bank_name.strip(),
            account_name=account_name.strip(),
            account_number=account_number.strip(),
            labour_cost_ratio=labour_cost_ratio,
            opened_on=opened_on,
            created_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="finance.wage_account.open",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 合同{contract.number}登记农民工工资专用账户 {row}（人工费用占比 {rules.pct(labour_cost_ratio)}）",
        )
    return row


def wage_transfer_record(
    *, actor: User, account: WageAccount, month: dt.date, amount: Decimal, transferred_on: dt.date, voucher_number: str
) -> WageTransfer:
    """Record the labour-cost transfer for ``month`` into the wage account; resolves that month's alert."""
    contract = Contract.objects.select_related("project", "project__agency").get(pk=account.contract_id)
    project = contract.project
    org_perms.require(actor, perms.WAGE_MANAGE, project.agency_id)
    if amount is None or amount <= 0:
        raise DomainError("finance.wage_amount", "拨付金额须大于0", field="amount")
    if transferred_on > timezone.localdate():
        raise DomainError("finance.wage_future", "拨付日期不能晚于今天", field="transferred_on")
    if not (voucher_number or "").strip():
        raise DomainError("finance.wage_voucher", "请填写拨付凭证号", field="voucher_number")
    month = rules.month_start(month)
    with transaction.atomic():
        row = WageTransfer.objects.create(
            account=account,
            month=month,
            amount=amount,
            transferred_on=transferred_on,
            voucher_number=voucher_number.strip(),
            recorded_by=actor,
        )
        resolved = WageAlert.objects.filter(account=account, month=month, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        audit_event_record(
            actor=actor,
            action="finance.wage_transfer.record",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {month:%Y年%m月}人工费用拨付 {_yuan(amount)} 至 {account}"
            + ("，消除欠薪预警" if resolved else ""),
        )
        _workbench_changed(ALERT_KEY)
    return row


def wage_deposit_record(
    *, actor: User, contract: Contract, form: str, amount: Decimal, deposited_on: dt.date, bank_name: str, reference: str
) -> WageDeposit:
    """Record the contractor's wage deposit (cash or bank guarantee)."""
    project = Project.objects.select_related("agency").get(pk=contract.project_id)
    org_perms.require(actor, perms.WAGE_MANAGE, project.agency_id)
    if form not in WageDeposit.Form.values:
        raise DomainError("finance.deposit_form", "请选择存储形式", field="form")
    if amount is None or amount <= 0:
        raise DomainError("finance.deposit_amount", "金额须大于0", field="amount")
    with transaction.atomic():
        row = WageDeposit.objects.create(
            contract=contract,
            form=form,
            amount=amount,
            deposited_on=deposited_on,
            bank_name=bank_name.strip(),
            reference=reference.strip(),
            recorded_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="finance.wage_deposit.record",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 合同{contract.number}工资保证金（{row.get_form_display()}）{_yuan(amount)}",
        )
    return row


ACTIVE_STAGES = (Stage.CONTRACT, Stage.CONSTRUCTION, Stage.SUSPENDED, Stage.ACCEPTANCE)


def wage_alerts_raise(today: dt.date) -> str:
    """Periodic job: for every wage account of a project still under way, one alert per month (from the
    month the account was opened) whose labour cost is due under ``wage.labour_cost_transfer_cycle_days``
    and was not transferred. Idempotent (one alert per month); one parameter query per agency."""
    accounts = WageAccount.objects.filter(contract__project__stage__in=ACTIVE_STAGES).select_related(
        "contract", "contract__project", "contract__project__agency"
    )
    transfers: dict[int, list[dt.date]] = {}
    for account_id, month in WageTransfer.objects.filter(account__in=accounts).values_list("account_id", "month"):
        transfers.setdefault(account_id, []).append(month)
    existing = set(WageAlert.objects.filter(account__in=accounts).values_list("account_id", "month"))
    cycles: dict[int, int] = {}
    raised = 0
    for account in accounts:
        agency = account.contract.project.agency
        if agency.pk not in cycles:
            cycles[agency.pk] = int(rule_value("wage.labour_cost_transfer_cycle_days", agency=agency, on=today))
        missing = rules.months_without_transfer(
            starts=account.opened_on, today=today, transferred=transfers.get(account.pk, []), cycle_days=cycles[agency.pk]
        )
        project = account.contract.project
        for month in missing:
            if (account.pk, month) in existing:
                continue
            try:
                with transaction.atomic():
                    alert = WageAlert.objects.create(account=account, project=project, month=month, raised_on=today)
                    audit_event_record(
                        actor=None,
                        action="finance.wage_alert.raise",
                        obj=alert,
                        agency=project.agency,
                        context=project,
                        summary=f"{project.code} {month:%Y年%m月}未向农民工工资专用账户拨付人工费用（合同{account.contract.number}）",
                    )
                raised += 1
            except IntegrityError:
                continue
    if raised:
        _workbench_changed(ALERT_KEY)
    return f"欠薪预警：新增 {raised} 条"
