"""Small pieces the lifecycle services share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from govworks.core.rule_parameters import rule_value
from govworks.org.models import RoleGrant, User


def param(key: str, agency: Any) -> Any:
    """A rule parameter for ``agency`` today (raises DomainError naming the key when missing)."""
    return rule_value(key, agency=agency)


def money(value: Decimal | int | None) -> str:
    return f"{Decimal(value or 0):,.2f} 元"


def content_type_of(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def holds_role(user: User, agency_id: int, role: str) -> bool:
    return RoleGrant.objects.active().filter(user=user, agency_id=agency_id, role=role).exists()


def first_holder(agency_id: int, role: str) -> User | None:
    """The longest-standing active holder of ``role`` in the agency (for default assignments)."""
    grant = (
        RoleGrant.objects.active()
        .filter(agency_id=agency_id, role=role, user__is_active=True)
        .select_related("user")
        .order_by("granted_at", "id")
        .first()
    )
    return grant.user if grant else None
