"""资产移交: the 交付使用资产清单 of a project — asset cards built from the approved final cost's lines (a line may be
split into several cards), submitted by the preparer and confirmed by the using department."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AssetHandover(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "编制中"
        SUBMITTED = "submitted", "待使用单位确认"
        CONFIRMED = "confirmed", "已确认接收"

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="asset_handover"
    )
    final_accounts = models.OneToOneField(
        "closeout.FinalAccounts", verbose_name="竣工财务决算", on_delete=models.PROTECT, related_name="asset_handover"
    )
    using_department = models.ForeignKey("org.Department", verbose_name="使用部门", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_on = models.DateField("接收日期", null=True, blank=True)
    confirm_note = models.CharField("接收意见", max_length=200, blank=True)
    list_filed_at = models.DateTimeField("资产清单归档时间", null=True, blank=True)

    class Meta:
        verbose_name = "资产移交"
        verbose_name_plural = "资产移交"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project_id} 资产移交"


class AssetCard(models.Model):
    """一张资产卡片 of the 交付使用资产清单."""

    handover = models.ForeignKey(AssetHandover, on_delete=models.CASCADE, related_name="cards")
    line = models.ForeignKey(
        "closeout.FinalCostLine", verbose_name="决算费用明细", on_delete=models.PROTECT, related_name="cards"
    )
    seq = models.PositiveIntegerField("序号")
    name = models.CharField("资产名称", max_length=120)
    class_code = models.CharField("资产分类代码", max_length=7)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit = models.CharField("计量单位", max_length=10)
    value = models.DecimalField("价值（元）", max_digits=16, decimal_places=2)
    location = models.CharField("存放地点", max_length=200)
    custodian_department = models.ForeignKey(
        "org.Department", verbose_name="保管部门", on_delete=models.PROTECT, related_name="+"
    )
    delivered_on = models.DateField("交付使用日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "资产卡片"
        verbose_name_plural = "资产卡片"
        ordering = ["handover_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "seq"], name="closeout_asset_card_seq"),
            models.CheckConstraint(condition=Q(value__gt=0) & Q(quantity__gt=0), name="closeout_asset_card_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"

    @property
    def class_name(self) -> str:
        """The GB/T 14885 class name of ``class_code``."""
        from govworks.closeout.asset_classes import CLASS_NAMES

        return CLASS_NAMES.get(self.class_code, "")
