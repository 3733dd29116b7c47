"""Password policy validator: length and character classes come from rule parameters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value
from govworks.org.rules import password_problems


def _param(key: str, agency: Any, default: int) -> int:
    try:
        return int(rule_value(key, agency=agency))
    except DomainError:
        return default


class PolicyPasswordValidator:
    """≥ ``security.password_min_length`` characters, ≥ ``security.password_min_classes`` classes, ≠ username."""

    def validate(self, password: str, user: Any = None) -> None:
        agency = getattr(user, "agency", None) if user is not None else None
        min_length = _param("security.password_min_length", agency, 8)
        min_classes = _param("security.password_min_classes", agency, 3)
        problems = password_problems(
            password, username=getattr(user, "username", "") or "", min_length=min_length, min_classes=min_classes
        )
        if problems:
            raise ValidationError([ValidationError(p, code="password_policy") for p in problems])

    def get_help_text(self, user: Any = None) -> str:
        agency = getattr(user, "agency", None)
        length = _param("security.password_min_length", agency, 8)
        classes = _param("security.password_min_classes", agency, 3)
        return f"密码不少于{length}位，须包含大写字母、小写字母、数字、特殊字符中的至少{classes}类，且不能与用户名相同。"
