"""Reads of contracts: the rule parameters of contract terms and changes (one query), the register with
filters, and one contract with its milestones and its changes each carrying the running ceiling and the
cumulative change ratio, and the approval/decision trail of a contract and its changes (for the printed
summary). Every read costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.money import percent_text
from govworks.core.rule_parameters import parse_value, rule_parameter_pick, rule_value
from govworks.procurement.models import ChangeOrder, Contract, IntegritySignal, PaymentMilestone, Supplier
from govworks.procurement.rules_contracts import ContractParams, lot_estimate_overrun
from govworks.projects.models import AgendaItem, ApprovalRequest
from govworks.projects.permissions import projects_visible_to


def contract_params(agency: Any, *, on: dt.date | None = None) -> ContractParams:
    """The contract rule parameters (and the procurement ones they build on) in force for ``agency`` on
    ``on``, read in one query; a missing key is refused naming it."""
    on = on or timezone.localdate()
    keys = ContractParams.all_keys()
    rows = RuleParameter.objects.filter(key__in=keys, effective_from__lte=on).exclude(effective_to__lt=on)
    by_key: dict[str, list[RuleParameter]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    values: dict[str, object] = {}
    for key in keys:
        best = rule_parameter_pick(by_key.get(key, []), agency)
        if best is None:
            raise DomainError("rule_parameter.missing", f"未配置规则参数 {key}（{on:%Y-%m-%d}），请系统管理员设置后再操作")
        values[key] = parse_value(best.value_type, best.value)
    return ContractParams.from_values(values)


DEFECT_PERIOD_DEFAULT_KEY = "qdep.defect_period_default_months"


def defect_period_default_months(agency: Any, *, on: dt.date | None = None) -> int:
    """The 缺陷责任期 a new contract starts from: rule parameter ``qdep.defect_period_default_months``
    (缺陷责任期（默认）, 12 months, 建质〔2017〕138号第二条) in force for ``agency``."""
    return int(rule_value(DEFECT_PERIOD_DEFAULT_KEY, agency=agency, on=on))


#: the approval a contract above its lot's estimate needs: the higher change chain (重大变更审批)
OVERRUN_APPROVAL_KIND = "procurement.change"


@dataclass(frozen=True)
class OverrunState:
    """A draft contract above its lot's estimate by more than ``contract.lot_estimate_overrun_ratio``: why,
    and its 重大变更审批 request (the latest, None when not yet submitted)."""

    text: str
    approval: ApprovalRequest | None

    @property
    def may_submit(self) -> bool:
        return self.approval is None or self.approval.status == ApprovalRequest.Status.RETURNED


def contract_overrun_state(contract: Contract) -> OverrunState | None:
    """The overrun of ``contract`` over its lot's estimate and its approval, or None within the ratio."""
    params = contract_params(contract.project.agency)
    text = lot_estimate_overrun(
        contract_amount=Decimal(contract.amount),
        lot_estimate=Decimal(contract.lot.estimated_amount),
        max_ratio=params.lot_estimate_overrun_ratio,
    )
    if text is None:
        return None
    approval = (
        ApprovalRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(Contract), subject_id=contract.pk, kind=OVERRUN_APPROVAL_KIND
        )
        .order_by("-id")
        .first()
    )
    return OverrunState(text, approval)


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    return Contract.objects.filter(project__in=projects_visible_to(user))


def contract_list_visible_to(*, user: Any, q: str = "", status: str = "", project: Any = None) -> QuerySet[Contract]:
    qs = contracts_visible_to(user).select_related("project", "supplier", "lot")
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(supplier__name__icontains=q))
    if status in Contract.Status.values:
        qs = qs.filter(status=status)
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("-id")


