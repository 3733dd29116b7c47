"""Pure decisions of the organisation module: no ORM, no request."""

from __future__ import annotations

import re
import string

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The check character (18th) of a 统一社会信用代码 (GB 32100-2015) for its first 17 characters."""
    total = sum(CREDIT_CODE_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, in Chinese; None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_CHARSET})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V 及小写字母）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为 {expected}，实为 {code[17]}"
    return None


AGENCY_CODE_PATTERN = r"^[A-Z0-9]{2,10}$"


def agency_code_problem(code: str) -> str | None:
    """Why ``code`` cannot be an agency's code (the prefix of its project numbers), or None.

    2–10 characters, upper-case Latin letters and digits, so that ``<code>-2026-0009`` reads the same on
    every screen, in every export and in a file name.
    """
    if not re.fullmatch(AGENCY_CODE_PATTERN, code or ""):
        return f"单位代码应为 2–10 位大写英文字母或数字（填写的是“{code}”），如 LJJG"
    return None


def agency_code_default(credit_code: str) -> str:
    """The code an agency gets when none is chosen: the 9-character 组织机构代码 inside its 统一社会信用代码
    (characters 9–17), unique nationwide like the credit code itself."""
    return credit_code.strip().upper()[8:17]


def password_problems(password: str, *, username: str, min_length: int, min_classes: int) -> list[str]:
    """Every way ``password`` breaks the policy (length, character classes, equals or contains the username
    or its reverse: 等保 baseline sec.pwd.classes)."""
    problems: list[str] = []
    if len(password) < min_length:
        problems.append(f"密码长度不少于{min_length}位（当前{len(password)}位）")
    classes = sum(
        [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    if classes < min_classes:
        problems.append(f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{min_classes}类（当前{classes}类）")
    lowered, name = password.lower(), username.lower()
    if name and lowered == name:
        problems.append("密码不能与用户名相同")
    elif len(name) >= 3 and (name in lowered or name[::-1] in lowered):  # 1–2 letters would forbid half the alphabet
        problems.append(f"密码不能包含用户名“{username}”（含倒序）")
    return problems


def separation_of_duties_problem(*, new_role: str, held_roles: set[str], admin_roles: frozenset[str]) -> str | None:
    """三员分立: an administrator role excludes every other role, and a business role excludes the
    administrator roles. Returns the reason the new role may not be added, or None."""
    if new_role in admin_roles:
        others = held_roles - {new_role}
        if others:
            return "三员分立：管理员角色不能与其他任何角色兼任"
    elif held_roles & admin_roles:
        return "三员分立：系统管理员、安全管理员、安全审计员不能承担业务角色"
    return None


#: 等保 2.0 三级 baseline (domain-rules.md §7.2) for the security parameters: (lowest, highest) allowed value.
#: Outside these a parameter would switch a control off (0 failures, 0 minutes) or make it meaningless
#: (a million failures before a lockout).
SECURITY_PARAMETER_BOUNDS: dict[str, tuple[int, int]] = {
    "security.password_min_length": (8, 64),  # ≥ 8 (S74, S75)
    "security.password_min_classes": (3, 4),  # ≥ 3 of 4 classes (S74)
    "security.lockout_failures": (3, 5),  # 5 consecutive failures (S74)
    "security.lockout_minutes": (10, 30),  # auto-unlock 10–30 min accepted (S74)
    "security.idle_timeout_minutes": (5, 30),  # 10 (S74); ≤ 30 commonly accepted
    "security.account_code_hours": (1, 72),  # design value: a sealed slip is handed over within three days
    "security.log_retention_days": (180, 3650),  # ≥ 180 days (网络安全法 §21)
    "security.signin_limit_per_ip": (10, 300),  # sign-in attempts per address per window (design value)
    "security.signin_limit_per_account": (5, 50),  # sign-in attempts per account per window (design value)
}


def security_parameter_problem(*, name: str, value: int, bounds: tuple[int, int]) -> str | None:
    """Why ``value`` is outside the 等保 baseline ``bounds`` of the security parameter called ``name``; None if inside."""
    low, high = bounds
    if low <= value <= high:
        return None
    return f"“{name}”须在 {low} 到 {high} 之间（等保2.0三级基线），填写的是 {value}"


def account_code_normalised(raw: str) -> str:
    """The code as typed on the slip, without spaces or dashes, in capitals."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def signin_throttle_problem(
    *, ip_count: int, ip_limit: int, account_count: int, account_limit: int, window_minutes: int
) -> str | None:
    """Refusal text when the attempts in the current window exceed a limit (per address or per account), else None."""
    if ip_count > ip_limit:
        return f"登录尝试过于频繁：同一地址{window_minutes}分钟内超过{ip_limit}次，请稍后再试"
    if account_count > account_limit:
        return f"登录尝试过于频繁：同一账号{window_minutes}分钟内超过{account_limit}次，请稍后再试"
    return None


def two_factor_required(*, is_administrator: bool, business_required: bool, enrolled: bool) -> bool:
    """Must this person pass the second factor (L3-CES1-04)? Always for the three administrators; for everyone
    else when the rule parameter ``security.mfa_required_business`` says so; and for anyone who has enrolled."""
    return is_administrator or business_required or enrolled


def base32_grouped(secret: str) -> str:
    """A base32 secret in groups of four for typing into an authenticator app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
