"""Demo data of 双随机一公开, through the services: 纪检监察 吴海燕 of the 市机关事务局 keeps two items (一般, 重点),
four inspectors (吴海燕, 郑丽, 何敏, 张莉), one plan of last month over the projects in construction, drawn; the drawn
inspectors enter every result, so the plan is published on /gongshi/inspections/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.registry import register_demo_seeder
from govworks.integrity.models import InspectionPlan, InspectionResult
from govworks.integrity.services import inspections as services
from govworks.org.models import Agency, User

INSPECTORS = ("wuhy", "zhengli", "hemin", "zhangli")


def seed_inspections() -> str:
    root = Agency.objects.filter(code="LJJG").first()
    wuhy = User.objects.filter(username="wuhy").first()
    if root is None or wuhy is None:
        return "跳过：没有市机关事务局或纪检监察员"
    if InspectionPlan.objects.filter(agency=root).exists():
        return "已有抽查计划"
    general = services.item_create(
        actor=wuhy, agency=root, name="施工现场文明施工与扬尘管控", kind="general", ratio=Decimal("20"),
        basis="《建设工程安全生产管理条例》第三十条；本单位施工现场管理规定",
    )  # fmt: skip
    key = services.item_create(
        actor=wuhy, agency=root, name="工程质量安全与农民工工资支付", kind="key", ratio=Decimal("50"),
        basis="《建设工程质量管理条例》；《保障农民工工资支付条例》",
    )  # fmt: skip
    for username in INSPECTORS:
        person = User.objects.filter(username=username).first()
        if person is not None:
            services.inspector_add(actor=wuhy, agency=root, person=person)
    today = timezone.localdate()
    plan = services.plan_create(
        actor=wuhy, agency=root, title=f"{today.year}年第{(today.month - 1) // 3 + 1}季度在建项目双随机抽查",
        items=[general, key], object_kind="project", ratio=Decimal("50"), inspectors_per_object=2,
        period_start=today - dt.timedelta(days=30), period_end=today - dt.timedelta(days=5),
        rules_text="一、抽查由派驻纪检监察组组织，公开摇号，全程留痕。\n二、检查人员与检查对象有利害关系的，应当回避。\n"
        "三、检查结束之日起 20 个工作日内录入检查结果并向社会公示。",
    )  # fmt: skip
    try:
        draw = services.plan_draw(actor=wuhy, plan=plan)
    except DomainError as err:
        return f"抽查计划已制定，未能抽取：{err.message}"
    inspectors = {i["id"]: i["user"] for i in draw.snapshot["inspectors"]}
    entered = 0
    for row in draw.result["objects"]:
        person = User.objects.get(pk=inspectors[row["inspectors"][0]])
        services.result_enter(
            actor=person, draw=draw, object_key=row["object"], outcome=InspectionResult.Outcome.RECTIFY if entered else "no_issue",
            findings="现场质量安全管理资料齐全，农民工工资按月足额支付，扬尘管控措施落实。" if not entered
            else "现场部分区域未设置围挡，已责令施工单位限期整改并复查。",
        )  # fmt: skip
        entered += 1
    return f"抽查事项 2 项、检查人员 {len(inspectors)} 名、抽查计划 1 个（抽中 {len(draw.result['objects'])} 个对象，结果已公示 {entered} 条）"


register_demo_seeder(70, "双随机抽查", seed_inspections)
