"""Storing and handling risk alerts (风险预警).

* :func:`alert_store` is the sink registered with ``core.risk.register_signal_sink``: every finding a module
  reports (at the moment of action, or found by the daily scan) is stored once per (kind, fingerprint). The
  unique constraint decides between two parallel stores; the loser reads the winner's row.
* :func:`alerts_scan_daily` is the periodic job: it stores what ``signals_scan(today)`` yields.
* :func:`alert_mark_read`, :func:`alert_exclude` (with a reason) and :func:`alert_mark_case_opened` (called by
  the cases area once a case is opened from the alert) change the status, each with a row of history and an
  audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.risk import SEVERITY_LABELS, Finding, SignalScanFailed, signal_kind, signals_scan
from govworks.integrity import permissions_alerts as perms
from govworks.integrity.models import RiskAlert, RiskAlertChange, RiskAlertPerson
from govworks.org.models import Agency

REASON_MIN = 4
REASON_MAX = 1000
SCAN_CHUNK = 500


def alert_store(finding: Finding) -> tuple[RiskAlert, bool]:
    """Store ``finding`` as an alert unless an alert of the same kind and fingerprint exists. Returns (the alert,
    whether it is new). Safe against a parallel store of the same finding (unique constraint; the loser reads
    the stored row). Runs in a savepoint of the caller's transaction, if any."""
    kind = signal_kind(finding.kind)
    if kind is None:
        raise ValueError(f"unregistered signal kind {finding.kind!r}")
    fingerprint = finding.fingerprint[:200]
    existing = RiskAlert.objects.filter(kind=finding.kind, fingerprint=fingerprint).first()
    if existing is not None:
        return existing, False
    severity = finding.severity or kind.severity
    if severity not in SEVERITY_LABELS:
        severity = kind.severity
    involved = sorted({int(u) for u in finding.involved_user_ids})
    try:
        with transaction.atomic():
            alert = RiskAlert.objects.create(
                kind=finding.kind,
                severity=severity,
                fingerprint=fingerprint,
                agency_id=finding.agency_id,
                project_id=finding.project_id,
                title=finding.title[:200],
                facts=[[str(label), str(value)] for label, value in finding.facts],
                rule_key=kind.rule_key,
                object_url=finding.object_url[:300],
                object_label=finding.object_label[:200],
                involved_user_ids=involved,
                occurred_on=finding.occurred_on,
            )
            RiskAlertPerson.objects.bulk_create([RiskAlertPerson(alert=alert, user_id=u) for u in involved])
            audit_event_record(
                actor=None,
                action="integrity.alert.create",
                obj=alert,
                agency=_agency(alert),
                summary=f"风险预警{alert.pk}：{kind.label}（{SEVERITY_LABELS[severity]}）",
            )
    except IntegrityError:  # stored meanwhile by a parallel report or scan
        return RiskAlert.objects.get(kind=finding.kind, fingerprint=fingerprint), False
    return alert, True


def _agency(alert: RiskAlert) -> Agency:
    """The alert's agency as the audit chain needs it (its key only: no query)."""
    return Agency(pk=alert.agency_id)


def alerts_scan_daily(today: dt.date) -> str:
    """Periodic job: store every finding of every module's daily scan not stored before. Findings are checked
    against the stored fingerprints a chunk at a time (one query per chunk), so only new ones cost a write.
    When a module's scan fails, the other modules' findings are still stored and the run then fails, naming
    the failed kinds (the job's record shows it to the administrator)."""
    seen = created = 0
    chunk: list[Finding] = []

    def flush() -> int:
        keys = {(f.kind, f.fingerprint[:200]) for f in chunk}
        stored = set(
            RiskAlert.objects.filter(kind__in={k for k, _ in keys}, fingerprint__in={fp for _, fp in keys}).values_list(
                "kind", "fingerprint"
            )
        )
        new = 0
        for finding in chunk:
            key = (finding.kind, finding.fingerprint[:200])
            if key in stored:
                continue
            stored.add(key)
            new += int(alert_store(finding)[1])
        chunk.clear()
        return new

    failed: SignalScanFailed | None = None
    try:
        for finding in signals_scan(today):
            seen += 1
            chunk.append(finding)
            if len(chunk) >= SCAN_CHUNK:
                created += flush()
    except SignalScanFailed as error:  # the other kinds were scanned: store their findings, then fail the run
        failed = error
    if chunk:
        created += flush()
    summary = f"检出 {seen} 条风险信号，新增预警 {created} 条"
    if failed is not None:
        raise RuntimeError(f"{summary}；以下风险信号扫描失败：{failed}") from failed
    return summary


