"""Demo portfolio (manage.py seed_demo, after the organisation): annual plans (decided, filed, returned,
draft), an expert pool, and projects in every stage — two walked through the real gates (one above the
higher-review threshold), some stuck at a gate, the rest recorded as historical projects. Everything
goes through the services, so every step is on the right person's workbench and in the timeline."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.core.registry import register_demo_seeder
from govworks.org.models import Agency, Department, ExternalOrganization, User
from govworks.projects.models import AgendaItem, AnnualPlan, DocumentType, Expert, Project, Stage
from govworks.projects.reference import seed_reference
from govworks.projects.services import approvals, decisions, documents, plans, projects, reviews
from govworks.projects.services.plans import PlanItemData

SUB_PLAN_ITEMS = [
    ("综合楼电梯更新", "repair", 1_350_000),
    ("职工宿舍节能窗改造", "energy", 760_000),
    ("安防监控系统升级", "it", 540_000),
    ("锅炉房低氮改造", "energy", 890_000),
    ("后勤仓库屋面修缮", "repair", 310_000),
    ("洗衣房设备更新", "other", 260_000),
    ("职工餐厅扩建", "expansion", 2_400_000),
    ("院区道路白改黑", "repair", 680_000),
    ("配电房增容改造", "repair", 1_120_000),
]


def _pdf(title: str) -> SimpleUploadedFile:
    body = f"GovWorks demo document: {title}".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%"
        + body
        + b"\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", pdf, content_type="application/pdf")


def _u(username: str) -> User:
    return User.objects.get(username=username)


EXPERTS = [
    # name, speciality, title, employer, tie
    ("王立群", "structure", "教授级高工", "临江市建筑设计研究院有限公司", "designer"),
    ("陈海涛", "structure", "高级工程师", "浙江理工大学建筑工程学院", ""),
    ("林晓燕", "structure", "高级工程师", "临江市建设工程质量监督站", ""),
    ("赵文博", "structure", "教授", "临江大学土木工程学院", ""),
    ("孙一鸣", "structure", "高级工程师", "临江建工集团有限公司", "contractor"),
    ("周慧敏", "hvac", "高级工程师", "华东建筑设计院临江分院", ""),
    ("吴建平", "hvac", "教授级高工", "临江市节能监察中心", ""),
    ("郑伟", "hvac", "高级工程师", "临江大学能源学院", ""),
    ("钱坤", "hvac", "高级工程师", "临江市机关事务管理局", "own"),
    ("冯晓", "hvac", "高级工程师", "浙江省建筑科学设计研究院", ""),
    ("黄凯", "electrical", "高级工程师", "国网临江供电公司", ""),
    ("刘洋洋", "electrical", "高级工程师", "临江市建筑设计研究院有限公司", "designer"),
    ("许平", "electrical", "教授级高工", "临江电力设计院", ""),
    ("杨光", "electrical", "高级工程师", "临江大学电气学院", ""),
    ("朱晨", "energy", "高级工程师", "临江市节能监察中心", ""),
    ("胡蓉", "energy", "高级工程师", "浙江省建筑科学设计研究院", ""),
    ("何雨", "energy", "教授", "临江大学能源学院", ""),
    ("高峰", "cost", "高级造价工程师", "信达工程造价咨询有限公司", "cost"),
    ("马琳", "cost", "高级造价工程师", "临江市财政投资评审中心", ""),
    ("罗斌", "cost", "高级造价工程师", "永正工程造价咨询有限公司", ""),
    ("梁晨", "cost", "高级造价工程师", "临江市审计局审计中心", ""),
    ("宋佳", "fire", "高级工程师", "临江市消防救援支队", ""),
    ("唐勇", "fire", "高级工程师", "浙江省消防技术服务中心", ""),
    ("韩梅", "fire", "高级工程师", "临江市建筑设计研究院有限公司", "designer"),
    ("邓辉", "smart", "高级工程师", "临江市大数据发展管理局", ""),
    ("曹颖", "smart", "高级工程师", "临江大学信息学院", ""),
    ("彭涛", "smart", "高级工程师", "浙江省信息化发展中心", ""),
]


def _experts(root: Agency, manager: User) -> None:
    orgs = {o.kind: o for o in ExternalOrganization.objects.all()}
    for name, speciality, title, employer, tie in EXPERTS:
        fields: dict[str, Any] = {
            "name": name,
            "speciality": speciality,
            "title": title,
            "employer": employer,
            "phone": f"139{abs(hash(name)) % 10**8:08d}",
        }
        if tie == "own":
            fields["employer_agency"] = root
        elif tie == "designer":
            fields["employer_org"] = orgs.get("designer")
        elif tie == "contractor":
            fields["employer_org"] = orgs.get("contractor")
            fields["conflict_agencies"] = [root]
        elif tie == "cost":
            fields["employer_org"] = orgs.get("cost_consultant")
        reviews.expert_create(actor=manager, **fields)


def _item(
    plan: AnnualPlan,
    *,
    name: str,
    kind: str,
    location: str,
    amount: int,
    source: str,
    start: dt.date,
    months: int,
    department: Department,
    responsible: User,
    outcome: str,
) -> PlanItemData:
    return PlanItemData(
        name=name,
        project_type=kind,
        location=location,
        estimated_amount=Decimal(amount),
        funding_source=source,
        planned_start=start,
        planned_end=start + dt.timedelta(days=30 * months),
        department=department,
        responsible=responsible,
        expected_outcome=outcome,
    )


def _decide(
    *,
    agency: Agency,
    organizer: User,
    chair: User,
    members: list[User],
    subject: Any,
    title: str,
    category: str,
    amount: Decimal | None,
    held_on: dt.date,
    meeting_title: str,
) -> AgendaItem:
    meeting = decisions.meeting_create(
        actor=organizer, agency=agency, kind="party_group", title=meeting_title, held_on=held_on, chair=chair, members=members
    )
    decisions.meeting_record_attendance(actor=organizer, meeting=meeting, present=[m.pk for m in [chair, *members]])
    item = decisions.agenda_item_add(
        actor=organizer, meeting=meeting, subject=subject, category=category, title=title, amount=amount
    )
    for member in members:
        decisions.opinion_record(actor=organizer, item=item, member=member, choice="agree", comment="同意")
    return decisions.agenda_conclude(actor=chair, item=item, passed=True, conclusion="经集体讨论，同意。请按程序抓紧推进。")


def _upload(project: Project, codes: list[str], actor: User) -> None:
    for code in codes:
        t = DocumentType.objects.get(code=code)
        documents.document_upload(actor=actor, project=project, doc_type=t, file=_pdf(f"{project.code}-{t.name}"), note="正式版")


def seed_projects() -> str:
    if Project.objects.exists():
        return "已存在，跳过"
    from govworks.projects.models import ApprovalChainRule, ResponsibilityTemplate

    seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)
    root = Agency.objects.get(name="临江市机关事务管理局")
    subs = {a.short_name: a for a in Agency.objects.filter(parent=root)}
    liming, zhoutao, chenzq, zhaolx, sungp = (_u(n) for n in ("liming", "zhoutao", "chenzq", "zhaolx", "sungp"))
    liujing, wuhy, zhengli = _u("liujing"), _u("wuhy"), _u("zhengli")
    jijian = Department.objects.get(agency=root, name="基建科")
    today = timezone.localdate()
    year = today.year
    _experts(root, chenzq)

    # --- the bureau's own plan, decided at the party-group meeting
    plan = plans.annual_plan_create(actor=liming, agency=root, year=year, title=f"临江市机关事务管理局{year}年度工程建设计划")
    rows = [
        (
            "市民中心C座空调系统节能改造",
            "energy",
            "临江市市民中心C座",
            6_800_000,
            "fiscal",
            10,
            "年节电约18%，改善办公环境",
            liming,
        ),
        ("机关食堂厨房设备更新及修缮", "repair", "市级机关第一食堂", 420_000, "fiscal", 3, "消除燃气安全隐患", zhoutao),
        ("档案库房消防系统改造", "repair", "市级机关档案馆负一层", 1_800_000, "special", 6, "气体灭火系统达标", liming),
        ("办公区综合布线及机房升级", "it", "市民中心A座3-8层", 2_600_000, "fiscal", 5, "网络带宽提升至万兆", zhoutao),
        ("机关大院雨污分流改造", "new", "市级机关大院", 950_000, "fiscal", 4, "消除雨污混接", liming),
        ("老干部活动中心屋面防水修缮", "repair", "老干部活动中心", 280_000, "fiscal", 2, "屋面不再渗漏", zhoutao),
        ("市级机关停车场充电桩建设", "new", "市民中心地下车库", 360_000, "self", 3, "新增充电车位60个", liming),
    ]
    start = dt.date(year, 3, 1)
    for name, kind, location, amount, source, months, outcome, who in rows:
        plans.plan_item_add(
            actor=liming,
            plan=plan,
            data=_item(
                plan,
                name=name,
                kind=kind,
                location=location,
                amount=amount,
                source=source,
                start=start,
                months=months,
                department=jijian,
                responsible=who,
                outcome=outcome,
            ),
        )
    plan = plans.annual_plan_submit(actor=liming, plan=plan)
    board = [zhaolx, chenzq, liujing, wuhy]
    _decide(
        agency=root,
        organizer=liming,
        chair=sungp,
        members=board,
        subject=plan,
        title=f"审议{year}年度工程建设计划",
        category="major_project",
        amount=Decimal(sum(r[3] for r in rows)),
        held_on=dt.date(year, 1, 15),
        meeting_title=f"{year}年第1次党组会议",
    )
    items = {i.name: i for i in plan.items.all()}

    # 1. above the higher-review threshold, walked through initiation → now in feasibility with the expert review concluded
    big = projects.project_create_from_plan(actor=liming, item=items["市民中心C座空调系统节能改造"])
    projects.project_advance(actor=liming, project=big, note="已列入年度计划")
    _upload(big, ["proposal", "initiation_approval"], liming)
    joint = reviews.joint_review_request(
        actor=liming,
        project=big,
        stage=Stage.INITIATION,
        subject="空调节能改造立项联审",
        due_on=today + dt.timedelta(days=7),
        seats=[("财务科", liujing), ("内审科", zhengli), ("派驻纪检监察组", wuhy)],
    )
    for seat, (opinion, comment) in zip(
        joint.seats.order_by("id"), [("agree", ""), ("conditional", "概算须经财政投资评审"), ("agree", "")], strict=True
    ):
        reviews.joint_review_opinion(actor=seat.reviewer, seat=seat, opinion=opinion, comment=comment)
    reviews.joint_review_conclude(actor=liming, review=joint)
    _decide(
        agency=root,
        organizer=liming,
        chair=sungp,
        members=board,
        subject=big,
        title="市民中心C座空调系统节能改造立项",
        category="large_fund",
        amount=big.estimate_amount,
        held_on=today - dt.timedelta(days=20),
        meeting_title=f"{year}年第6次党组会议",
    )
    decisions.higher_review_record(
        actor=liming,
        project=big,
        body="gov_executive",
        meeting_date=today - dt.timedelta(days=12),
        document_number=f"临政常〔{year}〕23号",
        conclusion="approved",
        file=_pdf("市政府常务会议纪要"),
    )
    request = approvals.approval_submit(
        actor=liming,
        agency=root,
        kind="project.initiation",
        subject=big,
        project=big,
        title=f"{big.code} {big.name} 立项审批",
        amount=big.controlling_amount,
    )
    for approver in (chenzq, zhaolx, sungp):
        approvals.approval_decide(actor=approver, request=request, approve=True, opinion="同意立项")
    projects.project_advance(actor=liming, project=big, note="立项批复已下达")
    _upload(big, ["feasibility_report"], liming)
    review = reviews.expert_review_draw(
        actor=liming, project=big, stage=Stage.FEASIBILITY, subject="空调节能改造可研论证", speciality="hvac", panel_size=3
    )
    for expert in Expert.objects.filter(pk__in=review.panel):
        reviews.expert_opinion_record(
            actor=liming, review=review, expert=expert, score=86, opinion="方案可行，建议补充冷水机组能效比较及分期实施方案。"
        )
    reviews.expert_review_conclude(actor=liming, review=review, conclusion="pass_with_changes", note="修改后通过：补充能效比较")

    # 2. just below the higher-review threshold, stuck at initiation: the approval waits for the leader in charge
    canteen = projects.project_create_from_plan(actor=zhoutao, item=items["机关食堂厨房设备更新及修缮"])
    projects.project_advance(actor=zhoutao, project=canteen)
    _upload(canteen, ["proposal"], zhoutao)
    waiting = approvals.approval_submit(
        actor=zhoutao,
        agency=root,
        kind="project.initiation",
        subject=canteen,
        project=canteen,
        title=f"{canteen.code} {canteen.name} 立项审批",
        amount=canteen.controlling_amount,
    )
    approvals.approval_decide(actor=chenzq, request=waiting, approve=True, opinion="同意，请分管领导审批")
    # the head tries to approve the next step too: refused (职责分离) and shown on 纪检监察's workbench
    with contextlib.suppress(approvals.SeparationOfDutiesError):
        approvals.approval_decide(actor=chenzq, request=waiting, approve=True, opinion="同意")

    # 3. historical projects already under way, one per later stage
    history = [
        ("档案库房消防系统改造", Stage.CONSTRUCTION),
        ("办公区综合布线及机房升级", Stage.PROCUREMENT),
        ("机关大院雨污分流改造", Stage.DESIGN_REVIEW),
        ("老干部活动中心屋面防水修缮", Stage.ACCEPTANCE),
    ]
    for name, stage in history:
        p = projects.project_create_from_plan(actor=liming, item=items[name])
        projects.project_import_at_stage(
            actor=liming, project=p, stage=stage, note=f"前期手续已线下办理：临机事〔{year}〕{len(name)}号批复"
        )
    projects.project_create_from_plan(actor=liming, item=items["市级机关停车场充电桩建设"])  # stays in 计划

    outside = projects.project_create_outside_plan(
        actor=zhoutao,
        agency=root,
        manager=zhoutao,
        department=jijian,
        name="市民中心B座外墙饰面脱落隐患应急处置",
        project_type="repair",
        location="市民中心B座北立面",
        estimate_amount=Decimal("185000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=45),
        reason="11月巡查发现外墙饰面砖空鼓脱落，存在高空坠物风险，须立即处置，未列入年度计划。",
    )
    projects.project_advance(actor=zhoutao, project=outside)

    # subordinate agencies: a filed plan, a returned plan, a draft; their projects fill the remaining stages
    logistics, cars, conference = subs.get("后勤服务中心"), subs.get("公务用车中心"), subs.get("会议中心")
    extra_stages = [
        Stage.CONTRACT,
        Stage.SUSPENDED,
        Stage.SETTLEMENT,
        Stage.FINAL_ACCOUNTS,
        Stage.ARCHIVING,
        Stage.ASSET_HANDOVER,
        Stage.EVALUATION,
        Stage.CLOSED,
        Stage.PRELIM_DESIGN,
    ]
    made = 0
    for agency, status in ((logistics, "filed"), (cars, "returned"), (conference, "draft")):
        if agency is None:
            continue
        pm = User.objects.filter(agency=agency, grants__role="project_manager", grants__revoked_at__isnull=True).first()
        head = User.objects.filter(agency=agency, grants__role__in=["principal_leader"], grants__revoked_at__isnull=True).first()
        dept = Department.objects.filter(agency=agency).order_by("-is_construction", "name").first()
        if pm is None or head is None or dept is None:
            continue
        sub_plan = plans.annual_plan_create(actor=pm, agency=agency, year=year, title=f"{agency.name}{year}年度工程建设计划")
        sub_items = SUB_PLAN_ITEMS if status == "filed" else SUB_PLAN_ITEMS[:3]
        for n, (name, kind, amount) in enumerate(sub_items, start=1):
            plans.plan_item_add(
                actor=pm,
                plan=sub_plan,
                data=_item(
                    sub_plan,
                    name=f"{agency.short_name}{name}",
                    kind=kind,
                    location=agency.address or "临江市",
                    amount=amount,
                    source="fiscal",
                    start=dt.date(year, 1 + n % 10, 1),
                    months=6,
                    department=dept,
                    responsible=pm,
                    outcome="按期完成，质量合格",
                ),
            )
        if status == "draft":
            continue
        sub_plan = plans.annual_plan_submit(actor=pm, plan=sub_plan)
        others = list(User.objects.filter(agency=agency).exclude(pk__in=[pm.pk, head.pk])[:2])
        _decide(
            agency=agency,
            organizer=pm,
            chair=head,
            members=[pm, *others],
            subject=sub_plan,
            title=f"审议{year}年度工程建设计划",
            category="major_project",
            amount=None,
            held_on=dt.date(year, 1, 20),
            meeting_title=f"{year}年第1次主任办公会议",
        )
        plans.annual_plan_file(actor=pm, plan=AnnualPlan.objects.get(pk=sub_plan.pk))
        if status == "returned":
            plans.annual_plan_return(
                actor=zhaolx,
                plan=AnnualPlan.objects.get(pk=sub_plan.pk),
                comment="电梯更新项目估算偏高，请补充询价依据；安防项目请与市大数据局统筹后重新报送。",
            )
            continue
        for item in AnnualPlan.objects.get(pk=sub_plan.pk).items.all():
            p = projects.project_create_from_plan(actor=pm, item=item)
            stage = extra_stages[made % len(extra_stages)]
            if stage == Stage.SUSPENDED:
                projects.project_import_at_stage(
                    actor=pm, project=p, stage=Stage.CONSTRUCTION, note=f"前期手续已线下办理（{agency.short_name}〔{year}〕5号）"
                )
                projects.project_suspend(actor=pm, project=p, reason="电梯井道发现结构裂缝，暂停施工待鉴定")
            else:
                projects.project_import_at_stage(
                    actor=pm, project=p, stage=stage, note=f"前期手续已线下办理（{agency.short_name}〔{year}〕5号）"
                )
            made += 1
    return f"{AnnualPlan.objects.count()} 个年度计划，{Project.objects.count()} 个项目，{Expert.objects.count()} 名专家"


register_demo_seeder(20, "项目全生命周期", seed_projects)
