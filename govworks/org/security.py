"""Sign-in events into the audit trail: logins, logouts, failed logins and lockouts are 留痕 too.

These receivers record facts the authentication framework announces; they carry no business flow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.signals import user_locked_out
from django.contrib.auth.backends import ModelBackend
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
    if request is not None and hasattr(request, "session"):
        from govworks.org.middleware import SESSION_TWO_FACTOR
        from govworks.org.services import two_factor_needed

        request.session[SESSION_TWO_FACTOR] = [two_factor_needed(user=user), int(time.time())]  # asked once per sign-in
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


SIGNIN_WINDOW_MINUTES = 10


def _limit(key: str, default: int) -> int:
    from govworks.core.errors import DomainError
    from govworks.core.rule_parameters import rule_value

    try:
        return int(rule_value(key))
    except DomainError:
        return default


def signin_throttle(*, ip: str | None, username: str, kind: str = "signin") -> str | None:
    """Count one attempt (sign-in, or the public activation page: ``kind``) per address and per account in
    the current 10-minute window, in the cache shared by the workers. Returns the Chinese refusal when a
    limit (rule parameters ``security.signin_limit_per_ip`` / ``_per_account``) is exceeded, else None.
    A refusal is recorded in the audit trail (once per window and key)."""
    from django.core.cache import cache

    from govworks.org.rules import signin_throttle_problem

    window = int(time.time() // (SIGNIN_WINDOW_MINUTES * 60))
    timeout = SIGNIN_WINDOW_MINUTES * 60 + 5

    def hit(key: str) -> int:
        cache.add(key, 0, timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout)
            return 1

    name = username.strip().lower()[:150]
    ip_count = hit(f"gw:throttle:{kind}:ip:{ip or '-'}:{window}")
    account_count = hit(f"gw:throttle:{kind}:user:{hashlib.sha256(name.encode()).hexdigest()}:{window}") if name else 0
    problem = signin_throttle_problem(
        ip_count=ip_count,
        ip_limit=_limit("security.signin_limit_per_ip", 60),
        account_count=account_count,
        account_limit=_limit("security.signin_limit_per_account", 10),
        window_minutes=SIGNIN_WINDOW_MINUTES,
    )
    if problem and cache.add(f"gw:throttle:{kind}:logged:{ip or '-'}:{name}:{window}", 1, timeout):
        user = _user_by_name(name)
        audit_event_record(
            actor=None,
            action="auth.throttled",
            obj=user,
            agency=user.owner_agency if user else None,
            summary=f"{'登录' if kind == 'signin' else '激活/重置'}请求被限流（账号 {name or '-'}，地址 {ip or '-'}）：{problem}",
        )
    return problem


def administrator_lockout_expire(*, username: str) -> int:
    """三员 are never locked for good: once ``security.lockout_minutes`` have passed since an administrator's
    last failed sign-in, the lockout lapses (recorded as ``auth.unlock_by_time``). Business accounts stay
    locked until the 安全管理员 unlocks them. Returns the attempts cleared."""
    from axes.models import AccessAttempt
    from axes.utils import reset
    from django.utils import timezone

    from govworks.org.permissions import is_administrator

    attempt = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    if attempt is None:
        return 0
    user = _user_by_name(username)
    if user is None or not is_administrator(user):
        return 0
    minutes = _limit("security.lockout_minutes", 30)
    if timezone.now() - attempt.attempt_time < dt.timedelta(minutes=minutes):
        return 0
    removed = int(reset(username=username))
    audit_event_record(
        actor=None,
        action="auth.unlock_by_time",
        obj=user,
        agency=user.owner_agency,
        summary=f"管理员账号 {username} 锁定已满{minutes}分钟，自动解除",
        changes={"cleared_attempts": removed},
    )
    return removed


class LockoutAwareBackend(AxesStandaloneBackend):
    """django-axes' gate, marking the request when it refuses an already locked account, so the audit
    trail can tell a refused attempt (password never checked) from a wrong password. An administrator's
    lockout lapses by time first (:func:`administrator_lockout_expire`)."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        if username:
            administrator_lockout_expire(username=username)
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            if request is not None:
                request.gw_refused_locked = True
            raise


class AccountBackend(ModelBackend):
    """Django's password backend, loading the signed-in user with their agency in the same query (the idle
    timeout and the workbench read it on every request), and with the stamps of their grants, the agency
    tree and the rule parameters (:func:`govworks.org.permissions.access_stamps`): what this process
    computed from those for an earlier request (the scope, the menu, the idle timeout) is reused while
    the stamps are the same, so a change in any process is seen by the very next request."""

    def get_user(self, user_id: Any) -> Any:
        from govworks.org.models import User
        from govworks.org.permissions import access_stamps

        user = User.objects.select_related("agency").annotate(**access_stamps()).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
