"""Asset handover services: the cards built from the approved final cost, edits and splits, reconciliation to the
cent (refused with the numbers), the using department's confirmation (职责分离), the list filed, the gate and the
``assets.confirmed_on`` fact. Every refusal is checked to have changed nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from govworks.closeout.models import AssetCard, AssetHandover
from govworks.closeout.registrations_final import _asset_gate
from govworks.closeout.selectors import assets as selectors
from govworks.closeout.selectors.facts import project_fact
from govworks.closeout.services import assets as services
from govworks.closeout.services import final_accounts as fa_services
from govworks.closeout.tests import final_fixtures as ff
from govworks.closeout.tests.final_fixtures import approved_final_accounts
from govworks.core.errors import DomainError
from govworks.projects.models import ProjectDocument

pytestmark = pytest.mark.django_db
# the shared fixtures, bound here so pytest finds them
lifecycle, make_project, fw, fin, settled, fa_world = ff.lifecycle, ff.make_project, ff.fw, ff.fin, ff.settled, ff.fa_world
D = Decimal


def snapshot() -> Any:
    return (
        list(AssetHandover.objects.values("id", "status", "confirmed_by_id", "submitted_by_id")),
        list(AssetCard.objects.values_list("id", "seq", "name", "class_code", "value", "quantity")),
    )


def refused(call: Any, *fragments: str, exc: type[Exception] = DomainError) -> str:
    before = snapshot()
    with pytest.raises(exc) as err:
        call()
    assert snapshot() == before
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.fixture
def handed(fa_world: Any) -> Any:
    w = fa_world
    w.fa = approved_final_accounts(w)
    w.handover = services.asset_handover_start(actor=w.finance, project=w.project, using_department=w.office)
    return w


def test_start_refused_before_the_final_accounts_are_approved(fa_world: Any) -> None:
    w = fa_world
    refused(
        lambda: services.asset_handover_start(actor=w.finance, project=w.project, using_department=w.office), "竣工财务决算批准后"
    )
    fa = fa_services.final_accounts_start(actor=w.finance, project=w.project)
    assert fa.pk
    refused(
        lambda: services.asset_handover_start(actor=w.finance, project=w.project, using_department=w.office), "竣工财务决算批准后"
    )
    refused(
        lambda: services.asset_handover_start(actor=w.auditor, project=w.project, using_department=w.office),
        "编制交付使用资产清单",
        exc=PermissionDenied,
    )


def test_cards_built_one_per_cost_line_at_the_approved_amounts(handed: Any) -> None:
    w = handed
    cards = list(AssetCard.objects.filter(handover=w.handover).order_by("seq"))
    assert [(c.seq, c.value, c.class_code, c.custodian_department_id) for c in cards] == [
        (1, D("950000"), "1020000", w.office.pk),
        (2, D("50000"), "1020000", w.office.pk),
    ]
    assert selectors.handover_view(w.project).problems == []
    refused(
        lambda: services.asset_handover_start(actor=w.finance, project=w.project, using_department=w.office),
        "已有交付使用资产清单",
    )


def test_update_and_split_with_exact_values(handed: Any) -> None:
    w = handed
    card = AssetCard.objects.get(handover=w.handover, seq=1)
    refused(lambda: services.asset_card_update(actor=w.finance, card=card, class_code="9999999"), "不在 GB/T 14885 分类代码表中")
    refused(lambda: services.asset_card_update(actor=w.finance, card=card, value=D("1")), "只能通过拆分调整")
    services.asset_card_update(actor=w.finance, card=card, name="综合楼", unit="幢", location="市级机关大院3号")
    parts = [
        {"name": "综合楼", "class_code": "1020000", "value": D("800000")},
        {"name": "电梯", "class_code": "2100000", "value": D("149999.99"), "unit": "台", "quantity": D("2")},
    ]
    refused(
        lambda: services.asset_card_split(actor=w.finance, card=card, parts=parts), "原卡片价值 950,000.00 元", "相差 0.01 元"
    )
    parts[1]["value"] = D("150000")
    made = services.asset_card_split(actor=w.finance, card=card, parts=parts)
    assert [(c.seq, c.name, c.value, c.unit) for c in made] == [(1, "综合楼", D("800000"), "幢"), (3, "电梯", D("150000"), "台")]
    assert selectors.handover_view(w.project).problems == []


def test_submit_refused_with_the_numbers_when_a_cent_is_off(handed: Any) -> None:
    w = handed
    AssetCard.objects.filter(handover=w.handover, seq=2).update(value=D("49999.99"))  # a drifted card (e.g. an import)
    refused(
        lambda: services.asset_handover_submit(actor=w.finance, handover=w.handover),
        "决算总投资 1,000,000.00 元，资产卡片合计 999,999.99 元，相差 0.01 元",
        "决算金额 50,000.00 元",
    )
    AssetCard.objects.filter(handover=w.handover, seq=2).update(value=D("50000"))
    services.asset_handover_submit(actor=w.finance, handover=w.handover)
    refused(
        lambda: services.asset_card_update(actor=w.finance, card=AssetCard.objects.get(handover=w.handover, seq=1), name="x"),
        "不能再修改",
    )


def test_confirmation_by_the_using_department_not_the_preparer(handed: Any) -> None:
    from govworks.org.tests.factories import RoleGrantFactory

    w = handed
    services.asset_handover_submit(actor=w.finance, handover=w.handover)
    refused(
        lambda: services.asset_handover_confirm(actor=w.pm, handover=w.handover, accept=True),
        "须由使用部门（办公室）人员确认接收",
    )
    w.finance.department = w.office  # the preparer moves into the using department: still refused
    w.finance.save()
    RoleGrantFactory(user=w.finance, agency=w.city, role="project_manager")
    refused(lambda: services.asset_handover_confirm(actor=w.finance, handover=w.handover, accept=True), "职责分离")
    refused(lambda: services.asset_handover_confirm(actor=w.clerk, handover=w.handover, accept=False, note=""), "退回须填写理由")
    assert project_fact("assets.confirmed_on", w.project) is None
    services.asset_handover_confirm(actor=w.clerk, handover=w.handover, accept=True, note="核对无误")
    w.handover.refresh_from_db()
    assert (w.handover.status, w.handover.confirmed_by_id) == ("confirmed", w.clerk.pk)
    assert project_fact("assets.confirmed_on", w.project) == timezone.localdate()
    gate = {c.code: c.ok for c in _asset_gate(w.project)}
    assert gate == {"closeout:assets_confirmed": True, "closeout:assets_filed": False}
    services.asset_list_file(actor=w.finance, handover=w.handover)
    assert ProjectDocument.objects.filter(project=w.project, doc_type__code="asset_handover_list", latest_number=1).exists()
    assert all(c.ok for c in _asset_gate(w.project))


def test_return_reopens_the_list(handed: Any) -> None:
    w = handed
    services.asset_handover_submit(actor=w.finance, handover=w.handover)
    services.asset_handover_confirm(actor=w.clerk, handover=w.handover, accept=False, note="电梯应单独建卡")
    w.handover.refresh_from_db()
    assert w.handover.status == "draft" and w.handover.confirm_note == "电梯应单独建卡"
    refused(lambda: services.asset_list_file(actor=w.finance, handover=w.handover), "确认接收后方可归档")


def test_workbench_asks_the_using_department_to_confirm(handed: Any) -> None:
    from govworks.closeout.registrations_final import _asset_items

    w = handed
    assert [i for i in _asset_items(w.clerk) if "待确认接收" in i.title] == []
    services.asset_handover_submit(actor=w.finance, handover=w.handover)
    [item] = [i for i in _asset_items(w.clerk) if "待确认接收" in i.title]
    assert item.due is not None and item.kind == "资产移交"
    assert [i for i in _asset_items(w.finance) if "待确认接收" in i.title] == []
