"""Fixtures of the performance-evaluation and close tests (imported by the test modules): the lifecycle world
with a project in 绩效评价 (历史项目录入), its funds (2,000,000 元 indicator, 1,800,000 到位), and a helper that
plugs in close-out facts the way the other areas' providers will."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (shared fixtures)

NOTE = "竣工验收至资产移交已线下办理，批复文号临机事〔2026〕9号"


def pdf(name: str = "佐证") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 evidence " + name.encode(), content_type="application/pdf")


@pytest.fixture
def facts() -> Any:
    """``facts(project, **values)``: register providers answering ``values`` (keys with "." spelled "__") for
    ``project``; any provider already registered for a key is put back after the test."""
    from govworks.closeout.selectors import facts as registry

    saved: dict[str, Any] = {}
    answers: dict[str, dict[int, Any]] = {}

    def plug(project: Any, **values: Any) -> None:
        for name, value in values.items():
            key = name.replace("__", ".")
            if key not in answers:
                saved.setdefault(key, registry._providers.get(key))
                registry.unregister_project_fact(key)
                answers[key] = {}
                registry.register_project_fact(key, lambda p, _k=key: answers[_k].get(p.pk))
            answers[key][project.pk] = value

    yield plug
    for key, provider in saved.items():
        registry.unregister_project_fact(key)
        if provider is not None:
            registry.register_project_fact(key, provider)


@pytest.fixture
def ev(lifecycle: Any, make_project: Any) -> Any:  # noqa: F811
    """lifecycle + ``project`` in 绩效评价 with a funding source of 2,000,000 (1,800,000 received, 1,500,000 paid
    is not possible without payments: paid stays 0), approved estimate 2,000,000."""
    from govworks.finance.services.funds import fund_receipt_record, funding_source_create
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.projects.models import Stage
    from govworks.projects.services.projects import project_import_at_stage

    w = lifecycle
    project = make_project("2000000", name="机关办公楼节能改造")
    project.approved_estimate = Decimal("2000000")
    project.save(update_fields=["approved_estimate"])
    w.project = project_import_at_stage(actor=w.pm, project=project, stage=Stage.EVALUATION, note=NOTE)
    w.source = funding_source_create(
        actor=w.finance,
        project=w.project,
        kind="fiscal",
        name="2026年机关办公用房维修改造资金",
        budget_year=dt.date.today().year,
        indicator_number="临财预〔2026〕15号",
        functional_class="2010350 事业运行",
        economic_class="31001 房屋建筑物购建",
        amount=Decimal("2000000"),
    )
    fund_receipt_record(
        actor=w.finance,
        source=w.source,
        received_on=dt.date.today() - dt.timedelta(days=10),
        amount=Decimal("1800000"),
        document_number="临财拨〔2026〕3号",
    )
    w.finance2 = UserFactory(username="wangcw", full_name="王财务", agency=w.city)
    RoleGrantFactory(user=w.finance2, agency=w.city, role="finance")
    return w


def fill_all(actor: Any, evaluation: Any, score: str | None = None) -> None:
    """Score every indicator GovWorks did not measure (full points unless ``score``), with evidence."""
    from govworks.closeout.models import EvaluationIndicator
    from govworks.closeout.services.evaluation import evaluation_indicator_fill

    for row in EvaluationIndicator.objects.filter(evaluation=evaluation).order_by("seq"):
        if row.measured:
            continue
        evaluation_indicator_fill(
            actor=actor,
            indicator=row,
            score=Decimal(score) if score is not None else row.points,
            comment="依据项目资料评分",
            evidence=pdf(row.name),
        )