class ContractRegister:
    """The register for ``Paginator`` (a count and slices), read in two narrow steps: the count and the
    ids of a page are taken from the contract rows alone (newest first), and only the rows of that page
    are then loaded with their project, supplier and lot (one query, the page's ids as a subquery).
    Ordering every visible row with all its joined columns before taking 50 is what made the register
    slow at 50,000 contracts; the ids alone sort in a couple of milliseconds.

    The visibility test is written on ``project_id + 0`` so that no database answers it through the
    ``project_id`` index (visiting each visible contract through that index and fetching its row is what
    made counting and searching slow on SQLite): the database walks the contracts in id order instead,
    stops after a page for the ids, and counts in one sequential pass. The supplier-name search is a
    subquery on the (small) supplier register rather than a join per contract."""

    def __init__(self, *, user: Any, q: str = "", status: str = "", project: Any = None) -> None:
        visible = projects_visible_to(user).values("id")
        qs = Contract.objects.alias(project_key=ExpressionWrapper(F("project_id") + 0, output_field=IntegerField()))
        qs = qs.filter(project_key__in=visible)
        if q:
            # text without letters that have a case (Chinese, digits) is searched case-sensitively: the same
            # rows, but PostgreSQL then compares the columns as they are instead of upper-casing every row
            lookup = "icontains" if q.upper() != q.lower() else "contains"
            suppliers = Supplier.objects.filter(**{f"name__{lookup}": q}).values("id")
            qs = qs.filter(Q(**{f"number__{lookup}": q}) | Q(**{f"title__{lookup}": q}) | Q(supplier_id__in=suppliers))
        if status in Contract.Status.values:
            qs = qs.filter(status=status)
        if project:
            qs = qs.filter(project_id=project)
        self.ids = qs.order_by("-id").values("id")

    def count(self) -> int:
        return self.ids.count()

    def count_queryset(self) -> QuerySet[Any]:
        """What the pager counts (``govworks.core.pages.RegisterPaginator`` estimates it above 10,000 rows)."""
        return self.ids

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, k: slice) -> list[Contract]:
        page = Contract.objects.filter(pk__in=self.ids[k]).select_related("project", "supplier", "lot")
        return list(page.order_by("-id"))


def pct(ratio: Decimal | None) -> str:
    """0.125 → "12.5%"; "—" for no ratio."""
    return "—" if ratio is None else percent_text(Decimal(ratio))


@dataclass(frozen=True)
class ChangeLine:
    change: ChangeOrder
    cumulative: Decimal
    ratio: Decimal
    ceiling: Decimal

    @property
    def percent(self) -> str:
        return pct(self.ratio)


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    milestones: list[PaymentMilestone]
    changes: list[ChangeLine]
    ceiling: Decimal

    @property
    def percents(self) -> dict[str, str]:
        c = self.contract
        return {
            "advance": pct(c.advance_ratio),
            "progress": pct(c.progress_ratio),
            "quality_deposit": pct(c.quality_deposit_ratio),
            **{f"m{m.seq}": pct(m.ratio) for m in self.milestones},
        }


def counted(change: ChangeOrder) -> bool:
    """A change counts towards the cumulative ratio unless it was rejected (drafts not yet submitted do not)."""
    return change.status in (ChangeOrder.Status.SUBMITTED, ChangeOrder.Status.APPROVED)


def contract_view(contract: Contract) -> ContractView:
    """Milestones and changes of ``contract`` (two queries): each change with the cumulative changes and
    ratio after it (changes not rejected, in order) and the ceiling after it (approved changes only)."""
    milestones = list(PaymentMilestone.objects.filter(contract=contract).order_by("seq"))
    changes = list(ChangeOrder.objects.filter(contract=contract).order_by("seq"))
    amount = Decimal(contract.amount)
    cumulative = Decimal(0)
    ceiling = amount
    lines = []
    for change in changes:
        if counted(change):
            cumulative += Decimal(change.amount)
        if change.status == ChangeOrder.Status.APPROVED:
            ceiling += Decimal(change.amount)
        lines.append(ChangeLine(change, cumulative, (cumulative / amount).quantize(Decimal("0.0001")), ceiling))
    return ContractView(contract, milestones, lines, ceiling)


