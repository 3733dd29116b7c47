"""Who is acting, from where: set once per request by the middleware, read by the audit trail."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    ip: str | None = None


_current: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar(
    "govworks_request",
    default=RequestInfo(),  # noqa: B039  (a frozen dataclass: immutable)
)


def current_request_info() -> RequestInfo:
    return _current.get()


def set_request_info(info: RequestInfo) -> contextvars.Token[RequestInfo]:
    return _current.set(info)


def reset_request_info(token: contextvars.Token[RequestInfo]) -> None:
    _current.reset(token)
