"""What the organisation module adds to the navigation and to each person's workbench."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govworks.core.registry import NavItem, WorkItem, register_nav, register_workbench_provider
from govworks.org import permissions as perms
from govworks.org.models import IntegrityPledge, SecurityNotice, User
from govworks.org.roles import ADMIN_ROLES

ORG = _("组织机构")
ADMIN = _("系统管理")
# "plural": the same words are also singular column labels in the templates, which English tells apart
AGENCIES = pgettext_lazy("plural", "单位")
DEPARTMENTS = pgettext_lazy("plural", "科室")
EXTERNAL_ORGS = pgettext_lazy("plural", "外部单位")


def _internal(user: Any) -> bool:
    return bool(perms.readable_agency_ids(user))


for _item in [
    NavItem(ORG, AGENCIES, "org:agency_list", "ti-building", lambda u: perms.can_anywhere(u, perms.ORG_VIEW), 10),
    NavItem(ORG, DEPARTMENTS, "org:department_list", "ti-building", lambda u: perms.can_anywhere(u, perms.ORG_VIEW), 11),
    NavItem(ORG, _("岗位与岗位说明书"), "org:position_list", "ti-building", lambda u: perms.can_anywhere(u, perms.ORG_VIEW), 12),
    NavItem(ORG, _("人员"), "org:user_list", "ti-building", lambda u: perms.can_anywhere(u, perms.ORG_VIEW), 13),
    NavItem(ORG, EXTERNAL_ORGS, "org:external_org_list", "ti-building", _internal, 14),
    NavItem(ORG, _("廉政承诺书"), "org:pledge_list", "ti-building", lambda u: u.is_authenticated and not u.is_external, 15),
    NavItem(ADMIN, _("角色授权"), "org:grant_list", "ti-settings", lambda u: perms.can_anywhere(u, perms.ROLE_GRANT), 50),
    NavItem(ADMIN, _("账号锁定"), "org:lockout_list", "ti-settings", lambda u: perms.can_anywhere(u, perms.ACCOUNT_UNLOCK), 51),
    NavItem(
        ADMIN, _("规则参数"), "org:parameter_list", "ti-settings", lambda u: perms.can_anywhere(u, perms.RULE_PARAMETER_VIEW), 52
    ),
    NavItem(
        ADMIN, _("工作日历"), "org:working_calendar", "ti-calendar", lambda u: perms.can_anywhere(u, perms.CALENDAR_EDIT), 52
    ),
    NavItem(ADMIN, _("审计日志"), "core:audit_list", "ti-settings", lambda u: perms.can_anywhere(u, perms.AUDIT_VIEW), 53),
    NavItem(ADMIN, _("审计链校验"), "core:audit_verify", "ti-settings", lambda u: perms.can_anywhere(u, perms.AUDIT_VIEW), 54),
    NavItem(
        ADMIN,
        _("审计检查点与归档"),
        "core:audit_checkpoints",
        "ti-settings",
        lambda u: perms.can_anywhere(u, perms.AUDIT_PRUNE),
        55,
    ),
]:
    register_nav(_item)


def pledge_work_items(user: User) -> list[WorkItem]:
    """Business staff without this year's 廉政承诺书 are asked to sign it (one query)."""
    if not user.is_authenticated or user.is_external:
        return []
    roles = perms.all_roles(user)
    if not roles or roles <= ADMIN_ROLES:
        return []
    year = timezone.localdate().year
    if IntegrityPledge.objects.filter(user=user, year=year).exists():
        return []
    return [
        WorkItem(
            title=f"签订{year}年度廉政承诺书",
            url=reverse("org:pledge_create"),
            kind="廉政",
            due=timezone.localdate().replace(month=1, day=31) if timezone.localdate().month == 1 else None,
            detail="承担项目职责前须签订本年度廉政承诺书",
        )
    ]


def lockout_work_items(user: User) -> list[WorkItem]:
    """安全管理员: accounts of their agencies that are locked and wait for an unlock (one query)."""
    from axes.models import AccessAttempt

    agencies = perms.agency_ids_where(user, perms.ACCOUNT_UNLOCK) if user.is_authenticated else set()
    if not agencies:
        return []
    locked = list(
        User.objects.filter(
            agency_id__in=agencies,
            username__in=AccessAttempt.objects.filter(failures_since_start__gte=5).values("username"),
        ).values_list("username", flat=True)[:20]
    )
    return [WorkItem(title=f"账号 {name} 已锁定，待核实解锁", url=reverse("org:lockout_list"), kind="安全") for name in locked]


def security_notice_work_items(user: User) -> list[WorkItem]:
    """Unread account-security notices (an account opened, a reset code issued or used, a role granted or
    revoked): the account holder's and the 安全审计员's (one query)."""
    if not user.is_authenticated:
        return []
    notices = list(SecurityNotice.objects.filter(recipient_id=user.pk, read_at__isnull=True).order_by("-created_at", "-id")[:20])
    return [
        WorkItem(
            title=n.title,
            url=reverse("org:notice_list"),
            kind="账号安全",
            detail=f"{timezone.localtime(n.created_at):%Y-%m-%d %H:%M}",
        )
        for n in notices
    ]


register_workbench_provider(pledge_work_items)
register_workbench_provider(security_notice_work_items)
register_workbench_provider(lockout_work_items)