def project_contracts(project: Any) -> list[Contract]:
    return list(Contract.objects.filter(project=project).select_related("supplier").order_by("id"))


@dataclass(frozen=True)
class TrailEntry:
    """One line of the approval/decision trail of a contract or one of its changes."""

    subject: str
    kind: str
    title: str
    status: str
    when: Any
    details: list[str]


def contract_trail(contract: Contract, changes: list[ChangeOrder]) -> list[TrailEntry]:
    """The approvals (with each step's decision) and the collective decisions (三重一大) on ``contract``
    and its ``changes``, oldest first (three queries)."""
    types = ContentType.objects.get_for_models(Contract, ChangeOrder)
    names = {(types[Contract].pk, contract.pk): "合同"}
    names.update({(types[ChangeOrder].pk, ch.pk): str(ch) for ch in changes})
    subjects = Q(subject_type=types[Contract], subject_id=contract.pk)
    if changes:
        subjects |= Q(subject_type=types[ChangeOrder], subject_id__in=[ch.pk for ch in changes])
    entries = []
    approvals = ApprovalRequest.objects.filter(subjects).prefetch_related("steps__decided_by").order_by("submitted_at", "id")
    for req in approvals:
        steps = [
            f"{s.get_role_display()}：{s.get_decision_display() or '待办'}"
            + (
                f"（{s.decided_by.full_name}，{timezone.localtime(s.decided_at):%Y-%m-%d}）"
                if s.decided_by and s.decided_at
                else ""
            )
            + (f" {s.opinion}" if s.opinion else "")
            for s in sorted(req.steps.all(), key=lambda s: s.index)
        ]
        entries.append(
            TrailEntry(
                names.get((req.subject_type_id, req.subject_id), ""),
                f"审批·{req.chain_name}",
                req.title,
                req.get_status_display(),
                req.submitted_at,
                steps,
            )
        )
    for item in AgendaItem.objects.filter(subjects).select_related("meeting").order_by("meeting__held_on", "id"):
        entries.append(
            TrailEntry(
                names.get((item.subject_type_id, item.subject_id), ""),
                f"集体决策·{item.get_category_display()}",
                f"{item.meeting.title}（{item.meeting.held_on:%Y-%m-%d}）议题{item.seq}：{item.title}",
                item.get_status_display(),
                item.concluded_at,
                [item.chair_conclusion] if item.chair_conclusion else [],
            )
        )
    return sorted(entries, key=lambda e: (e.when is None, e.when or timezone.now()))


def contract_integrity_signals(contract: Contract) -> list[IntegritySignal]:
    """The integrity signals that concern ``contract``: those naming it, and those of the tender of its lot
    (one query)."""
    return list(
        IntegritySignal.objects.filter(Q(contracts=contract) | Q(tender__lot_id=contract.lot_id))
        .distinct()
        .order_by("-detected_at", "-id")
    )


def recent_integrity_signals(*, agency_ids: Any, days: int = 30, limit: int = 20) -> list[IntegritySignal]:
    """The newest integrity signals of ``agency_ids`` found in the last ``days`` days (two queries)."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        IntegritySignal.objects.filter(agency_id__in=agency_ids, detected_at__gte=since)
        .select_related("project", "tender")
        .prefetch_related("contracts")
        .order_by("-detected_at", "-id")[:limit]
    )


#: what a signal about bidders says while its tender is still sealed (招标投标法第二十二条: bidder names and
#: their number are kept secret until the opening)
SEALED_SIGNAL_DETAIL = "开标前密封：投标人名称及关联事实于开标后显示"


def integrity_signal_detail(signal: IntegritySignal, *, now: dt.datetime | None = None) -> str:
    """The signal's facts as they may be shown now: sealed while its tender has not been opened."""
    tender = signal.tender
    if tender is not None and (now or timezone.now()) < tender.opening_at:
        return SEALED_SIGNAL_DETAIL
    return signal.detail
