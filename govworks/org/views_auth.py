"""Sign-in, sign-out, password change and the lockout page."""

from __future__ import annotations

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

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.rule_parameters import rule_value
from govworks.org.models import User
from govworks.org.passwords import PolicyPasswordValidator
from govworks.org.security import lockout_failure_limit
from govworks.org.services import user_password_change


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
