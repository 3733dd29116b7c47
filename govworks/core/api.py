"""REST plumbing shared by every module's api.py: refusals as JSON with code and Chinese message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from govworks.core.errors import DomainError
from govworks.core.middleware import refusal_log


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return _logged(context, Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY), exc.code, exc.message)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "message_dict") else {"non_field_errors": exc.messages}
        return Response({"code": "validation", "detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | NotFound):
        return Response({"code": "not_found", "detail": "记录不存在或您无权查看"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        reason = str(exc) or "无权执行此操作"
        return _logged(
            context, Response({"code": "forbidden", "detail": reason}, status=status.HTTP_403_FORBIDDEN), "forbidden", reason
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException) and response.status_code < 500:
        codes = exc.get_codes()
        _logged(context, response, codes if isinstance(codes, str) else "invalid", str(exc.detail))
    return response


def _logged(context: dict[str, Any], response: Response, code: str, message: str) -> Response:
    """One log line for a refused API call, with its code, and no second line from ``django.request``."""
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    if django_request is not None:
        refusal_log(request=django_request, response=response, code=code, message=message, user=getattr(request, "user", None))
    return response
