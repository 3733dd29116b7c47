"""A refused action is logged once, as a warning, without a traceback (issue 11, item 16)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from govworks.core.errors import DomainError
from govworks.core.middleware import RefusalMiddleware

pytestmark = pytest.mark.django_db


def refusal_records(caplog: Any) -> list[logging.LogRecord]:
    """Every record about the request: Django's own request logger and ours."""
    return [r for r in caplog.records if r.name in {"django.request", "govworks.refusal"}]


def test_forbidden_page_is_logged_once_without_traceback(client: Any, world: Any, caplog: Any) -> None:
    # given a 工程管理岗, who may not read the audit log
    client.force_login(world.pm)
    # when they open it
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("core:audit_list"))
    # then the answer is the 403 page with the reason, and exactly one warning line without a traceback
    assert response.status_code == 403
    assert "只有安全审计员可以查看审计日志" in response.content.decode()
    records = refusal_records(caplog)
    assert len(records) == 1
    (record,) = records
    assert record.name == "govworks.refusal"
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == "Refused 403 GET /core/audit/ user=liming code=forbidden: 只有安全审计员可以查看审计日志"
    assert "Traceback" not in caplog.text


def test_forbidden_api_call_is_logged_once_without_traceback(client: Any, world: Any, caplog: Any) -> None:
    # given a 工程管理岗 on the audit-log API
    client.force_login(world.pm)
    with caplog.at_level(logging.INFO):
        response = client.get("/api/core/audit-events/")
    # then 403 with the Chinese reason, one warning line with the refusal code, no traceback
    assert response.status_code == 403
    assert response.json()["detail"] == "只有安全审计员可以查看审计日志"
    records = refusal_records(caplog)
    assert [(r.name, r.levelno, r.exc_info) for r in records] == [("govworks.refusal", logging.WARNING, None)]
    assert records[0].getMessage() == (
        "Refused 403 GET /api/core/audit-events/ user=liming code=permission_denied: 只有安全审计员可以查看审计日志"
    )
    assert "Traceback" not in caplog.text


def test_uncaught_domain_error_is_a_409_logged_once(world: Any, caplog: Any) -> None:
    # given a view that lets a rule's refusal through (instead of showing it on its form)
    def view(request: Any) -> HttpResponse:
        raise DomainError("finance.payment.cap", "累计付款 1,050,000.00 元将超过合同价款 1,000,000.00 元")

    request = RequestFactory().post("/finance/payments/1/submit/")
    request.user = world.pm
    middleware = RefusalMiddleware(lambda r: HttpResponse())
    # when the middleware turns the exception into an answer
    with caplog.at_level(logging.INFO):
        try:
            view(request)
        except DomainError as err:
            response = middleware.process_exception(request, err)
    # then a 409 page names the rule and the numbers, logged once without a traceback (not a 500)
    assert response is not None
    assert response.status_code == 409
    assert "累计付款 1,050,000.00 元将超过合同价款 1,000,000.00 元" in response.content.decode()
    records = refusal_records(caplog)
    assert len(records) == 1
    assert records[0].exc_info is None
    assert records[0].getMessage() == (
        "Refused 409 POST /finance/payments/1/submit/ user=liming code=finance.payment.cap: "
        "累计付款 1,050,000.00 元将超过合同价款 1,000,000.00 元"
    )
    assert getattr(response, "_has_been_logged", False) is True


def test_other_exceptions_are_left_to_django(world: Any) -> None:
    request = RequestFactory().get("/")
    request.user = world.pm
    assert RefusalMiddleware(lambda r: HttpResponse()).process_exception(request, ValueError("boom")) is None