# ------------------------------------------------------------------------------------------ handling


def _locked(actor: Any, alert_id: int) -> RiskAlert:
    alert = RiskAlert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None or not perms.may_handle_alert(actor, alert):
        raise PermissionDenied("您无权处理该预警")
    return alert


def _change(alert: RiskAlert, *, actor: Any, after: str, reason: str, action: str, summary: str) -> RiskAlert:
    before = alert.status
    now = timezone.now()
    alert.status, alert.status_reason, alert.status_by, alert.status_at = after, reason, actor, now
    alert.save(update_fields=["status", "status_reason", "status_by", "status_at", "case_id"])
    RiskAlertChange.objects.create(alert=alert, before=before, after=after, reason=reason, actor=actor, at=now)
    audit_event_record(
        actor=actor,
        action=action,
        obj=alert,
        agency=_agency(alert),
        summary=summary,
        changes={"status": {"before": before, "after": after}},
        reason=reason,
    )
    return alert


def alert_mark_read(*, actor: Any, alert_id: int) -> RiskAlert:
    """已阅: a new alert was looked at. Only a new alert can be marked so."""
    with transaction.atomic():
        alert = _locked(actor, alert_id)
        if alert.status != RiskAlert.Status.NEW:
            raise DomainError("alert.not_new", f"该预警当前为“{alert.get_status_display()}”，只有“新”预警可标记为已阅")
        return _change(
            alert,
            actor=actor,
            after=RiskAlert.Status.READ,
            reason="",
            action="integrity.alert.read",
            summary=f"风险预警{alert.pk}标记为已阅",
        )


def alert_exclude(*, actor: Any, alert_id: int, reason: str) -> RiskAlert:
    """排除: the alert is no risk (e.g. the shared address is a government office building). The reason is
    required ({REASON_MIN}–{REASON_MAX} characters) and stays visible in the alert's history."""
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise DomainError("alert.reason_required", f"排除预警须填写理由（至少{REASON_MIN}个字）", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError("alert.reason_too_long", f"排除理由不能超过{REASON_MAX}个字", field="reason")
    with transaction.atomic():
        alert = _locked(actor, alert_id)
        if alert.status not in (RiskAlert.Status.NEW, RiskAlert.Status.READ):
            raise DomainError("alert.closed", f"该预警当前为“{alert.get_status_display()}”，不能再排除")
        return _change(
            alert,
            actor=actor,
            after=RiskAlert.Status.EXCLUDED,
            reason=reason,
            action="integrity.alert.exclude",
            summary=f"风险预警{alert.pk}已排除",
        )


def alert_mark_case_opened(alert_id: int, case_id: int, *, actor: Any | None = None) -> RiskAlert:
    """已立案: the cases area opened case ``case_id`` from the alert (call it in the transaction that creates
    the case). ``actor`` (who opened the case) is checked like 已阅 when given. An alert already 已立案 for
    another case, or 已排除, is refused; the same case twice is a no-op."""
    with transaction.atomic():
        locked = RiskAlert.objects.select_for_update()
        alert = _locked(actor, alert_id) if actor is not None else locked.get(pk=alert_id)
        if alert.status == RiskAlert.Status.CASE:
            if alert.case_id == case_id:
                return alert
            raise DomainError("alert.case_exists", f"该预警已立案（案件{alert.case_id}），不能重复立案")
        if alert.status == RiskAlert.Status.EXCLUDED:
            raise DomainError("alert.excluded", "该预警已排除，不能立案；如需立案请直接立案并说明来源")
        alert.case_id = case_id
        return _change(
            alert,
            actor=actor,
            after=RiskAlert.Status.CASE,
            reason=f"案件{case_id}",
            action="integrity.alert.case",
            summary=f"风险预警{alert.pk}已立案（案件{case_id}）",
        )
