"""Every write of the organisation module: one transaction, a permission check, an audit event."""

from __future__ import annotations

import datetime as dt
import math
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from govworks.core.audit import audit_event_record, diff
from govworks.core.audited import audited_create, audited_update, snapshot
from govworks.core.errors import DomainError
from govworks.core.models import NumberSequence, RuleParameter, WorkingCalendarDay
from govworks.core.rule_parameters import parse_value, rule_parameters_changed, rule_value
from govworks.core.uploads import upload_check
from govworks.org import permissions as perms
from govworks.org.models import (
    AccountCode,
    Agency,
    Department,
    ExternalOrganization,
    IntegrityPledge,
    Position,
    RecoveryCode,
    RoleGrant,
    SecurityNotice,
    User,
)
from govworks.org.roles import ADMIN_ROLES, Role
from govworks.org.rules import (
    SECURITY_PARAMETER_BOUNDS,
    account_code_normalised,
    agency_code_default,
    credit_code_problem,
    security_parameter_problem,
    separation_of_duties_problem,
    two_factor_required,
)


def _validated(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Run model validation and turn it into Django's ValidationError (forms show it per field)."""
    instance.full_clean(exclude=exclude)


# ---------------------------------------------------------------------------------------- agencies

AGENCY_FIELDS = ["name", "short_name", "code", "credit_code", "level", "region_code", "address", "is_active"]


def _with_agency_code(fields: dict[str, Any], credit_code: str) -> dict[str, Any]:
    """``fields`` with the agency code upper-cased, or defaulted to the 组织机构代码 in the credit code."""
    code = str(fields.get("code") or "").strip().upper()
    return {**fields, "code": code or agency_code_default(credit_code)}


def agency_create(*, actor: User, parent: Agency, **fields: Any) -> Agency:
    """Create a subordinate agency under ``parent``. Only a 系统管理员 of ``parent`` may."""
    perms.require(actor, perms.ORG_MANAGE, parent.pk)
    fields = _with_agency_code(fields, str(fields.get("credit_code") or ""))
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
    fields = _with_agency_code(fields, credit_code)
    with transaction.atomic():
        agency = Agency(name=name, credit_code=credit_code, **fields)
        _validated(agency, exclude=["path"])
        agency.save()
        agency.path = f"/{agency.pk}/"
        agency.save(update_fields=["path"])
        audit_event_record(actor=None, action="org.agency.create", obj=agency, agency=agency, summary=f"建立顶级单位“{name}”")
    return agency


def agency_update(*, actor: User, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's own data (its 系统管理员, or an administrator of a superior agency).

    The agency code is the prefix of the project numbers already issued: once one is numbered, changing
    it is refused (another agency could take the old code and issue the same numbers again). A blank code
    leaves it as it is."""
    perms.require(actor, perms.ORG_MANAGE, agency.pk)
    if "code" in fields:
        code = str(fields["code"] or "").strip().upper()
        if not code or code == agency.code:
            fields = {k: v for k, v in fields.items() if k != "code"}
        else:
            fields = {**fields, "code": code}
            issued = NumberSequence.objects.filter(agency_id=agency.pk, key="project", last_value__gt=0).order_by("-year").first()
            if issued is not None:
                raise DomainError(
                    "org.agency_code_in_use",
                    f"单位代码 {agency.code} 已用于本单位的项目编号（最近为 {agency.code}-{issued.year}-{issued.last_value:04d}），"
                    f"不能改为 {code}",
                    field="code",
                )
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
    """A random password that satisfies the policy (installation only: the three administrators' first
    password, set by whoever installs the platform, changed at first sign-in)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Gw{core}#{secrets.randbelow(90) + 10}"


#: letters and digits that cannot be misread on paper (no 0/O, 1/I/L)
ACCOUNT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACCOUNT_CODE_LENGTH = 12


@dataclass(frozen=True)
class AccountSlip:
    """What the sealed print slip (密封单) carries. ``code`` exists only in this object: the database keeps
    its hash, so the slip can be shown once and never again."""

    user: User
    purpose: str
    code: str
    expires_at: dt.datetime
    issued_by: User | None

    @property
    def purpose_label(self) -> str:
        return str(AccountCode.Purpose(self.purpose).label)


def _account_code_hours(user: User) -> int:
    try:
        return int(rule_value("security.account_code_hours", agency=user.owner_agency))
    except DomainError:
        return 24


def _auditors_of(user: User) -> list[User]:
    """The 安全审计员 who watch ``user``'s account: of its agency and of every superior agency."""
    agency = user.owner_agency
    if agency is None:
        return []
    agency_ids = [agency.pk, *agency.ancestor_ids()]
    return list(
        User.objects.filter(
            Exists(RoleGrant.objects.active().filter(user=OuterRef("pk"), role=Role.AUDIT_ADMIN, agency_id__in=agency_ids)),
            is_active=True,
        )
    )


def _notify(*, subject: User, actor: User | None, title: str) -> None:
    """Put ``title`` on the workbench of the account holder and of the 安全审计员 who watch the account."""
    recipients = {subject.pk: subject, **{a.pk: a for a in _auditors_of(subject)}}
    SecurityNotice.objects.bulk_create(
        [SecurityNotice(recipient=r, subject=subject, actor=actor, title=title[:200]) for r in recipients.values()]
    )


def _account_code_issue(*, actor: User | None, user: User, purpose: str) -> AccountSlip:
    """Void the account's open codes and issue a new one; only its hash is stored."""
    now = timezone.now()
    AccountCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    code = "".join(secrets.choice(ACCOUNT_CODE_ALPHABET) for _ in range(ACCOUNT_CODE_LENGTH))
    expires_at = now + dt.timedelta(hours=_account_code_hours(user))
    AccountCode.objects.create(user=user, purpose=purpose, code_hash=make_password(code), issued_by=actor, expires_at=expires_at)
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    return AccountSlip(user=user, purpose=purpose, code=grouped, expires_at=expires_at, issued_by=actor)


def user_create(
    *,
    actor: User,
    agency: Agency | None = None,
    external_org: ExternalOrganization | None = None,
    username: str,
    full_name: str,
    **fields: Any,
) -> tuple[User, AccountSlip]:
    """Open an account for an agency's staff member or an external company's. Returns (user, sealed slip).

    Nobody but the account holder ever knows its password: the account starts with none (unusable), and
    the slip carries a one-time activation code with which the holder chooses a password on the public
    “激活账户” page. The 系统管理员 of the agency (or of the agency that registered the company) opens it;
    the opening is put on the workbench of the holder and of the 安全审计员.
    """
    unexpected = sorted(set(fields) - set(USER_FIELDS))
    if unexpected:  # above all no ``password``: an administrator never chooses another person's password
        raise TypeError(f"user_create() got unexpected fields: {', '.join(unexpected)}")
    owner_agency_id = agency.pk if agency is not None else (external_org.registered_by_id if external_org else None)
    perms.require(actor, perms.ORG_MANAGE, owner_agency_id)
    if (agency is None) == (external_org is None):
        raise DomainError("org.user_owner", "账号须属于一个机关单位或一个外部单位（二选一）", field="agency")
    department = fields.get("department")
    if department is not None and (agency is None or department.agency_id != agency.pk):
        raise DomainError("org.user_department", "所选科室不属于该单位", field="department")
    with transaction.atomic():
        user = User(username=username, full_name=full_name, agency=agency, external_org=external_org, **fields)
        user.must_change_password = True
        user.set_unusable_password()
        _validated(user, exclude=["password"])
        user.save()
        slip = _account_code_issue(actor=actor, user=user, purpose=AccountCode.Purpose.ACTIVATE)
        audit_event_record(
            actor=actor,
            action="org.user.create",
            obj=user,
            agency=agency or (external_org.registered_by if external_org else None),
            summary=f"开设账号 {username}（{full_name}），开具并显示激活码密封单，有效至 {timezone.localtime(slip.expires_at):%Y-%m-%d %H:%M}",
            changes=diff({}, snapshot(user, USER_FIELDS)),
        )
        _notify(subject=user, actor=actor, title=f"{actor.display_name} 开设了账号 {username}（{full_name}），已开具激活码密封单")
    return user, slip


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


def user_password_reset(*, actor: User, user: User) -> AccountSlip:
    """Issue a one-time reset code (sealed slip) for an account; nobody is shown a password.

    A business account is reset by the 系统管理员 of its agency; an administrator's account (三员) only by
    the 安全管理员, and the 安全审计员 are told. The current password keeps working until the holder uses
    the code, so a reset neither lets the person who made it in nor locks the holder out. Nobody resets
    their own account (they use “修改密码”). Every reset goes on the holder's and the auditors' workbench.
    """
    if user.pk == actor.pk:
        raise DomainError("org.password_self_reset", "不能重置自己的密码，请使用“修改密码”")
    target_is_admin = perms.is_administrator(user)
    if target_is_admin:
        if not perms.can(actor, perms.ADMIN_ACCOUNT_RESET, user.owner_agency_id):
            raise PermissionDenied("管理员账号（系统管理员、安全管理员、安全审计员）只能由安全管理员重置")
    else:
        perms.require(actor, perms.ORG_MANAGE, user.owner_agency_id)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        slip = _account_code_issue(actor=actor, user=user, purpose=AccountCode.Purpose.RESET)
        kind = "管理员账号" if target_is_admin else "账号"
        audit_event_record(
            actor=actor,
            action="org.user.password_reset",
            obj=user,
            agency=user.owner_agency,
            summary=f"为{kind} {user.username} 开具并显示密码重置码密封单，有效至 {timezone.localtime(slip.expires_at):%Y-%m-%d %H:%M}",
        )
        _notify(
            subject=user,
            actor=actor,
            title=f"{actor.display_name} 为{kind} {user.username}（{user.display_name}）开具了密码重置码",
        )
    return slip


ACCOUNT_CODE_REFUSED = "用户名或激活码不正确，或激活码已使用、已作废、已过期"


def account_code_redeem(*, username: str, code: str, new_password: str, otp_token: str = "") -> User:
    """The account holder uses the code of a sealed slip to choose their own password (public page).

    Refuses, with one message that reveals nothing about the account: an unknown or disabled account, a
    wrong, used, voided or expired code. An account with two-factor authentication also needs its current
    dynamic code: a reset restores the password, never the second factor. The password policy applies.
    The code works once; every attempt is in the audit trail.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    normalised = account_code_normalised(code)
    now = timezone.now()
    user = User.objects.filter(username=username, is_active=True).select_related("agency").first()
    match: AccountCode | None = None
    if user is not None and normalised:
        for row in AccountCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now):
            if check_password(normalised, row.code_hash):
                match = row
                break
    if user is None or match is None:
        audit_event_record(
            actor=None,
            action="auth.account_code_failed",
            obj=user,
            agency=user.owner_agency if user else None,
            summary=f"账号 {username[:150]} 激活/重置失败（激活码不正确或已失效）",
        )
        raise DomainError("org.account_code_invalid", ACCOUNT_CODE_REFUSED, field="code")
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if devices and not any(d.verify_token(otp_token.strip()) for d in devices):
        raise DomainError("org.account_code_otp", "该账号已启用双因素认证，请同时输入动态验证码（6位）", field="otp_token")
    validate_password(new_password, user)
    with transaction.atomic():
        row = AccountCode.objects.select_for_update().get(pk=match.pk)
        if row.used_at is not None or row.revoked_at is not None:
            raise DomainError("org.account_code_invalid", ACCOUNT_CODE_REFUSED, field="code")
        row.used_at = now
        row.save(update_fields=["used_at"])
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = now
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        label = "激活码" if row.purpose == AccountCode.Purpose.ACTIVATE else "重置码"
        audit_event_record(
            actor=user,
            action="auth.account_code_redeem",
            obj=user,
            agency=user.owner_agency,
            summary=f"{user.display_name} 使用{label}设置了本人密码",
        )
        _notify(subject=user, actor=user, title=f"账号 {user.username}（{user.display_name}）已使用{label}设置本人密码")
    return user


def security_notice_read(*, actor: User) -> int:
    """The person marks every security notice on their workbench as read. Returns how many."""
    return SecurityNotice.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


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


def account_unlock_on_server(*, username: str, operator: str, reason: str) -> int:
    """Lift a lockout from the server console (``manage.py unlock_account``): the way back in when the
    安全管理员 themselves are locked out. Needs a reason; recorded with the operating-system user."""
    from axes.utils import reset

    if not reason.strip():
        raise DomainError("org.unlock_reason", "请用 --reason 说明解锁原因")
    user = User.objects.filter(username=username).select_related("agency").first()
    if user is None:
        raise DomainError("org.unlock_unknown", f"没有账号 {username}")
    with transaction.atomic():
        removed = int(reset(username=username))
        audit_event_record(
            actor=None,
            action="auth.unlock_on_server",
            obj=user,
            agency=user.owner_agency,
            summary=f"服务器命令行解锁账号 {username}（操作系统用户 {operator}）",
            changes={"cleared_attempts": removed},
            reason=reason,
        )
        _notify(subject=user, actor=None, title=f"账号 {username} 已在服务器命令行解锁（操作系统用户 {operator}）")
    return removed


# ---------------------------------------------------------------------------------------- two-factor (TOTP)

RECOVERY_CODE_COUNT = 10


def two_factor_needed(*, user: User) -> bool:
    """Does ``user`` have to pass the second factor? (See :func:`rules.two_factor_required`; three queries.)"""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    try:
        business = bool(rule_value("security.mfa_required_business", agency=user.owner_agency))
    except DomainError:
        business = False
    return two_factor_required(
        is_administrator=perms.is_administrator(user),
        business_required=business,
        enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
    )


def two_factor_enrol_start(*, user: User) -> Any:
    """Begin enrolment: a fresh unconfirmed TOTP device with a random secret (earlier unconfirmed ones go).
    Refused when the person already has a confirmed device (the 安全管理员 resets it first)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise DomainError("org.two_factor_enrolled", "您已启用双因素认证；如更换手机，请联系安全管理员重置")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="动态口令（TOTP）", confirmed=False)


def two_factor_enrol_confirm(*, user: User, token: str) -> list[str]:
    """Finish enrolment with the first dynamic code the app shows. Returns ten one-time recovery codes,
    shown once; only their hashes are kept."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            raise DomainError("org.two_factor_no_enrolment", "请先打开“启用双因素认证”页面获取密钥", field="token")
        if not device.verify_token(token.strip()):
            raise DomainError("org.two_factor_token", "动态验证码不正确，请核对手机时间后输入当前显示的6位数字", field="token")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        RecoveryCode.objects.filter(user=user).delete()
        codes = ["".join(secrets.choice(ACCOUNT_CODE_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
        RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=make_password(c)) for c in codes])
        audit_event_record(
            actor=user, action="auth.two_factor_enrol", obj=user, agency=user.owner_agency, summary="启用双因素认证（TOTP）"
        )
        _notify(subject=user, actor=user, title=f"账号 {user.username}（{user.display_name}）启用了双因素认证")
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def two_factor_verify(*, user: User, token: str) -> Any:
    """Check the second factor at sign-in: the current TOTP code, or one unused recovery code (then spent).
    Returns the device to mark the session verified with; refuses a wrong code (the device throttles
    repeated failures)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise DomainError("org.two_factor_not_enrolled", "您尚未启用双因素认证", field="token")
    token = token.strip()
    if token.isdigit() and len(token) == 6:
        if device.verify_token(token):
            audit_event_record(
                actor=user, action="auth.two_factor_pass", obj=user, agency=user.owner_agency, summary="通过双因素认证"
            )
            return device
    else:
        normalised = account_code_normalised(token)
        with transaction.atomic():
            for row in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
                if check_password(normalised, row.code_hash):
                    row.used_at = timezone.now()
                    row.save(update_fields=["used_at"])
                    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                    audit_event_record(
                        actor=user,
                        action="auth.two_factor_recovery",
                        obj=user,
                        agency=user.owner_agency,
                        summary=f"使用恢复码通过双因素认证（剩余 {left} 个）",
                    )
                    _notify(subject=user, actor=user, title=f"账号 {user.username} 使用了一个双因素恢复码（剩余 {left} 个）")
                    return device
    audit_event_record(
        actor=user,
        action="auth.two_factor_failed",
        obj=user,
        agency=user.owner_agency,
        summary="双因素认证失败（动态验证码错误）",
    )
    raise DomainError("org.two_factor_token", "动态验证码或恢复码不正确", field="token")


def two_factor_reset(*, actor: User, user: User, reason: str) -> int:
    """Remove a person's TOTP device and recovery codes (lost phone): the 安全管理员 of the account's agency
    only, never their own, with a reason; the person enrols again at next sign-in. Returns devices removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.pk == actor.pk:
        raise DomainError("org.two_factor_self_reset", "不能重置自己的双因素认证，请由其他安全管理员办理")
    perms.require(actor, perms.TWO_FACTOR_RESET, user.owner_agency_id)
    if not reason.strip():
        raise DomainError("org.two_factor_reason", "请填写重置原因（如手机遗失）", field="reason")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_event_record(
            actor=actor,
            action="auth.two_factor_reset",
            obj=user,
            agency=user.owner_agency,
            summary=f"重置账号 {user.username} 的双因素认证",
            reason=reason,
        )
        _notify(
            subject=user, actor=actor, title=f"{actor.display_name} 重置了账号 {user.username}（{user.display_name}）的双因素认证"
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
        _notify(
            subject=user,
            actor=actor,
            title=f"{actor.display_name} 授予 {user.display_name} {agency.name}“{Role(role).label}”角色",
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
        _notify(
            subject=grant.user,
            actor=actor,
            title=f"{actor.display_name} 撤销了 {grant.user.display_name} {grant.agency.name}“{grant.get_role_display()}”角色",
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
    bounds = SECURITY_PARAMETER_BOUNDS.get(row.key)
    if bounds is not None and isinstance(parsed, int):
        problem = security_parameter_problem(name=row.name, value=parsed, bounds=bounds)
        if problem:
            raise DomainError("org.security_parameter_bounds", problem, field="value")
    if isinstance(parsed, Decimal) and not parsed.is_finite():
        raise DomainError("core.rule_parameter_value", f"“{row.name}”的取值“{value}”不是有限的数值", field="value")
    if row.value_type == RuleParameter.ValueType.BOOLEAN and value not in ("true", "false"):
        raise DomainError("core.rule_parameter_value", f"“{row.name}”只能取“是”或“否”", field="value")
    if row.value_type == RuleParameter.ValueType.PERCENT and not (0 <= parsed * 100 <= 100):  # type: ignore[operator]
        raise DomainError("core.rule_parameter_value", f"“{row.name}”须在 0% 到 100% 之间（填写的是 {value}%）", field="value")
    if row.value_type in (RuleParameter.ValueType.AMOUNT, RuleParameter.ValueType.INTEGER) and parsed < 0:  # type: ignore[operator]
        raise DomainError("core.rule_parameter_value", f"“{row.name}”不能为负数（填写的是 {value}）", field="value")
    return value


def parameter_edit_action(key: str) -> tuple[str, str]:
    """Who owns a parameter: the security parameters (``security.*``: password, lockout, session, codes,
    two-factor) belong to the 安全管理员 (等保 安全管理中心·安全管理), every other rule to the 系统管理员."""
    if key.startswith("security."):
        return perms.SECURITY_PARAMETER_EDIT, "安全管理员"
    return perms.RULE_PARAMETER_EDIT, "系统管理员"


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

    Deployment values may be set only by an owner (see :func:`parameter_edit_action`) in a top agency;
    agency values by that agency's owner. Security parameters must stay within the 等保 baseline
    (``SECURITY_PARAMETER_BOUNDS``). The earlier value stays on record, closed the day before; the audit trail keeps both.
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
    action, owner = parameter_edit_action(key)
    if agency is None:
        top_ids = set(Agency.objects.filter(parent__isnull=True).values_list("id", flat=True))
        if not (perms.agency_ids_where(actor, action) & top_ids):
            raise PermissionDenied(f"只有顶级单位的{owner}可以修改全平台{'安全参数' if owner == '安全管理员' else '规则参数'}")
    else:
        perms.require(actor, action, agency.pk)
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
        transaction.on_commit(rule_parameters_changed)
    rule_parameters_changed()
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


# ---------------------------------------------------------------------------------------- working-day calendar

_WEEKDAYS = "一二三四五六日"


def _calendar_editor(actor: User) -> Agency:
    """The calendar is one for the whole platform: only a 系统管理员 of a top agency keeps it."""
    top = Agency.objects.filter(parent__isnull=True, id__in=perms.agency_ids_where(actor, perms.CALENDAR_EDIT)).first()
    if top is None:
        raise PermissionDenied("只有顶级单位的系统管理员可以维护工作日历（全平台通用）")
    return top


def working_day_add(*, actor: User, day: dt.date, kind: str, name: str, reason: str) -> WorkingCalendarDay:
    """Add a 法定节假日 or a 调休上班 day to the working-day calendar (audited, with the reason). Refused: not
    a top agency's 系统管理员, an unknown kind, no name or reason, a date already in the calendar, a 调休上班
    day on a weekday (it is a working day already). A 法定节假日 may fall on a weekend: the notice lists the
    whole holiday period."""
    agency = _calendar_editor(actor)
    if kind not in WorkingCalendarDay.Kind.values:
        raise DomainError("core.calendar_kind", "请选择类型：法定节假日或调休上班", field="kind")
    if not name.strip():
        raise DomainError("core.calendar_name", "请填写名称（如：国庆节、国庆节调休上班）", field="name")
    if not reason.strip():
        raise DomainError("core.calendar_reason", "请填写依据（如国务院办公厅放假安排通知）", field="reason")
    if kind == WorkingCalendarDay.Kind.WORKDAY and day.weekday() < 5:
        raise DomainError(
            "core.calendar_workday_weekday",
            f"{day:%Y-%m-%d} 是星期{_WEEKDAYS[day.weekday()]}，本就是工作日；调休上班日须为星期六或星期日",
            field="date",
        )
    with transaction.atomic():
        existing = WorkingCalendarDay.objects.select_for_update().filter(date=day).first()
        if existing is not None:
            raise DomainError(
                "core.calendar_duplicate",
                f"{day:%Y-%m-%d} 已登记为“{existing.get_kind_display()}（{existing.name}）”，如需改动请先删除",
                field="date",
            )
        row = WorkingCalendarDay.objects.create(date=day, kind=kind, name=name.strip(), source=reason.strip()[:200])
        audit_event_record(
            actor=actor,
            action="core.working_calendar.add",
            obj=row,
            agency=agency,
            summary=f"工作日历：登记 {day:%Y-%m-%d}（星期{_WEEKDAYS[day.weekday()]}）为{row.get_kind_display()}（{row.name}）",
            changes={"kind": {"before": None, "after": kind}, "name": {"before": None, "after": row.name}},
            reason=reason.strip(),
        )
    return row


def working_day_remove(*, actor: User, day: WorkingCalendarDay, reason: str) -> None:
    """Remove a day from the working-day calendar (it then counts by the Monday–Friday rule again); audited
    with the reason. Refused: not a top agency's 系统管理员, no reason. Deadlines already set keep their dates."""
    agency = _calendar_editor(actor)
    if not reason.strip():
        raise DomainError("core.calendar_reason", "请填写删除原因", field="reason")
    with transaction.atomic():
        row = WorkingCalendarDay.objects.select_for_update().get(pk=day.pk)
        audit_event_record(
            actor=actor,
            action="core.working_calendar.remove",
            obj=row,
            agency=agency,
            summary=f"工作日历：删除 {row.date:%Y-%m-%d} 的{row.get_kind_display()}（{row.name}）",
            changes={"kind": {"before": row.kind, "after": None}, "name": {"before": row.name, "after": None}},
            reason=reason.strip(),
        )
        row.delete()
