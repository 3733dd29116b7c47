"""One demo project walked from 施工 to 关闭 (manage.py seed_demo, order 65, after every other close-out seeder),
entirely through the services and each stage left through its gate (``project_advance``), by the people of each role:

机关会议中心照明节能改造 of 临江市机关事务管理局 (李明, 基建科), built by 临江建工 (马超) under 浙临监理 (杨帆):
the last task reported 100 % and confirmed → 施工 left; 马超 declares completion, 李明 notifies the quality
supervision body, organises the acceptance with the five parties, every party agrees, 合格, 备案 → 竣工验收 left;
马超 submits the 结算书, 内审 郑丽 draws the firm and records its result, 马超 confirms, 科室负责人 陈志强 approves →
结算审计 left; 财务 刘静 prepares the final accounts, 郑丽 → 赵立新 → 孙国平 approve, the surplus is returned, the
report filed → 竣工决算 left; 档案员 何敏 completes, verifies and transfers the archive → 档案移交 left; 刘静 builds
the 交付使用资产清单, 办公室's 何敏 confirms it, the list is filed → 资产移交 left; 李明's self-evaluation, 郑丽's
review, 李明's 复盘 approved by 陈志强 → the project closes (关闭), its workspace showing the whole story."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.core.registry import register_demo_seeder
from govworks.org.models import Agency, Department, User
from govworks.projects.models import Project, Stage

WALKED = "机关会议中心照明节能改造"
PEOPLE = ("liming", "machao", "yangfan", "zhengli", "chenzq", "liujing", "zhangli", "zhaolx", "sungp", "hemin")
CONTRACT_AMOUNT = Decimal("268000")
SUPERVISION_AMOUNT = Decimal("14000")


def _pdf(title: str) -> SimpleUploadedFile:
    body = f"GovWorks demo: {title}".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%" + body + b"\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", pdf, content_type="application/pdf")


def _advance(actor: User, project: Project, note: str) -> Project:
    from govworks.projects.services.projects import project_advance

    return project_advance(actor=actor, project=Project.objects.get(pk=project.pk), note=note)


def project_in_construction(people: dict[str, User], *, name: str = WALKED) -> Project:
    """A project in 施工 with its signed main construction contract (临江建工) and supervision contract (浙临监理),
    its site set up, its budget received, and one task planned to end yesterday (not yet reported done)."""
    from govworks.closeout.demo_acceptance import CONTRACTOR, SUPERVISOR, _sign
    from govworks.construction.services.schedule import site_configure, task_create
    from govworks.finance.demo import _source
    from govworks.finance.services import funds
    from govworks.procurement.models import Supplier
    from govworks.projects.services import projects as project_services

    liming, liujing = people["liming"], people["liujing"]
    root = liming.agency
    assert root is not None
    today = timezone.localdate()
    project = project_services.project_create_outside_plan(
        actor=liming, agency=root, manager=liming, department=Department.objects.get(agency=root, name="基建科"),
        name=name, project_type="energy", location="临江市市级机关会议中心", estimate_amount=Decimal("300000"),
        funding_source="fiscal", planned_start=today - dt.timedelta(days=150), planned_end=today - dt.timedelta(days=5),
        reason="会议中心照明灯具老化、能耗高，列入本年度节能改造。",
    )  # fmt: skip
    project = project_services.project_import_at_stage(
        actor=liming, project=project, stage=Stage.CONSTRUCTION, note=f"前期手续及招标已线下办理：临机事〔{today.year}〕41号批复"
    )
    _sign(project, liming=liming, supplier=Supplier.objects.get(name=CONTRACTOR, external_org__isnull=False), main=True,
          amount=CONTRACT_AMOUNT)  # fmt: skip
    _sign(project, liming=liming, supplier=Supplier.objects.get(name=SUPERVISOR, external_org__isnull=False), main=False,
          amount=SUPERVISION_AMOUNT)  # fmt: skip
    site_configure(actor=liming, project=project, latitude=Decimal("30.245120"), longitude=Decimal("120.171230"), radius_m=500)
    task_create(
        actor=liming, project=project, code="T1", name="灯具及控制系统更换", planned_start=today - dt.timedelta(days=120),
        planned_end=today - dt.timedelta(days=1), weight=Decimal(1),
    )  # fmt: skip
    source = _source(project, liujing, "fiscal", f"{project.name}专项资金", f"临财预〔{today.year}〕{project.pk}号", "290000")
    funds.fund_receipt_record(
        actor=liujing, source=source, received_on=today - dt.timedelta(days=100), amount=Decimal("290000"),
        document_number=f"临财拨〔{today.year}〕{project.pk}号",
    )  # fmt: skip
    return Project.objects.get(pk=project.pk)


def finish_construction(project: Project, people: dict[str, User]) -> Project:
    """The contractor reports the last task done, the supervisor confirms it, the 工程竣工报告 is filed; 施工 is left
    through its gate."""
    from govworks.construction.models import ScheduleTask
    from govworks.construction.services.schedule import progress_confirm, progress_report
    from govworks.projects.models import DocumentType
    from govworks.projects.services import documents

    for task in ScheduleTask.objects.filter(project=project):
        report = progress_report(
            actor=people["machao"], task=task, as_of=timezone.localdate(), percent=Decimal(100), note="全部完成"
        )
        progress_confirm(actor=people["yangfan"], report=report, opinion="现场核实，已全部完成")
    documents.document_upload(
        actor=people["liming"], project=project, doc_type=DocumentType.objects.get(code="completion_report"),
        file=_pdf(f"{project.code}-工程竣工报告"), note="施工单位提交，项目经理及单位负责人签字、总监签署意见",
    )  # fmt: skip
    return _advance(people["liming"], project, "施工内容全部完成，进入竣工验收")


def accept(project: Project, people: dict[str, User]) -> Project:
    """Declaration, notice to the quality supervision body, the five parties, 合格, 备案; 竣工验收 left."""
    from govworks.closeout.demo_acceptance import _accept

    _accept(project, people=people, problem="会议厅吊顶检修口灯具接线盒未封盖", file=True)
    return _advance(people["liming"], project, "竣工验收合格并已备案")


def settle(project: Project, people: dict[str, User]) -> Project:
    """Each construction contract's settlement: submitted, firm drawn, result, confirmed, approved; 结算审计 left."""
    from govworks.closeout.rules_settlement import Line
    from govworks.closeout.selectors.settlement import construction_contracts
    from govworks.closeout.services import settlement as services

    for contract in construction_contracts(project):
        amount = Decimal(contract.amount)
        s = services.settlement_submit(
            actor=people["machao"], contract=contract, amount=amount, files=[_pdf("竣工结算书")], note="竣工结算书及工程量计算书"
        )
        s = services.settlement_firm_draw(actor=people["zhengli"], settlement=s)
        lighting = (amount * Decimal("0.8")).quantize(Decimal("0.01"))
        s = services.settlement_result_record(
            actor=people["zhengli"],
            settlement=s,
            lines=[
                Line("灯具及安装", lighting, lighting - Decimal("9540.00"), "灯具数量按竣工图核减"),
                Line("智能照明控制系统", amount - lighting, amount - lighting),
            ],
            report_number=f"临审结〔{timezone.localdate().year}〕{s.pk}号",
        )
        s = services.settlement_confirm(actor=people["machao"], settlement=s)
        services.settlement_approve(actor=people["chenzq"], settlement=s)
    return _advance(people["liming"], project, "结算审定")


