"""Demo finance data (manage.py seed_demo, orders 50–54, after construction). Everything through the
services, with dates spread over the last months so the charts show a history:

* 档案库房消防系统改造 (the demo contract): a 财政拨款 and a 自筹 source with receipts; the estimate split
  into cost items with the contract charged to one; completed value confirmed twice; an advance (大额:
  four-step chain and a collective decision) and a progress payment paid through the treasury (回单
  imported), a second progress request waiting in the approval chain;
  day labour by two teams (some confirmed, some waiting); the wage account with a missing transfer for last
  month (the periodic job raises the alert to the project manager and 纪检监察).
* 市民中心空调主机及冷却塔更换 (red in the construction demo, payments frozen): a source, a signed
  contract and a progress request refused at submission because of the freeze (kept for 纪检监察).
  When the construction demo has not frozen it, the freeze is created here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.registry import register_demo_seeder
from govworks.finance.models import CostItem, FundingSource, PaymentRequest
from govworks.org.models import User
from govworks.projects.models import Project

CONTRACT_PROJECT = "档案库房消防系统改造"
RED_PROJECT = "市民中心空调主机及冷却塔更换"
PEOPLE = ["liming", "chenzq", "zhaolx", "sungp", "liujing", "zhangli", "wuhy"]


def _people() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=PEOPLE)}


def _approve(request: PaymentRequest, people: dict[str, User]) -> None:
    from govworks.finance.services.payments import PAYMENT_KIND
    from govworks.projects.models import ApprovalRequest
    from govworks.projects.services.approvals import approval_decide

    by_role = {
        "department_head": people["chenzq"],
        "finance": people["zhangli"],  # 职责分离: the 会计 reviews in the chain, the 科长 finalizes
        "leader_in_charge": people["zhaolx"],
        "principal_leader": people["sungp"],
    }
    approval = ApprovalRequest.objects.get(kind=PAYMENT_KIND, subject_id=request.pk)
    while approval.status == ApprovalRequest.Status.PENDING:
        step = approval.steps.get(index=approval.current_index)
        approval = approval_decide(actor=by_role[step.role], request=approval, approve=True, opinion="同意，按合同约定支付")


def _decide(request: PaymentRequest, people: dict[str, User], held_on: dt.date) -> None:
    from govworks.projects.demo import _decide as decide

    decide(
        agency=request.project.agency,
        organizer=people["liming"],
        chair=people["sungp"],
        members=[people["zhaolx"], people["chenzq"], people["liujing"], people["wuhy"]],
        subject=request,
        title=f"审议{request.project.name}付款申请{request.number}（{request.amount:,.2f}元）",
        category="large_fund",
        amount=Decimal(request.amount),
        held_on=held_on,
        meeting_title="局党组会议（大额资金使用）",
    )


def _source(project: Project, actor: User, kind: str, name: str, indicator: str, amount: str) -> FundingSource:
    from govworks.finance.services.funds import funding_source_create

    return funding_source_create(
        actor=actor,
        project=project,
        kind=kind,
        name=name,
        budget_year=timezone.localdate().year,
        indicator_number=indicator,
        functional_class="2010350 事业运行（机关服务）",
        economic_class="31001 房屋建筑物购建",
        amount=Decimal(amount),
    )


SUPERVISOR_COMPANY = "浙临工程监理咨询有限公司"


def _supervision_contract(project: Project, people: dict[str, User]) -> User | None:
    """The supervision (监理) contract of the project with the demo's 监理 company, so its engineer (杨帆)
    supervises the project; returns the engineer, or None when the demo has no such company or account."""
    from govworks.procurement.models import Contract, Supplier
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services import lots as lot_services

    supplier = Supplier.objects.filter(name=SUPERVISOR_COMPANY, external_org__isnull=False).first()
    engineer = User.objects.filter(external_org__supplier=supplier).order_by("id").first() if supplier else None
    if supplier is None or engineer is None:
        return None
    if Contract.objects.filter(project=project, supplier=supplier).exists():
        return engineer
    today = timezone.localdate()
    liming = people["liming"]
    try:
        lot = lot_services.lot_create(
            actor=liming, project=project, name="工程监理服务", category="services", estimated_amount=Decimal("46000")
        )
        lot = lot_services.lot_choose_method(actor=liming, lot=lot, method="open_tender")
        contract = contract_services.contract_create(
            actor=liming,
            lot=lot,
            supplier=supplier,
            title=f"{project.name}监理服务合同",
            amount=Decimal("46000"),
            pricing_type="lump_sum",
            starts_on=today - dt.timedelta(days=22),
            ends_on=today + dt.timedelta(days=150),
            award_notice_on=today - dt.timedelta(days=25),
            advance_ratio=Decimal("0.10"),
            progress_ratio=Decimal("0.80"),
            quality_deposit_ratio=Decimal("0"),
            defect_period_months=0,
            milestones=[{"kind": "progress", "ratio": Decimal("0.80"), "condition": "按月支付监理费"}],
        )
        contract_services.contract_sign(actor=liming, contract=contract, signed_on=today - dt.timedelta(days=21))
    except DomainError:
        return None
    return engineer


def seed_finance() -> str:
    """Funds, cost items, paid and pending payments, day labour and wages of the demo contract's project."""
    from govworks.finance.reference import seed_payment_chains
    from govworks.finance.services import funds, labour, payments, treasury
    from govworks.procurement.models import Contract
    from govworks.projects.models import ApprovalChainRule

    seed_payment_chains(ApprovalChainRule)  # the test runner's flush empties what migration 0002 seeded
    if PaymentRequest.objects.exists():
        return "已存在，跳过"
    people = _people()
    project = Project.objects.filter(name=CONTRACT_PROJECT).select_related("agency").first()
    contract = (
        Contract.objects.filter(project=project, status=Contract.Status.SIGNED, is_main_construction=True).first()
        if project
        else None
    )
    if len(people) < len(PEOPLE) or project is None or contract is None:
        return "无演示合同，跳过"
    liming, chenzq, liujing = people["liming"], people["chenzq"], people["liujing"]
    today = timezone.localdate()
    supervisor = _supervision_contract(project, people) or chenzq  # 监理工程师 杨帆, else the owner's representative
    fiscal = _source(
        project, liujing, "fiscal", f"{today.year}年机关办公用房维修改造资金", f"临财预〔{today.year}〕15号", "1500000"
    )
    own = _source(project, liujing, "self", "单位自筹（公用经费结余）", f"临机自〔{today.year}〕3号", "300000")
    funds.fund_receipt_record(
        actor=liujing,
        source=fiscal,
        received_on=today - dt.timedelta(days=75),
        amount=Decimal("800000"),
        document_number="临财拨〔2026〕208号",
    )
    funds.fund_receipt_record(
        actor=liujing,
        source=fiscal,
        received_on=today - dt.timedelta(days=20),
        amount=Decimal("400000"),
        document_number="临财拨〔2026〕311号",
    )
    funds.fund_receipt_record(
        actor=liujing,
        source=own,
        received_on=today - dt.timedelta(days=40),
        amount=Decimal("300000"),
        document_number="机关记账凭证 2026-0917",
    )
    base = Decimal(project.approved_estimate or project.estimate_amount)
    items: list[CostItem] = []
    for code, name, share in (
        ("01", "建筑安装工程费", Decimal("0.82")),
        ("02", "设备及工器具购置费", Decimal("0.08")),
        ("03", "工程建设其他费用", Decimal("0.06")),
        ("04", "预备费", Decimal("0.04")),
    ):
        items.append(
            funds.cost_item_create(
                actor=liming, project=project, code=code, name=name, estimate_amount=(base * share).quantize(Decimal("0.01"))
            )
        )
    funds.contract_allocate(actor=liming, contract=contract, cost_item=items[0])
    for other in Contract.objects.filter(project=project).exclude(pk=contract.pk):  # the supervision contract
        funds.contract_allocate(actor=liming, contract=other, cost_item=items[2])

    # advance (大额: four-step chain + collective decision), paid two months ago
    advance_ms = contract.milestones.get(kind="advance")
    advance = payments.payment_request_create(
        actor=liming,
        milestone=advance_ms,
        source=fiscal,
        gross_amount=(Decimal(contract.amount) * Decimal(contract.advance_ratio)).quantize(Decimal("0.01")),
        purpose="合同签订后支付预付款（已提交预付款保函）",
    )
    advance = payments.payment_request_submit(actor=liming, request=advance)
    _approve(advance, people)
    _decide(advance, people, today - dt.timedelta(days=20))
    first = payments.payment_request_finalize(actor=liujing, request=advance)
    # progress: completed value confirmed by the owner's representative, paid last month
    payments.completed_value_confirm(
        actor=chenzq,
        contract=contract,
        period_end=today - dt.timedelta(days=12),
        cumulative_value=Decimal("500000"),
        note="第1期计量：管网安装、支吊架",
    )
    progress = payments.payment_request_create(
        actor=liming,
        milestone=contract.milestones.get(kind="progress"),
        source=fiscal,
        gross_amount=Decimal("350000"),
        purpose="第1期进度款",
    )
    progress = payments.payment_request_submit(actor=liming, request=progress)
    _approve(progress, people)
    second = payments.payment_request_finalize(actor=liujing, request=progress)
    rows = [
        ",".join(treasury.HEADERS),
        f"{first.number},成功,GK{today:%Y}09{first.pk:05d},{(today - dt.timedelta(days=18)).isoformat()},{first.amount},",
        f"{second.number},成功,GK{today:%Y}10{second.pk:05d},{(today - dt.timedelta(days=8)).isoformat()},{second.amount},",
    ]
    treasury.treasury_import(
        actor=liujing, agency=project.agency, file_name="国库支付回单-演示.csv", content="\n".join(rows).encode()
    )
    # second progress request waiting in the approval chain
    payments.completed_value_confirm(
        actor=supervisor,
        contract=contract,
        period_end=today - dt.timedelta(days=3),
        cumulative_value=Decimal("900000"),
        note="第2期计量：七氟丙烷灭火装置安装",
    )
    pending = payments.payment_request_create(
        actor=liming,
        milestone=contract.milestones.get(kind="progress"),
        source=own,
        gross_amount=Decimal("200000"),
        purpose="第2期进度款",
    )
    pending = payments.payment_request_submit(actor=liming, request=pending)

    # day labour (点工)
    for days, team, trade, n, wd, price, content, confirm in (
        (26, "王师傅班组", "电工", 3, "3", "380", "拆除原有消防报警线路", True),
        (25, "王师傅班组", "电工", 2, "2", "380", "临时照明及配电箱移位", True),
        (18, "李记杂工队", "普工", 4, "4", "260", "库房清理、密集架搬移", True),
        (12, "李记杂工队", "普工", 3, "3", "260", "吊顶开孔后垃圾清运", True),
        (3, "王师傅班组", "电工", 2, "2", "380", "气体灭火控制盘接线配合", False),
        (1, "李记杂工队", "普工", 2, "1.5", "260", "成品保护及现场清扫", False),
    ):
        row = labour.day_labour_record(
            actor=liming,
            project=project,
            team=team,
            trade=trade,
            work_date=today - dt.timedelta(days=days),
            people=n,
            workdays=Decimal(wd) * n,
            unit_price=Decimal(price),
            content=content,
            cost_item=items[0],
        )
        if confirm:
            labour.day_labour_confirm(actor=supervisor if days > 15 else chenzq, record=row)

    # wage account: transfers for every month but the last one
    from govworks.finance.rules import add_months, month_start

    opened = add_months(month_start(today), -3)
    account = labour.wage_account_open(
        actor=liming,
        contract=contract,
        bank_name="中国农业银行临江城东支行",
        account_name=f"{contract.supplier.name}农民工工资专用账户",
        account_number="19-015101040099871",
        labour_cost_ratio=Decimal("0.22"),
        opened_on=opened,
    )
    for offset in (0, 1):
        month = add_months(opened, offset)
        labour.wage_transfer_record(
            actor=liujing,
            account=account,
            month=month,
            amount=Decimal("58000"),
            transferred_on=add_months(month, 1) + dt.timedelta(days=4),
            voucher_number=f"RG-{month:%Y%m}-01",
        )
    labour.wage_deposit_record(
        actor=liming,
        contract=contract,
        form="guarantee",
        amount=(Decimal(contract.amount) * Decimal("0.02")).quantize(Decimal("0.01")),
        deposited_on=opened,
        bank_name="中国农业银行临江城东支行",
        reference="工资保证金保函 BH2026-0088",
    )
    alerts = labour.wage_alerts_raise(today)
    return f"2 个资金来源、4 个成本科目、3 笔付款申请（2 笔已支付、1 笔审批中）、6 条点工；{alerts}；待办：{pending.number}"


