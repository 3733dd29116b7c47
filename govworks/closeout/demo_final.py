"""Demo data of the final accounts and the asset handover (manage.py seed_demo, order 62). Everything through the
services, in the city agency (临江市机关事务管理局):

* 机关食堂节能改造 — brought in at 竣工决算 (历史项目录入): a signed main contract (268,000 元) paid its advance through
  the treasury, a 财政拨款 source with receipts, the final accounts being prepared by 刘静 (contract cost from the
  payments, 监理费 and 设计费 with evidence, most 报送资料 ticked) and a one-month extension waiting for 赵立新.
* 行政中心会议室改造 — brought in at 资产移交: its final accounts approved through the chain (郑丽 → 赵立新 → 孙国平),
  the surplus returned, the report filed; the 交付使用资产清单 built from the approved cost, the building card split
  (装修 / 会议系统), submitted to 办公室 where 何敏 is to confirm receipt.

The completion date is the day of the import (the seed), so the deadlines run from today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.org.models import Agency, Department, User
from govworks.projects.models import Project, Stage

PEOPLE = ["liming", "chenzq", "zhaolx", "sungp", "liujing", "zhangli", "zhengli", "hemin"]
DRAFTING = "机关食堂节能改造"
HANDOVER = "行政中心会议室改造"


def _pdf(title: str) -> SimpleUploadedFile:
    from govworks.projects.demo import _pdf as projects_pdf

    return projects_pdf(title)


def _project(name: str, stage: str, amount: str, *, root: Agency, people: dict[str, User], dept: Department) -> Project:
    from govworks.projects.services import projects as project_services

    today = timezone.localdate()
    project = project_services.project_create_outside_plan(
        actor=people["liming"],
        agency=root,
        manager=people["liming"],
        department=dept,
        name=name,
        project_type="repair",
        location="临江市解放路66号机关大院",
        estimate_amount=Decimal(amount),
        funding_source="fiscal",
        planned_start=today - dt.timedelta(days=240),
        planned_end=today - dt.timedelta(days=20),
        reason="上年度结转项目，已竣工验收，本年度办理决算。",
    )
    return project_services.project_import_at_stage(
        actor=people["liming"],
        project=project,
        stage=stage,
        note=f"前期至竣工验收已线下办理：临机事〔{today.year - 1}〕{len(name)}号",
    )


def _contract_paid(project: Project, people: dict[str, User], amount: str) -> Any:
    """A signed main contract below the 三重一大 line, its advance paid through the treasury (all through the services)."""
    from govworks.construction.demo import _lot
    from govworks.finance.demo import _approve, _source
    from govworks.finance.services import funds, payments, treasury
    from govworks.procurement.models import Supplier
    from govworks.procurement.services import contracts as contract_services

    today = timezone.localdate()
    liming, liujing = people["liming"], people["liujing"]
    supplier = Supplier.objects.order_by("id").first()
    assert supplier is not None, "the procurement demo registers the suppliers first"
    lot = _lot(actor=liming, project=project, name=f"{project.name}施工", category="works", amount=Decimal(amount))
    contract = contract_services.contract_create(
        actor=liming, lot=lot, supplier=supplier, title=f"{project.name}施工合同", is_main_construction=True,
        amount=Decimal(amount), pricing_type="lump_sum", starts_on=today - dt.timedelta(days=200),
        ends_on=today - dt.timedelta(days=30), award_notice_on=today - dt.timedelta(days=210),
        advance_ratio=Decimal("0.20"), progress_ratio=Decimal("0.80"), quality_deposit_ratio=Decimal("0.03"),
        defect_period_months=12, award_reference="竞争性磋商成交通知书",
        milestones=[
            {"kind": "advance", "ratio": Decimal("0.20"), "condition": "合同签订后"},
            {"kind": "progress", "ratio": Decimal("0.80"), "condition": "按月计量"},
            {"kind": "settlement", "condition": "结算审计后"},
            {"kind": "retention_return", "ratio": Decimal("0.03"), "condition": "缺陷责任期满"},
        ],
    )  # fmt: skip
    contract = contract_services.contract_sign(actor=liming, contract=contract, signed_on=today - dt.timedelta(days=205))
    source = _source(project, liujing, "fiscal", f"{project.name}专项资金", f"临财预〔{today.year}〕{project.pk}号", "400000")
    funds.fund_receipt_record(
        actor=liujing,
        source=source,
        received_on=today - dt.timedelta(days=60),
        amount=Decimal("300000"),
        document_number="临财拨〔2026〕402号",
    )
    advance = payments.payment_request_create(
        actor=liming,
        milestone=contract.milestones.get(kind="advance"),
        source=source,
        gross_amount=(Decimal(amount) * Decimal("0.20")).quantize(Decimal("0.01")),
        purpose="合同签订后支付预付款",
    )
    advance = payments.payment_request_submit(actor=liming, request=advance)
    _approve(advance, {u.username: u for u in User.objects.filter(username__in=["chenzq", "zhangli", "zhaolx", "sungp"])})
    instruction = payments.payment_request_finalize(actor=liujing, request=advance)
    treasury.instruction_confirm(
        actor=liujing,
        instruction=instruction,
        paid=True,
        voucher_number=f"GK{today:%Y}{instruction.pk:06d}",
        paid_on=today - dt.timedelta(days=50),
    )
    return contract, source


def _prepare(project: Project, people: dict[str, User], *, complete: bool) -> Any:
    from govworks.closeout import rules_final_accounts as rules
    from govworks.closeout.services import final_accounts as services

    liujing = people["liujing"]
    fa = services.final_accounts_start(actor=liujing, project=project)
    for category, label, amount, basis in (
        ("supervision", "施工监理服务费", "12000", "监理合同 JL-2026-07，发票 04471230"),
        ("survey_design", "施工图设计费", "9800", "设计合同 SJ-2026-03，发票 04471188"),
    ):
        services.other_cost_add(
            actor=liujing,
            fa=fa,
            category=category,
            label=label,
            amount=Decimal(amount),
            basis=basis,
            evidence=_pdf(f"{label}发票"),
        )
    for code, name in rules.DOCUMENT_CHECKLIST:
        if code == "estimate_adjustment":
            services.document_record(actor=liujing, fa=fa, code=code, missing_reason="本项目未调整概算")
        elif complete or code in ("initiation", "feasibility", "prelim_design"):
            services.document_record(actor=liujing, fa=fa, code=code, file=_pdf(name))
    return fa


def seed_final_accounts_demo() -> str:
    from govworks.closeout.models import FinalAccounts
    from govworks.closeout.reference_final import seed_final_accounts_chains
    from govworks.closeout.selectors import final_accounts as selectors
    from govworks.closeout.services import assets as asset_services
    from govworks.closeout.services import final_accounts as services
    from govworks.projects.models import ApprovalChainRule
    from govworks.projects.services.approvals import approval_decide

    seed_final_accounts_chains(ApprovalChainRule)  # the test runner's flush empties what the migration seeded
    if FinalAccounts.objects.exists():
        return "已存在，跳过"
    people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    root = (
        Agency.objects.filter(parent__isnull=True, code="LJJG").first()
        or Agency.objects.filter(parent__isnull=True).order_by("id").first()
    )
    if len(people) < len(PEOPLE) or root is None:
        return "无演示人员，跳过"
    dept = Department.objects.filter(agency=root, is_construction=True).first()
    office = Department.objects.filter(agency=root, name="办公室").first()
    if dept is None or office is None:
        return "无演示科室，跳过"
    today = timezone.localdate()

    # 1. in 竣工决算: being prepared, an extension waiting
    drafting = _project(DRAFTING, Stage.FINAL_ACCOUNTS, "320000", root=root, people=people, dept=dept)
    _contract_paid(drafting, people, "268000")
    fa = _prepare(drafting, people, complete=False)
    services.extension_request(
        actor=people["liujing"], fa=fa, months=1, reason="工程结算审计报告尚未出具，申请延期一个月编报决算"
    )

    # 2. in 资产移交: final accounts approved, list submitted to 办公室
    handed = _project(HANDOVER, Stage.ASSET_HANDOVER, "300000", root=root, people=people, dept=dept)
    _, source = _contract_paid(handed, people, "236000")
    fa = _prepare(handed, people, complete=True)
    request = services.final_accounts_submit(actor=people["liujing"], fa=fa)
    for username in ("zhengli", "zhaolx", "sungp"):
        request = approval_decide(actor=people[username], request=request, approve=True, opinion="同意")
    sheet = selectors.sheet_of(handed)
    if sheet.surplus > 0:
        services.surplus_return_record(
            actor=people["liujing"],
            fa=fa,
            source=source,
            amount=sheet.surplus,
            returned_on=today,
            document_number="非税缴款书 3301-0087",
        )
    services.final_accounts_report_file(actor=people["liujing"], fa=fa)
    handover = asset_services.asset_handover_start(actor=people["liujing"], project=handed, using_department=office)
    first = handover.cards.order_by("seq").first()
    if first is not None and first.value > Decimal("50000"):
        rest = Decimal(first.value) - Decimal("48600")
        asset_services.asset_card_split(
            actor=people["liujing"],
            card=first,
            parts=[
                {"name": "行政中心会议室装修", "class_code": "1020000", "unit": "项", "value": rest},
                {"name": "会议室音视频系统", "class_code": "2320000", "unit": "套", "value": Decimal("48600")},
            ],
        )
    asset_services.asset_handover_submit(actor=people["liujing"], handover=handover)
    return "2 个项目：1 个竣工决算编制中（延期待批），1 个资产移交待使用部门确认"