def final_accounts(project: Project, people: dict[str, User]) -> Project:
    """刘静 prepares the final accounts, the chain approves, the surplus is returned and the report filed."""
    from govworks.closeout.demo_final import _prepare
    from govworks.closeout.selectors import final_accounts as selectors
    from govworks.closeout.services import final_accounts as services
    from govworks.finance.models import FundingSource
    from govworks.projects.services.approvals import approval_decide

    liujing = people["liujing"]
    fa = _prepare(project, people, complete=True)
    request = services.final_accounts_submit(actor=liujing, fa=fa)
    for username in ("zhengli", "zhaolx", "sungp"):
        request = approval_decide(actor=people[username], request=request, approve=True, opinion="同意")
    sheet = selectors.sheet_of(project)
    if sheet.surplus > 0:
        services.surplus_return_record(
            actor=liujing, fa=fa, source=FundingSource.objects.filter(project=project).earliest("id"),
            amount=sheet.surplus, returned_on=timezone.localdate(), document_number=f"非税缴款书 3301-{project.pk:04d}",
        )  # fmt: skip
    services.final_accounts_report_file(actor=liujing, fa=fa)
    return _advance(people["liming"], project, "竣工财务决算已批复")


def archive(project: Project, people: dict[str, User]) -> Project:
    """The archivist completes what only exists on paper, verifies every item and records the transfer."""
    from govworks.closeout.selectors import archives as sel
    from govworks.closeout.services import archives as archive_services
    from govworks.projects.models import DocumentType
    from govworks.projects.services import documents

    hemin, liming = people["hemin"], people["liming"]
    project = Project.objects.select_related("agency").get(pk=project.pk)
    for row in sel.archive_state(project).rows:
        if row.present or not row.entry.required:
            continue
        if row.entry.source.startswith("doc:"):
            doc_type = DocumentType.objects.filter(code=row.entry.source[4:]).first()
            if doc_type is not None:
                documents.document_upload(
                    actor=liming, project=project, doc_type=doc_type, file=_pdf(f"{project.code}-{doc_type.name}"), note="正式版"
                )
                continue
        archive_services.archive_item_upload(
            actor=hemin, project=project, code=row.entry.code, file=_pdf(f"{row.entry.code}-{row.entry.title}")
        )
    for n, row in enumerate(sel.archive_state(project).rows):
        if row.present and not row.verified:
            archive_services.archive_item_verify(
                actor=hemin, project=project, code=row.entry.code, pages=2 + n % 7, note="原件齐全，签章完整"
            )
    archive_services.archive_transfer_record(
        actor=hemin, project=project, receiver="临江市城市建设档案馆", transferred_on=timezone.localdate(),
        receipt_number=f"LJCJ-{timezone.localdate().year}-{project.pk:04d}", receipt_file=_pdf("城建档案馆接收回执"),
    )  # fmt: skip
    return _advance(liming, project, "工程档案已移交城建档案馆")


