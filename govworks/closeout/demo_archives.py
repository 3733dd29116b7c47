"""Demo of the archive and the review (manage.py seed_demo, order 63), through the services: a project of the
局 in 档案移交 whose documents were uploaded at their stages, the paper records scanned and uploaded by the 档案员
何敏 and verified item by item — with the 竣工图 and the 质量保修书 still missing, so the gate shows what blocks
the transfer; its review report approved by the 科室负责人 with lessons; and lessons of a subordinate's closed
project, which the 局's initiation pages show for projects of the same kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.closeout.models import ArchiveCatalogueItem, Lesson
from govworks.closeout.reference_archives import seed_archive_catalogue
from govworks.closeout.selectors import archives as sel
from govworks.closeout.services import archives as archive_services
from govworks.closeout.services import lessons as lesson_services
from govworks.org.models import Agency, Department, User
from govworks.projects.models import DocumentType, Project, Stage
from govworks.projects.services import documents, projects

DEMO_NAME = "机关办公楼卫生间及给排水管网改造"
#: items left missing in the demo: the gate names them
LEFT_MISSING = {"D-01", "E1-03"}


def _pdf(title: str) -> SimpleUploadedFile:
    body = f"GovWorks demo archive: {title}".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%" + body + b"\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", pdf, content_type="application/pdf")


LESSONS = [
    # (stage, category, title, content, advice)
    (
        Stage.DESIGN_REVIEW,
        "design_change",
        "老旧管网改造前未做管线探测，施工中三次设计变更",
        "原设计依据20年前竣工图，开挖后发现给水管走向与图纸不符，先后三次变更，增加费用约6.8万元、工期延误18天。",
        "修缮类项目在初步设计前委托管线探测，探测费用列入概算；竣工图缺失的楼栋先做现状测绘。",
    ),
    (
        Stage.CONSTRUCTION,
        "delay",
        "办公期间分区施工，噪声作业时段未事先约定",
        "施工与办公交叉，噪声投诉导致多次停工，累计损失工期9天。",
        "开工前与使用科室书面约定作业时段和分区顺序，纳入施工组织设计并在例会跟踪。",
    ),
    (
        Stage.ARCHIVING,
        "archives",
        "竣工图和质量保修书未随竣工资料同步移交",
        "施工单位竣工资料移交滞后，档案整理时才发现缺竣工图、质量保修书，影响档案移交期限。",
        "在施工合同中约定竣工资料移交时限与违约责任，竣工验收前由档案员预检归档目录。",
    ),
]

SUB_LESSONS = [
    (
        Stage.PROCUREMENT,
        "procurement",
        "电梯采购技术参数偏向单一品牌，被投诉后重新招标",
        "招标文件技术参数照抄某品牌样本，潜在投标人投诉，被迫终止采购重新招标，耽误一个月。",
        "技术参数经两家以上品牌比对后确定，采购文件发布前由内审、纪检监察会审。",
    ),
    (
        Stage.SETTLEMENT,
        "cost",
        "签证单未及时签认，结算时争议金额大",
        "现场签证滞后补签，结算审计时双方对12项签证金额争议较大，审减率达14%。",
        "签证实行“一事一签、当日签认”，监理和建设单位现场代表同时签字并拍照留存。",
    ),
]


def seed_archives_and_lessons() -> str:
    """The archive demo project (idempotent: skipped when it exists)."""
    seed_archive_catalogue(ArchiveCatalogueItem)
    if Project.objects.filter(name=DEMO_NAME).exists():
        return "已存在，跳过"
    root = Agency.objects.filter(name="临江市机关事务管理局").first()
    if root is None:
        return "无演示单位，跳过"
    liming, hemin, chenzq = (User.objects.get(username=n) for n in ("liming", "hemin", "chenzq"))
    jijian = Department.objects.get(agency=root, name="基建科")
    today = timezone.localdate()
    project = projects.project_create_outside_plan(
        actor=liming,
        agency=root,
        manager=liming,
        department=jijian,
        name=DEMO_NAME,
        project_type="repair",
        location="市级机关1号办公楼",
        estimate_amount=Decimal("460000"),
        funding_source="fiscal",
        planned_start=today - dt.timedelta(days=240),
        planned_end=today - dt.timedelta(days=60),
        reason="卫生间给排水管道老化渗漏，影响下层办公，须在年内完成改造。",
    )
    projects.project_import_at_stage(
        actor=liming, project=project, stage=Stage.ARCHIVING, note="前期至竣工决算已线下办理：临机事〔2026〕31号立项批复"
    )
    project = Project.objects.select_related("agency").get(pk=project.pk)
    catalogue = sel.catalogue_for(root)
    # the documents each stage produced, uploaded by the project manager at the time
    for entry in catalogue:
        if entry.source.startswith("doc:") and entry.required:
            doc_type = DocumentType.objects.filter(code=entry.source[4:]).first()
            if doc_type is not None:
                documents.document_upload(
                    actor=liming, project=project, doc_type=doc_type, file=_pdf(f"{project.code}-{doc_type.name}"), note="正式版"
                )
    # what exists only on paper: scanned and uploaded by the archivist; then every item there is verified
    state = sel.archive_state(project)
    for row in state.rows:
        if row.entry.required and not row.present and row.entry.code not in LEFT_MISSING:
            archive_services.archive_item_upload(
                actor=hemin, project=project, code=row.entry.code, file=_pdf(f"{row.entry.code}-{row.entry.title}")
            )
    for n, row in enumerate(sel.archive_state(project).rows):
        if row.present:
            archive_services.archive_item_verify(
                actor=hemin, project=project, code=row.entry.code, pages=2 + n % 9, note="原件齐全，签章完整"
            )
    # the review: report, lessons, approval
    for stage, category, title, content, advice in LESSONS:
        lesson_services.lesson_add(
            actor=liming, project=project, stage=stage, category=category, title=title, content=content, advice=advice
        )
    report = lesson_services.review_report_save(
        actor=liming,
        project=project,
        went_well="分区分段施工，未发生安全事故；资金按进度拨付，农民工工资按月足额支付。",
        went_badly="前期勘察不足导致设计变更多；竣工资料移交滞后，档案整理被动。",
        root_causes="修缮项目对既有管线现状重视不够；合同未约定竣工资料移交时限。",
        improvements="修缮项目前期增加管线探测；施工合同增加竣工资料条款。",
    )
    report = lesson_services.review_report_submit(actor=liming, report=report)
    lesson_services.review_report_approve(actor=chenzq, report=report, comment="总结到位，经验教训纳入基建科项目管理手册。")
    # a subordinate's closed project leaves lessons too
    made = len(LESSONS)
    closed = Project.objects.filter(stage__in=[Stage.CLOSED, Stage.EVALUATION], agency__parent=root).select_related("agency")
    for other in closed.order_by("id")[:1]:
        pm = User.objects.filter(agency=other.agency, grants__role="project_manager", grants__revoked_at__isnull=True).first()
        if pm is None:
            continue
        for stage, category, title, content, advice in SUB_LESSONS:
            lesson_services.lesson_add(
                actor=pm, project=other, stage=stage, category=category, title=title, content=content, advice=advice
            )
            made += 1
    missing = len(sel.archive_state(project).missing)
    return f"档案移交演示项目 1 个（缺{missing}项待补），经验教训 {Lesson.objects.count()} 条（本次 {made} 条）"
