"""Procurement's risk-signal kinds (core.risk), for the 纪检监察 risk centre:

* each stored :class:`IntegritySignal` kind (围标串标, 低价中标高价结算, 化整为零, 标段不合并采购, 超标段估算,
  结算远超中标价) — reported when ``integrity_signal_store`` creates one (after commit) and found again by the
  daily scan among the signals stored in the last :data:`SCAN_DAYS` days (one finding per stored signal, so
  the alert is stored once). A signal about the bidders of a tender not yet opened is held back until the
  opening (招标投标法第二十二条): neither reported nor scanned before it;
* ``procurement.contract_over_method`` — a contract whose amount exceeds what its lot's procurement method
  allows, refused when drafted and reported outside the refused transaction;
* ``procurement.award_refused`` — a contract award refused because the supplier is black-listed (or its
  qualification expired), reported with the refusal's audit event and found again by the daily scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from govworks.core.money import yuan_text
from govworks.core.risk import Finding, Severity, SignalKind, register_signal_kind, signal_report
from govworks.procurement.models import IntegritySignal

#: how far back the daily scan reads stored integrity signals and refused awards (their alerts are stored once)
SCAN_DAYS = 30
AWARD_REFUSED_ACTION = "procurement.supplier.award_refused"

_SIGNAL_KINDS: dict[str, tuple[str, str, str, int]] = {
    # IntegritySignal.Kind → (label, severity, rule key, order)
    IntegritySignal.Kind.SHARED_BIDDER_TRAIT: ("围标串标迹象（投标人关联）", Severity.HIGH, "", 10),
    IntegritySignal.Kind.OVER_WINNING_BID: (
        "低价中标、高价结算（支付上限超中标价）",
        Severity.MEDIUM,
        "change.reapproval_cumulative_ratio",
        11,
    ),
    IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER: (
        "化整为零（同一供应商多份合同规避招标）",
        Severity.HIGH,
        "tender.mandatory.construction",
        12,
    ),
    IntegritySignal.Kind.SPLIT_CHECK_SKIPPED: ("标段不合并采购（未参与化整为零检查）", Severity.LOW, "", 13),
    IntegritySignal.Kind.OVER_LOT_ESTIMATE: ("合同金额超出标段估算", Severity.MEDIUM, "contract.lot_estimate_overrun_ratio", 14),
    IntegritySignal.Kind.HIGH_SETTLEMENT: (
        "低价高结（结算审定金额远超中标价）",
        Severity.HIGH,
        "settle.low_bid_high_settlement_ratio",
        15,
    ),
}


def signal_kind_key(kind: str) -> str:
    return f"procurement.{kind}"


def _sealed(signal: IntegritySignal, now: dt.datetime) -> bool:
    return signal.tender is not None and now < signal.tender.opening_at


def _signals() -> Any:
    return IntegritySignal.objects.select_related("project", "tender").prefetch_related("contracts")


def finding_of_signal(signal: IntegritySignal) -> Finding:
    """The finding of a stored integrity signal: its detail and contracts as facts, its project as the object."""
    contracts = sorted(signal.contracts.all(), key=lambda c: c.pk)
    project = signal.project
    facts: list[tuple[str, str]] = [("项目", f"{project.code} {project.name}"), ("事实", signal.detail)]
    if contracts:
        facts.append(("相关合同", "、".join(f"{c.number}（{yuan_text(Decimal(c.amount))}）" for c in contracts)))
    if signal.tender is not None:
        facts.append(("招标", str(signal.tender)))
    involved = {c.created_by_id for c in contracts if c.created_by_id}
    if contracts:
        url = reverse("procurement:contract_detail", args=[contracts[0].pk])
        label = f"合同{contracts[0].number}"
    else:
        url = reverse("projects:project_detail", args=[project.pk])
        label = str(project)
    return Finding(
        kind=signal_kind_key(signal.kind),
        fingerprint=f"signal:{signal.pk}",
        agency_id=signal.agency_id,
        project_id=signal.project_id,
        title=f"{project.code} {_SIGNAL_KINDS[signal.kind][0]}",
        occurred_on=timezone.localtime(signal.detected_at).date(),
        facts=tuple(facts),
        object_url=url,
        object_label=label,
        involved_user_ids=tuple(sorted(involved)),
    )


def integrity_signal_reported(signal_id: int) -> None:
    """Report a newly stored integrity signal (called on commit of the transaction that stored it); a signal
    about a sealed tender waits for the daily scan after the opening."""
    signal = _signals().filter(pk=signal_id).first()
    if signal is None or _sealed(signal, timezone.now()):
        return
    signal_report(finding_of_signal(signal))


def integrity_signal_report_on_commit(signal_id: int) -> None:
    transaction.on_commit(lambda: integrity_signal_reported(signal_id))


def _scan_signals(kind: str) -> Any:
    def scan(today: dt.date) -> Iterator[Finding]:
        now = timezone.now()
        since = now - dt.timedelta(days=SCAN_DAYS)
        rows = (
            _signals().filter(kind=kind, detected_at__gte=since).filter(Q(tender__isnull=True) | Q(tender__opening_at__lte=now))
        )
        for signal in rows.order_by("id").iterator(chunk_size=500):
            yield finding_of_signal(signal)

    return scan


for _kind, (_label, _severity, _rule, _order) in _SIGNAL_KINDS.items():
    register_signal_kind(
        SignalKind(
            key=signal_kind_key(_kind),
            label=_label,
            severity=_severity,
            module="procurement",
            rule_key=_rule,
            description=IntegritySignal.Kind(_kind).label,
            scan=_scan_signals(_kind),
            order=_order,
        )
    )


# ------------------------------------------------------------------------------------------ contract above its method

OVER_METHOD = SignalKind(
    key="procurement.contract_over_method",
    label="合同金额超出采购方式允许范围",
    severity=Severity.HIGH,
    module="procurement",
    rule_key="tender.mandatory.construction",
    description="起草合同时，合同金额超过标段所定采购方式允许的金额而被拒",
    order=16,
)
register_signal_kind(OVER_METHOD)


def contract_over_method_report(*, actor: Any, lot: Any, supplier: Any, amount: Decimal, problem: str) -> None:
    """Report a contract refused because its amount exceeds what the lot's method allows. Call it outside the
    refused transaction (after the rollback) so the finding survives the refusal."""
    project = lot.project
    signal_report(
        Finding(
            kind=OVER_METHOD.key,
            fingerprint=f"lot:{lot.pk}:supplier:{supplier.pk}:amount:{amount}:{timezone.localdate().isoformat()}",
            agency_id=project.agency_id,
            project_id=project.pk,
            title=f"{project.code} 合同金额超出“{lot.get_method_display()}”允许范围（被拒）",
            occurred_on=timezone.localdate(),
            facts=(
                ("项目", f"{project.code} {project.name}"),
                ("标段", f"{lot.name}（{lot.get_method_display()}，估算 {yuan_text(Decimal(lot.estimated_amount))}）"),
                ("供应商", supplier.name),
                ("拟订合同金额", yuan_text(Decimal(amount))),
                ("拒绝理由", problem),
                ("经办人", getattr(actor, "display_name", "") or str(actor)),
            ),
            object_url=reverse("projects:project_detail", args=[project.pk]),
            object_label=str(project),
            involved_user_ids=(actor.pk,) if getattr(actor, "pk", None) else (),
        )
    )


# ------------------------------------------------------------------------------------------ black-listed award attempts


def _award_scan(today: dt.date) -> Iterator[Finding]:
    from govworks.core.models import AuditEvent
    from govworks.projects.models import Project

    since = timezone.now() - dt.timedelta(days=SCAN_DAYS)
    events = list(AuditEvent.objects.filter(action=AWARD_REFUSED_ACTION, occurred_at__gte=since).order_by("seq"))
    ids = {int(e.context_id) for e in events if str(e.context_id).isdigit()}
    projects = Project.objects.in_bulk(ids) if ids else {}
    for event in events:
        project = projects.get(int(event.context_id)) if str(event.context_id).isdigit() else None
        if project is not None:
            yield finding_of_award_refusal(event, project)


AWARD_REFUSED = SignalKind(
    key="procurement.award_refused",
    label="向黑名单（或资质过期）供应商授予合同被拒",
    severity=Severity.HIGH,
    module="procurement",
    description="起草合同或确定中标时，供应商在黑名单期内或资质过期，授予被拒",
    scan=_award_scan,
    order=17,
)
register_signal_kind(AWARD_REFUSED)


def finding_of_award_refusal(event: Any, project: Any) -> Finding:
    """The finding of a refused award's audit event (``project`` is the event's context)."""
    return Finding(
        kind=AWARD_REFUSED.key,
        fingerprint=f"event:{event.pk}",
        agency_id=project.agency_id,
        project_id=project.pk,
        title=f"{project.code} {event.summary}"[:200],
        occurred_on=timezone.localtime(event.occurred_at).date(),
        facts=(("项目", f"{project.code} {project.name}"), ("经过", event.summary), ("拒绝理由", event.reason)),
        object_url=reverse("projects:project_detail", args=[project.pk]),
        object_label=str(project),
        involved_user_ids=(event.actor_id,) if event.actor_id else (),
    )


def award_refusal_reported(event: Any, project: Any) -> None:
    """Report a refused award (called with the refusal's audit event, outside the refused transaction)."""
    transaction.on_commit(lambda: signal_report(finding_of_award_refusal(event, project)))
