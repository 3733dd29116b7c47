"""Demo of the completion acceptance and the defect period (manage.py seed_demo, after finance), all through the
services, for 临江市机关事务管理局 with 临江建工 (马超) as contractor and 浙临监理 (杨帆) as supervisor:

* 老干部活动中心屋面防水修缮 (in 竣工验收): 马超 declares completion, 李明 organises the acceptance with the five
  parties, 杨帆 finds a problem at the acceptance, 马超 rectifies it and 杨帆 verifies it, every party agrees, the
  conclusion is 合格 with its record PDF — and the 备案 is still to do (on 李明's workbench with its deadline);
* 机关幼儿园室外活动场地改造 (in 结算审计): accepted and filed, the stage left through its gate; in its
  defect-liability period a leak was reported to the contractor and awaits repair."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.core.registry import register_demo_seeder
from govworks.org.models import Department, User
from govworks.procurement.models import Supplier
from govworks.projects.models import Project, Stage

CONTRACTOR = "临江建工集团有限公司"
SUPERVISOR = "浙临工程监理咨询有限公司"
ACCEPTING = "老干部活动中心屋面防水修缮"
IN_DEFECT_PERIOD = "机关幼儿园室外活动场地改造"


def _sign(project: Project, *, liming: User, supplier: Supplier, main: bool, amount: Decimal) -> None:
    from govworks.core.errors import DomainError
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services import lots as lot_services

    today = timezone.localdate()
    title = f"{project.name}{'施工' if main else '施工监理服务'}合同"
    lot = lot_services.lot_create(
        actor=liming,
        project=project,
        name=title.removesuffix("合同"),
        category="works" if main else "services",
        estimated_amount=amount,
    )
    for method in ("competitive_consultation", "open_tender"):
        try:
            lot = lot_services.lot_choose_method(actor=liming, lot=lot, method=method)
            break
        except DomainError:
            continue
    contract = contract_services.contract_create(
        actor=liming, lot=lot, supplier=supplier, title=title, is_main_construction=main, amount=amount,
        pricing_type="lump_sum", starts_on=today - dt.timedelta(days=150), ends_on=today - dt.timedelta(days=10),
        award_notice_on=today - dt.timedelta(days=160), advance_ratio=Decimal("0.10"), progress_ratio=Decimal("0.80"),
        quality_deposit_ratio=Decimal("0.03") if main else Decimal(0), defect_period_months=12 if main else 0,
        award_reference="竞争性磋商成交通知书" if main else "监理服务成交通知书",
        milestones=[
            {"kind": "advance", "ratio": Decimal("0.10"), "condition": "合同签订后"},
            {"kind": "progress", "ratio": Decimal("0.80"), "condition": "按月计量"},
            {"kind": "settlement", "condition": "结算审计后"},
            {"kind": "retention_return", "ratio": Decimal("0.03"), "condition": "缺陷责任期满"},
        ] if main else [],
    )  # fmt: skip
    contract_services.contract_sign(actor=liming, contract=contract, signed_on=today - dt.timedelta(days=155))


def _accept(project: Project, *, people: dict[str, User], problem: str, file: bool) -> Any:
    from govworks.closeout.services import acceptance as s
    from govworks.construction.services.inspections import notice_reply, notice_verify

    liming, machao, yangfan = people["liming"], people["machao"], people["yangfan"]
    today = timezone.localdate()
    a = s.acceptance_declare(
        actor=machao,
        project=project,
        note="合同范围内工程已全部完成，施工单位自检合格，工程竣工报告经项目经理及单位负责人签字、总监签署意见。",
    )
    a = s.acceptance_supervision_notice_record(
        actor=liming, acceptance=a, notified_on=today - dt.timedelta(days=21), body="临江市建设工程质量监督站",
        file=SimpleUploadedFile("竣工验收通知书.pdf", b"%PDF-1.4 demo supervision notice", content_type="application/pdf"),
    )  # fmt: skip
    a = s.acceptance_organise(
        actor=liming, acceptance=a, scheduled_on=today, location=f"{project.location}现场及会议室",
        party_names={"survey": "临江市勘察测绘研究院", "design": "临江市建筑设计研究院有限公司"},
    )  # fmt: skip
    found = s.acceptance_problem_raise(
        actor=liming, acceptance=a, finding=problem, requirement="按设计要求返工并提交整改照片", deadline=today + dt.timedelta(days=7),
        raised_by_role="supervisor",
    )  # fmt: skip
    notice = notice_reply(actor=machao, notice=found.notice, text="已按设计要求返工处理，附整改前后照片。")
    notice_verify(actor=yangfan, notice=notice, passed=True, opinion="复查合格，同意销项。")
    for party in a.parties.all():
        actor = {"contractor": machao, "supervisor": yangfan}.get(party.role, liming)
        s.acceptance_opinion_record(
            actor=actor, party=party, opinion="agree", text="工程质量符合设计及规范要求，同意验收。",
            representative={"contractor": "马超", "supervisor": "杨帆", "owner": "李明"}.get(party.role, "项目负责人"),
        )  # fmt: skip
    a = s.acceptance_conclude(
        actor=liming, acceptance=a, passed=True, note="工程质量符合设计和规范要求，验收组一致同意验收合格。"
    )
    if file:
        s.acceptance_filing_record(
            actor=liming, acceptance=a, filed_on=today, number=f"临建竣备〔{today.year}〕{project.pk:03d}号",
            authority="临江市住房和城乡建设局",
            file=SimpleUploadedFile("备案表.pdf", b"%PDF-1.4 demo acceptance filing", content_type="application/pdf"),
        )  # fmt: skip
    return a


def seed_acceptance() -> str:
    from govworks.closeout.models import Acceptance, DefectPeriod
    from govworks.closeout.services.defects import defect_report
    from govworks.projects.services import projects as project_services

    if Acceptance.objects.exists():
        return "已存在，跳过"
    people = {u.username: u for u in User.objects.filter(username__in=["liming", "machao", "yangfan"])}
    contractor = Supplier.objects.filter(name=CONTRACTOR, external_org__isnull=False).first()
    supervisor = Supplier.objects.filter(name=SUPERVISOR, external_org__isnull=False).first()
    liming = people.get("liming")
    if liming is None or liming.agency is None or contractor is None or supervisor is None or len(people) < 3:
        return "无演示组织或供应商，跳过"
    root = liming.agency
    today = timezone.localdate()
    accepting = Project.objects.filter(agency=root, name=ACCEPTING, stage=Stage.ACCEPTANCE).first()
    if accepting is None:
        return "无竣工验收阶段的演示项目，跳过"
    _sign(accepting, liming=liming, supplier=contractor, main=True, amount=Decimal("268000"))
    _sign(accepting, liming=liming, supplier=supervisor, main=False, amount=Decimal("18000"))
    _accept(accepting, people=people, problem="屋面女儿墙泛水收口处卷材翘边，局部积水", file=False)

    dept = Department.objects.get(agency=root, name="基建科")
    kindergarten = project_services.project_create_outside_plan(
        actor=liming, agency=root, manager=liming, department=dept, name=IN_DEFECT_PERIOD, project_type="repair",
        location="临江市机关幼儿园", estimate_amount=Decimal("320000"), funding_source="fiscal",
        planned_start=today - dt.timedelta(days=160), planned_end=today - dt.timedelta(days=10),
        reason="上年度结转项目，前期手续已于上年度办结，本年度完工验收。",
    )  # fmt: skip
    kindergarten = project_services.project_import_at_stage(
        actor=liming,
        project=kindergarten,
        stage=Stage.ACCEPTANCE,
        note=f"前期手续及施工已线下办理：临机事〔{today.year - 1}〕21号批复",
    )
    _sign(kindergarten, liming=liming, supplier=contractor, main=True, amount=Decimal("286000"))
    _sign(kindergarten, liming=liming, supplier=supervisor, main=False, amount=Decimal("16000"))
    _accept(kindergarten, people=people, problem="塑胶场地与排水沟交接处局部脱胶", file=True)
    project_services.project_advance(actor=liming, project=Project.objects.get(pk=kindergarten.pk), note="竣工验收合格并已备案")
    period = DefectPeriod.objects.get(project=kindergarten)
    defect_report(
        actor=liming,
        period=period,
        finding="雨后滑梯区域塑胶面层起鼓渗水",
        location="滑梯区",
        deadline=today + dt.timedelta(days=10),
    )
    return f"竣工验收 {Acceptance.objects.count()} 项（{ACCEPTING}待备案；{IN_DEFECT_PERIOD}缺陷责任期内报修 1 项）"


register_demo_seeder(60, "竣工验收与缺陷责任期", seed_acceptance)
