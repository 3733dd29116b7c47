"""Session security: idle timeout (rule parameter) and the forced first-login password change."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value_memo

SESSION_LAST_SEEN = "gw_last_seen"
LAST_SEEN_RESOLUTION_SECONDS = 60


def idle_timeout_seconds(user: object) -> int:
    """``security.idle_timeout_minutes`` for the user's agency, in seconds: remembered in this process while
    the stamp of the rule parameters read with the user (``gw_rules_stamp``) stays the same, so the
    parameter costs no query per request and a change takes effect with the next request."""
    try:
        minutes = rule_value_memo(
            "security.idle_timeout_minutes", agency=getattr(user, "agency", None), stamp=getattr(user, "gw_rules_stamp", None)
        )
        return int(minutes) * 60
    except DomainError:
        return 30 * 60


class IdleTimeoutMiddleware:
    """Sign out a session that has been idle longer than ``security.idle_timeout_minutes``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN)
            timeout = idle_timeout_seconds(user)  # remembered per process: the first request reads it once
            if last_seen is not None and now - int(last_seen) > timeout:
                audit_event_record(
                    actor=user,
                    action="auth.idle_timeout",
                    obj=user,
                    agency=getattr(user, "agency", None),
                    summary="会话空闲超时，自动退出",
                )
                logout(request)
                messages.info(request, "您已长时间未操作，为保障安全已自动退出，请重新登录。")
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse("login")
                    return response
                return redirect(f"{reverse('login')}?next={request.path}")
            if last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_LAST_SEEN] = now  # at most one session write a minute
        return self.get_response(request)


_EXEMPT_PREFIXES = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/")


class ForcePasswordChangeMiddleware:
    """Until a new or reset account has chosen its own password, every page leads to the change form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse('{"detail": "请先修改初始密码"}', status=403, content_type="application/json")
            return redirect("password_change")
        return self.get_response(request)


SESSION_TWO_FACTOR = "gw_2fa_needed"
TWO_FACTOR_RECHECK_SECONDS = 300
_TWO_FACTOR_EXEMPT = ("/accounts/2fa/", "/accounts/logout/", "/accounts/password/", "/static/", "/i18n/")


class TwoFactorMiddleware:
    """L3-CES1-04: the three administrators (and others when ``security.mfa_required_business`` says so, or
    once they have enrolled) can do nothing but enrol or pass the second factor until the session is
    verified by django-otp. Whether it is needed is rechecked every five minutes, not on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_TWO_FACTOR_EXEMPT):
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        now = int(time.time())
        cached = request.session.get(SESSION_TWO_FACTOR)
        if cached is None or now - int(cached[1]) > TWO_FACTOR_RECHECK_SECONDS:
            from govworks.org.services import two_factor_needed

            cached = [two_factor_needed(user=user), now]  # type: ignore[arg-type]
            request.session[SESSION_TWO_FACTOR] = cached
        if not cached[0]:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return HttpResponse('{"detail": "请先完成双因素认证"}', status=403, content_type="application/json")
        return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
