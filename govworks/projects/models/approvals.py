"""Approval chains by object kind and amount, with delegation while someone is away."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from govworks.org.roles import Role


class ApprovalChainRule(models.Model):
    """Which roles approve an object of ``kind`` whose amount is at least ``min_amount`` (the highest
    matching threshold wins; an agency's own rules override the deployment's)."""

    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("审批事项", max_length=60)
    name = models.CharField("审批流名称", max_length=80)
    min_amount = models.DecimalField("金额下限（元，含）", max_digits=16, decimal_places=2, default=0)
    steps = models.JSONField("审批环节（角色，依次）")

    class Meta:
        verbose_name = "审批流规则"
        ordering = ["kind", "agency_id", "min_amount"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "min_amount"], name="projects_chain_unique")]

    def __str__(self) -> str:
        return self.name


class ApprovalRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "审批中"
        APPROVED = "approved", "已批准"
        RETURNED = "returned", "已退回"

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="approval_requests")
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals")
    kind = models.CharField("审批事项", max_length=60)
    title = models.CharField("标题", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, default=0)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    chain_name = models.CharField("审批流", max_length=80)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    current_index = models.PositiveSmallIntegerField("当前环节", default=0)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "审批"
        verbose_name_plural = "审批"
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"], name="projects_approval_subject_idx")]

    def __str__(self) -> str:
        return self.title


class ApprovalStep(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", "同意"
        RETURN = "return", "退回"

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    index = models.PositiveSmallIntegerField("环节")
    role = models.CharField("审批角色", max_length=30, choices=Role.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="代理谁", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("意见", max_length=10, choices=Decision.choices, blank=True)
    opinion = models.TextField("审批意见", blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True)

    class Meta:
        verbose_name = "审批环节"
        ordering = ["request_id", "index"]
        constraints = [models.UniqueConstraint(fields=["request", "index"], name="projects_step_unique")]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.index} {self.role}"


class Delegation(models.Model):
    """While ``delegator`` is away (starts_on..ends_on), ``delegate`` may decide their approval steps."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="委托人", on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受托人", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    reason = models.CharField("事由", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "审批委托"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="projects_delegation_dates")
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id} → {self.delegate_id} {self.starts_on}..{self.ends_on}"
