"""Reads of the risk centre: the filtered list, the weekly trend by severity, the counts by severity for the
leadership cockpit, an alert's history, and how the rule an alert tested reads for its agency. Every read
starts from :func:`permissions_alerts.alerts_visible_to` (the reader's 纪检/内审 agencies, never an alert that
names the reader) except the cockpit counts, which the cockpit scopes by the agencies it passes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.risk import SEVERITY_LABELS, SEVERITY_ORDER, signal_kind, signal_kinds
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.integrity import permissions_alerts as perms
from govworks.integrity.models import RiskAlert, RiskAlertChange
from govworks.projects.models import Project

TREND_WEEKS = 26


@dataclass(frozen=True)
class AlertFilters:
    agency: int | None = None
    kind: str = ""
    severity: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    project: str = ""

    def as_params(self) -> dict[str, str]:
        """The filters as query-string / export parameters (empty ones left out)."""
        values = {
            "agency": str(self.agency or ""),
            "kind": self.kind,
            "severity": self.severity,
            "status": self.status,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "project": self.project,
        }
        return {k: v for k, v in values.items() if v}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def alert_filters_from(params: Any) -> AlertFilters:
    """Filters read from a query string (or export parameters); anything unknown is ignored, not an error."""
    agency = str(params.get("agency") or "")
    kind = str(params.get("kind") or "")
    severity = str(params.get("severity") or "")
    status = str(params.get("status") or "")
    return AlertFilters(
        agency=int(agency) if agency.isdigit() else None,
        kind=kind if signal_kind(kind) is not None else "",
        severity=severity if severity in SEVERITY_LABELS else "",
        status=status if status in RiskAlert.Status.values else "",
        date_from=_date(params.get("date_from")),
        date_to=_date(params.get("date_to")),
        project=str(params.get("project") or "").strip()[:50],
    )


def alerts_for(user: Any, filters: AlertFilters) -> QuerySet[RiskAlert]:
    """The alerts ``user`` may read, filtered, newest first (agency and project joined: one query a page)."""
    qs = perms.alerts_visible_to(user)
    if filters.agency:
        qs = qs.filter(agency_id=filters.agency)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.date_from:
        qs = qs.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(occurred_on__lte=filters.date_to)
    if filters.project:
        # the matching projects first (one small table), then their alerts by project; the object's label
        # (a payment request's number, a pledge's year) is matched on the alert itself
        projects = Project.objects.filter(Q(code__icontains=filters.project) | Q(name__icontains=filters.project))
        qs = qs.filter(Q(project_id__in=projects.values("pk")) | Q(object_label__icontains=filters.project))
        # a rare text would make the planner walk the whole recent-first index for 50 matches: ordered with
        # NULLS LAST (the same order: detected_at is never null) it filters the reader's agencies, then sorts
        ordering = [F("detected_at").desc(nulls_last=True), F("id").desc()]
        return qs.select_related("agency", "project").order_by(*ordering)
    return qs.select_related("agency", "project").order_by("-detected_at", "-id")


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in signal_kinds()]


def kind_label(key: str) -> str:
    kind = signal_kind(key)
    return kind.label if kind else key


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def alert_trend(user: Any, filters: AlertFilters, *, today: dt.date | None = None) -> dict[str, Any]:
    """Alerts found per week (Monday-based) by severity over the last 26 weeks, as an ECharts option (stacked
    bars). One query: counts by day and severity, folded into weeks in Python."""
    today = today or timezone.localdate()
    first = _week_start(today) - dt.timedelta(weeks=TREND_WEEKS - 1)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = (
        alerts_for(user, filters)
        .filter(detected_at__gte=since)
        .annotate(day=TruncDate("detected_at"))
        .values("day", "severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    weeks = [first + dt.timedelta(weeks=i) for i in range(TREND_WEEKS)]
    index = {w: i for i, w in enumerate(weeks)}
    counts = {s: [0] * TREND_WEEKS for s in SEVERITY_LABELS}
    for row in rows:
        day = row["day"]
        if isinstance(day, dt.datetime):
            day = day.date()
        if day is None or row["severity"] not in counts:
            continue
        i = index.get(_week_start(day))
        if i is not None:
            counts[row["severity"]][i] += row["n"]
    colours = {"high": "#d63939", "medium": "#f59f00", "low": "#4299e1"}
    series = [
        {
            "name": f"{SEVERITY_LABELS[s]}风险",
            "type": "bar",
            "stack": "all",
            "data": counts[s],
            "itemStyle": {"color": colours[s]},
        }
        for s in sorted(SEVERITY_LABELS, key=lambda s: SEVERITY_ORDER[s])
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 16, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": [w.strftime("%m-%d") for w in weeks]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }


def alert_counts_by_severity(agency_ids: Iterable[int]) -> dict[str, int]:
    """For the leadership cockpit: open alerts (新 and 已阅) of ``agency_ids`` by severity, every severity
    present (one query). The caller decides which agencies the reader may see."""
    counts = dict.fromkeys(SEVERITY_LABELS, 0)
    ids = list(agency_ids)
    if not ids:
        return counts
    rows = (
        RiskAlert.objects.filter(agency_id__in=ids, status__in=[RiskAlert.Status.NEW, RiskAlert.Status.READ])
        .values("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["severity"] in counts:
            counts[row["severity"]] = row["n"]
    return counts


def new_alert_count(user: Any) -> int:
    """How many new (未阅) alerts ``user`` may read (one query; none for people without 纪检/内审)."""
    if not perms.alert_agency_ids(user):
        return 0
    return perms.alerts_visible_to(user).filter(status=RiskAlert.Status.NEW).count()


@dataclass(frozen=True)
class RuleReading:
    key: str
    name: str
    value: str


def alert_rule(alert: RiskAlert) -> RuleReading | None:
    """The rule the alert tested, by its Chinese name, with its value as effective for the alert's agency today."""
    if not alert.rule_key:
        return None
    try:
        value = rule_value(alert.rule_key, agency=alert.agency)
    except DomainError:  # a rule removed since: the name still shows
        value = "—"
    if hasattr(value, "normalize") and not isinstance(value, bool):
        value = format(value.normalize(), "f")
    return RuleReading(alert.rule_key, rule_name(alert.rule_key), str(value))


def alert_history(alert: RiskAlert) -> list[RiskAlertChange]:
    return list(RiskAlertChange.objects.filter(alert=alert).select_related("actor").order_by("at", "id"))
