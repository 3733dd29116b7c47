"""Helpers of the risk-centre tests: a signal kind of the tests' own, findings of it, and the city's 内审."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govworks.core.risk import Finding, Severity, SignalKind, register_signal_kind, signal_report

TEST_KIND = SignalKind(
    key="tests.sample",
    label="测试信号",
    severity=Severity.MEDIUM,
    module="tests",
    rule_key="tzyd.large_fund_min_amount",
    order=999,
)
register_signal_kind(TEST_KIND)


def finding(agency: Any, n: int = 1, **kw: Any) -> Finding:
    fields: dict[str, Any] = {
        "kind": TEST_KIND.key,
        "fingerprint": f"sample:{n}",
        "agency_id": agency.pk,
        "title": f"测试预警{n}",
        "occurred_on": dt.date.today(),
        "facts": (("金额", "1,000.00 元"), ("门槛", "300,000.00 元")),
        "object_url": "/projects/",
        "object_label": "项目列表",
    }
    fields.update(kw)
    return Finding(**fields)


def report(agency: Any, n: int = 1, **kw: Any) -> Any:
    from govworks.integrity.models import RiskAlert

    f = finding(agency, n, **kw)
    signal_report(f)
    return RiskAlert.objects.get(kind=f.kind, fingerprint=f.fingerprint)
