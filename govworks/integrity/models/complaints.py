"""投诉举报: a report filed by anyone through the public form at ``/jubao/``, routed to 纪检监察 of the agency it
concerns. The reporter's identity and contact are SM4-encrypted at rest and read only by the assigned handler
(every read audited); the people the complaint names never read it and may not handle it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.core.encryption import SM4EncryptedCharField

SUBJECT_MAX = 100
CONTENT_MAX = 5000
PROJECT_TEXT_MAX = 200
NAME_MAX = 40
PHONE_MAX = 20
CONTACT_MAX = 100
REPLY_MAX = 5000
REASON_MAX = 500


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "办理中"
    REJECTED = "rejected", "不予受理"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class Complaint(models.Model):
    """One complaint. ``tracking_code`` and the hashed ``query_password`` let the reporter follow it anonymously;
    ``source_digest`` is a keyed digest of the submitting address (for the hourly limit), never the address."""

    Status = ComplaintStatus

    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    query_password = models.CharField("查询密码（哈希）", max_length=128)
    agency = models.ForeignKey("org.Agency", verbose_name="被举报单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="涉及项目", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project_text = models.CharField("涉及项目（填写）", max_length=PROJECT_TEXT_MAX, blank=True)
    subject = models.CharField("举报主题", max_length=SUBJECT_MAX)
    content = models.TextField("举报内容", max_length=CONTENT_MAX)
    anonymous = models.BooleanField("匿名", default=True)
    reporter_name = SM4EncryptedCharField("举报人姓名", max_length=NAME_MAX, blank=True)
    reporter_phone = SM4EncryptedCharField("联系电话", max_length=PHONE_MAX, blank=True)
    reporter_contact = SM4EncryptedCharField("身份证号或电子邮箱", max_length=CONTACT_MAX, blank=True)
    source_digest = models.CharField("来源摘要", max_length=64, db_index=True, blank=True)
    received_at = models.DateTimeField("收到时间", db_index=True)
    received_on = models.DateField("收到日期")
    accept_due = models.DateField("受理期限")
    status = models.CharField("状态", max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="受理人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply_due = models.DateField("答复期限", null=True, blank=True)
    reject_reason = models.TextField("不予受理理由", max_length=REASON_MAX, blank=True)
    reply = models.TextField("答复内容", max_length=REPLY_MAX, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    escalated_on = models.DateField("逾期督办日期", null=True, blank=True)
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="被举报人", blank=True, related_name="complaints_naming"
    )

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="integrity_complaint_ag_st_idx")]

    def __str__(self) -> str:  # never the reporter, never the tracking code
        return f"投诉举报 #{self.pk}"

    @property
    def project_label(self) -> str:
        return str(self.project) if self.project_id else self.project_text


def complaint_attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    return f"integrity/complaints/{instance.complaint_id}/{filename}"


class ComplaintAttachment(models.Model):
    """A file sent with a complaint, checked by its content when received."""

    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=complaint_attachment_path)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "举报附件"
        ordering = ["complaint_id", "id"]

    def __str__(self) -> str:
        return self.original_name
