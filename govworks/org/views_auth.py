"""Sign-in, sign-out, password change and the lockout page."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.middleware import client_ip
from govworks.core.rule_parameters import rule_value
from govworks.core.service_forms import call_service
from govworks.org.models import User
from govworks.org.passwords import PolicyPasswordValidator
from govworks.org.rules import base32_grouped
from govworks.org.security import lockout_failure_limit, signin_throttle
from govworks.org.services import (
    account_code_redeem,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
    user_password_change,
)
from govworks.org.services import two_factor_verify as two_factor_verify_service


class ChineseAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续多次错误将锁定账号。",
        "inactive": "该账号已停用，请联系本单位系统管理员。",
    }


def security_limits() -> dict[str, int]:
    """The deployment's sign-in limits, for the text on the login page."""
    return {
        "lockout_failures": int(rule_value_or("security.lockout_failures", 5)),
        "idle_minutes": int(rule_value_or("security.idle_timeout_minutes", 30)),
    }


def rule_value_or(key: str, default: int) -> Any:
    try:
        return rule_value(key)
    except DomainError:
        return default


class LoginView(auth_views.LoginView):
    form_class = ChineseAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **security_limits()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        problem = signin_throttle(ip=client_ip(request), username=str(request.POST.get("username", "")))
        if problem:
            form = ChineseAuthenticationForm(request, data=None)
            context = {"form": form, "throttled": problem, "next": "", **security_limits()}
            return render(request, "registration/login.html", context, status=429)
        return super().post(request, *args, **kwargs)


class AccountCodeForm(LimitedForm):
    username = forms.CharField(label="用户名", max_length=150)
    code = forms.CharField(label="激活码/重置码", max_length=40, help_text="密封单上的12位码，可带或不带短横线")
    otp_token = forms.CharField(label="动态验证码", max_length=8, required=False, help_text="已启用双因素认证的账号须填写")
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False, max_length=128)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PolicyPasswordValidator().get_help_text(None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


@never_cache
def account_activate(request: HttpRequest) -> HttpResponse:
    """The public “激活账户/重置密码” page: user name + the code of the sealed slip → the holder's own password."""
    if request.user.is_authenticated:
        return redirect("home")
    form = AccountCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        problem = signin_throttle(ip=client_ip(request), username=str(request.POST.get("username", "")), kind="activate")
        if problem:
            form = AccountCodeForm(None)
            return render(request, "registration/activate.html", {"form": form, "throttled": problem}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            done = call_service(
                form,
                lambda: account_code_redeem(
                    username=data["username"],
                    code=data["code"],
                    new_password=data["new_password1"],
                    otp_token=data.get("otp_token", ""),
                ),
            )
            if done:
                messages.success(request, "密码已设置，请用新密码登录。")
                return redirect("login")
        status = 400
    return render(request, "registration/activate.html", {"form": form}, status=status)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """What a locked account sees (django-axes calls this): the login page with a Chinese explanation."""
    form = ChineseAuthenticationForm(request, data=None)
    context = {
        "form": form,
        "locked": True,
        "failure_limit": lockout_failure_limit(request, credentials),
        "next": "",
        **security_limits(),
    }
    return render(request, "registration/login.html", context, status=403)


class PasswordChangeForm(LimitedForm):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput, strip=False)
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PolicyPasswordValidator().get_help_text(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user_password_change(
                user=user, old_password=form.cleaned_data["old_password"], new_password=form.cleaned_data["new_password1"]
            )
        except DomainError as err:
            form.add_error(err.field or None, err.message)
        except ValidationError as err:
            for message in err.messages:
                form.add_error("new_password1", message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


class TokenForm(LimitedForm):
    token = forms.CharField(
        label="动态验证码或恢复码", max_length=20, help_text="手机验证器显示的6位数字；手机不在身边时可用一个恢复码"
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: the TOTP code (or a recovery code). Without a device: on to enrolment."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    assert isinstance(user, User)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("two_factor_enrol")
    form = TokenForm(request.POST or None, prefix=None)
    if request.method == "POST" and form.is_valid():
        device = call_service(form, lambda: two_factor_verify_service(user=user, token=form.cleaned_data["token"]))
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: the secret for the authenticator app (a QR code drawn on the server as a data URI — nothing
    leaves the server — the grouped base32 and the otpauth address), then the first code confirms it and the
    recovery codes are shown once."""
    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    assert isinstance(user, User)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, "您已启用双因素认证。")
        return redirect("two_factor_verify")
    form = LimitedForm(request.POST or None)
    form.fields["token"] = forms.CharField(label="动态验证码", max_length=6, min_length=6)
    if request.method == "POST" and form.is_valid():
        codes = call_service(form, lambda: two_factor_enrol_confirm(user=user, token=form.cleaned_data["token"]))
        if codes:
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            otp_login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    else:
        device = two_factor_enrol_start(user=user)
    secret = base64.b32encode(device.bin_key).decode() if device else ""
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "secret": base32_grouped(secret),
            "uri": device.config_url if device else "",
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2) if device else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
