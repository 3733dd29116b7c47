"""复盘: a project's review report (what went well, what not, root causes), written by the project manager and
approved by the department head, and the lessons it leaves, tagged by category into the knowledge base the next
project's initiation page reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LessonCategory(models.TextChoices):
    DESIGN_CHANGE = "design_change", "设计变更"
    DELAY = "delay", "工期延误"
    COST = "cost", "造价"
    SAFETY = "safety", "安全"
    INTEGRITY = "integrity", "廉政"
    QUALITY = "quality", "质量"
    PROCUREMENT = "procurement", "采购"
    FUNDS = "funds", "资金"
    ARCHIVES = "archives", "档案资料"
    OTHER = "other", "其他"


class ReviewReport(models.Model):
    """项目复盘报告 (one per project)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审阅"
        APPROVED = "approved", "已审阅"

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="review_report"
    )
    went_well = models.TextField("做得好的")
    went_badly = models.TextField("做得不好的")
    root_causes = models.TextField("根本原因")
    improvements = models.TextField("改进措施", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审阅人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("审阅日期", null=True, blank=True)
    approval_comment = models.CharField("审阅意见", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "复盘报告"
        verbose_name_plural = "复盘报告"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project_id} 复盘报告"


class Lesson(models.Model):
    """One lesson of a project: a stage, a category and what to do next time. The project's type and agency
    are copied so the knowledge base is searched without joins."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="lessons")
    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project_type = models.CharField("项目类型", max_length=12, db_index=True)
    stage = models.CharField("阶段", max_length=16)
    category = models.CharField("类别", max_length=16, choices=LessonCategory.choices, db_index=True)
    title = models.CharField("标题", max_length=120)
    content = models.TextField("经验教训")
    advice = models.TextField("对今后项目的建议", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "经验教训"
        verbose_name_plural = "经验教训"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "project_type", "-created_at"], name="closeout_lesson_kind_idx")]

    def __str__(self) -> str:
        return self.title
