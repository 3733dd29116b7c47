"""The two shapes most services share: create a row, or change some fields of a locked row, with model
validation and one audit event holding the field diff, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from django.forms.models import model_to_dict

from govworks.core.audit import audit_event_record, diff
from govworks.core.errors import DomainError

M = TypeVar("M", bound=models.Model)


def snapshot(instance: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The tracked fields of ``instance`` as plain values (foreign keys as ids). An SM4-encrypted field is
    recorded masked (****1234) and a sealed one not at all: the audit trail never holds the plaintext."""
    from govworks.core.encryption import SM4EncryptedCharField, SM4SealedField, masked

    values = model_to_dict(instance, fields=list(fields))
    for name in list(values):
        field = instance._meta.get_field(name)
        if isinstance(field, SM4SealedField):
            values.pop(name)
        elif isinstance(field, SM4EncryptedCharField):
            values[name] = masked(values[name])
    return values


def audited_create(
    *,
    actor: Any,
    instance: M,
    tracked: Sequence[str],
    action: str,
    summary: Callable[[M], str],
    agency: Any,
    check: Callable[[M], None] | None = None,
) -> M:
    """Validate (``check`` for domain rules, then ``full_clean``), save and record ``action``."""
    with transaction.atomic():
        if check is not None:
            check(instance)
        instance.full_clean()
        instance.save()
        audit_event_record(
            actor=actor,
            action=action,
            obj=instance,
            agency=agency,
            summary=summary(instance),
            changes=diff({}, snapshot(instance, tracked)),
        )
    return instance


def audited_update(
    *,
    actor: Any,
    model: type[M],
    pk: Any,
    changes: Mapping[str, Any],
    tracked: Sequence[str],
    action: str,
    summary: Callable[[M], str],
    agency: Callable[[M], Any],
    check: Callable[[M], None] | None = None,
) -> M:
    """Lock the row, apply ``changes``, validate, save and record the before/after of ``tracked``.

    Only ``tracked`` fields may change: anything else (moving a record to another agency, say) needs its
    own service with its own checks, and is refused here.
    """
    foreign = sorted(set(changes) - set(tracked))
    if foreign:
        labels = "、".join(_field_label(model, name) for name in foreign)
        raise DomainError("core.field_not_editable", f"“{labels}”不能在此修改", field=foreign[0])
    with transaction.atomic():
        instance = model._default_manager.select_for_update().get(pk=pk)
        before = snapshot(instance, tracked)
        for key, value in changes.items():
            setattr(instance, key, value)
        if check is not None:
            check(instance)
        instance.full_clean()
        instance.save()
        audit_event_record(
            actor=actor,
            action=action,
            obj=instance,
            agency=agency(instance),
            summary=summary(instance),
            changes=diff(before, snapshot(instance, tracked)),
        )
    return instance


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:
        return name
