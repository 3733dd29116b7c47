"""Fixtures of the final-accounts and asset-handover tests (imported by the test modules).

``fa_world``: the finance world (``fin``: project 5,000,000 估算, main contract 1,000,000 元 signed, a 财政拨款 source
of 2,000,000 元) moved on to 竣工决算 with 批复概算 1,200,000 元, completion recorded today, 1,100,000 元 received, the
contract's settlement approved at 950,000 元 (test provider), the 决算 chain seeded, a second 财务 and a 使用部门
(办公室) with its clerk 周婷."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govworks.finance.tests.conftest import fin, fw, settled  # noqa: F401  (shared fixtures)
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (shared fixtures)

TODAY = dt.date.today()


def pdf(name: str = "doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test " + name.encode(), content_type="application/pdf")


def move_to(project: Any, stage: str, *, actor: Any, completion: dt.datetime | None = None) -> Any:
    """Test shortcut: put ``project`` in ``stage`` with its completion (leaving 竣工验收) recorded at ``completion``."""
    from django.utils import timezone

    from govworks.projects.models import Project, StageTransition

    Project.objects.filter(pk=project.pk).update(stage=stage, stage_entered_on=TODAY)
    row = StageTransition.objects.create(project=project, from_stage="acceptance", to_stage="settlement", actor=actor)
    StageTransition.objects.filter(pk=row.pk).update(at=completion or timezone.now())
    project.refresh_from_db()
    return project


@pytest.fixture
def fa_world(fin: Any, settled: Any) -> Any:  # noqa: F811
    from govworks.closeout.reference_final import seed_final_accounts_chains
    from govworks.finance.services.funds import fund_receipt_record
    from govworks.org.tests.factories import DepartmentFactory, RoleGrantFactory, UserFactory
    from govworks.projects.models import ApprovalChainRule, Project, Stage

    seed_final_accounts_chains(ApprovalChainRule)
    w = fin
    fund_receipt_record(
        actor=w.finance, source=w.source, received_on=TODAY, amount=Decimal("1100000"), document_number="临财拨〔2026〕7号"
    )
    Project.objects.filter(pk=w.project.pk).update(approved_estimate=Decimal("1200000"))
    w.project = move_to(w.project, Stage.FINAL_ACCOUNTS, actor=w.pm)
    settled(w.contract, "950000")
    w.settled = settled
    w.office = DepartmentFactory(agency=w.city, name="办公室")
    w.clerk = UserFactory(username="zhouting", full_name="周婷", agency=w.city, department=w.office)
    RoleGrantFactory(user=w.clerk, agency=w.city, role="project_manager")
    return w


def complete_documents(w: Any, fa: Any) -> None:
    from govworks.closeout import rules_final_accounts as rules
    from govworks.closeout.services import final_accounts as services

    for code, _name in rules.DOCUMENT_CHECKLIST:
        if code == "estimate_adjustment":
            services.document_record(actor=w.finance, fa=fa, code=code, missing_reason="本项目无概算调整")
        else:
            services.document_record(actor=w.finance, fa=fa, code=code, file=pdf(code))


def approve_chain(w: Any, request: Any) -> Any:
    from govworks.projects.services.approvals import approval_decide

    for person in (w.auditor, w.leader, w.principal):
        request = approval_decide(actor=person, request=request, approve=True, opinion="同意")
    return request


def approved_final_accounts(w: Any, *, other: str = "50000") -> Any:
    """Start, add one other cost, complete the checklist, submit and approve through the chain."""
    from govworks.closeout.services import final_accounts as services

    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    services.other_cost_add(
        actor=w.finance,
        fa=fa,
        category="supervision",
        label="工程监理服务",
        amount=Decimal(other),
        basis="监理合同JL-2026-01，发票00012345",
        evidence=pdf("invoice"),
    )
    complete_documents(w, fa)
    request = services.final_accounts_submit(actor=w.finance, fa=fa)
    approve_chain(w, request)
    fa.refresh_from_db()
    return fa
