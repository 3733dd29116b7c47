"""Organisation: agencies (a tree), departments, users, external organisations, positions, role grants,
integrity pledges."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from govworks.core.models import TimeStampedModel
from govworks.org.roles import ExternalKind, Role
from govworks.org.rules import agency_code_problem, credit_code_problem


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


def validate_agency_code(value: str) -> None:
    problem = agency_code_problem(value)
    if problem:
        raise ValidationError(problem, code="agency_code")


class Agency(TimeStampedModel):
    """A government body (机关单位). ``path`` is the materialised tree path, e.g. ``/1/4/9/``."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"
        TOWN = "town", "乡镇级"

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    code = models.CharField(
        "单位代码",
        max_length=10,
        unique=True,
        validators=[validate_agency_code],
        help_text="项目编号的前缀，如 LJJG-2026-0009；2–10 位大写英文字母或数字，各单位不得重复",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    parent = models.ForeignKey(
        "self", verbose_name="上级主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("树路径", max_length=255, db_index=True, editable=False, default="/")
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.CITY)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "机关单位"
        verbose_name_plural = "机关单位"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Superior agencies' ids, nearest first."""
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return [i for i in reversed(ids) if i != self.pk]

    @property
    def depth(self) -> int:
        return self.path.strip("/").count("/")


class Department(TimeStampedModel):
    """A 科室 of an agency (基建科, 财务科, 纪检组 …)."""

    agency = models.ForeignKey(Agency, verbose_name="所属单位", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("科室名称", max_length=60)
    is_construction = models.BooleanField("负责工程建设（基建科）", default=False)
    phone = models.CharField("电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="org_department_unique_name")]

    def __str__(self) -> str:
        return self.name


class ExternalOrganization(TimeStampedModel):
    """A company working for agencies: 施工单位, 监理单位, 设计单位, 造价咨询."""

    name = models.CharField("单位名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    kind = models.CharField("类别", max_length=20, choices=ExternalKind.choices)
    legal_representative = models.CharField("法定代表人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    registered_by = models.ForeignKey(
        Agency, verbose_name="登记单位", on_delete=models.PROTECT, related_name="registered_external_orgs"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "外部单位"
        verbose_name_plural = "外部单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GovUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A person who signs in. Internal staff belong to an agency; external staff to an external organisation."""

    full_name = models.CharField("姓名", max_length=40)
    phone = models.CharField("手机号", max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    department = models.ForeignKey(
        Department, verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    external_org = models.ForeignKey(
        ExternalOrganization, verbose_name="外部单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    title = models.CharField("职务", max_length=40, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = GovUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True) | models.Q(external_org__isnull=True),
                name="org_user_internal_or_external",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_external(self) -> bool:
        return self.external_org_id is not None

    @property
    def owner_agency(self) -> Agency | None:
        """The agency that answers for this account: its own, or the one that registered its company."""
        if self.agency_id is not None:
            return self.agency
        return self.external_org.registered_by if self.external_org_id is not None else None  # type: ignore[union-attr]

    @property
    def owner_agency_id(self) -> int | None:
        if self.agency_id is not None:
            return self.agency_id
        return self.external_org.registered_by_id if self.external_org_id is not None else None  # type: ignore[union-attr]


class Position(TimeStampedModel):
    """A post (岗位) with its position description (岗位说明书)."""

    agency = models.ForeignKey(Agency, verbose_name="单位", on_delete=models.PROTECT, related_name="positions")
    department = models.ForeignKey(
        Department, verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField("岗位名称", max_length=60)
    superior = models.ForeignKey(
        "self", verbose_name="上级岗位", null=True, blank=True, on_delete=models.PROTECT, related_name="subordinates"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="在岗人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    duties = models.TextField("岗位职责")
    kpis = models.TextField("考核指标", blank=True)
    key_tasks_year = models.PositiveSmallIntegerField("重点任务年度", null=True, blank=True)
    key_tasks = models.TextField("年度重点任务", blank=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["agency_id", "department_id", "title"]
        constraints = [models.UniqueConstraint(fields=["agency", "title"], name="org_position_unique_title")]

    def __str__(self) -> str:
        return self.title


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active(self) -> RoleGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role held by a user in an agency. Revoking keeps the row (who, when, why)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="grants")
    agency = models.ForeignKey(Agency, verbose_name="单位", on_delete=models.PROTECT, related_name="grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授权人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        ordering = ["agency_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="org_rolegrant_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


def pledge_upload_to(instance: IntegrityPledge, filename: str) -> str:
    return f"pledges/{instance.year}/{instance.user_id}/{filename}"


class IntegrityPledge(models.Model):
    """The yearly signed 廉政承诺书; required before taking a project role (checked by later modules)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承诺人", on_delete=models.PROTECT, related_name="pledges")
    agency = models.ForeignKey(
        Agency, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="pledges"
    )
    year = models.PositiveSmallIntegerField("年度")
    signed_on = models.DateField("签订日期")
    file = models.FileField("承诺书扫描件", upload_to=pledge_upload_to)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "廉政承诺书"
        verbose_name_plural = "廉政承诺书"
        ordering = ["-year", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="org_pledge_one_per_year")]

    def __str__(self) -> str:
        return f"{self.user} {self.year}年廉政承诺书"


class AccountCode(models.Model):
    """A one-time activation or reset code (等保: no administrator learns a password). Only its hash is kept;
    the plain code is printed once on a sealed slip and used by the account holder on the public
    “激活账户/重置密码” page. It expires after ``security.account_code_hours`` and works once."""

    class Purpose(models.TextChoices):
        ACTIVATE = "activate", "激活账户"
        RESET = "reset", "重置密码"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="account_codes"
    )
    purpose = models.CharField("用途", max_length=10, choices=Purpose.choices)
    code_hash = models.CharField("激活码摘要", max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开具人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("开具时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "激活码"
        verbose_name_plural = "激活码"
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"], name="org_accountcode_open")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_purpose_display()}"


class SecurityNotice(models.Model):
    """An account-security fact put on a person's workbench (我的工作台) until read: an account opened, a
    reset code issued or used, a role granted or revoked, two-factor reset. Sent to the account holder and
    to the 安全审计员 of the account's agency and its superiors."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.PROTECT, related_name="security_notices"
    )
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="涉及账号", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("事项", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已阅时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号安全提醒"
        verbose_name_plural = "账号安全提醒"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="org_notice_unread")]

    def __str__(self) -> str:
        return self.title


class RecoveryCode(models.Model):
    """A one-time two-factor recovery code (shown once at enrolment, stored hashed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="recovery_codes"
    )
    code_hash = models.CharField("恢复码摘要", max_length=200)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "双因素恢复码"
        verbose_name_plural = "双因素恢复码"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.user} 恢复码"


class OverdueEscalation(models.Model):
    """逾期升级: one overdue item of a person, shown on the workbench of a leader up their chain (by post in
    the department tree). Rewritten by the daily run of ``org.escalation.escalate_overdue``; never edited."""

    computed_on = models.DateField("核算日期", db_index=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上级", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField("升级层级")
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("事项", max_length=300)
    url = models.CharField("链接", max_length=500)
    detail = models.CharField("说明", max_length=300, blank=True)
    condition = models.CharField("缺少条件", max_length=300, blank=True)
    stage = models.CharField("阶段", max_length=40, blank=True)
    severity = models.PositiveSmallIntegerField("严重程度", default=0)
    due = models.DateField("期限")
    overdue_days = models.PositiveIntegerField("逾期工作日")

    class Meta:
        verbose_name = "逾期升级"
        verbose_name_plural = "逾期升级"
        ordering = ["leader_id", "due", "id"]
        indexes = [models.Index(fields=["leader", "computed_on"], name="org_escalation_leader")]

    def __str__(self) -> str:
        return f"{self.title}（{self.owner}，逾期{self.overdue_days}个工作日）"
