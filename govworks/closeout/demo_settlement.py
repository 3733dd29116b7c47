"""Demo data of the settlement audit (seeder order 61), produced through the services: audit firms on the
top agency's register and, for each demo project past its completion acceptance with a signed construction
contract whose contractor has an account, the contractor's 结算书, the draw, the firm's result, the
contractor's confirmation and the approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

FIRMS = [
    ("临江正信工程造价咨询有限公司", "91331000MA2DEMO01X", "工程造价咨询甲级"),
    ("临江华审会计师事务所有限公司", "91331000MA2DEMO02X", "工程造价咨询乙级、会计师事务所执业证书"),
    ("临江公诚建设项目管理有限公司", "91331000MA2DEMO03X", "工程造价咨询甲级"),
]


def seed_settlement_demo() -> str:
    """Seed the register of audit firms and walk the settlements the demo allows."""
    from govworks.closeout.models import AuditFirm, Settlement
    from govworks.closeout.rules_settlement import Line
    from govworks.closeout.selectors.milestones import completion_date
    from govworks.closeout.selectors.settlement import construction_contracts
    from govworks.closeout.services import settlement as services
    from govworks.org.models import Agency, User
    from govworks.projects.models import Project

    root = Agency.objects.filter(parent__isnull=True).order_by("id").first()
    if root is None:
        return "无组织机构，跳过"
    auditor = User.objects.filter(agency=root, grants__role="internal_audit", grants__revoked_at__isnull=True).first()
    if auditor is None:
        return "无内审人员，跳过"
    made = 0
    for name, code, qualification in FIRMS:
        if not AuditFirm.objects.filter(agency=root, credit_code=code).exists():
            services.audit_firm_create(
                actor=auditor,
                agency=root,
                name=name,
                credit_code=code,
                qualification=qualification,
                qualification_valid_until=timezone.localdate() + dt.timedelta(days=700),
            )
            made += 1
    walked = 0
    for project in Project.objects.filter(agency__path__startswith=root.path).order_by("id"):
        if completion_date(project) is None:
            continue
        for contract in construction_contracts(project):
            contractor = User.objects.filter(external_org_id=contract.supplier.external_org_id, is_active=True).first()
            organiser = User.objects.filter(
                agency=project.agency, grants__role="internal_audit", grants__revoked_at__isnull=True
            ).first()
            head = User.objects.filter(
                agency=project.agency, grants__role="department_head", grants__revoked_at__isnull=True
            ).first()
            if contractor is None or organiser is None or head is None or Settlement.objects.filter(contract=contract).exists():
                continue
            amount = Decimal(contract.amount)
            s = services.settlement_submit(
                actor=contractor,
                contract=contract,
                amount=amount,
                files=[SimpleUploadedFile("结算书.pdf", b"%PDF-1.4 demo settlement", "application/pdf")],
                note="竣工结算书及工程量计算书",
            )
            s = services.settlement_firm_draw(actor=organiser, settlement=s)
            building = (amount * Decimal("0.7")).quantize(Decimal("0.01"))
            installation = amount - building
            reduced = (amount * Decimal("0.06")).quantize(Decimal("0.01"))
            s = services.settlement_result_record(
                actor=organiser,
                settlement=s,
                lines=[
                    Line("建筑与装饰工程", building, building - reduced, "工程量按竣工图核减"),
                    Line("安装工程", installation, installation),
                ],
                report_number=f"临审结〔{timezone.localdate().year}〕{s.pk}号",
            )
            s = services.settlement_confirm(actor=contractor, settlement=s)
            if head.pk not in {s.drawn_by_id, s.result_by_id}:
                services.settlement_approve(actor=head, settlement=s)
            walked += 1
    return f"审计机构入库 {made} 家，结算审计 {walked} 份"
