"""Reads of payment requests: the register with filters (constant queries per page), one request with
its approval trail and refused attempts, the treasury instructions, the approval trail for the printed
instruction, and the facts shown next to a request (ceiling, committed, confirmed value)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, Sum

from govworks.core.models import AuditEvent
from govworks.finance.models import PaymentInstruction, PaymentRequest
from govworks.finance.permissions import payment_requests_visible_to
from govworks.projects.models import AgendaItem, ApprovalRequest, ApprovalStep
from govworks.projects.permissions import projects_visible_to


def payment_request_list_visible_to(
    *, user: Any, q: str = "", status: str = "", kind: str = "", project: int | None = None
) -> QuerySet[PaymentRequest]:
    qs = payment_requests_visible_to(user).select_related("project", "contract", "contract__supplier", "source", "instruction")
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(contract__number__icontains=q) | Q(contract__supplier__name__icontains=q))
    if status in PaymentRequest.Status.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("-id")


class PaymentRegister:
    """The register for ``Paginator`` in two narrow steps: the count, then one page of ids (sorting ids,
    not wide rows), then those rows with their project, contract, supplier, source and instruction."""

    def __init__(self, qs: QuerySet[PaymentRequest]) -> None:
        self.qs = qs

    def count(self) -> int:
        return self.qs.count()

    def count_queryset(self) -> QuerySet[PaymentRequest]:
        """What the pager counts (``govworks.core.pages.RegisterPaginator`` estimates it above 10,000 rows)."""
        return self.qs

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, k: slice) -> list[PaymentRequest]:
        ids = list(self.qs.order_by("-id").values_list("pk", flat=True)[k])
        rows = {
            r.pk: r
            for r in self.qs.model.objects.filter(pk__in=ids).select_related(
                "project", "contract", "contract__supplier", "source", "instruction"
            )
        }
        return [rows[i] for i in ids if i in rows]


def instructions_visible_to(*, user: Any, status: str = "") -> QuerySet[PaymentInstruction]:
    qs = PaymentInstruction.objects.filter(request__project__in=projects_visible_to(user)).select_related(
        "request", "request__project"
    )
    if status in PaymentInstruction.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


@dataclass
class TrailEntry:
    when: Any
    who: str
    what: str
    opinion: str


def request_trail(request: PaymentRequest) -> list[TrailEntry]:
    """Approval steps and the collective decision of ``request``, in time order (three queries)."""
    ct = ContentType.objects.get_for_model(PaymentRequest)
    steps = ApprovalStep.objects.filter(
        request__subject_type=ct, request__subject_id=request.pk, decided_at__isnull=False
    ).select_related("decided_by", "on_behalf_of", "request")
    out = [
        TrailEntry(
            s.decided_at,
            s.decided_by.display_name if s.decided_by else "",
            f"{s.get_role_display()}{'（代' + s.on_behalf_of.display_name + '）' if s.on_behalf_of else ''} {s.get_decision_display()}",
            s.opinion,
        )
        for s in steps
    ]
    for item in AgendaItem.objects.filter(subject_type=ct, subject_id=request.pk).select_related("meeting"):
        out.append(TrailEntry(item.concluded_at, item.meeting.title, f"集体决策：{item.get_status_display()}", item.title))
    return sorted(out, key=lambda e: (e.when is None, e.when))


def request_approvals(request: PaymentRequest) -> list[ApprovalRequest]:
    ct = ContentType.objects.get_for_model(PaymentRequest)
    return list(ApprovalRequest.objects.filter(subject_type=ct, subject_id=request.pk).order_by("-id"))


def request_refusals(request: PaymentRequest) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="finance.paymentrequest", object_id=str(request.pk), action="finance.payment.refused"
        ).order_by("-seq")
    )


@dataclass(frozen=True)
class ContractPaymentSummary:
    """What has been paid on a contract and what is on its way (all amounts exact)."""

    contract_amount: Decimal
    paid: Decimal
    approved: Decimal
    in_approval: Decimal
    requests: list[PaymentRequest]

    @property
    def paid_ratio(self) -> Decimal | None:
        return self.paid / self.contract_amount if self.contract_amount else None


def contract_payment_summary(contract: Any, *, limit: int = 50) -> ContractPaymentSummary:
    """Paid to date (已支付), approved awaiting the treasury, in approval, and the newest ``limit`` payment requests of
    ``contract`` (two queries)."""
    status = PaymentRequest.Status
    sums = PaymentRequest.objects.filter(contract=contract).aggregate(
        paid=Sum("amount", filter=Q(status=status.PAID)),
        approved=Sum("amount", filter=Q(status=status.APPROVED)),
        in_approval=Sum("amount", filter=Q(status=status.SUBMITTED)),
    )
    requests = list(PaymentRequest.objects.filter(contract=contract).select_related("milestone").order_by("-id")[:limit])
    return ContractPaymentSummary(
        Decimal(contract.amount),
        Decimal(sums["paid"] or 0),
        Decimal(sums["approved"] or 0),
        Decimal(sums["in_approval"] or 0),
        requests,
    )
