"""Sign-in events into the audit trail: logins, logouts, failed logins and lockouts are 留痕 too.

These receivers record facts the authentication framework announces; they carry no business flow.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from govworks.core.audit import audit_event_record


def _user_by_name(username: str | None) -> Any:
    from govworks.org.models import User

    if not username:
        return None
    return User.objects.filter(username=username).select_related("agency").first()


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event_record(actor=user, action="auth.login", obj=user, agency=user.owner_agency, summary=f"{user.display_name} 登录")


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(
            actor=user, action="auth.logout", obj=user, agency=user.owner_agency, summary=f"{user.display_name} 退出"
        )


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = _user_by_name(username)
    if getattr(request, "gw_refused_locked", False):
        action, summary = "auth.login_refused_locked", f"账号 {username} 已锁定，登录请求被拒绝（未校验密码）"
    else:
        action, summary = "auth.login_failed", f"账号 {username} 登录失败（密码错误或账号不存在）"
    audit_event_record(actor=None, action=action, obj=user, agency=user.owner_agency if user else None, summary=summary)


@receiver(user_locked_out)
def _on_locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    if getattr(request, "gw_refused_locked", False):
        return  # already locked: the refused attempt is recorded as auth.login_refused_locked
    user = _user_by_name(username)
    audit_event_record(
        actor=None,
        action="auth.lockout",
        obj=user,
        agency=user.owner_agency if user else None,
        summary=f"账号 {username} 连续登录失败，已被锁定",
    )


def lockout_failure_limit(request: Any, credentials: dict[str, Any] | None = None) -> int:
    """How many failed sign-ins lock an account: rule parameter ``security.lockout_failures``."""
    from govworks.core.errors import DomainError
    from govworks.core.rule_parameters import rule_value

    user = _user_by_name(str((credentials or {}).get("username", "")))
    try:
        return int(rule_value("security.lockout_failures", agency=user.owner_agency if user else None))
    except DomainError:
        return 5


class LockoutAwareBackend(AxesStandaloneBackend):
    """django-axes' gate, marking the request when it refuses an already locked account, so the audit
    trail can tell a refused attempt (password never checked) from a wrong password."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            if request is not None:
                request.gw_refused_locked = True
            raise
