"""Fixtures of the finance tests: the lifecycle world (科室负责人, 主要领导, 财务) with a project in 合同 stage,
its signed main construction contract (1,000,000 元, 20% advance, 80% progress, 3% deposit) paying to
the supplier's account, a 财政拨款 source of 2,000,000 元 and the payment approval chains."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from govworks.projects.tests.conftest import decide_through_meeting, lifecycle, make_project  # noqa: F401  (shared fixtures)

NOTE = "前期手续已线下办理，批复文号临机事〔2026〕9号"
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _forget_workbench_cache() -> Any:
    """The workbench's cached "who has items" sets must not outlive a test's rolled-back rows."""
    from django.core.cache import cache

    from govworks.finance.navigation import LABOUR_PENDING_AGENCIES, WAGE_ALERT_OWNERS

    cache.delete_many([LABOUR_PENDING_AGENCIES, WAGE_ALERT_OWNERS])
    yield
    cache.delete_many([LABOUR_PENDING_AGENCIES, WAGE_ALERT_OWNERS])


def pass_decision(world: Any, subject: Any) -> Any:
    from govworks.projects.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(
        agency=world.city,
        kind=Meeting.Kind.PARTY_GROUP,
        title="局党组会议",
        held_on=TODAY,
        chair=world.leader,
        quorum_ratio=Decimal("0.6667"),
        organizer=world.leader,
    )
    return AgendaItem.objects.create(
        meeting=meeting,
        seq=1,
        title=f"审议{subject}",
        category=AgendaItem.Category.LARGE_FUND,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        status=AgendaItem.Status.PASSED,
        concluded_at=timezone.now(),
    )


@pytest.fixture
def fw(lifecycle: Any) -> Any:  # noqa: F811
    """lifecycle + a second 财务 (finance2) and the payment chains."""
    from govworks.finance.reference import seed_payment_chains
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.projects.models import ApprovalChainRule

    seed_payment_chains(ApprovalChainRule)
    lifecycle.finance2 = UserFactory(username="wangcw", full_name="王财务", agency=lifecycle.city)
    RoleGrantFactory(user=lifecycle.finance2, agency=lifecycle.city, role="finance")
    return lifecycle


def make_contract(
    world: Any,
    project: Any,
    *,
    amount: str = "1000000",
    supplier: Any = None,
    title: str = "主体施工合同",
    signed_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    **kw: Any,
) -> Any:
    from govworks.procurement.decision_subjects import contract_problem
    from govworks.procurement.models import SupplierBankAccount
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services import lots as lot_services
    from govworks.procurement.tests.factories import SupplierFactory

    supplier = supplier or SupplierFactory(registered_by=world.city)
    if not supplier.bank_accounts.exists():
        SupplierBankAccount.objects.create(
            supplier=supplier,
            bank_name="中国建设银行临江支行",
            account_name=supplier.name,
            account_number=f"3305{supplier.pk:012d}",
            is_default=True,
        )
    lot = lot_services.lot_create(actor=world.pm, project=project, name=title, category="works", estimated_amount=Decimal(amount))
    lot = lot_services.lot_choose_method(actor=world.pm, lot=lot, method="open_tender")
    terms = {
        "advance_ratio": Decimal("0.20"),
        "progress_ratio": Decimal("0.80"),
        "quality_deposit_ratio": Decimal("0.03"),
        "defect_period_months": 24,
        "performance_bond": Decimal(0),
        "award_notice_on": TODAY - dt.timedelta(days=5),
        "is_main_construction": True,
    }
    terms.update(kw)
    contract = contract_services.contract_create(
        actor=world.pm,
        lot=lot,
        supplier=supplier,
        title=title,
        amount=Decimal(amount),
        pricing_type="unit_price",
        starts_on=TODAY - dt.timedelta(days=60),
        ends_on=ends_on or TODAY + dt.timedelta(days=150),
        milestones=[
            {"kind": "advance", "ratio": terms["advance_ratio"], "condition": "合同签订后"},
            {"kind": "progress", "ratio": terms["progress_ratio"], "condition": "按月计量"},
            {"kind": "settlement", "condition": "结算审计后"},
            {"kind": "retention_return", "ratio": terms["quality_deposit_ratio"], "condition": "缺陷责任期满"},
        ],
        **terms,
    )
    if not contract_problem(contract):  # at or above 三重一大大额资金起点: decided at a meeting before signing
        decide_through_meeting(
            recorder=world.pm, chair=world.principal, members=[world.leader, world.head, world.finance], subject=contract
        )
    return contract_services.contract_sign(actor=world.pm, contract=contract, signed_on=signed_on or TODAY - dt.timedelta(days=3))


@pytest.fixture
def fin(fw: Any, make_project: Any) -> Any:  # noqa: F811
    """fw + ``project`` (合同 stage), ``contract`` (signed, 1,000,000 元) and ``source`` (2,000,000 元)."""
    from govworks.finance.services.funds import funding_source_create
    from govworks.projects.models import Stage
    from govworks.projects.services.projects import project_import_at_stage

    project = make_project("5000000", name="市民中心综合改造")
    project = project_import_at_stage(actor=fw.pm, project=project, stage=Stage.CONTRACT, note=NOTE)
    fw.project = project
    fw.contract = make_contract(fw, project)
    fw.source = funding_source_create(
        actor=fw.finance,
        project=project,
        kind="fiscal",
        name="2026年机关办公用房维修改造资金",
        budget_year=TODAY.year,
        indicator_number="临财预〔2026〕15号",
        functional_class="2010350 事业运行",
        economic_class="31001 房屋建筑物购建",
        amount=Decimal("2000000"),
    )
    return fw


def milestone(contract: Any, kind: str) -> Any:
    return contract.milestones.get(kind=kind)


@pytest.fixture
def settled() -> Any:
    """Plug in a settlement provider, as the close-out module will: ``settled(contract, amount)`` records the
    contract's acceptance as passed and its settlement approved at ``amount`` (审定金额); removed after the test."""
    from govworks.finance import rules
    from govworks.finance.selectors.settlements import register_settlement_provider, unregister_settlement_provider

    approved: dict[int, rules.SettlementState] = {}

    def provider(contract: Any) -> rules.SettlementState | None:
        return approved.get(contract.pk)

    def settle(contract: Any, amount: str, *, acceptance_passed: bool = True, reference: str = "临审结〔2026〕3号") -> None:
        approved[contract.pk] = rules.SettlementState(
            acceptance_passed=acceptance_passed, approved_amount=Decimal(amount), reference=reference
        )

    register_settlement_provider(provider)
    yield settle
    unregister_settlement_provider(provider)
