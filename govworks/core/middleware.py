"""Kernel middleware: a request id and client IP for the audit trail; refusals logged once, without a traceback."""

from __future__ import annotations

import ipaddress
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import get_exception_response
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_resolver, get_urlconf

from govworks.core.errors import DomainError
from govworks.core.request_context import RequestInfo, reset_request_info, set_request_info

refusal_logger = logging.getLogger("govworks.refusal")


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the server saw it (a trusted proxy sets REMOTE_ADDR via gunicorn)."""
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))  # normalised, exactly as the database will store it
    except ValueError:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        token = set_request_info(RequestInfo(request_id=request_id[:64], ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request_id[:64]
        return response


class RefusalMiddleware:
    """A refused action is an answer, not a crash: one WARNING line, no traceback.

    ``PermissionDenied`` raised by a view becomes Django's usual 403 page and a ``DomainError`` that a
    view did not catch becomes a 409 page naming the rule; each is logged once on ``govworks.refusal``
    with the status, method, path, user and the refusal's code and message. Django's ``django.request``
    logger would otherwise log a 403 with the full traceback and an uncaught DomainError as a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            response = get_exception_response(request, get_resolver(get_urlconf()), 403, exception)
            refusal_log(request=request, response=response, code="forbidden", message=str(exception))
            return response
        if isinstance(exception, DomainError):
            response = render(request, "409.html", {"exception": exception.message, "code": exception.code}, status=409)
            refusal_log(request=request, response=response, code=exception.code, message=exception.message)
            return response
        return None


def refusal_log(*, request: HttpRequest, response: HttpResponse, code: str, message: str, user: Any = None) -> None:
    """Log one refused request (status, method, path, user, code, message) as a WARNING without a
    traceback, and mark the response as logged so ``django.request`` does not log it a second time.
    Chinese stays readable; control characters are escaped so a crafted path cannot forge a log line."""
    user = user if user is not None else getattr(request, "user", None)
    who = user.get_username() if user is not None and user.is_authenticated else "匿名"
    refusal_logger.warning(
        "Refused %s %s %s user=%s code=%s: %s",
        response.status_code,
        request.method,
        _printable(request.path),
        _printable(who),
        _printable(code),
        _printable(message or "-")[:300],
        extra={"status_code": response.status_code, "request": request},
    )
    response._has_been_logged = True  # type: ignore[attr-defined]


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))
