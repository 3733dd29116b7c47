"""Integrity signals (廉政风险信号) found in procurement: stored once each, for 纪检监察 and the later risk
module; shown on the contract page. A signal is a fact worth a look, not a refusal."""

from __future__ import annotations

from django.db import models


class IntegritySignal(models.Model):
    class Kind(models.TextChoices):
        SHARED_BIDDER_TRAIT = "shared_bidder_trait", "投标人关联（围标串标迹象）"
        OVER_WINNING_BID = "over_winning_bid", "低价中标、高价结算"
        BELOW_THRESHOLD_CLUSTER = "below_threshold_cluster", "同一供应商多份合同规避招标"
        SPLIT_CHECK_SKIPPED = "split_check_skipped", "标段不合并采购（未参与化整为零检查）"
        OVER_LOT_ESTIMATE = "over_lot_estimate", "合同金额超出标段估算"
        HIGH_SETTLEMENT = "high_settlement", "结算审定金额远超中标价（低价高结）"

    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    fingerprint = models.CharField("识别码", max_length=200, help_text="同一事实只记录一次")
    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="integrity_signals"
    )
    tender = models.ForeignKey(
        "procurement.Tender",
        verbose_name="招标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_signals",
    )
    contracts = models.ManyToManyField(
        "procurement.Contract", verbose_name="相关合同", blank=True, related_name="integrity_signals"
    )
    detail = models.TextField("说明")
    detected_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "廉政风险信号"
        verbose_name_plural = "廉政风险信号"
        ordering = ["-detected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "kind", "fingerprint"], name="procurement_signal_once")]
        indexes = [models.Index(fields=["agency", "-detected_at"], name="procurement_signal_agency_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.detail[:40]}"
