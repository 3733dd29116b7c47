"""Demo data of the performance evaluation, through the services: three projects of the 市机关事务局 entered at
绩效评价 (历史项目录入) with their funds — one whose evaluation is yet to be started (李明's workbench), one whose
self-evaluation waits for the review (财务/内审's workbench), one evaluated (graded, its report filed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.closeout.models import Evaluation
from govworks.closeout.services import evaluation as services
from govworks.core.registry import register_demo_seeder
from govworks.org.models import Agency, Department, User
from govworks.projects.models import Project, Stage

DEMO_PROJECTS = (
    ("机关车库屋面防水维修", "repair", "420000", "not_started"),
    ("机关办公楼外墙节能改造", "energy", "2680000", "submitted"),
    ("机关幼儿园食堂改造", "repair", "860000", "approved"),
)
# hand scores of the default template's indicators GovWorks does not measure (by name)
HAND_SCORES = {
    "立项依据充分性": "4",
    "立项程序规范性": "4",
    "绩效目标合理性": "2.5",
    "绩效指标明确性": "2.5",
    "预算编制科学性": "3",
    "资金分配合理性": "3",
    "资金使用合规性": "4",
    "管理制度健全性": "3",
    "制度执行有效性": "2.5",
    "实际完成率": "6",
    "质量达标率": "6",
    "完成及时性": "5",
    "成本节约率": "5.5",
    "结算审减率": "2.5",
    "社会效益": "7.5",
    "经济效益": "5",
    "生态效益": "3.5",
    "可持续影响": "3.5",
    "服务对象满意度": "7",
}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 demo evidence " + name.encode(), content_type="application/pdf")


def seed_evaluations() -> str:
    from govworks.finance.services.funds import fund_receipt_record, funding_source_create
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    root = Agency.objects.filter(code="LJJG").first()
    if root is None:
        return "跳过：没有市机关事务局"
    liming = User.objects.get(username="liming")
    liujing = User.objects.get(username="liujing")
    zhengli = User.objects.get(username="zhengli")
    today = timezone.localdate()
    made = []
    for i, (name, kind, amount, target) in enumerate(DEMO_PROJECTS):
        if Project.objects.filter(agency=root, name=name).exists():
            continue
        project = project_create_outside_plan(
            actor=liming,
            agency=root,
            manager=liming,
            department=Department.objects.get(agency=root, name="基建科"),
            name=name,
            project_type=kind,
            location="临江市市级机关大院",
            estimate_amount=Decimal(amount),
            funding_source="fiscal",
            planned_start=today - dt.timedelta(days=420),
            planned_end=today,
            reason="上年度结转项目，已完工并完成结算、决算、档案和资产移交（线下办理）。",
        )
        project = project_import_at_stage(
            actor=liming,
            project=project,
            stage=Stage.EVALUATION,
            note=f"竣工验收、结算审计、竣工决算、档案和资产移交已线下办理：临机事〔{today.year - 1}〕{20 + i}号",
        )
        source = funding_source_create(
            actor=liujing,
            project=project,
            kind="fiscal",
            name=f"{today.year - 1}年机关办公用房维修改造资金",
            budget_year=today.year,
            indicator_number=f"临财预〔{today.year - 1}〕{40 + i}号",
            functional_class="2010350 事业运行",
            economic_class="31001 房屋建筑物购建",
            amount=Decimal(amount),
        )
        fund_receipt_record(
            actor=liujing,
            source=source,
            received_on=today - dt.timedelta(days=300),
            amount=Decimal(amount) * Decimal("0.95"),
            document_number=f"临财拨〔{today.year - 1}〕{60 + i}号",
        )
        if target == "not_started":
            made.append(f"{project.code}（待发起）")
            continue
        evaluation = services.evaluation_start(actor=liming, project=project)
        for row in evaluation.indicators.order_by("seq"):
            if row.measured:
                continue
            services.evaluation_indicator_fill(
                actor=liming,
                indicator=row,
                score=Decimal(HAND_SCORES.get(row.name, str(row.points))),
                comment=f"依据项目资料评分：{row.method[:40]}",
                evidence=_pdf(f"{project.code}-{row.name}佐证"),
            )
        evaluation = services.evaluation_submit(
            actor=liming,
            evaluation=Evaluation.objects.get(pk=evaluation.pk),
            summary="项目按批复内容完成建设，资金使用规范，达到预期绩效目标；完成及时性和满意度略有不足。",
        )
        if target == "approved":
            services.evaluation_review(
                actor=zhengli, evaluation=evaluation, approve=True, opinion="自评依据充分，评分客观，同意评定。"
            )
        made.append(f"{project.code}（{Evaluation.objects.get(pk=evaluation.pk).get_status_display()}）")
    return "绩效评价：" + ("、".join(made) if made else "已存在")


register_demo_seeder(64, "绩效评价", seed_evaluations)
