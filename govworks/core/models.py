"""Kernel models: the tamper-evident audit trail and the rule parameters (thresholds as data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Base for domain models: when a row was created and last changed."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计日志只允许追加，不允许修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只允许追加，不允许删除")


class AuditEvent(models.Model):
    """One business or security action (留痕). ``hash = HMAC-SM3(key[key_id], prev_hash ‖ canonical payload)``,
    the key kept outside the database (``govworks.core.audit_keys``).

    Rows are written only by :func:`govworks.core.audit.audit_event_record` and never changed: the ORM
    refuses (``save`` of an existing row, ``delete``, queryset ``update``/``delete``) and so does a
    database trigger on SQLite and PostgreSQL.
    """

    seq = models.BigIntegerField("序号", primary_key=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    agency = models.ForeignKey(
        "org.Agency", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    context_type = models.CharField("所属事项类型", max_length=80, blank=True)
    context_id = models.CharField("所属事项编号", max_length=64, blank=True)
    summary = models.CharField("摘要", max_length=500)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    reason = models.TextField("原因", blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)
    key_id = models.CharField("密钥编号", max_length=32, blank=True, default="")

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="core_audit_actor_idx"),
            models.Index(fields=["agency", "occurred_at"], name="core_audit_agency_idx"),
            models.Index(fields=["context_type", "context_id", "seq"], name="core_audit_context_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审计日志只允许追加，不允许修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只允许追加，不允许删除")


class AuditChainHead(models.Model):
    """The single row holding the chain's last sequence number and hash.

    Appenders lock this row (``select_for_update``), so concurrent writers are serialised and the chain
    stays linear; ``audit_verify`` also compares the last event with it, so deleting the newest events
    is detected.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    key_id = models.CharField("密钥编号", max_length=32, blank=True, default="")
    mac = models.CharField("校验码", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditCheckpoint(models.Model):
    """A signed statement "the chain reached ``last_seq`` with ``last_hash``" (HMAC-SM3 with the chain key).

    Written daily by the periodic job ``core.audit_checkpoint`` and when the log is archived or pruned; append-only
    like the events (database triggers). A ``prune`` checkpoint is the anchor verification starts from once the
    events up to it have been archived and removed. The 安全审计员 exports checkpoints to keep them off the server;
    ``audit_verify --checkpoints FILE`` compares the database with such a file.
    """

    class Kind(models.TextChoices):
        DAILY = "daily", "每日检查点"
        ARCHIVE = "archive", "归档检查点"
        PRUNE = "prune", "清理锚点"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField("生成时间")
    last_seq = models.BigIntegerField("截至序号")
    last_hash = models.CharField("截至哈希", max_length=64)
    first_seq = models.BigIntegerField("起始序号", default=1)
    key_id = models.CharField("密钥编号", max_length=32)
    mac = models.CharField("签名", max_length=64)

    class Meta:
        verbose_name = "审计检查点"
        verbose_name_plural = "审计检查点"
        ordering = ["-last_seq", "-id"]
        indexes = [models.Index(fields=["kind", "last_seq"], name="core_checkpoint_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.last_seq}"


def audit_archive_upload_to(instance: AuditArchive, filename: str) -> str:
    return f"audit-archives/{filename}"


class AuditArchive(models.Model):
    """The events ``first_seq``..``last_seq`` written to a signed JSON file before they may be pruned.

    The file ends with the archive checkpoint; ``downloaded_at`` records that the 安全审计员 took a copy off the
    server, which pruning requires.
    """

    first_seq = models.BigIntegerField("起始序号")
    last_seq = models.BigIntegerField("截至序号")
    last_hash = models.CharField("截至哈希", max_length=64)
    cutoff = models.DateTimeField("早于此时间的事件")
    checkpoint = models.ForeignKey(AuditCheckpoint, verbose_name="检查点", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("归档文件", upload_to=audit_archive_upload_to)
    file_sm3 = models.CharField("文件 SM3", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="归档人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("归档时间")
    downloaded_at = models.DateTimeField("下载时间", null=True, blank=True)
    pruned_at = models.DateTimeField("清理时间", null=True, blank=True)
    pruned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="清理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "审计日志归档"
        verbose_name_plural = "审计日志归档"
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"审计日志归档 #{self.first_seq}–#{self.last_seq}"


class RuleParameter(models.Model):
    """A threshold or setting that law or the agency sets (DOMAIN.md §5), valid for a scope and a period.

    The most specific row wins: the agency's own, then its superior agencies' (nearest first), then the
    region's, then the deployment's. Within a scope the row effective on the date asked for is used.
    """

    class ValueType(models.TextChoices):
        AMOUNT = "amount", "金额（元）"
        PERCENT = "percent", "比例（%）"
        INTEGER = "integer", "整数"
        BOOLEAN = "boolean", "是/否"
        TEXT = "text", "文本"

    class Scope(models.TextChoices):
        DEPLOYMENT = "deployment", "全平台"
        REGION = "region", "地区"
        AGENCY = "agency", "单位"

    class Status(models.TextChoices):
        VERIFIED = "V", "已核实原文"
        SECONDARY = "S", "二手来源"
        MEMORY = "M", "待核实"
        DESIGN = "D", "设计取值"

    key = models.CharField("参数键", max_length=80, db_index=True)
    name = models.CharField("名称", max_length=120)
    category = models.CharField("类别", max_length=40)
    value = models.CharField("取值", max_length=200)
    value_type = models.CharField("类型", max_length=10, choices=ValueType.choices)
    unit = models.CharField("单位", max_length=20, blank=True)
    scope = models.CharField("适用范围", max_length=12, choices=Scope.choices, default=Scope.DEPLOYMENT)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    agency = models.ForeignKey(
        "org.Agency", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField("生效日期", default=date(2000, 1, 1))
    effective_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("依据", max_length=300, blank=True)
    status = models.CharField("核实状态", max_length=1, choices=Status.choices, default=Status.DESIGN)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "规则参数"
        verbose_name_plural = "规则参数"
        ordering = ["category", "key", "scope", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="agency", agency__isnull=False) | ~models.Q(scope="agency")),
                name="core_ruleparam_agency_scope_has_agency",
            ),
            models.UniqueConstraint(
                fields=["key", "scope", "region_code", "agency", "effective_from"],
                name="core_ruleparam_unique_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.key}）= {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.value_type == self.ValueType.PERCENT:
            return f"{self.value}%"
        if self.value_type == self.ValueType.AMOUNT:
            return f"{Decimal(self.value):,.2f} 元"
        if self.value_type == self.ValueType.BOOLEAN:
            return "是" if self.value == "true" else "否"
        return f"{self.value} {self.unit}".strip()


class PeriodicJobRun(models.Model):
    """One day's run of a registered periodic job; the unique day makes repeated triggers harmless."""

    name = models.CharField("任务", max_length=80)
    run_on = models.DateField("日期")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", default=False)
    summary = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"
        ordering = ["-run_on", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "run_on"], name="core_periodic_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.run_on}"


def export_upload_to(instance: ExportJob, filename: str) -> str:
    return f"exports/{instance.requested_by_id}/{instance.pk}/{filename}"


class ExportJob(models.Model):
    """An export (Excel, PDF …) produced in the background; the requester polls its progress and downloads it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导出类型", max_length=60)
    title = models.CharField("名称", max_length=120)
    params = models.JSONField("条件", default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField("总行数", null=True, blank=True)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    file = models.FileField("文件", upload_to=export_upload_to, blank=True)
    error = models.TextField("错误", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))


class NumberSequence(models.Model):
    """Gap-free agency-scoped counters for document numbers (LJJG-2026-0007). Locked row per key and year."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("编号类别", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号序列"
        constraints = [models.UniqueConstraint(fields=["agency", "key", "year"], name="core_numbering_unique")]

    def __str__(self) -> str:
        return f"{self.key}-{self.year}: {self.last_value}"


class WorkingCalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule (中国的放假调休安排): a 法定节假日 (a weekday off, or a
    weekend day inside a holiday period) or a 调休上班 day (a Saturday or Sunday worked). Seeded each year
    from the State Council's notice (``core/data/working_calendar.csv``), kept by the 系统管理员."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=40, help_text="如：国庆节、春节调休上班")
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"