def hand_over(project: Project, people: dict[str, User]) -> Project:
    """The 交付使用资产清单 to 办公室, confirmed by 何敏 of 办公室, filed."""
    from govworks.closeout.services import assets as asset_services

    office = Department.objects.get(agency=project.agency, name="办公室")
    handover = asset_services.asset_handover_start(actor=people["liujing"], project=project, using_department=office)
    handover = asset_services.asset_handover_submit(actor=people["liujing"], handover=handover)
    handover = asset_services.asset_handover_confirm(actor=people["hemin"], handover=handover, accept=True, note="已清点接收")
    asset_services.asset_list_file(actor=people["liujing"], handover=handover)
    return _advance(people["liming"], project, "交付使用资产已移交办公室")


def evaluate_review_close(project: Project, people: dict[str, User]) -> Project:
    """Self-evaluation, the department's review, the 复盘 approved; the project closes."""
    from govworks.closeout.demo_evaluation import HAND_SCORES
    from govworks.closeout.models import Evaluation
    from govworks.closeout.services import evaluation as services
    from govworks.closeout.services import lessons as lesson_services

    liming = people["liming"]
    evaluation = services.evaluation_start(actor=liming, project=project)
    for row in evaluation.indicators.order_by("seq"):
        if not row.measured:
            services.evaluation_indicator_fill(
                actor=liming, indicator=row, score=Decimal(HAND_SCORES.get(row.name, str(row.points))),
                comment=f"依据项目资料评分：{row.method[:40]}", evidence=_pdf(f"{project.code}-{row.name}佐证"),
            )  # fmt: skip
    evaluation = services.evaluation_submit(
        actor=liming, evaluation=Evaluation.objects.get(pk=evaluation.pk),
        summary="项目按批复内容完成，年节电约12万千瓦时，结算审减适度，达到预期绩效目标。",
    )  # fmt: skip
    services.evaluation_review(actor=people["zhengli"], evaluation=evaluation, approve=True, opinion="自评依据充分，同意评定。")
    lesson_services.lesson_add(
        actor=liming, project=project, stage=Stage.CONSTRUCTION, category="quality",
        title="吊顶内灯具接线盒须在封板前逐个检查", content="竣工验收发现检修口处接线盒未封盖，返工一次。",
        advice="吊顶封板前由监理逐个检查接线盒并拍照留存。",
    )  # fmt: skip
    report = lesson_services.review_report_save(
        actor=liming, project=project, went_well="分区夜间施工，不影响会议使用；结算、决算按期完成。",
        went_badly="隐蔽部位检查不到位，验收时发现问题。", root_causes="吊顶封板前未安排专项检查。",
        improvements="隐蔽部位封闭前增加专项检查并拍照留存。",
    )  # fmt: skip
    report = lesson_services.review_report_submit(actor=liming, report=report)
    lesson_services.review_report_approve(actor=people["chenzq"], report=report, comment="同意，纳入基建科管理手册。")
    return _advance(liming, project, "收尾记录齐全，项目关闭")


STEPS = (finish_construction, accept, settle, final_accounts, archive, hand_over, evaluate_review_close)


def seed_walk() -> str:
    """Walk the demo project from 施工 to 关闭 (idempotent: skipped when it exists)."""
    if Project.objects.filter(name=WALKED).exists():
        return "已存在，跳过"
    people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    root = Agency.objects.filter(code="LJJG").first()
    if len(people) < len(PEOPLE) or root is None or people["liming"].agency_id != root.pk:
        return "无演示人员，跳过"
    project = project_in_construction(people)
    for step in STEPS:
        project = step(project, people)
    return f"{project.code} {project.name}：施工 → 关闭，各阶段经关口办结（{project.get_stage_display()}）"


register_demo_seeder(65, "竣工收尾全流程（施工至关闭）", seed_walk)
