"""三重一大 collective decisions at leadership meetings, and the higher review (政府常务会议/人大)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from govworks.core.models import TimeStampedModel


class Meeting(TimeStampedModel):
    class Kind(models.TextChoices):
        PARTY_GROUP = "party_group", "党组会议"
        BUREAU = "bureau", "局务会议"
        DIRECTORS = "directors", "主任办公会议"

    class Status(models.TextChoices):
        PLANNED = "planned", "待召开"
        HELD = "held", "已召开"
        CLOSED = "closed", "已结束"

    agency = models.ForeignKey("org.Agency", verbose_name="单位", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("会议类型", max_length=12, choices=Kind.choices)
    title = models.CharField("会议名称", max_length=120)
    held_on = models.DateField("会议日期")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PLANNED)
    quorum_ratio = models.DecimalField("法定到会比例", max_digits=5, decimal_places=4)
    minutes = models.FileField("会议纪要", upload_to="meetings/%Y/", blank=True)
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="会议记录人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "决策会议"
        verbose_name_plural = "决策会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class MeetingMember(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="应到成员", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField("出席", default=False)
    absence_reason = models.CharField("缺席原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "会议成员"
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="projects_meetingmember_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.user_id}"


class AgendaItem(models.Model):
    class Category(models.TextChoices):
        MAJOR_DECISION = "major_decision", "重大决策"
        KEY_PERSONNEL = "key_personnel", "重要干部任免"
        MAJOR_PROJECT = "major_project", "重大项目安排"
        LARGE_FUND = "large_fund", "大额度资金使用"

    class Status(models.TextChoices):
        PENDING = "pending", "待决策"
        PASSED = "passed", "通过"
        REJECTED = "rejected", "不通过"

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="agenda")
    seq = models.PositiveSmallIntegerField("议题序号")
    title = models.CharField("议题", max_length=200)
    category = models.CharField("三重一大类别", max_length=16, choices=Category.choices)
    amount = models.DecimalField("涉及金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_kind = models.CharField("决策事项类型", max_length=40, blank=True)
    subject_facts = models.JSONField(
        "决策事项要素", default=list, blank=True, help_text="列入议题时事项的金额、比例、供应商等要素：[[名称, 值], …]"
    )
    subject_url = models.CharField("决策事项页面", max_length=200, blank=True)
    status = models.CharField("结论", max_length=10, choices=Status.choices, default=Status.PENDING)
    chair_conclusion = models.TextField("主持人结论性意见", blank=True)
    concluded_at = models.DateTimeField("决策时间", null=True, blank=True)

    class Meta:
        verbose_name = "会议议题"
        verbose_name_plural = "会议议题"
        ordering = ["meeting_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="projects_agenda_seq_unique")]
        indexes = [models.Index(fields=["subject_type", "subject_id", "status"], name="projects_agenda_subject_idx")]

    def __str__(self) -> str:
        return f"议题{self.seq}：{self.title}"


class Opinion(models.Model):
    class Choice(models.TextChoices):
        AGREE = "agree", "同意"
        DISAGREE = "disagree", "不同意"
        ABSTAIN = "abstain", "弃权"
        RECUSED = "recused", "回避"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="opinions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="成员", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField("意见", max_length=10, choices=Choice.choices)
    comment = models.TextField("发言要点", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "表态意见"
        ordering = ["item_id", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="projects_opinion_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class HigherReview(models.Model):
    """The 政府常务会议 / 人大 review a project at or above ``initiation.higher_review_min_amount`` needs."""

    class Body(models.TextChoices):
        GOVERNMENT_EXECUTIVE = "gov_executive", "政府常务会议"
        PEOPLES_CONGRESS = "peoples_congress", "人大常委会审议"

    class Conclusion(models.TextChoices):
        APPROVED = "approved", "同意"
        REJECTED = "rejected", "不同意"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="higher_reviews")
    body = models.CharField("审议机构", max_length=20, choices=Body.choices)
    meeting_date = models.DateField("会议日期")
    document_number = models.CharField("纪要/文件编号", max_length=60)
    conclusion = models.CharField("审议结论", max_length=10, choices=Conclusion.choices)
    file = models.FileField("会议纪要或批复文件", upload_to="higher_reviews/%Y/")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "上级审议"
        ordering = ["project_id", "-meeting_date"]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.document_number}"
