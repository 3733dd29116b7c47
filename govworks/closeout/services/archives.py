"""Writes of the project archive (工程档案, GB/T 50328): the agency's catalogue rows, the 档案员's verification of
each item and upload of a missing one, the transfer to the 城建档案馆 with its receipt, and the archive package
(ZIP: a folder per category, an Excel index, the files) built in the background for a large project."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from openpyxl.styles import Font

from govworks.closeout import permissions_archives as perms
from govworks.closeout.models import ArchiveCatalogueItem, ArchiveCategory, ArchiveItem, ArchiveTransfer, Retention
from govworks.closeout.selectors import archives as sel
from govworks.closeout.services.archive_register import register_sync
from govworks.construction.models import DailyReport, Inspection, RectificationNotice, SitePhoto, SupervisionDiary
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.models import ExportJob
from govworks.core.uploads import upload_check
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.procurement.models import ChangeOrder, Contract, TenderOpening
from govworks.projects.models import DocumentType, ExpertReview, HigherReview, Project, Stage
from govworks.projects.services.documents import document_upload

ARCHIVE_FILE_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".dwg", ".zip")
MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
RECEIPT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
#: a package with more files than this is built by the worker (导出任务) instead of in the request
INLINE_MAX_FILES = 60
CODE_PATTERN = re.compile(r"^[A-E][0-9]?-[0-9]{2,3}$")
#: stages in which the archivist works on the archive (it is assembled from 竣工验收 on, and closed by the transfer)
WORKING_STAGES = (Stage.ACCEPTANCE, Stage.SETTLEMENT, Stage.FINAL_ACCOUNTS, Stage.ARCHIVING)


def _require_open(project: Project) -> None:
    if project.stage not in WORKING_STAGES:
        raise DomainError(
            "archive.stage",
            f"项目处于“{project.get_stage_display()}”阶段：工程档案在竣工验收至档案移交阶段整理，此时不能修改",
        )
    if ArchiveTransfer.objects.filter(project=project).exists():
        raise DomainError("archive.transferred", "档案已移交城建档案馆，不能再修改")


def _entry(project: Project, code: str) -> ArchiveCatalogueItem:
    entry = next((e for e in sel.catalogue_for(project.agency) if e.code == code), None)
    if entry is None:
        raise DomainError("archive.unknown_item", f"归档目录中没有编号为 {code} 的条目", field="code")
    return entry


# ---------------------------------------------------------------------------------------- catalogue


def catalogue_item_save(
    *,
    actor: User,
    agency: Agency,
    code: str,
    title: str,
    category: str,
    retention: str,
    required: bool,
    to_city_archive: bool,
    source: str = "",
    active: bool = True,
) -> ArchiveCatalogueItem:
    """Add a catalogue row for ``agency`` or change its own row of that code (overriding the deployment's row of
    the same code for the agency and its subordinates). Refused for a code not like ``A1-09`` or whose letter is
    not its category, an unknown retention or source."""
    org_perms.require(actor, perms.ARCHIVE_CATALOGUE_EDIT, agency.pk)
    code, title = code.strip().upper(), title.strip()
    if not CODE_PATTERN.match(code):
        raise DomainError("archive.code", "编号格式为“类别+小类-序号”，如 A1-09、D-02", field="code")
    if category not in ArchiveCategory.values or code[0] != category:
        raise DomainError("archive.category", f"编号 {code} 的首字母须与类别一致", field="category")
    if retention not in Retention.values:
        raise DomainError("archive.retention", "请选择保管期限（永久、长期或短期）", field="retention")
    if source and source not in dict(sel.source_choices()):
        raise DomainError("archive.source", "来源不在可选范围内", field="source")
    if len(title) < 2:
        raise DomainError("archive.title", "请填写文件名称", field="title")
    with transaction.atomic():
        row = ArchiveCatalogueItem.objects.select_for_update().filter(agency=agency, code=code).first()
        default = ArchiveCatalogueItem.objects.filter(agency__isnull=True, code=code).first()
        before = None
        if row is None:
            row = ArchiveCatalogueItem(agency=agency, code=code, order=default.order if default else 900)
        else:
            before = {"title": row.title, "retention": row.retention, "required": row.required, "active": row.active}
        row.category, row.subcategory = category, code.split("-")[0]
        row.title, row.retention, row.required = title, retention, required
        row.to_city_archive, row.source, row.active, row.updated_by = to_city_archive, source, active, actor
        row.save()
        after = {"title": title, "retention": retention, "required": required, "active": active}
        audit_event_record(
            actor=actor,
            action="closeout.archive_catalogue.save",
            obj=row,
            agency=agency,
            summary=f"{'修改' if before else '新增'}本单位归档目录 {code}《{title}》（{Retention(retention).label}"
            f"{'，必须归档' if required else '，选择性归档'}{'' if active else '，停用'}）",
            changes={"catalogue": {"before": before, "after": after}},
        )
    return row


# ---------------------------------------------------------------------------------------- items


def archive_item_verify(
    *, actor: User, project: Project, code: str, pages: int, note: str = "", document_date: dt.date | None = None
) -> ArchiveItem:
    """The 档案员 verifies one item of the archive: it is there (from its source or uploaded), counted ``pages``
    pages, with a note. Refused for an item not there yet, pages below 1, outside the archive's stages or after the
    transfer."""
    org_perms.require(actor, perms.ARCHIVE_MANAGE, project.agency_id)
    entry = _entry(project, code)
    if pages is None or pages < 1:
        raise DomainError("archive.pages", "页数须为正整数（至少1页）", field="pages")
    if document_date and document_date > timezone.localdate():
        raise DomainError("archive.date", "文件日期不能晚于今天", field="document_date")
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
        _require_open(project)
        row = sel.archive_row(sel.archive_state(project), code)
        if row is None or not row.present:
            raise DomainError(
                "archive.missing",
                f"《{entry.title}》尚未归集（{sel.source_label(entry.source)}），请先补充上传再核验",
                field="code",
            )
        item, _ = ArchiveItem.objects.get_or_create(project=project, code=code)
        before = {"verified": item.verified, "pages": item.pages}
        item.pages, item.note, item.verified = pages, note.strip()[:200], True
        item.verified_by, item.verified_at = actor, timezone.now()
        if document_date:
            item.document_date = document_date
        item.save()
        audit_event_record(
            actor=actor,
            action="closeout.archive_item.verify",
            obj=item,
            agency=project.agency,
            context=project,
            summary=f"核验档案 {code}《{entry.title}》：{pages}页" + (f"（{item.note}）" if item.note else ""),
            changes={"item": {"before": before, "after": {"verified": True, "pages": pages}}},
        )
    return item


def archive_item_upload(
    *, actor: User, project: Project, code: str, file: UploadedFile, document_date: dt.date | None = None, note: str = ""
) -> ArchiveItem:
    """The 档案员 uploads the file of an item GovWorks does not hold (or a better scan of one it holds). The item
    then waits for verification again. Refused for a file of the wrong kind or too large, outside the archive's
    stages or after the transfer."""
    org_perms.require(actor, perms.ARCHIVE_MANAGE, project.agency_id)
    entry = _entry(project, code)
    upload_check(file, field="file", types=ARCHIVE_FILE_TYPES, max_bytes=MAX_ARCHIVE_BYTES)
    if document_date and document_date > timezone.localdate():
        raise DomainError("archive.date", "文件日期不能晚于今天", field="document_date")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
        _require_open(project)
        item, _ = ArchiveItem.objects.get_or_create(project=project, code=code)
        before = {"file": item.original_name or None, "verified": item.verified}
        item.original_name = (file.name or "file")[:200]
        item.sha256 = digest.hexdigest()
        item.uploaded_by, item.uploaded_at = actor, timezone.now()
        item.document_date = document_date or item.document_date
        item.verified, item.verified_by, item.verified_at = False, None, None
        if note:
            item.note = note.strip()[:200]
        item.file.save(file.name or "file", file, save=False)
        item.save()
        audit_event_record(
            actor=actor,
            action="closeout.archive_item.upload",
            obj=item,
            agency=project.agency,
            context=project,
            summary=f"补充上传档案 {code}《{entry.title}》：{item.original_name}",
            changes={"item": {"before": before, "after": {"file": item.original_name, "sha256": item.sha256}}},
        )
    return item


# ---------------------------------------------------------------------------------------- transfer


def archive_transfer_record(
    *,
    actor: User,
    project: Project,
    receiver: str,
    transferred_on: dt.date,
    receipt_number: str,
    receipt_file: UploadedFile,
) -> ArchiveTransfer:
    """Record the archive handed to the 城建档案馆 with its receipt (date, number, scan); the receipt also becomes the
    project's 《档案移交证明》. Refused in another stage than 档案移交, twice, while a required item is missing or
    not verified (named), for a date in the future or before the completion acceptance."""
    org_perms.require(actor, perms.ARCHIVE_MANAGE, project.agency_id)
    receiver, receipt_number = receiver.strip(), receipt_number.strip()
    if len(receiver) < 2:
        raise DomainError("archive.receiver", "请填写接收单位（城建档案馆）", field="receiver")
    if not receipt_number:
        raise DomainError("archive.receipt_number", "请填写接收回执编号", field="receipt_number")
    if transferred_on > timezone.localdate():
        raise DomainError("archive.transfer_date", "移交日期不能晚于今天", field="transferred_on")
    upload_check(receipt_file, field="receipt_file", types=RECEIPT_TYPES, max_bytes=20 * 1024 * 1024)
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
        if project.stage != Stage.ARCHIVING:
            raise DomainError("archive.transfer_stage", f"项目处于“{project.get_stage_display()}”阶段，档案移交阶段才能登记移交")
        if ArchiveTransfer.objects.filter(project=project).exists():
            raise DomainError("archive.transferred", "档案已移交城建档案馆，不能重复登记")
        state = sel.archive_state(project)
        if state.missing:
            names = "、".join(f"{r.entry.code}《{r.entry.title}》" for r in state.missing[:8])
            more = f"等{len(state.missing)}项" if len(state.missing) > 8 else f"共{len(state.missing)}项"
            raise DomainError("archive.incomplete", f"必须归档的文件尚未齐全，不能移交：缺 {names}（{more}）")
        if state.unverified:
            names = "、".join(f"{r.entry.code}《{r.entry.title}》" for r in state.unverified[:8])
            raise DomainError(
                "archive.unverified", f"档案员尚未逐项核验，不能移交：未核验 {names}（共{len(state.unverified)}项）"
            )
        if state.completed_on and transferred_on < state.completed_on:
            raise DomainError(
                "archive.transfer_date",
                f"移交日期不能早于竣工验收日期 {state.completed_on:%Y-%m-%d}",
                field="transferred_on",
            )
        transfer = ArchiveTransfer(
            project=project,
            receiver=receiver[:120],
            transferred_on=transferred_on,
            receipt_number=receipt_number[:60],
            items_count=sum(1 for r in state.rows if r.verified),
            pages_total=state.pages_total,
            deadline=state.deadline or transferred_on,
            recorded_by=actor,
        )
        transfer.receipt_file.save(receipt_file.name or "receipt.pdf", receipt_file, save=False)
        transfer.save()
        register_sync([project.pk])  # the archive register's transfer date (档案台账)
        receipt_file.seek(0)
        proof = DocumentType.objects.filter(code="archive_transfer").first()
        if proof is not None:
            document_upload(
                actor=actor, project=project, doc_type=proof, file=receipt_file, note=f"城建档案馆接收回执 {receipt_number}"
            )
        late = state.deadline is not None and transferred_on > state.deadline
        audit_event_record(
            actor=actor,
            action="closeout.archive.transfer",
            obj=transfer,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 工程档案移交{receiver}，回执 {receipt_number}，{transfer.items_count}项{transfer.pages_total}页"
            + (
                f"（超过竣工验收后档案移交期限{state.months}个月，期限 {state.deadline:%Y-%m-%d}）"
                if late and state.deadline
                else ""
            ),
            changes={"transferred_on": {"before": None, "after": transferred_on.isoformat()}},
        )
    return transfer


# ---------------------------------------------------------------------------------------- package (ZIP)


def _safe(name: str) -> str:
    """A file or folder name safe inside a ZIP: no path separators, no leading dots, no control characters."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip().lstrip(".")
    return name[:120] or "file"


