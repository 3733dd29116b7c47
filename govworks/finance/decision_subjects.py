"""The finance module's 三重一大 subject (registered from ``FinanceConfig.ready``): ``payment`` — a
submitted payment request whose net amount reaches ``tzyd.large_fund_min_amount`` (大额资金使用), which
``services.payments.payment_request_finalize`` refuses until a collective decision on it passed.

The kind gives the meeting its candidates (from ``payment_requests_visible_to``, one query), why a request
does not await a decision, and the facts shown on the agenda (amount, kind, payee, contract, project)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from govworks.core.money import yuan_text
from govworks.core.registry import DecisionFact, DecisionSubjectFacts, DecisionSubjectKind, register_decision_subject
from govworks.finance.models import PaymentRequest
from govworks.finance.permissions import payment_requests_visible_to
from govworks.finance.services.payments import payment_params
from govworks.projects.models import AgendaItem

THRESHOLD_NAME = "三重一大大额资金起点"


def _requests(qs: QuerySet[PaymentRequest]) -> QuerySet[PaymentRequest]:
    return qs.select_related("project", "project__agency", "contract", "contract__supplier")


def payment_candidates(user: Any, agency: Any) -> QuerySet[PaymentRequest]:
    """The agency's submitted payment requests ``user`` may see that need a collective decision."""
    qs = payment_requests_visible_to(user).filter(
        project__agency_id=agency.pk, status=PaymentRequest.Status.SUBMITTED, requires_decision=True
    )
    return _requests(qs).order_by("project__code", "number")


def payment_problem(request: PaymentRequest) -> str:
    """A request awaits the decision once submitted, when its net amount reached the threshold then."""
    if request.status != PaymentRequest.Status.SUBMITTED:
        return f"付款申请{request.number}当前为“{request.get_status_display()}”；提交审批后方可列入议题"
    if not request.requires_decision:
        threshold = Decimal(payment_params(request.project.agency).large_fund_min_amount)
        return (
            f"付款申请{request.number}实付 {yuan_text(Decimal(request.amount))} 未达到{THRESHOLD_NAME} "
            f"{yuan_text(threshold)}，无须集体决策"
        )
    return ""


def payment_facts(request: PaymentRequest) -> DecisionSubjectFacts:
    """申请编号与款项、项目、合同、收款单位、本期应付与本次实付."""
    contract = request.contract
    return DecisionSubjectFacts(
        title=f"付款申请{request.number}（{request.kind_label()}）",
        amount=Decimal(request.amount),
        facts=(
            DecisionFact("付款申请", f"{request.number}（{request.kind_label()}）：{request.purpose}"),
            DecisionFact("项目", f"{request.project.code} {request.project.name}"),
            DecisionFact("合同", f"{contract.number}《{contract.title}》，合同金额 {yuan_text(Decimal(contract.amount))}"),
            DecisionFact("收款单位", contract.supplier.name),
            DecisionFact("本期应付", yuan_text(Decimal(request.gross_amount))),
            DecisionFact("本次实付", yuan_text(Decimal(request.amount))),
        ),
        url=reverse("finance:request_detail", args=[request.pk]),
    )


PAYMENT = DecisionSubjectKind(
    key="payment",
    label="大额付款",
    model=PaymentRequest,
    category=AgendaItem.Category.LARGE_FUND,
    candidates=payment_candidates,
    problem=payment_problem,
    facts=payment_facts,
    queryset=lambda: _requests(PaymentRequest.objects.all()),
    visible_to=payment_requests_visible_to,
    agency_id=lambda request: int(request.project.agency_id),
    project=lambda request: request.project,
    order=50,
)


def register() -> None:
    """Called from ``FinanceConfig.ready``."""
    register_decision_subject(PAYMENT)
