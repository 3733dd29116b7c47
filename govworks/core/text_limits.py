"""Every free-text field has a length limit (issue 12 item 9: a 100,000-character change reason made the PDF of the
change render past the worker's timeout and killed it).

One mechanism for every path text arrives by — a page's form, the API, an Excel import, a service called from
code: before any GovWorks row is saved, each text field is measured. A ``TextField`` may hold at most
``TEXT_MAX_LENGTH`` characters (``LONG_TEXT_MAX_LENGTH`` for the few fields a module registers as long, such as
meeting minutes), a ``CharField`` at most its ``max_length`` (SQLite does not enforce it). A longer text is
refused with a ``DomainError`` on the field, naming the field's Chinese label, the limit and the length:
“变更原因”不能超过 5,000 字（当前 100,000 字）. The service's transaction rolls back: nothing is stored.

Forms also get the limit up front (``text_fields_limit``: ``maxlength`` on the input and a validator with the
same message), so a person sees it before submitting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from govworks.core.errors import DomainError

TEXT_MAX_LENGTH = 5000
LONG_TEXT_MAX_LENGTH = 20000
# kernel rows written by the system, not typed by people (their own code cuts what they store)
UNCHECKED_MODELS = frozenset({"core.auditevent", "core.auditchainhead", "core.periodicjobrun", "core.exportjob"})

_long_fields: set[str] = set()


def register_long_text_fields(names: Iterable[str]) -> None:
    """Mark ``app_label.model.field`` text fields that may hold up to ``LONG_TEXT_MAX_LENGTH`` characters."""
    _long_fields.update(name.lower() for name in names)


def text_limit_of(model: type[models.Model], field: models.Field[Any, Any]) -> int | None:
    """The most characters ``field`` of ``model`` may hold, or None for a field that is not free text."""
    if isinstance(field, models.TextField):
        key = f"{model._meta.label_lower}.{field.name}"
        return LONG_TEXT_MAX_LENGTH if key in _long_fields else TEXT_MAX_LENGTH
    if isinstance(field, models.CharField) and field.max_length:
        return int(field.max_length)
    return None


def text_too_long_message(*, label: str, limit: int, length: int) -> str:
    """The refusal a person reads: the field's label, the limit and the length entered."""
    return f"“{label}”不能超过 {limit:,} 字（当前 {length:,} 字）"


def text_lengths_check(instance: models.Model) -> None:
    """Refuse (``DomainError`` ``text.too_long`` on the field) when a text field of ``instance`` is longer than
    its limit."""
    model = type(instance)
    if model._meta.label_lower in UNCHECKED_MODELS:
        return
    for field in model._meta.concrete_fields:
        limit = text_limit_of(model, field)
        if limit is None:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > limit:
            label = str(field.verbose_name)
            raise DomainError(
                "text.too_long", text_too_long_message(label=label, limit=limit, length=len(value)), field=field.name
            )


def text_lengths_guard(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """``pre_save`` receiver for every GovWorks model (connected in ``CoreConfig.ready``); fixtures load raw."""
    if raw or not sender.__module__.startswith("govworks."):
        return
    text_lengths_check(instance)


class _LengthValidator:
    """Like Django's MaxLengthValidator, with the field's label in the message."""

    def __init__(self, label: str, limit: int) -> None:
        self.label = label
        self.limit = limit

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and len(value) > self.limit:
            raise ValidationError(text_too_long_message(label=self.label, limit=self.limit, length=len(value)), code="max_length")


def text_fields_limit(form: forms.BaseForm, *, limit: int = TEXT_MAX_LENGTH) -> None:
    """Give every text field of ``form`` without a ``max_length`` the limit (input ``maxlength`` and a validator
    naming its label); fields with their own ``max_length`` get the labelled message too."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        own = field.max_length
        field_limit = int(own) if own else limit
        if not own:
            field.max_length = field_limit
            field.widget.attrs.setdefault("maxlength", str(field_limit))
        field.validators = [v for v in field.validators if not _is_plain_max_length(v)]
        field.validators.append(_LengthValidator(str(field.label or name), field_limit))


def _is_plain_max_length(validator: Any) -> bool:
    from django.core.validators import MaxLengthValidator

    return isinstance(validator, MaxLengthValidator)