def _extension(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""


@dataclass
class PackageFile:
    """One entry of the package: a stored file or generated bytes."""

    path: str
    storage_file: Any = None
    data: bytes | None = None


def _listing(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    workbook = workbook_new()
    sheet: Any = workbook.active
    sheet.title = title[:31]
    sheet_append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet_append(sheet, row)
    return workbook_bytes(workbook)


def _record_listing(source: str, project: Project) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of a record source's listing (a workbook in the package) for ``project``."""
    if source == "daily_reports":
        reports = DailyReport.objects.filter(project=project).prefetch_related("entries").order_by("report_date")
        return ["日期", "填报方", "天气", "当日完成工作", "存在问题"], [
            [r.report_date, e.get_party_display(), e.get_weather_display(), e.work_done, e.problems]
            for r in reports
            for e in r.entries.all()
        ]
    if source == "supervision_diaries":
        return ["日期", "监理工作情况", "发现问题及处理"], [
            [d.diary_date, d.content, d.issues] for d in SupervisionDiary.objects.filter(project=project).order_by("diary_date")
        ]
    if source == "inspections":
        return ["日期", "类别", "检查结论", "不合格项"], [
            [i.inspected_on, i.get_kind_display(), i.summary, "；".join(str(f.get("item", "")) for f in i.failed_items)]
            for i in Inspection.objects.filter(project=project).order_by("inspected_on")
        ]
    if source == "rectifications":
        return ["编号", "签发日期", "问题描述", "整改要求", "责任方", "期限", "状态", "销项日期"], [
            [
                n.number,
                n.issued_on,
                n.finding,
                n.requirement,
                n.responsible_party,
                n.deadline,
                n.get_status_display(),
                n.closed_on,
            ]
            for n in RectificationNotice.objects.filter(project=project).order_by("issued_on", "id")
        ]
    if source == "contracts":
        return ["合同编号", "合同名称", "供应商", "金额（元）", "签订日期"], [
            [c.number, c.title, c.supplier.name, c.amount, c.signed_on]
            for c in Contract.objects.filter(project=project, status="signed").select_related("supplier").order_by("id")
        ]
    if source == "change_orders":
        return ["合同编号", "变更序号", "类别", "原因", "金额（元）", "状态"], [
            [c.contract.number, c.seq, c.get_category_display(), c.reason, c.amount, c.get_status_display()]
            for c in ChangeOrder.objects.filter(contract__project=project).exclude(status="draft").select_related("contract")
        ]
    if source == "expert_reviews":
        return ["阶段", "论证事项", "结论", "论证意见"], [
            [r.get_stage_display(), r.subject, r.get_conclusion_display(), r.conclusion_note]
            for r in ExpertReview.objects.filter(project=project).exclude(conclusion="")
        ]
    return [], []


def _record_files(source: str, project: Project) -> list[tuple[str, Any]]:
    """(name, stored file) of a record source that holds files."""
    if source == "photos":
        return [
            (f"{p.report.report_date:%Y%m%d}-{p.pk}{_extension(p.original_name) or '.jpg'}", p.original)
            for p in SitePhoto.objects.filter(report__project=project)
            .select_related("report")
            .order_by("report__report_date", "id")
        ]
    if source == "higher_reviews":
        return [
            (f"{h.document_number}{_extension(h.file.name or '')}", h.file) for h in HigherReview.objects.filter(project=project)
        ]
    if source == "tender_openings":
        return [
            (f"{o.tender.number}{_extension(o.record_file.name or '')}", o.record_file)
            for o in TenderOpening.objects.filter(tender__lot__project=project).exclude(record_file="").select_related("tender")
        ]
    if source == "change_orders":
        return [
            (f"{c.contract.number}-{c.seq}{_extension(c.evidence.name or '')}", c.evidence)
            for c in ChangeOrder.objects.filter(contract__project=project).exclude(evidence="").select_related("contract")
        ]
    return []


INDEX_HEADERS = ["序号", "文件编号", "题名", "类别", "日期", "页数", "保管期限", "核验", "包内文件"]


def archive_package_entries(project: Project) -> tuple[list[PackageFile], list[list[Any]]]:
    """What the package of ``project`` holds (files not yet read) and the index rows: every catalogue item that is
    there, in a folder per category (``A 工程准备阶段文件/…``)."""
    state = sel.archive_state(project)
    files: list[PackageFile] = []
    index: list[list[Any]] = []
    categories = dict(ArchiveCategory.choices)
    for n, row in enumerate((r for r in state.rows if r.present), start=1):
        entry = row.entry
        folder = _safe(f"{entry.category} {categories[entry.category]}")
        base = _safe(f"{entry.code} {entry.title}")
        paths: list[str] = []
        if row.uploaded and row.record is not None:
            path = f"{folder}/{base}{_extension(row.record.original_name)}"
            files.append(PackageFile(path, storage_file=row.record.file))
            paths.append(path)
        elif row.version is not None:
            path = f"{folder}/{base}{_extension(row.version.original_name)}"
            files.append(PackageFile(path, storage_file=row.version.file))
            paths.append(path)
        else:
            for name, stored in _record_files(entry.source, project):
                path = f"{folder}/{base}/{_safe(name)}"
                files.append(PackageFile(path, storage_file=stored))
                paths.append(path)
            headers, rows = _record_listing(entry.source, project)
            if headers:
                path = f"{folder}/{base}.xlsx"
                files.append(PackageFile(path, data=_listing(entry.title, headers, rows)))
                paths.append(path)
        index.append(
            [
                n,
                f"{project.code}-{entry.code}",
                entry.title,
                categories[entry.category],
                row.document_date,
                row.pages,
                entry.get_retention_display(),
                "已核验" if row.verified else "未核验",
                "；".join(paths) if len(paths) <= 3 else f"{paths[0]} 等{len(paths)}个文件",
            ]
        )
    return files, index


def archive_package_write(project: Project, target: IO[bytes], *, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the ZIP of ``project``'s archive to ``target``: ``档案目录.xlsx`` (the index) and a folder per category;
    stored files are copied from storage in chunks, never read whole. Returns the number of files written."""
    files, index = archive_package_entries(project)
    total = len(files) + 1
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("档案目录.xlsx", _listing(f"{project.code} 档案目录", INDEX_HEADERS, index))
        for done, item in enumerate(files, start=2):
            if item.data is not None:
                archive.writestr(item.path, item.data)
            else:
                with item.storage_file.open("rb") as source, archive.open(item.path, "w", force_zip64=True) as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
            if progress and done % 20 == 0:
                progress(done, total)
    return total


def _require_export(actor: User, project: Project) -> None:
    if not org_perms.can(actor, perms.ARCHIVE_EXPORT, project.agency_id):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有本单位的档案员、项目管理人员、纪检监察和内审可以导出工程档案包")


def archive_package_size(project: Project) -> int:
    """How many files the package will hold (decides whether the worker builds it)."""
    files, _ = archive_package_entries(project)
    return len(files) + 1


def archive_package_build_now(*, actor: User, project: Project, target: IO[bytes]) -> int:
    """Build a small project's package in the request into ``target`` (recorded). Returns the files written."""
    _require_export(actor, project)
    written = archive_package_write(project, target)
    with transaction.atomic():
        audit_event_record(
            actor=actor,
            action="closeout.archive.export",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"导出 {project.code} 工程档案包（{written}个文件）",
        )
    return written


def archive_package_request(*, actor: User, project: Project) -> ExportJob:
    """Queue the package of a large project for the worker (导出任务 with progress); the requester downloads it from
    the export page when it is done."""
    _require_export(actor, project)
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=PACKAGE_KIND, title=f"{project.code} 工程档案包", params={"project": project.pk}, requested_by=actor
        )
        audit_event_record(
            actor=actor,
            action="closeout.archive.export",
            obj=project,
            agency=project.agency,
            context=project,
            summary=f"申请导出 {project.code} 工程档案包（后台生成）",
        )
        transaction.on_commit(lambda: archive_package_run.enqueue(job.pk))
    return job


PACKAGE_KIND = "closeout.archive_package"


@task()
def archive_package_run(job_id: int) -> str:
    """Worker side: write the package to a temporary file, progress saved every few files, then store it on the job."""
    job = ExportJob.objects.get(pk=job_id)
    project = Project.objects.select_related("agency").get(pk=job.params["project"])
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "archive.zip"
            with path.open("wb") as handle:
                written = archive_package_write(project, handle, progress=progress)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            with path.open("rb") as stored:
                job.file.save(f"工程档案-{project.code}-{stamp}.zip", File(stored), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, rows_done=written, rows_total=written, file=job.file.name, finished_at=timezone.now()
        )
        return f"{written} files"
    except Exception as exc:  # recorded for the requester, then re-raised for the worker log
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