register_demo_seeder(50, "资金：预算、付款、点工与工资", seed_finance)


def seed_frozen_project() -> str:
    """The red project: a source, a signed contract and a progress request refused because of the freeze."""
    from govworks.construction.models import PaymentFreeze
    from govworks.construction.selectors.freezes import active_payment_freeze
    from govworks.finance.services import payments
    from govworks.procurement.models import Contract, Supplier, SupplierBankAccount
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services import lots as lot_services

    people = _people()
    project = Project.objects.filter(name=RED_PROJECT).select_related("agency").first()
    if project is None or len(people) < len(PEOPLE):
        return "无红灯演示项目，跳过"
    if PaymentRequest.objects.filter(project=project).exists():
        return "已存在，跳过"
    liming, liujing = people["liming"], people["liujing"]
    today = timezone.localdate()
    contract = Contract.objects.filter(project=project, status=Contract.Status.SIGNED).first()
    if contract is None:
        supplier = Supplier.objects.filter(name="临江建工集团有限公司").first() or Supplier.objects.order_by("id").first()
        if supplier is None:
            return "无供应商，跳过"
        if not supplier.bank_accounts.exists():  # pragma: no cover - the supplier demo gives every company one
            SupplierBankAccount.objects.create(
                supplier=supplier,
                bank_name="中国建设银行临江滨江支行",
                account_name=supplier.name,
                account_number="33050161990000001",
                is_default=True,
            )
        lot = lot_services.lot_create(
            actor=liming, project=project, name="空调主机及冷却塔更换", category="works", estimated_amount=Decimal("268000")
        )
        try:
            lot = lot_services.lot_choose_method(actor=liming, lot=lot, method="open_tender")
        except DomainError:
            lot = lot_services.lot_choose_method(
                actor=liming, lot=lot, method="inquiry", ground="货物规格标准统一、现货货源充足且价格变化幅度小"
            )
        contract = contract_services.contract_create(
            actor=liming,
            lot=lot,
            supplier=supplier,
            title=f"{project.name}施工合同",
            is_main_construction=True,
            amount=Decimal("268000"),
            pricing_type="lump_sum",
            starts_on=today - dt.timedelta(days=70),
            ends_on=today + dt.timedelta(days=30),
            award_notice_on=today - dt.timedelta(days=80),
            advance_ratio=Decimal("0.10"),
            progress_ratio=Decimal("0.80"),
            quality_deposit_ratio=Decimal("0.03"),
            defect_period_months=12,
            milestones=[
                {"kind": "advance", "ratio": Decimal("0.10"), "condition": "合同签订后"},
                {"kind": "progress", "ratio": Decimal("0.80"), "condition": "按月计量"},
                {"kind": "settlement", "condition": "结算审计后"},
                {"kind": "retention_return", "ratio": Decimal("0.03"), "condition": "缺陷责任期满"},
            ],
        )
        contract = contract_services.contract_sign(actor=liming, contract=contract, signed_on=today - dt.timedelta(days=72))
    source = _source(
        project, liujing, "fiscal", f"{today.year}年公共机构节能改造专项资金", f"临财建〔{today.year}〕41号", "300000"
    )
    if active_payment_freeze(project.pk) is None:
        PaymentFreeze.objects.create(
            project=project,
            cause=PaymentFreeze.Cause.RED_LIGHT,
            reason="计划进度62%，实际进度25%，滞后37个百分点（资金演示数据）",
            frozen_at=timezone.now() - dt.timedelta(days=6),
        )
    payments.completed_value_confirm(
        actor=people["chenzq"],
        contract=contract,
        period_end=today - dt.timedelta(days=10),
        cumulative_value=Decimal("90000"),
        note="冷却塔基础及管道拆除",
    )
    request = payments.payment_request_create(
        actor=liming,
        milestone=contract.milestones.get(kind="progress"),
        source=source,
        gross_amount=Decimal("70000"),
        purpose="第1期进度款",
    )
    try:
        payments.payment_request_submit(actor=liming, request=request)
    except DomainError:
        return f"红灯项目付款申请{request.number}提交被拒（暂停拨款），拒绝记录已留痕"
    return f"付款申请{request.number}未被拒绝：项目未处于暂停拨款"  # pragma: no cover


register_demo_seeder(51, "资金：红灯项目暂停拨款", seed_frozen_project)
