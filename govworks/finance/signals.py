"""Risk signals (廉政风险信号) of finance, declared in the kernel registry (``govworks.core.risk``) for 纪检监察
and 内审:

* ``finance.payment_ahead_of_progress`` 付款超进度 — on a contract, the progress payments requested (审批中)
  or committed (已批准、已支付), before their advance offsets, add up to more than the latest completed value
  confirmed by the supervising engineer × the payment ratio the guard of ``rules.payment_problems`` uses
  (the contract's 进度款支付比例, never above ``pay.progress_max_ratio``). Equal to the limit is not ahead; one
  fen above is. Found by the daily scan (one finding per contract and pair of numbers), and reported at the
  moment a progress payment is refused for it (one finding per refused request and numbers);
* ``finance.freeze_payment_refused`` 冻结期间申请付款被拒 — a payment request refused at submission or final
  approval while the project's payments are frozen (红灯暂停拨款, 重大事故, 领导决定): reported at the moment
  of refusal, after the refused transaction rolled back, so the finding survives the refusal;
* ``finance.paid_during_freeze`` 红灯期间付款 — a payment the treasury paid on a day after the project's
  freeze began and before the day it was released (an instruction issued before the freeze and not recalled).
  Payments *approved* during a freeze cannot happen (the guard refuses them under the locks; the attempts are
  the previous kind), so this covers the red light's "payments made".

Every scan runs a constant number of queries whatever the number of contracts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from govworks.construction.models import PaymentFreeze
from govworks.construction.selectors.freezes import active_payment_freeze
from govworks.construction.signals import rule_values_by_agency
from govworks.core.risk import Finding, Severity, SignalKind, register_signal_kind, signal_report
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.finance.models import CompletedValue, PaymentRequest
from govworks.finance.rules import pct, yuan
from govworks.org.models import User
from govworks.procurement.models import Contract, PaymentMilestone
from govworks.projects.models import Project

AHEAD_OF_PROGRESS = "finance.payment_ahead_of_progress"
FREEZE_REFUSED = "finance.freeze_payment_refused"
PAID_DURING_FREEZE = "finance.paid_during_freeze"

PROGRESS_RULE = "pay.progress_max_ratio"
PROGRESS = PaymentMilestone.Kind.PROGRESS
#: requested (in approval) or committed: what counts as "paid or requested"
COUNTED = (PaymentRequest.Status.SUBMITTED, PaymentRequest.Status.APPROVED, PaymentRequest.Status.PAID)
#: the daily scan looks at payments the treasury paid within this many days (older ones were found then)
PAID_SCAN_DAYS = 31

_MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal(0)


def progress_limit(*, confirmed_value: Decimal, contract_ratio: Decimal, max_ratio: Decimal) -> tuple[Decimal, Decimal]:
    """(ratio, limit): the most the progress payments of a contract may add up to on ``confirmed_value``, as
    ``rules.payment_problems`` computes it — exact, rounded only where shown."""
    ratio = min(contract_ratio, max_ratio)
    return ratio, confirmed_value * ratio


def _ids(*user_ids: int | None) -> tuple[int, ...]:
    return tuple(sorted({u for u in user_ids if u is not None}))


def _progress_facts(
    *,
    contract_number: str,
    confirmed: Decimal | None,
    confirmed_on: dt.date | None,
    contract_ratio: Decimal,
    max_ratio: Decimal,
    ratio: Decimal,
    limit: Decimal,
    cumulative: Decimal,
    parts: list[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    return (
        ("合同", contract_number),
        *parts,
        ("累计进度款", yuan(cumulative)),
        (
            "已完工程价款（监理确认）",
            f"{yuan(confirmed)}（{confirmed_on:%Y-%m-%d} 确认）" if confirmed is not None and confirmed_on else "尚无确认记录",
        ),
        ("支付比例", f"{pct(ratio)}（合同约定 {pct(contract_ratio)}，“{rule_name(PROGRESS_RULE)}”{pct(max_ratio)}）"),
        ("进度款上限", yuan(limit)),
        ("超出", yuan(cumulative - limit)),
    )


# ------------------------------------------------------------------------------------------ 付款超进度


def payment_ahead_scan(today: dt.date) -> Iterator[Finding]:
    """Every contract whose progress payments in approval or committed exceed the latest confirmed completed
    value × the payment ratio. Four queries (contracts with their sums and latest confirmation; the rule for
    every agency concerned; the drafters of the contracts found)."""
    progress = PaymentRequest.objects.filter(contract=OuterRef("pk"), kind=PROGRESS).order_by().values("contract")

    def total(*statuses: str) -> Any:
        return Coalesce(
            Subquery(progress.filter(status__in=statuses).annotate(s=Sum("gross_amount")).values("s")[:1], output_field=_MONEY),
            ZERO,
            output_field=_MONEY,
        )

    latest = CompletedValue.objects.filter(contract=OuterRef("pk")).order_by("-period_end", "-id")
    rows = list(
        Contract.objects.filter(Exists(progress.filter(status__in=COUNTED)))
        .annotate(
            committed=total(PaymentRequest.Status.APPROVED, PaymentRequest.Status.PAID),
            pending=total(PaymentRequest.Status.SUBMITTED),
            confirmed=Subquery(latest.values("cumulative_value")[:1], output_field=_MONEY),
            confirmed_on=Subquery(latest.values("period_end")[:1]),
        )
        .values(
            "pk",
            "number",
            "progress_ratio",
            "committed",
            "pending",
            "confirmed",
            "confirmed_on",
            "project_id",
            "project__agency_id",
            "project__code",
            "project__name",
            "project__manager_id",
        )
        .order_by("pk")
    )
    if not rows:
        return
    max_ratios = rule_values_by_agency(PROGRESS_RULE, {r["project__agency_id"] for r in rows}, on=today)
    found = []
    for row in rows:
        cumulative = Decimal(row["committed"]) + Decimal(row["pending"])
        max_ratio = Decimal(max_ratios[row["project__agency_id"]])
        ratio, limit = progress_limit(
            confirmed_value=Decimal(row["confirmed"] or 0), contract_ratio=Decimal(row["progress_ratio"]), max_ratio=max_ratio
        )
        if cumulative > limit:
            found.append((row, cumulative, max_ratio, ratio, limit))
    if not found:
        return
    drafters: dict[int, set[int]] = defaultdict(set)
    for contract_id, user_id in PaymentRequest.objects.filter(
        contract_id__in=[row["pk"] for row, *_ in found], kind=PROGRESS, status__in=COUNTED
    ).values_list("contract_id", "created_by_id"):
        drafters[contract_id].add(user_id)
    for row, cumulative, max_ratio, ratio, limit in found:
        pk, pid, code, confirmed = row["pk"], row["project_id"], row["project__code"], row["confirmed"]
        yield Finding(
            kind=AHEAD_OF_PROGRESS,
            fingerprint=f"contract:{pk}:progress:{cumulative:.2f}:{Decimal(confirmed or 0):.2f}",
            agency_id=row["project__agency_id"],
            project_id=pid,
            title=f"{code} 合同{row['number']}进度款超出已完工程价款的支付比例 {yuan(cumulative - limit)}",
            occurred_on=today,
            facts=_progress_facts(
                contract_number=str(row["number"]),
                confirmed=Decimal(confirmed) if confirmed is not None else None,
                confirmed_on=row["confirmed_on"],
                contract_ratio=Decimal(row["progress_ratio"]),
                max_ratio=max_ratio,
                ratio=ratio,
                limit=limit,
                cumulative=cumulative,
                parts=[("已批准/已支付进度款", yuan(Decimal(row["committed"]))), ("审批中进度款", yuan(Decimal(row["pending"])))],
            ),
            object_url=reverse("finance:project", args=[pid]),
            object_label=f"{code} {row['project__name']} · 资金",
            involved_user_ids=_ids(row["project__manager_id"], *drafters[pk]),
        )


def _ahead_at_refusal(*, request: PaymentRequest, project: Project, stage: str, actor: User) -> Finding | None:
    """The 付款超进度 finding of a refused progress request: the committed progress payments (this request
    left out) plus this one against the latest confirmation, as the guard compared them; None when within."""
    if request.kind != PROGRESS:
        return None
    contract = Contract.objects.only("pk", "number", "progress_ratio").get(pk=request.contract_id)
    committed = (
        PaymentRequest.objects.filter(contract_id=contract.pk, kind=PROGRESS, status__in=PaymentRequest.COMMITTED)
        .exclude(pk=request.pk)
        .aggregate(s=Sum("gross_amount"))["s"]
        or ZERO
    )
    latest = CompletedValue.objects.filter(contract_id=contract.pk).order_by("-period_end", "-id").first()
    max_ratio = Decimal(str(rule_value(PROGRESS_RULE, agency=project.agency)))
    confirmed = Decimal(latest.cumulative_value) if latest else ZERO
    ratio, limit = progress_limit(confirmed_value=confirmed, contract_ratio=Decimal(contract.progress_ratio), max_ratio=max_ratio)
    gross = Decimal(request.gross_amount)
    cumulative = Decimal(committed) + gross
    if cumulative <= limit:
        return None
    return Finding(
        kind=AHEAD_OF_PROGRESS,
        fingerprint=f"request:{request.pk}:refused:{cumulative:.2f}:{confirmed:.2f}",
        agency_id=project.agency_id,
        project_id=project.pk,
        title=f"{project.code} 付款申请{request.number}申请进度款超出已完工程价款的支付比例 {yuan(cumulative - limit)}（{stage}时被拒）",
        occurred_on=timezone.localdate(),
        facts=_progress_facts(
            contract_number=contract.number,
            confirmed=confirmed if latest else None,
            confirmed_on=latest.period_end if latest else None,
            contract_ratio=Decimal(contract.progress_ratio),
            max_ratio=max_ratio,
            ratio=ratio,
            limit=limit,
            cumulative=cumulative,
            parts=[
                ("付款申请", f"{request.number}（{stage}时被系统拒绝）"),
                ("已批准/已支付进度款", yuan(Decimal(committed))),
                ("本期申请进度款", yuan(gross)),
            ],
        ),
        object_url=reverse("finance:request_detail", args=[request.pk]),
        object_label=f"付款申请 {request.number}（{project.code} {project.name}）",
        involved_user_ids=_ids(request.created_by_id, actor.pk),
    )


# ------------------------------------------------------------------------------------------ 冻结期间申请付款被拒


def _freeze_refused(*, request: PaymentRequest, project: Project, stage: str, actor: User) -> Finding | None:
    freeze = active_payment_freeze(project.pk)
    if freeze is None:
        return None
    frozen_on = timezone.localtime(freeze.frozen_at)
    return Finding(
        kind=FREEZE_REFUSED,
        fingerprint=f"request:{request.pk}:freeze:{freeze.pk}:{stage}",
        agency_id=project.agency_id,
        project_id=project.pk,
        title=f"{project.code} 暂停拨款期间{actor.display_name}{stage}付款申请{request.number}被拒",
        occurred_on=timezone.localdate(),
        facts=(
            ("付款申请", str(request.number)),
            ("款项类型", request.kind_label()),
            ("本次实付", yuan(Decimal(request.amount))),
            ("办理环节", f"{stage}（{actor.display_name}）"),
            ("暂停拨款", f"自 {frozen_on:%Y-%m-%d} 起（{freeze.get_cause_display()}）"),
            ("冻结原因", freeze.reason[:200]),
        ),
        object_url=reverse("finance:request_detail", args=[request.pk]),
        object_label=f"付款申请 {request.number}（{project.code} {project.name}）",
        involved_user_ids=_ids(request.created_by_id, actor.pk, project.manager_id),
    )


def payment_refusal_report(*, actor: User, request: PaymentRequest, project: Project, stage: str) -> None:
    """At the moment a payment request is refused by its guards (call it after the refused transaction rolled
    back): report 冻结期间申请付款被拒 when the project's payments are frozen, 付款超进度 when its progress
    payments would exceed the confirmed completed value × the payment ratio."""
    for finding in (
        _freeze_refused(request=request, project=project, stage=stage, actor=actor),
        _ahead_at_refusal(request=request, project=project, stage=stage, actor=actor),
    ):
        if finding is not None:
            signal_report(finding)


# ------------------------------------------------------------------------------------------ 红灯期间付款


def paid_during_freeze_scan(today: dt.date) -> Iterator[Finding]:
    """Every payment the treasury paid in the last ``PAID_SCAN_DAYS`` days on a day after a freeze of its
    project began (the day it began is not counted: the freeze may have come after the payment) and before
    the day it was released. Two queries."""
    since = today - dt.timedelta(days=PAID_SCAN_DAYS)
    freezes = (
        PaymentFreeze.objects.filter(project_id=OuterRef("project_id"), frozen_at__date__lt=OuterRef("paid_on"))
        .filter(Q(released_at__isnull=True) | Q(released_at__date__gt=OuterRef("paid_on")))
        .order_by("-frozen_at")
    )
    rows = list(
        PaymentRequest.objects.filter(status=PaymentRequest.Status.PAID, paid_on__gte=since, paid_on__lte=today)
        .annotate(freeze_id=Subquery(freezes.values("pk")[:1]))
        .filter(freeze_id__isnull=False)
        .select_related("project", "contract", "instruction")
        .order_by("pk")
    )
    if not rows:
        return
    by_id = PaymentFreeze.objects.in_bulk({r.freeze_id for r in rows})  # type: ignore[attr-defined]
    for row in rows:
        freeze = by_id[row.freeze_id]  # type: ignore[attr-defined]
        project = row.project
        instruction = getattr(row, "instruction", None)
        released = f"{timezone.localtime(freeze.released_at):%Y-%m-%d} 解除" if freeze.released_at is not None else "尚未解除"
        facts = [
            ("付款申请", f"{row.number}（合同{row.contract.number} {row.kind_label()}）"),
            ("实付金额", yuan(Decimal(row.amount))),
            ("国库支付日期", f"{row.paid_on:%Y-%m-%d}"),
            ("暂停拨款", f"自 {timezone.localtime(freeze.frozen_at):%Y-%m-%d} 起（{freeze.get_cause_display()}），{released}"),
        ]
        if row.approved_at is not None:
            facts.append(("审批办结时间", f"{timezone.localtime(row.approved_at):%Y-%m-%d %H:%M}"))
        if instruction is not None:
            facts.append(("国库支付指令", f"{instruction.number}（凭证号 {instruction.voucher_number}）"))
        yield Finding(
            kind=PAID_DURING_FREEZE,
            fingerprint=f"request:{row.pk}:freeze:{freeze.pk}",
            agency_id=project.agency_id,
            project_id=project.pk,
            title=f"{project.code} 暂停拨款期间支付付款申请{row.number} {yuan(Decimal(row.amount))}",
            occurred_on=row.paid_on,  # type: ignore[arg-type]
            facts=tuple(facts),
            object_url=reverse("finance:request_detail", args=[row.pk]),
            object_label=f"付款申请 {row.number}（{project.code} {project.name}）",
            involved_user_ids=_ids(row.created_by_id, project.manager_id, instruction.issued_by_id if instruction else None),
        )


register_signal_kind(
    SignalKind(
        key=AHEAD_OF_PROGRESS,
        label="付款超进度",
        severity=Severity.HIGH,
        module="资金管理",
        rule_key=PROGRESS_RULE,
        description="合同累计进度款（审批中及已批准、已支付）超过监理确认的已完工程价款乘以支付比例",
        scan=payment_ahead_scan,
        order=70,
    )
)
register_signal_kind(
    SignalKind(
        key=FREEZE_REFUSED,
        label="冻结期间申请付款被拒",
        severity=Severity.MEDIUM,
        module="资金管理",
        description="项目暂停拨款（红灯、重大事故或领导决定）期间提交或办结付款申请，被系统拒绝",
        order=71,
    )
)
register_signal_kind(
    SignalKind(
        key=PAID_DURING_FREEZE,
        label="红灯期间付款",
        severity=Severity.HIGH,
        module="资金管理",
        description=f"项目暂停拨款期间国库仍支付了付款（扫描近{PAID_SCAN_DAYS}天的支付）",
        scan=paid_during_freeze_scan,
        order=72,
    )
)
