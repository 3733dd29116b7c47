"""Every write of the organisation module: one transaction, a permission check, an audit event."""

from __future__ import annotations

import datetime as dt
import math
import secrets
import string
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record, diff
from govworks.core.audited import audited_create, audited_update, snapshot
from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.rule_parameters import parse_value
from govworks.core.uploads import upload_check
from govworks.org import permissions as perms
from govworks.org.models import Agency, Department, ExternalOrganization, IntegrityPledge, Position, RoleGrant, User
from govworks.org.roles import ADMIN_ROLES, Role
from govworks.org.rules import credit_code_problem, separation_of_duties_problem


def _validated(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Run model validation and turn it into Django's ValidationError (forms show it per field)."""
    instance.full_clean(exclude=exclude)


# ---------------------------------------------------------------------------------------- agencies

AGENCY_FIELDS = ["name", "short_name", "credit_code", "level", "region_code", "address", "is_active"]


def agency_create(*, actor: User, parent: Agency, **fields: Any) -> Agency:
    """Create a subordinate agency under ``parent``. Only a 系统管理员 of ``parent`` may."""
    perms.require(actor, perms.ORG_MANAGE, parent.pk)
    with transaction.atomic():
        agency = Agency(parent=parent, **fields)
        _validated(agency, exclude=["path"])
        agency.save()
        agency.path = f"{parent.path}{agency.pk}/"
        agency.save(update_fields=["path"])
        audit_event_record(
            actor=actor,
            action="org.agency.create",
            obj=agency,
            agency=parent,
            summary=f"新建下级单位“{agency.name}”",
            changes=diff({}, snapshot(agency, AGENCY_FIELDS)),
        )
    perms.agency_tree_changed()  # the new agency now lies within its superiors' reach
    return agency


def agency_root_create(*, name: str, credit_code: str, **fields: Any) -> Agency:
    """Create a top agency of the deployment (installation step; no actor)."""
    with transaction.atomic():
        agency = Agency(name=name, credit_code=credit_code, **fields)
        _validated(agency, exclude=["path"])
        agency.save()
        agency.path = f"/{agency.pk}/"
        agency.save(update_fields=["path"])
        audit_event_record(actor=None, action="org.agency.create", obj=agency, agency=agency, summary=f"建立顶级单位“{name}”")
    return agency


def agency_update(*, actor: User, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's own data (its 系统管理员, or an administrator of a superior agency)."""
    perms.require(actor, perms.ORG_MANAGE, agency.pk)
    return audited_update(
        actor=actor,
        model=Agency,
        pk=agency.pk,
        changes=fields,
        tracked=AGENCY_FIELDS,
        action="org.agency.update",
        summary=lambda a: f"修改单位信息“{a.name}”",
        agency=lambda a: a,
    )


# ---------------------------------------------------------------------------------------- departments

DEPARTMENT_FIELDS = ["name", "is_construction", "phone", "is_active"]


def department_create(*, actor: User, agency: Agency, **fields: Any) -> Department:
    """Add a 科室 to ``agency`` (its 系统管理员 only)."""
    perms.require(actor, perms.ORG_MANAGE, agency.pk)
    return audited_create(
        actor=actor,
        instance=Department(agency=agency, **fields),
        tracked=DEPARTMENT_FIELDS,
        action="org.department.create",
        summary=lambda d: f"新建科室“{d.name}”",
        agency=agency,
    )


def department_update(*, actor: User, department: Department, **fields: Any) -> Department:
    """Change a 科室 (its agency's 系统管理员 only)."""
    perms.require(actor, perms.ORG_MANAGE, department.agency_id)
    return audited_update(
        actor=actor,
        model=Department,
        pk=department.pk,
        changes=fields,
        tracked=DEPARTMENT_FIELDS,
        action="org.department.update",
        summary=lambda d: f"修改科室“{d.name}”",
        agency=lambda d: d.agency,
    )


# ---------------------------------------------------------------------------------------- external organisations

EXTERNAL_FIELDS = ["name", "credit_code", "kind", "legal_representative", "phone", "address", "is_active"]


def external_org_create(*, actor: User, registered_by: Agency, **fields: Any) -> ExternalOrganization:
    """Register a company (施工/监理/设计/造价咨询). Its 统一社会信用代码 must pass the check character."""
    perms.require(actor, perms.ORG_MANAGE, registered_by.pk)
    problem = credit_code_problem(fields.get("credit_code", ""))
    if problem:
        raise DomainError("org.credit_code_invalid", problem, field="credit_code")
    return audited_create(
        actor=actor,
        instance=ExternalOrganization(registered_by=registered_by, **fields),
        tracked=EXTERNAL_FIELDS,
        action="org.external_org.create",
        summary=lambda o: f"登记外部单位“{o.name}”（{o.get_kind_display()}）",
        agency=registered_by,
    )


def external_org_update(*, actor: User, org: ExternalOrganization, **fields: Any) -> ExternalOrganization:
    """Change a registered company (the registering agency's 系统管理员 only)."""
    perms.require(actor, perms.ORG_MANAGE, org.registered_by_id)
    return audited_update(
        actor=actor,
        model=ExternalOrganization,
        pk=org.pk,
        changes=fields,
        tracked=EXTERNAL_FIELDS,
        action="org.external_org.update",
        summary=lambda o: f"修改外部单位“{o.name}”",
        agency=lambda o: o.registered_by,
    )


# ---------------------------------------------------------------------------------------- users

USER_FIELDS = ["username", "full_name", "phone", "email", "title", "department", "is_active"]


def temporary_password() -> str:
    """A random password that satisfies the policy (it must be changed at first sign-in)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Gw{core}#{secrets.randbelow(90) + 10}"


def user_create(
    *,
    actor: User,
    agency: Agency | None = None,
    external_org: ExternalOrganization | None = None,
    username: str,
    full_name: str,
    password: str | None = None,
    **fields: Any,
) -> tuple[User, str]:
    """Open an account for an agency's staff member or an external company's. Returns (user, initial password).

    The account must change its password at first sign-in. The 系统管理员 of the agency (or of the agency
    that registered the external company) opens it.
    """
    owner_agency_id = agency.pk if agency is not None else (external_org.registered_by_id if external_org else None)
    perms.require(actor, perms.ORG_MANAGE, owner_agency_id)
    if (agency is None) == (external_org is None):
        raise DomainError("org.user_owner", "账号须属于一个机关单位或一个外部单位（二选一）", field="agency")
    department = fields.get("department")
    if department is not None and (agency is None or department.agency_id != agency.pk):
        raise DomainError("org.user_department", "所选科室不属于该单位", field="department")
    initial = password or temporary_password()
    with transaction.atomic():
        user = User(username=username, full_name=full_name, agency=agency, external_org=external_org, **fields)
        user.must_change_password = True
        validate_password(initial, user)
        user.set_password(initial)
        _validated(user, exclude=["password"])
        user.save()
        audit_event_record(
            actor=actor,
            action="org.user.create",
            obj=user,
            agency=agency or (external_org.registered_by if external_org else None),
            summary=f"开设账号 {username}（{full_name}）",
            changes=diff({}, snapshot(user, USER_FIELDS)),
        )
    return user, initial


def _check_user_department(user: User) -> None:
    if user.department is not None and user.department.agency_id != user.agency_id:
        raise DomainError("org.user_department", "所选科室不属于该单位", field="department")


def user_update(*, actor: User, user: User, **fields: Any) -> User:
    """Change an account's profile or disable it (never its roles: those are grants)."""
    perms.require(actor, perms.ORG_MANAGE, user.owner_agency_id)
    if user.pk == actor.pk and fields.get("is_active") is False:
        raise DomainError("org.user_self_disable", "不能停用自己的账号")
    return audited_update(
        actor=actor,
        model=User,
        pk=user.pk,
        changes=fields,
        tracked=USER_FIELDS,
        action="org.user.update",
        summary=lambda u: f"修改账号 {u.username}",
        agency=lambda u: u.owner_agency,
        check=_check_user_department,
    )


def user_password_reset(*, actor: User, user: User) -> str:
    """Give an account a new temporary password (must be changed at next sign-in). Returns it once."""
    perms.require(actor, perms.ORG_MANAGE, user.owner_agency_id)
    if user.pk == actor.pk:
        raise DomainError("org.password_self_reset", "不能重置自己的密码，请使用“修改密码”")
    initial = temporary_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(initial)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_event_record(
            actor=actor,
            action="org.user.password_reset",
            obj=user,
            agency=user.owner_agency,
            summary=f"重置账号 {user.username} 的密码",
        )
    return initial


def user_password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password (policy checked; must differ from the old one)."""
    if not user.check_password(old_password):
        raise DomainError("org.password_wrong", "原密码不正确", field="old_password")
    if old_password == new_password:
        raise DomainError("org.password_same", "新密码不能与原密码相同", field="new_password1")
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit_event_record(actor=user, action="auth.password_change", obj=user, agency=user.owner_agency, summary="修改本人密码")


def account_unlock(*, actor: User, user: User) -> int:
    """Lift a lockout after repeated failed sign-ins (安全管理员 of the account's agency)."""
    from axes.utils import reset

    perms.require(actor, perms.ACCOUNT_UNLOCK, user.owner_agency_id)
    with transaction.atomic():
        removed = reset(username=user.username)
        audit_event_record(
            actor=actor,
            action="auth.unlock",
            obj=user,
            agency=user.owner_agency,
            summary=f"解锁账号 {user.username}",
            changes={"cleared_attempts": removed},
        )
    return int(removed)


# ---------------------------------------------------------------------------------------- positions

POSITION_FIELDS = ["title", "department", "superior", "holder", "duties", "kpis", "key_tasks_year", "key_tasks"]


def _check_position_links(position: Position) -> None:
    if position.department is not None and position.department.agency_id != position.agency_id:
        raise DomainError("org.position_department", "所选科室不属于该单位", field="department")
    if position.superior is not None:
        if position.superior.agency_id != position.agency_id:
            raise DomainError("org.position_superior", "上级岗位须属于同一单位", field="superior")
        seen = {position.pk}
        node: Position | None = position.superior
        while node is not None:
            if node.pk in seen:
                raise DomainError("org.position_cycle", "上级岗位不能形成循环", field="superior")
            seen.add(node.pk)
            node = node.superior
    if position.holder is not None and position.holder.agency_id != position.agency_id:
        raise DomainError("org.position_holder", "在岗人员须为本单位人员", field="holder")


def position_create(*, actor: User, agency: Agency, **fields: Any) -> Position:
    """Create a post with its position description (岗位说明书)."""
    perms.require(actor, perms.ORG_MANAGE, agency.pk)
    return audited_create(
        actor=actor,
        instance=Position(agency=agency, **fields),
        tracked=POSITION_FIELDS,
        action="org.position.create",
        summary=lambda p: f"新建岗位“{p.title}”",
        agency=agency,
        check=_check_position_links,
    )


def position_update(*, actor: User, position: Position, **fields: Any) -> Position:
    """Change a post's description, superior or holder."""
    perms.require(actor, perms.ORG_MANAGE, position.agency_id)
    return audited_update(
        actor=actor,
        model=Position,
        pk=position.pk,
        changes=fields,
        tracked=POSITION_FIELDS,
        action="org.position.update",
        summary=lambda p: f"修改岗位“{p.title}”",
        agency=lambda p: p.agency,
        check=_check_position_links,
    )


# ---------------------------------------------------------------------------------------- role grants


def role_grant(*, actor: User, user: User, agency: Agency, role: str, note: str = "") -> RoleGrant:
    """Grant ``role`` in ``agency`` to ``user``. Refuses: granting to oneself; a grantor who is not the
    agency's 安全管理员; an external user; and any grant that breaks 三员分立."""
    if role not in Role.values:
        raise DomainError("org.role_unknown", f"未知角色 {role}", field="role")
    if user.pk == actor.pk:
        raise DomainError("org.grant_self", "不能为自己授予角色（三员分立、不得自我授权）", field="user")
    perms.require(actor, perms.ROLE_GRANT, agency.pk)
    if not user.is_active:
        raise DomainError("org.grant_inactive", f"账号 {user.username} 已停用，不能授予角色", field="user")
    if user.is_external:
        raise DomainError("org.grant_external", "外部单位人员不能被授予机关内部角色，请通过项目分配其参与范围", field="user")
    related = user.agency is not None and (
        user.agency_id == agency.pk or agency.pk in user.agency.ancestor_ids() or user.agency_id in agency.ancestor_ids()
    )
    if not related:
        raise DomainError("org.grant_foreign_user", "只能向本单位或上下级单位的人员授予该单位的角色", field="user")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # serialise grants to one user
        held = set(RoleGrant.objects.active().filter(user=user).values_list("role", flat=True))
        if role in set(RoleGrant.objects.active().filter(user=user, agency=agency).values_list("role", flat=True)):
            raise DomainError("org.grant_duplicate", f"该人员在本单位已具有“{Role(role).label}”角色", field="role")
        problem = separation_of_duties_problem(new_role=role, held_roles=held, admin_roles=ADMIN_ROLES)
        if problem:
            raise DomainError("org.separation_of_duties", problem, field="role")
        try:
            with transaction.atomic():
                grant = RoleGrant.objects.create(user=user, agency=agency, role=role, granted_by=actor, note=note)
        except IntegrityError:
            raise DomainError("org.grant_duplicate", f"该人员在本单位已具有“{Role(role).label}”角色", field="role") from None
        audit_event_record(
            actor=actor,
            action="org.role.grant",
            obj=grant,
            agency=agency,
            summary=f"授予 {user.display_name}“{Role(role).label}”角色",
            changes={"role": {"before": None, "after": role}},
            reason=note,
        )
    perms.forget_cached_scope(user)
    return grant


def role_revoke(*, actor: User, grant: RoleGrant, reason: str) -> RoleGrant:
    """Revoke an active grant, keeping who, when and why. Nobody revokes their own grant."""
    if not reason.strip():
        raise DomainError("org.revoke_reason", "请填写撤销原因", field="reason")
    if grant.user_id == actor.pk:
        raise DomainError("org.revoke_self", "不能撤销自己的角色，请由其他安全管理员办理")
    perms.require(actor, perms.ROLE_GRANT, grant.agency_id)
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update(of=("self",)).select_related("user").get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise DomainError("org.revoke_twice", "该授权已撤销")
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_event_record(
            actor=actor,
            action="org.role.revoke",
            obj=grant,
            agency=grant.agency,
            summary=f"撤销 {grant.user.display_name} 的“{grant.get_role_display()}”角色",
            changes={"role": {"before": grant.role, "after": None}},
            reason=reason,
        )
    perms.forget_cached_scope(grant.user)
    return grant


# ---------------------------------------------------------------------------------------- integrity pledges

MAX_PLEDGE_FILE_BYTES = 10 * 1024 * 1024
PLEDGE_FILE_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


def pledge_record(*, actor: User, user: User, year: int, signed_on: dt.date, file: UploadedFile) -> IntegrityPledge:
    """Record a signed yearly 廉政承诺书 (by the person themselves, or by their agency's 系统管理员)."""
    if actor.pk != user.pk:
        perms.require(actor, perms.PLEDGE_RECORD, user.agency_id)
    today = timezone.localdate()
    if signed_on > today:
        raise DomainError("org.pledge_future", f"签订日期不能晚于今天（{today:%Y-%m-%d}）", field="signed_on")
    if signed_on.year != year and signed_on.year != year - 1:
        raise DomainError("org.pledge_year", f"{year}年度承诺书的签订日期应在{year - 1}年或{year}年内", field="signed_on")
    name = (file.name or "").lower()
    if not name.endswith(PLEDGE_FILE_TYPES):
        raise DomainError("org.pledge_file_type", "承诺书扫描件只接受 PDF、JPG、PNG 文件", field="file")
    if (file.size or 0) > MAX_PLEDGE_FILE_BYTES:
        raise DomainError(
            "org.pledge_file_size",
            f"承诺书扫描件不能超过10MB（当前{math.ceil((file.size or 0) * 100 / 1048576) / 100:.2f}MB）",
            field="file",
        )
    upload_check(file, field="file", types=PLEDGE_FILE_TYPES, max_bytes=MAX_PLEDGE_FILE_BYTES)  # the content too
    duplicate = DomainError("org.pledge_duplicate", f"{user.display_name} 的{year}年度廉政承诺书已登记", field="year")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # one pledge per person and year: serialise concurrent uploads
        if IntegrityPledge.objects.filter(user=user, year=year).exists():
            raise duplicate
        pledge = IntegrityPledge(user=user, agency=user.agency, year=year, signed_on=signed_on, recorded_by=actor)
        pledge.file.save(file.name or "pledge.pdf", file, save=False)
        pledge.save()
        audit_event_record(
            actor=actor,
            action="org.pledge.record",
            obj=pledge,
            agency=user.agency,
            summary=f"登记 {user.display_name} {year}年度廉政承诺书",
            changes={"signed_on": {"before": None, "after": signed_on}},
        )
    return pledge


# ---------------------------------------------------------------------------------------- rule parameters


def _check_parameter_value(row: RuleParameter, value: str) -> str:
    value = value.strip()
    try:
        parsed = parse_value(row.value_type, value)
    except Exception:
        raise DomainError(
            "core.rule_parameter_value", f"“{row.name}”的取值“{value}”不是有效的{row.get_value_type_display()}", field="value"
        ) from None
    if isinstance(parsed, Decimal) and not parsed.is_finite():
        raise DomainError("core.rule_parameter_value", f"“{row.name}”的取值“{value}”不是有限的数值", field="value")
    if row.value_type == RuleParameter.ValueType.BOOLEAN and value not in ("true", "false"):
        raise DomainError("core.rule_parameter_value", f"“{row.name}”只能取“是”或“否”", field="value")
    if row.value_type == RuleParameter.ValueType.PERCENT and not (0 <= parsed * 100 <= 100):  # type: ignore[operator]
        raise DomainError("core.rule_parameter_value", f"“{row.name}”须在 0% 到 100% 之间（填写的是 {value}%）", field="value")
    if row.value_type in (RuleParameter.ValueType.AMOUNT, RuleParameter.ValueType.INTEGER) and parsed < 0:  # type: ignore[operator]
        raise DomainError("core.rule_parameter_value", f"“{row.name}”不能为负数（填写的是 {value}）", field="value")
    return value


def rule_parameter_set(
    *,
    actor: User,
    key: str,
    value: str,
    effective_from: dt.date,
    agency: Agency | None,
    reason: str,
) -> RuleParameter:
    """Set ``key`` from ``effective_from`` on, for ``agency`` (agency scope) or the deployment (agency None).

    Deployment values may be set only by a 系统管理员 of a top agency; agency values by that agency's
    系统管理员. The earlier value stays on record, closed the day before; the audit trail keeps both.
    """
    if not reason.strip():
        raise DomainError("core.rule_parameter_reason", "请填写调整依据或原因", field="reason")
    today = timezone.localdate()
    if effective_from < today:
        raise DomainError(
            "core.rule_parameter_retroactive",
            f"生效日期不能早于今天（{today:%Y-%m-%d}）：规则不得追溯调整，已发生的事项按当时的规则办理",
            field="effective_from",
        )
    if agency is None:
        top_ids = set(Agency.objects.filter(parent__isnull=True).values_list("id", flat=True))
        if not (perms.agency_ids_where(actor, perms.RULE_PARAMETER_EDIT) & top_ids):
            raise PermissionDenied("只有顶级单位的系统管理员可以修改全平台规则参数")
    else:
        perms.require(actor, perms.RULE_PARAMETER_EDIT, agency.pk)
    with transaction.atomic():
        template = RuleParameter.objects.filter(key=key, scope=RuleParameter.Scope.DEPLOYMENT).order_by("-effective_from").first()
        if template is None:
            raise DomainError("core.rule_parameter_unknown", f"没有规则参数 {key}")
        value = _check_parameter_value(template, value)
        scope = RuleParameter.Scope.AGENCY if agency is not None else RuleParameter.Scope.DEPLOYMENT
        rows = RuleParameter.objects.select_for_update().filter(key=key, scope=scope, agency=agency).order_by("effective_from")
        current = [
            r for r in rows if r.effective_from <= effective_from and (r.effective_to is None or r.effective_to >= effective_from)
        ]
        if any(r.effective_from > effective_from for r in rows):
            raise DomainError(
                "core.rule_parameter_future",
                f"该参数已有晚于 {effective_from:%Y-%m-%d} 生效的取值，请先处理后续取值",
                field="effective_from",
            )
        before = current[0].value if current else None
        if current and current[0].effective_from == effective_from:
            row = current[0]
            row.value = value
            row.save(update_fields=["value", "updated_at"])
        else:
            if current:
                current[0].effective_to = effective_from - dt.timedelta(days=1)
                current[0].save(update_fields=["effective_to", "updated_at"])
            row = RuleParameter.objects.create(
                key=key,
                name=template.name,
                category=template.category,
                value=value,
                value_type=template.value_type,
                unit=template.unit,
                scope=scope,
                agency=agency,
                effective_from=effective_from,
                source=template.source,
                status=RuleParameter.Status.DESIGN if agency is not None else template.status,
            )
        audit_event_record(
            actor=actor,
            action="core.rule_parameter.set",
            obj=row,
            agency=agency,
            summary=f"调整规则参数“{template.name}”（{key}）为 {row.display_value}，{effective_from:%Y-%m-%d} 起生效",
            changes={"value": {"before": before, "after": value}, "effective_from": {"before": None, "after": effective_from}},
            reason=reason,
        )
    return row


def model_validation_message(error: ValidationError) -> str:
    """One readable line from a model ValidationError (for DomainError wrapping in the API)."""
    if hasattr(error, "message_dict"):
        return "；".join(f"{field}：{'，'.join(msgs)}" for field, msgs in error.message_dict.items())
    return "；".join(error.messages)


# ---------------------------------------------------------------------------------------- installation


def platform_bootstrap(
    *, agency: Agency, admins: Sequence[tuple[str, str, str]], password: str | None = None
) -> list[tuple[User, str]]:
    """Installation step: open the three administrator accounts (三员) of a top agency.

    ``admins`` is ``[(role, username, full_name), …]`` with each of system_admin, security_admin and
    audit_admin exactly once. There is no actor yet, so the events are recorded as the system's. After
    this, every account and grant goes through the ordinary services.
    """
    roles = sorted(role for role, _, _ in admins)
    if roles != sorted(ADMIN_ROLES):
        raise DomainError("org.bootstrap_roles", "须且只须开设系统管理员、安全管理员、安全审计员各一名")
    if agency.parent_id is not None:
        raise DomainError("org.bootstrap_top", "只能为顶级单位开设三员账号")
    result: list[tuple[User, str]] = []
    with transaction.atomic():
        for role, username, full_name in admins:
            initial = password or temporary_password()
            user = User(username=username, full_name=full_name, agency=agency, must_change_password=True)
            validate_password(initial, user)
            user.set_password(initial)
            user.save()
            grant = RoleGrant.objects.create(user=user, agency=agency, role=role, note="系统安装时开设")
            audit_event_record(
                actor=None,
                action="org.role.grant",
                obj=grant,
                agency=agency,
                summary=f"安装：开设{Role(role).label}账号 {username}（{full_name}）",
                changes={"role": {"before": None, "after": role}},
            )
            result.append((user, initial))
    return result
