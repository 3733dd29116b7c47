"""Typed project documents with versions: a new version supersedes, nothing is deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.projects.models.projects import Stage


class DocumentType(models.Model):
    """A document a stage must (or may) produce (reference §8.1), e.g. 项目建议书 for 立项."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    required = models.BooleanField("必须", default=True)
    min_amount = models.DecimalField("适用金额下限（元）", max_digits=16, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField("排序", default=0)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "文件类型"
        ordering = ["stage", "order", "code"]

    def __str__(self) -> str:
        return self.name


def document_upload_to(instance: DocumentVersion, filename: str) -> str:
    doc = instance.document
    return f"projects/{doc.project_id}/{doc.doc_type.code}/v{instance.number}/{filename}"


class ProjectDocument(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="documents")
    doc_type = models.ForeignKey(DocumentType, verbose_name="文件类型", on_delete=models.PROTECT, related_name="+")
    latest_number = models.PositiveSmallIntegerField("最新版本", default=0)

    class Meta:
        verbose_name = "项目文件"
        ordering = ["project_id", "doc_type__stage", "doc_type__order"]
        constraints = [models.UniqueConstraint(fields=["project", "doc_type"], name="projects_document_unique")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.doc_type_id}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(ProjectDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    file = models.FileField("文件", upload_to=document_upload_to)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField("版本说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文件版本"
        ordering = ["document_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="projects_docversion_unique")]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"
