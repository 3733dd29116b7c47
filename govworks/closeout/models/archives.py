"""工程档案 (GB/T 50328-2014): the catalogue of what a project's archive holds (categories A–E, each document
with its retention), each project's archive items as the 档案员 verified them, and the transfer to the
城建档案馆 with its receipt."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ArchiveCategory(models.TextChoices):
    """Top-level categories (GB/T 50328-2014 术语 2.0.2–2.0.7)."""

    A = "A", "工程准备阶段文件"
    B = "B", "监理文件"
    C = "C", "施工文件"
    D = "D", "竣工图"
    E = "E", "竣工验收文件"


class Retention(models.TextChoices):
    """保管期限 (建设单位 column of the 2001 table, still used by local 2014-based tables)."""

    PERMANENT = "permanent", "永久"
    LONG = "long", "长期"
    SHORT = "short", "短期"


class ArchiveCatalogueItem(models.Model):
    """One document the archive of a project holds. Rows without an agency are the deployment's catalogue
    (seeded from ``closeout.reference_archives``); an agency's 档案员 adds rows of its own or overrides a
    default one by its code (retention, required, retired) — the agency's row wins."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name="适用单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("编号", max_length=12)
    category = models.CharField("类别", max_length=1, choices=ArchiveCategory.choices)
    subcategory = models.CharField("小类", max_length=4)
    title = models.CharField("文件名称", max_length=200)
    retention = models.CharField("保管期限", max_length=10, choices=Retention.choices)
    required = models.BooleanField("必须归档", default=True)
    to_city_archive = models.BooleanField("报送城建档案馆", default=False)
    source = models.CharField("来源", max_length=60, blank=True, help_text="GovWorks 中已有的来源；空为须另行上传")
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "档案归档目录"
        verbose_name_plural = "档案归档目录"
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(agency__isnull=True), name="closeout_catalogue_default_code_unique"
            ),
            models.UniqueConstraint(fields=["agency", "code"], name="closeout_catalogue_agency_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def archive_item_upload_to(instance: ArchiveItem, filename: str) -> str:
    return f"closeout/archives/{instance.project_id}/{instance.code}/{filename}"


class ArchiveItem(models.Model):
    """A catalogue item of one project as the archivist handled it: the file uploaded for a missing item, and
    the verification (pages, note). Items nobody has touched have no row: their state is read from the sources."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="archive_items")
    code = models.CharField("目录编号", max_length=12)
    file = models.FileField("补充上传的文件", upload_to=archive_item_upload_to, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True)
    document_date = models.DateField("文件日期", null=True, blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    note = models.CharField("核验说明", max_length=200, blank=True)
    verified = models.BooleanField("已核验", default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="核验人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)

    class Meta:
        verbose_name = "项目档案条目"
        verbose_name_plural = "项目档案条目"
        ordering = ["project_id", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="closeout_archive_item_unique")]
        indexes = [models.Index(fields=["project", "verified"], name="closeout_archive_item_ver_idx")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.code}"


def transfer_receipt_upload_to(instance: ArchiveTransfer, filename: str) -> str:
    return f"closeout/archive_transfers/{instance.project_id}/{filename}"


class ArchiveTransfer(models.Model):
    """The archive handed to the 城建档案馆 and its receipt (one per project)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="archive_transfer"
    )
    receiver = models.CharField("接收单位", max_length=120)
    transferred_on = models.DateField("移交日期", db_index=True)
    receipt_number = models.CharField("回执编号", max_length=60)
    receipt_file = models.FileField("接收回执", upload_to=transfer_receipt_upload_to)
    items_count = models.PositiveIntegerField("移交条目数")
    pages_total = models.PositiveIntegerField("移交总页数")
    deadline = models.DateField("移交期限")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "档案移交"
        verbose_name_plural = "档案移交"
        ordering = ["-transferred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} 档案移交 {self.receipt_number}"


class ArchiveRegisterEntry(models.Model):
    """One row per project from 竣工验收 on: what the archive list sorts on, kept where an index can serve it — the
    day the project left 竣工验收 (its completion date) and the day its archive was transferred. Kept by
    ``services.archive_register`` when a project enters a close-out stage, leaves 竣工验收 or its archive is
    transferred; migration 0010 filled it for the projects already there."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, primary_key=True, related_name="archive_register"
    )
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    transferred_on = models.DateField("移交日期", null=True, blank=True)

    class Meta:
        verbose_name = "档案台账"
        verbose_name_plural = "档案台账"

    def __str__(self) -> str:
        return f"{self.project_id} 档案台账"
