"""专家论证 (expert review with a reproducible random draw) and 联审 (joint review by departments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govworks.org.models import validate_credit_code
from govworks.projects.models.projects import Stage


class Speciality(models.TextChoices):
    ARCHITECTURE = "architecture", "建筑"
    STRUCTURE = "structure", "结构"
    PLUMBING = "plumbing", "给排水"
    HVAC = "hvac", "暖通"
    ELECTRICAL = "electrical", "电气"
    SMART = "smart", "智能化"
    COST = "cost", "工程造价"
    ENERGY = "energy", "节能"
    FIRE = "fire", "消防"
    GEOTECH = "geotech", "岩土"


class Expert(models.Model):
    """A member of the deployment-wide expert pool, with the ties that exclude them from a panel."""

    name = models.CharField("姓名", max_length=40)
    speciality = models.CharField("专业", max_length=16, choices=Speciality.choices)
    title = models.CharField("职称", max_length=40)
    employer = models.CharField("工作单位", max_length=120)
    employer_credit_code = models.CharField(
        "工作单位统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="知道时填写；抽取时按信用代码和单位名称与项目各参建、投标单位比对回避",
    )
    employer_agency = models.ForeignKey(
        "org.Agency", verbose_name="所在机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer_org = models.ForeignKey(
        "org.ExternalOrganization", verbose_name="所在企业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conflict_agencies = models.ManyToManyField("org.Agency", verbose_name="需回避的单位", blank=True, related_name="+")
    conflict_orgs = models.ManyToManyField("org.ExternalOrganization", verbose_name="需回避的企业", blank=True, related_name="+")
    phone = models.CharField("电话", max_length=20, blank=True)
    is_active = models.BooleanField("在库", default=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家库"
        ordering = ["speciality", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_speciality_display()}）"


class ExpertReview(models.Model):
    class Status(models.TextChoices):
        DRAWN = "drawn", "已抽取专家"
        CONCLUDED = "concluded", "已出结论"
        SUPERSEDED = "superseded", "已重新抽取"

    class Conclusion(models.TextChoices):
        PASS = "pass", "通过"
        PASS_WITH_CHANGES = "pass_with_changes", "修改后通过"
        FAIL = "fail", "不通过"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="expert_reviews")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    subject = models.CharField("论证事项", max_length=120)
    speciality = models.CharField("专业", max_length=16, choices=Speciality.choices)
    panel_size = models.PositiveSmallIntegerField("抽取人数")
    seed = models.CharField("随机种子", max_length=64)
    pool_snapshot = models.JSONField("抽取时的候选专家（编号）")
    excluded_snapshot = models.JSONField("因回避排除的专家（编号）", default=list)
    panel = models.JSONField("抽中专家（编号，依次）")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAWN)
    conclusion = models.CharField("结论", max_length=20, choices=Conclusion.choices, blank=True)
    conclusion_note = models.TextField("论证意见", blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="重新抽取所替代的抽取",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    redraw_reason = models.TextField("重新抽取理由", blank=True)

    class Meta:
        verbose_name = "专家论证"
        ordering = ["project_id", "-drawn_at"]

    def __str__(self) -> str:
        return self.subject


class ExpertOpinion(models.Model):
    review = models.ForeignKey(ExpertReview, on_delete=models.PROTECT, related_name="opinions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("评分（0–100）")
    opinion = models.TextField("书面意见")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "专家意见"
        ordering = ["review_id", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="projects_expert_opinion_once")]

    def __str__(self) -> str:
        return f"{self.expert_id}: {self.score}"


class JointReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "征求意见中"
        CONCLUDED = "concluded", "已形成结论"

    class Conclusion(models.TextChoices):
        PASS = "pass", "通过"
        CONDITIONAL = "conditional", "有条件通过"
        FAIL = "fail", "不通过"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="joint_reviews")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    subject = models.CharField("联审事项", max_length=120)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField("意见反馈期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    conclusion = models.CharField("综合结论", max_length=12, choices=Conclusion.choices, blank=True)
    consolidated = models.TextField("综合意见", blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "联审"
        ordering = ["project_id", "-requested_at"]

    def __str__(self) -> str:
        return self.subject


class JointReviewSeat(models.Model):
    class Opinion(models.TextChoices):
        AGREE = "agree", "同意"
        CONDITIONAL = "conditional", "有条件同意"
        DISAGREE = "disagree", "不同意"

    review = models.ForeignKey(JointReview, on_delete=models.CASCADE, related_name="seats")
    unit = models.CharField("联审部门", max_length=60)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField("意见", max_length=12, choices=Opinion.choices, blank=True)
    comment = models.TextField("意见内容", blank=True)
    given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "联审部门意见"
        ordering = ["review_id", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "unit"], name="projects_joint_seat_unique")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.opinion or '待反馈'}"
