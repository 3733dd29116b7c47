"""Fixtures of the construction tests: the lifecycle world plus a contractor and a supervisor company
with one person each, the agency's liaison, and a project under construction with its site set up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)

SITE = (Decimal("30.245120"), Decimal("120.171230"))


@pytest.fixture
def cw(lifecycle: Any) -> Any:  # noqa: F811
    """lifecycle + supervisor company (杨帆), a second contractor person, the liaison 黄伟, another agency's
    construction contractor (not assigned)."""
    from govworks.org.roles import ExternalKind
    from govworks.org.tests.factories import ExternalOrganizationFactory, RoleGrantFactory, UserFactory

    w = lifecycle
    w.supervisor_org = ExternalOrganizationFactory(
        name="浙临工程监理咨询有限公司", kind=ExternalKind.SUPERVISOR, registered_by=w.city
    )
    w.supervisor = UserFactory(username="yangfan", full_name="杨帆", agency=None, external_org=w.supervisor_org)
    w.liaison = UserFactory(username="huangwei", full_name="黄伟", agency=w.city, department=w.construction)
    RoleGrantFactory(user=w.liaison, agency=w.city, role="liaison")
    w.stranger_org = ExternalOrganizationFactory(name="外地建设有限公司", kind=ExternalKind.CONTRACTOR, registered_by=w.city)
    w.stranger = UserFactory(username="stranger", full_name="外单位人员", agency=None, external_org=w.stranger_org)
    w.contractor_supplier = supplier_of(w, w.contractor_org, category="general_contracting")
    w.supervisor_supplier = supplier_of(w, w.supervisor_org, category="supervision")
    return w


def supplier_of(w: Any, org: Any, *, category: str) -> Any:
    """The supplier record of an external company (same name and credit code, linked), with a bank account."""
    from govworks.procurement.models import SupplierBankAccount
    from govworks.procurement.tests.factories import SupplierFactory

    supplier = SupplierFactory(
        name=org.name, credit_code=org.credit_code, category=category, external_org=org, registered_by=w.city
    )
    SupplierBankAccount.objects.create(
        supplier=supplier, bank_name="中国建设银行临江支行", account_name=org.name,
        account_number=f"3305{supplier.pk:012d}", is_default=True,
    )  # fmt: skip
    return supplier


def sign_contract(w: Any, project: Any, supplier: Any, *, title: str, main: bool, amount: str = "280000") -> Any:
    """A signed contract of ``project`` with ``supplier`` through the procurement services (below the
    collective-decision amount, so no decision is needed): the main construction contract when ``main``."""
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services import lots as lot_services

    today = timezone.localdate()
    lot = lot_services.lot_create(
        actor=w.pm, project=project, name=title, category="works" if main else "services", estimated_amount=Decimal(amount)
    )
    lot = lot_services.lot_choose_method(actor=w.pm, lot=lot, method="open_tender")
    contract = contract_services.contract_create(
        actor=w.pm, lot=lot, supplier=supplier, title=title, amount=Decimal(amount), pricing_type="lump_sum",
        starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=120),
        award_notice_on=today - dt.timedelta(days=5), advance_ratio=Decimal("0.10"), progress_ratio=Decimal("0.80"),
        quality_deposit_ratio=Decimal("0.03") if main else Decimal("0"), defect_period_months=12 if main else 0,
        is_main_construction=main,
    )  # fmt: skip
    return contract_services.contract_sign(actor=w.pm, contract=contract, signed_on=today - dt.timedelta(days=3))


def sign_site_contracts(w: Any, project: Any) -> tuple[Any, Any]:
    """The main construction contract with 马超's company and the supervision contract with 杨帆's."""
    main = sign_contract(w, project, w.contractor_supplier, title="主体施工合同", main=True)
    supervision = sign_contract(w, project, w.supervisor_supplier, title="施工监理服务合同", main=False, amount="30000")
    return main, supervision


@pytest.fixture
def site_project(cw: Any, make_project: Any) -> Any:  # noqa: F811
    """A city project in 施工 with its signed main construction contract (马超's company) and supervision
    contract (杨帆's), its site set up."""
    from govworks.construction.services.schedule import site_configure
    from govworks.projects.services.projects import project_import_at_stage

    project = make_project(amount="1200000", name="档案库房消防系统改造")
    project = project_import_at_stage(
        actor=cw.pm, project=project, stage="construction", note="前期手续已线下办理：临机事〔2025〕8号批复"
    )
    sign_site_contracts(cw, project)
    site_configure(
        actor=cw.pm, project=project, latitude=SITE[0], longitude=SITE[1], radius_m=500, liaison=cw.liaison, leader=cw.leader,
    )  # fmt: skip
    return project


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def one_task(cw: Any, site_project: Any) -> Any:
    """One task of weight 1 planned from 10 days ago to yesterday: its planned progress today is 100%."""
    from govworks.construction.services.schedule import task_create

    return task_create(
        actor=cw.pm,
        project=site_project,
        code="T1",
        name="管网拆改",
        planned_start=days(-10),
        planned_end=days(-1),
        weight=Decimal(1),
    )


def confirm_progress(cw: Any, task: Any, percent: str) -> Any:
    """The contractor reports ``percent`` and the supervisor confirms it (the light re-evaluates)."""
    from govworks.construction.services.schedule import progress_confirm, progress_report

    report = progress_report(actor=cw.contractor, task=task, as_of=days(0), percent=Decimal(percent))
    return progress_confirm(actor=cw.supervisor, report=report, opinion="核实无误")
