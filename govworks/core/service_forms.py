"""Glue between a submitted form and a service call: refusals land on the right field, in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from govworks.core.errors import DomainError

T = TypeVar("T")


def call_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Run ``call``; on DomainError or ValidationError attach the message(s) to ``form`` and return None.

    The service runs in its own transaction, so a refusal has changed nothing.
    """
    try:
        return call()
    except DomainError as err:
        field = err.field if err.field in form.fields else None
        form.add_error(field, err.message)
    except ValidationError as err:
        if hasattr(err, "error_dict"):
            for field, errors in err.error_dict.items():
                target = field if field in form.fields else None
                for e in errors:
                    form.add_error(target, e.messages[0] if e.messages else str(e))
        else:
            for message in err.messages:
                form.add_error(None, message)
    return None
