"""三重一大 for every object a service demands a decision on (issue 11, item 1): the decision-subject
registry (govworks/core/registry.py), each module's kinds (projects/procurement/finance
``decision_subjects.py``), the agenda page and the agenda API (govworks/projects/views/meetings.py, api.py).

* A contract of at least tzyd.large_fund_min_amount (300,000 元) before signing, a change order whose
  cumulative changes exceed 10 % and a payment request of at least 300,000 元 are offered on the agenda of
  their agency's meeting, grouped by kind with their facts (amount, ratio, supplier, project), and only
  while they await a decision; each goes from refused to done once the meeting, held through the pages,
  passes it. No decision or meeting row is created in code here: every decision is made through the pages.
* An object that does not await a decision is refused by the service naming the rule and the numbers,
  and nothing changes.
* The candidates are scoped to the meeting's agency and to what the user may see (404 otherwise).
* The API lists and adds agenda items through the same selector and service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.registry import DecisionFact, DecisionSubjectFacts, DecisionSubjectKind, decision_subject_kinds
from govworks.finance.models import PaymentRequest
from govworks.finance.services import payments
from govworks.finance.tests.conftest import NOTE, TODAY
from govworks.procurement.models import ChangeOrder, Contract, ProcurementLot, SupplierBankAccount
from govworks.procurement.services import contracts as contract_services
from govworks.procurement.services import lots as lot_services
from govworks.procurement.tests.factories import SupplierFactory
from govworks.projects.models import AgendaItem, ApprovalRequest, Meeting, MeetingMember, Opinion, Stage
from govworks.projects.selectors import meetings as meeting_selectors
from govworks.projects.services import decisions
from govworks.projects.services.approvals import approval_decide

SUPPLIER = "临江建工集团有限公司"


# ------------------------------------------------------------------------------------------ world


@pytest.fixture
def dw(fw: Any, make_project: Any) -> Any:
    """fw (科室负责人 chenzq, 分管领导 zhaolx, 主要领导 sungp, 财务 liujing and wangcw, 工程管理岗 liming) + a
    city project in 合同 (5,000,000 元) with a 财政拨款 source of 5,000,000 元 and a supplier with its account."""
    from govworks.finance.services.funds import funding_source_create
    from govworks.procurement.reference import seed_change_chains
    from govworks.projects.models import ApprovalChainRule
    from govworks.projects.services.projects import project_import_at_stage

    seed_change_chains(ApprovalChainRule)
    project = make_project("5000000", name="市民中心综合改造")
    fw.project = project_import_at_stage(actor=fw.pm, project=project, stage=Stage.CONTRACT, note=NOTE)
    fw.supplier = SupplierFactory(registered_by=fw.city, name=SUPPLIER)
    SupplierBankAccount.objects.create(
        supplier=fw.supplier,
        bank_name="中国建设银行临江支行",
        account_name=SUPPLIER,
        account_number="330500000001",
        is_default=True,
    )
    fw.source = funding_source_create(
        actor=fw.finance,
        project=fw.project,
        kind="fiscal",
        name="2026年机关办公用房维修改造资金",
        budget_year=TODAY.year,
        indicator_number="临财预〔2026〕15号",
        functional_class="2010350 事业运行",
        economic_class="31001 房屋建筑物购建",
        amount=Decimal("5000000"),
    )
    return fw


def draft_contract(dw: Any, amount: str, title: str, *, project: Any = None) -> Contract:
    """A draft works contract (open tender, 20 % advance, 80 % progress, 3 % deposit) — not signed."""
    project = project or dw.project
    lot = lot_services.lot_create(actor=dw.pm, project=project, name=title, category="works", estimated_amount=Decimal(amount))
    lot = lot_services.lot_choose_method(actor=dw.pm, lot=lot, method="open_tender")
    return contract_services.contract_create(
        actor=dw.pm,
        lot=lot,
        supplier=dw.supplier,
        title=title,
        amount=Decimal(amount),
        pricing_type="unit_price",
        starts_on=TODAY - dt.timedelta(days=10),
        ends_on=TODAY + dt.timedelta(days=150),
        award_notice_on=TODAY - dt.timedelta(days=5),
        performance_bond=Decimal(0),
        advance_ratio=Decimal("0.20"),
        progress_ratio=Decimal("0.80"),
        quality_deposit_ratio=Decimal("0.03"),
        defect_period_months=24,
        is_main_construction=False,
        milestones=[
            {"kind": "advance", "ratio": Decimal("0.20"), "condition": "合同签订后"},
            {"kind": "progress", "ratio": Decimal("0.80"), "condition": "按月计量"},
        ],
    )


def text(response: Any) -> str:
    return response.content.decode()


def meeting_by_pages(client: Any, dw: Any, title: str) -> Meeting:
    """李明 (recorder) schedules a 党组会议 chaired by sungp with zhaolx, chenzq and liujing, all present."""
    client.force_login(dw.pm)
    response = client.post(
        reverse("projects:meeting_create"),
        {
            "kind": "party_group",
            "title": title,
            "held_on": timezone.localdate().isoformat(),
            "chair": dw.principal.pk,
            "members": [dw.leader.pk, dw.head.pk, dw.finance.pk],
        },
    )
    assert response.status_code == 302, text(response)
    meeting = Meeting.objects.get(title=title)
    present = [dw.principal.pk, dw.leader.pk, dw.head.pk, dw.finance.pk]
    response = client.post(reverse("projects:meeting_attendance", args=[meeting.pk]), {"present": present})
    assert response.status_code == 302, text(response)
    return meeting


def decide_by_pages(client: Any, dw: Any, value: str, *, title: str) -> AgendaItem:
    """The whole meeting through the pages: scheduled, attended, ``value`` put on the agenda, three members
    agree (recorded by 李明), the chair concludes 通过 last."""
    meeting = meeting_by_pages(client, dw, title)
    response = client.post(reverse("projects:agenda_add", args=[meeting.pk]), {"subject": value})
    assert response.status_code == 302, text(response)
    item = AgendaItem.objects.get(meeting=meeting)
    for member in (dw.leader, dw.head, dw.finance):
        response = client.post(
            reverse("projects:opinion_record", args=[item.pk]), {"member": member.pk, "choice": "agree", "comment": "同意"}
        )
        assert response.status_code == 302, text(response)
    client.force_login(dw.principal)
    response = client.post(reverse("projects:agenda_conclude", args=[item.pk]), {"verdict": "pass", "conclusion": "同意"})
    assert response.status_code == 302, text(response)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PASSED
    return item


def approve_all(dw: Any, subject: Any, kind: str) -> None:
    """Every step of the approval chain of ``subject``, each by the holder of the step's role."""
    people = {
        "department_head": dw.head,
        "finance": dw.finance2,
        "leader_in_charge": dw.leader,
        "principal_leader": dw.principal,
    }
    approval = ApprovalRequest.objects.filter(kind=kind, subject_id=subject.pk).order_by("-id").first()
    assert approval is not None
    while approval.status == ApprovalRequest.Status.PENDING:
        step = approval.steps.get(index=approval.current_index)
        approval = approval_decide(actor=people[step.role], request=approval, approve=True, opinion="同意")


def state() -> Any:
    return (
        list(Meeting.objects.order_by("pk").values_list()),
        list(MeetingMember.objects.order_by("pk").values_list()),
        list(AgendaItem.objects.order_by("pk").values_list()),
        list(Opinion.objects.order_by("pk").values_list()),
        list(Contract.objects.order_by("pk").values_list("pk", "status", "signed_on")),
        list(ChangeOrder.objects.order_by("pk").values_list("pk", "status")),
        list(PaymentRequest.objects.order_by("pk").values_list("pk", "status")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def refused(call: Any, code: str, message: str | None = None, exc: type[Exception] = DomainError) -> None:
    before = state()
    with pytest.raises(exc) as info:
        call()
    assert state() == before, "a refused call changed data"
    if exc is DomainError:
        assert info.value.code == code, info.value.message  # type: ignore[attr-defined]
        if message is not None:
            assert info.value.message == message  # type: ignore[attr-defined]


def offered(client: Any, meeting: Meeting) -> dict[str, list[str]]:
    """The agenda page's candidates as ``{kind key: [values]}`` (from its data attributes)."""
    import re

    page = text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    groups: dict[str, list[str]] = {}
    for kind, body in re.findall(r'data-kind="(\w+)">(.*?)(?=data-testid="subject-group"|\Z)', page, re.S):
        groups[kind] = re.findall(r'data-testid="subject-choice" data-value="([\w:]+)"', body)
    return groups


# ------------------------------------------------------------------------------------------ the registry


def test_every_module_registers_its_kinds():
    assert [(k.key, k.label) for k in decision_subject_kinds()] == [
        ("plan", "年度计划"),
        ("project", "项目立项"),
        ("contract", "合同签订"),
        ("change", "重大变更"),
        ("payment", "大额付款"),
        ("settlement", "超合同价款结算"),
    ]


# ------------------------------------------------------------------------------------------ contracts


def test_contract_at_the_threshold_goes_from_refused_to_signed_through_the_meeting_pages(client, dw):
    """Given a draft contract of exactly 300,000.00 元 and one of 299,999.99 元, when the meeting decides the
    first through the pages, then it can be signed; the second is never offered and is refused."""
    big = draft_contract(dw, "300000.00", "综合楼外立面改造")
    small = draft_contract(dw, "299999.99", "地下车库照明改造")
    refused(lambda: contract_services.contract_sign(actor=dw.pm, contract=big, signed_on=TODAY), "procurement.contract_decision")

    meeting = meeting_by_pages(client, dw, "2026年第3次党组会议")
    assert offered(client, meeting)["contract"] == [f"contract:{big.pk}"]
    page = text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    assert f"合同{big.number}《综合楼外立面改造》签订（300,000.00 元）" in page  # the option, in its 合同签订 group
    assert '<optgroup label="合同签订">' in page
    for fact in ("合同金额", "300,000.00 元", SUPPLIER, f"{dw.project.code} 市民中心综合改造", "公开招标"):
        assert fact in page
    # the one below the threshold: not a choice on the page, refused by the service
    before = state()
    response = client.post(reverse("projects:agenda_add", args=[meeting.pk]), {"subject": f"contract:{small.pk}"})
    assert response.status_code == 400
    assert state() == before
    refused(
        lambda: decisions.agenda_item_add(actor=dw.pm, meeting=meeting, subject=small),
        "agenda.not_awaiting",
        "合同金额 299,999.99 元 未达到三重一大大额资金起点 300,000.00 元，无须集体决策",
    )

    item = decide_by_pages(client, dw, f"contract:{big.pk}", title="2026年第4次党组会议")
    assert (item.subject, item.subject_kind, item.category, item.amount) == (big, "contract", "large_fund", Decimal("300000.00"))
    assert item.title == f"审议合同{big.number}《综合楼外立面改造》签订"
    assert item.subject_facts == [
        ["合同", f"{big.number}《综合楼外立面改造》"],
        ["项目", f"{dw.project.code} 市民中心综合改造"],
        ["供应商", SUPPLIER],
        ["合同金额", "300,000.00 元"],
        ["采购方式", "公开招标"],
    ]
    detail = text(client.get(reverse("projects:meeting_detail", args=[item.meeting_id])))
    assert 'data-testid="subject-facts"' in detail and "300,000.00 元" in detail and SUPPLIER in detail
    assert reverse("procurement:contract_detail", args=[big.pk]) in detail
    signed = contract_services.contract_sign(actor=dw.pm, contract=big, signed_on=TODAY)
    assert signed.status == Contract.Status.SIGNED
    # decided and signed: offered no more, and a signed contract is refused
    client.force_login(dw.pm)
    assert offered(client, meeting)["contract"] == []
    refused(
        lambda: decisions.agenda_item_add(actor=dw.pm, meeting=meeting, subject=signed),
        "agenda.not_awaiting",
        f"合同{signed}已签订，不再需要签订前的集体决策",
    )


# ------------------------------------------------------------------------------------------ change orders


def test_change_above_ten_percent_goes_from_refused_to_approved_through_the_meeting_pages(client, dw):
    """Given two signed 200,000 元 contracts, one with a change of 24,000 元 (12 %) and one of exactly
    20,000 元 (10 %), both submitted, when the meeting decides the first through the pages, then it can be
    finalised; the 10 % one is not offered and is refused naming the rule and both ratios."""
    c1 = contract_services.contract_sign(actor=dw.pm, contract=draft_contract(dw, "200000", "屋面防水"), signed_on=TODAY)
    c2 = contract_services.contract_sign(actor=dw.pm, contract=draft_contract(dw, "200000", "外墙涂料"), signed_on=TODAY)

    def submitted(contract: Contract, amount: str) -> ChangeOrder:
        change = contract_services.change_create(
            actor=dw.pm,
            contract=contract,
            category="design",
            reason="增设屋面检修通道",
            responsibility="owner",
            amount=Decimal(amount),
            supervisor_opinion="情况属实",
            designer_opinion="同意",
        )
        return contract_services.change_submit(actor=dw.pm, change=change)

    big, at_limit = submitted(c1, "24000"), submitted(c2, "20000")
    assert (big.requires_higher_approval, at_limit.requires_higher_approval) == (True, False)
    approve_all(dw, big, contract_services.CHANGE_KIND)
    refused(lambda: contract_services.change_approve_finalize(actor=dw.pm, change=big), "procurement.change_waiting")

    meeting = meeting_by_pages(client, dw, "2026年第5次党组会议")
    assert offered(client, meeting)["change"] == [f"change:{big.pk}"]
    page = text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    for fact in ("累计变更比例（含本次）", "12%", "24,000.00 元", SUPPLIER, f"{c1.number}《屋面防水》，合同金额 200,000.00 元"):
        assert fact in page
    refused(
        lambda: decisions.agenda_item_add(actor=dw.pm, meeting=meeting, subject=at_limit),
        "agenda.not_awaiting",
        f"合同{c2.number} 第1号设计变更累计变更比例 10% 未超过累计变更需重新审批比例 10%，且未超出批复概算，无须集体决策",
    )

    item = decide_by_pages(client, dw, f"change:{big.pk}", title="2026年第6次党组会议")
    assert item.subject_kind == "change"
    assert ["累计变更比例（含本次）", "12%"] in item.subject_facts
    assert ["变更金额", "24,000.00 元"] in item.subject_facts
    detail = text(client.get(reverse("projects:meeting_detail", args=[item.meeting_id])))
    assert "累计变更比例（含本次）" in detail and "12%" in detail and "重大变更" in detail
    assert contract_services.change_approve_finalize(actor=dw.pm, change=big).status == ChangeOrder.Status.APPROVED


# ------------------------------------------------------------------------------------------ payments


def test_payment_at_the_threshold_goes_from_refused_to_approved_through_the_meeting_pages(client, dw):
    """Given a 1,500,000 元 contract (decided and signed through the pages) and an advance of exactly
    300,000 元 submitted and approved by the chain, when the meeting decides it through the pages, then
    财务 can finalise it; a submitted advance of 59,999.80 元 and a draft are refused."""
    contract = draft_contract(dw, "1500000", "主体施工")
    decide_by_pages(client, dw, f"contract:{contract.pk}", title="2026年第7次党组会议")
    contract = contract_services.contract_sign(actor=dw.pm, contract=contract, signed_on=TODAY)
    small_contract = contract_services.contract_sign(
        actor=dw.pm, contract=draft_contract(dw, "299999", "零星维修"), signed_on=TODAY
    )

    def advance(c: Contract, gross: str) -> PaymentRequest:
        return payments.payment_request_create(
            actor=dw.pm,
            milestone=c.milestones.get(kind="advance"),
            source=dw.source,
            gross_amount=Decimal(gross),
            purpose="预付款",
        )

    draft = advance(contract, "300000")
    meeting = meeting_by_pages(client, dw, "2026年第8次党组会议")
    refused(
        lambda: decisions.agenda_item_add(actor=dw.pm, meeting=meeting, subject=draft),
        "agenda.not_awaiting",
        f"付款申请{draft.number}当前为“{draft.get_status_display()}”；提交审批后方可列入议题",
    )
    request = payments.payment_request_submit(actor=dw.pm, request=draft)
    small = payments.payment_request_submit(actor=dw.pm, request=advance(small_contract, "59999.80"))
    assert (request.requires_decision, small.requires_decision) == (True, False)
    approve_all(dw, request, payments.PAYMENT_KIND)
    refused(lambda: payments.payment_request_finalize(actor=dw.finance, request=request), "finance.request_waiting")

    client.force_login(dw.pm)
    assert offered(client, meeting)["payment"] == [f"payment:{request.pk}"]
    page = text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    for fact in ("本次实付", "300,000.00 元", "收款单位", SUPPLIER, f"{contract.number}《主体施工》，合同金额 1,500,000.00 元"):
        assert fact in page
    refused(
        lambda: decisions.agenda_item_add(actor=dw.pm, meeting=meeting, subject=small),
        "agenda.not_awaiting",
        f"付款申请{small.number}实付 59,999.80 元 未达到三重一大大额资金起点 300,000.00 元，无须集体决策",
    )

    item = decide_by_pages(client, dw, f"payment:{request.pk}", title="2026年第9次党组会议")
    assert (item.subject_kind, item.amount) == ("payment", Decimal("300000.00"))
    assert ["收款单位", SUPPLIER] in item.subject_facts
    instruction = payments.payment_request_finalize(actor=dw.finance, request=request)
    request.refresh_from_db()
    assert request.status == PaymentRequest.Status.APPROVED
    assert instruction.request_id == request.pk


# ------------------------------------------------------------------------------------------ scope


def test_candidates_are_scoped_to_the_meeting_agency_and_to_what_the_user_sees(client, dw):
    """Given a 1,000,000 元 draft contract of the city, when a subordinate's or another agency's people look,
    then it is not offered to them, the by-id read is 404 and the service refuses another agency's meeting."""
    contract = draft_contract(dw, "1000000", "综合楼改造")
    city_meeting = meeting_by_pages(client, dw, "市局党组会议")
    groups = meeting_selectors.agenda_subject_groups(meeting=city_meeting, user=dw.pm)
    assert {g.kind.key: [c.value for c in g.choices] for g in groups}["contract"] == [f"contract:{contract.pk}"]
    # another agency's user sees nothing of the city, even asked about the city's meeting
    groups = meeting_selectors.agenda_subject_groups(meeting=city_meeting, user=dw.other_pm)
    assert [c for g in groups for c in g.choices] == []
    with pytest.raises(Http404):
        meeting_selectors.decision_subject_get(user=dw.other_pm, kind_key="contract", pk=contract.pk)
    with pytest.raises(Http404):
        meeting_selectors.decision_subject_get(user=dw.pm, kind_key="no_such_kind", pk=contract.pk)
    client.force_login(dw.other_pm)
    assert client.get(reverse("projects:agenda_add", args=[city_meeting.pk])).status_code == 404
    # the subordinate's meeting is not offered the city's contract, and may not take it
    sub_meeting = decisions.meeting_create(
        actor=dw.sub_pm,
        agency=dw.sub,
        kind="party_group",
        title="后勤中心主任办公会议",
        held_on=TODAY,
        chair=dw.sub_pm,
        members=[_sub_person("sub_a"), _sub_person("sub_b")],
    )
    groups = meeting_selectors.agenda_subject_groups(meeting=sub_meeting, user=dw.sub_pm)
    assert [c for g in groups for c in g.choices] == []
    refused(lambda: decisions.agenda_item_add(actor=dw.sub_pm, meeting=sub_meeting, subject=contract), "agenda.agency")
    # a member who is neither recorder nor chair may not add
    refused(lambda: decisions.agenda_item_add(actor=dw.head, meeting=city_meeting, subject=contract), "", exc=PermissionDenied)


def _sub_person(username: str) -> Any:
    from govworks.org.models import Agency
    from govworks.org.tests.factories import UserFactory

    return UserFactory(username=username, full_name=username, agency=Agency.objects.get(short_name="后勤中心"))


def test_agenda_page_query_count_is_constant(client, dw, count_queries):
    for i in range(2):
        draft_contract(dw, "300000", f"改造{i}")
    meeting = meeting_by_pages(client, dw, "党组会议")
    url = reverse("projects:agenda_add", args=[meeting.pk])
    assert client.get(url).status_code == 200
    small = count_queries(lambda: client.get(url))
    for i in range(2, 12):
        draft_contract(dw, "300000", f"改造{i}")
    assert len(offered(client, meeting)["contract"]) == 12
    large = count_queries(lambda: client.get(url))
    assert large == small, f"{small} queries with 2 contracts, {large} with 12"


def test_a_new_module_kind_appears_on_the_agenda_without_meeting_code(client, dw, monkeypatch):
    """Given a kind registered by some later module (here: procurement lots, for the test), the agenda page
    offers its objects in their own group with their facts, and the service accepts them."""
    from govworks.core import registry

    lot = lot_services.lot_create(
        actor=dw.pm, project=dw.project, name="智能化系统", category="goods", estimated_amount=Decimal("800000")
    )
    kind = DecisionSubjectKind(
        key="lot",
        label="采购标段",
        model=ProcurementLot,
        category=AgendaItem.Category.MAJOR_DECISION,
        candidates=lambda user, agency: ProcurementLot.objects.filter(project__agency_id=agency.pk).select_related("project"),
        problem=lambda obj: "",
        facts=lambda obj: DecisionSubjectFacts(
            title=f"标段{obj.name}", amount=Decimal(obj.estimated_amount), facts=(DecisionFact("估算", "800,000.00 元"),)
        ),
        queryset=lambda: ProcurementLot.objects.select_related("project"),
        visible_to=lambda user: ProcurementLot.objects.all(),
        agency_id=lambda obj: obj.project.agency_id,
        order=99,
    )
    monkeypatch.setitem(registry._decision_subjects, "lot", kind)
    meeting = meeting_by_pages(client, dw, "党组会议")
    page = text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    assert '<optgroup label="采购标段">' in page and "标段智能化系统（800,000.00 元）" in page
    response = client.post(reverse("projects:agenda_add", args=[meeting.pk]), {"subject": f"lot:{lot.pk}"})
    assert response.status_code == 302, text(response)
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.subject, item.subject_kind, item.category, item.subject_facts) == (
        lot,
        "lot",
        "major_decision",
        [["估算", "800,000.00 元"]],
    )


# ------------------------------------------------------------------------------------------ API


API = "/api/projects/meetings/{}/"


def test_api_lists_and_adds_agenda_items_through_the_same_service(client, dw):
    big = draft_contract(dw, "1000000", "综合楼改造")
    small = draft_contract(dw, "100000", "零星维修")
    meeting = meeting_by_pages(client, dw, "党组会议")
    base = API.format(meeting.pk)

    client.force_login(dw.pm)
    subjects = client.get(base + "agenda-subjects/").json()
    assert [(s["value"], s["kind"], s["kind_label"], s["amount"]) for s in subjects] == [
        (f"contract:{big.pk}", "contract", "合同签订", "1000000.00")
    ]
    assert {"label": "供应商", "value": SUPPLIER} in subjects[0]["facts"]

    # refusals change nothing: bad input 400, a contract below the threshold 422, someone else's 404,
    # a member who does not keep the meeting 403
    before = state()
    response = client.post(base + "agenda/", {"subject": "contract"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["subject"] == ["决策事项须写作“类型:编号”，如 contract:12"]
    response = client.post(base + "agenda/", {"subject": f"contract:{small.pk}"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "code": "agenda.not_awaiting",
        "detail": "合同金额 100,000.00 元 未达到三重一大大额资金起点 300,000.00 元，无须集体决策",
        "field": "subject",
    }
    assert client.post(base + "agenda/", {"subject": "contract:999999"}, content_type="application/json").status_code == 404
    client.force_login(dw.head)
    assert client.post(base + "agenda/", {"subject": f"contract:{big.pk}"}, content_type="application/json").status_code == 403
    client.force_login(dw.other_pm)
    assert client.get(base + "agenda/").status_code == 404
    assert client.post(base + "agenda/", {"subject": f"contract:{big.pk}"}, content_type="application/json").status_code == 404
    assert state() == before

    client.force_login(dw.pm)
    response = client.post(base + "agenda/", {"subject": f"contract:{big.pk}"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["seq"], body["subject_kind"], body["subject_kind_label"], body["amount"], body["status"]) == (
        1,
        "contract",
        "合同签订",
        "1000000.00",
        "pending",
    )
    assert body["title"] == f"审议合同{big.number}《综合楼改造》签订"
    assert {"label": "合同金额", "value": "1,000,000.00 元"} in body["subject_facts"]
    assert body["subject_url"] == reverse("procurement:contract_detail", args=[big.pk])
    assert [i["id"] for i in client.get(base + "agenda/").json()] == [body["id"]]
    assert client.get(base + "agenda-subjects/").json() == []  # on the agenda now: offered no more
    response = client.post(base + "agenda/", {"subject": f"contract:{big.pk}"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "agenda.duplicate")


# ------------------------------------------------------------------------------------------ races


@pytest.fixture
def dw_tx(transactional_db: Any, request: Any) -> Any:
    return request.getfixturevalue("dw")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_meetings_taking_up_the_same_contract_at_once_make_one_item(dw_tx: Any) -> None:
    """Two meetings' recorders put the same contract on their agendas at the same moment: the contract's row
    lock serialises them, exactly one item is made and the other is refused as a duplicate."""
    import threading

    from django.db import connection

    dw = dw_tx
    contract = draft_contract(dw, "1000000", "综合楼改造")
    meetings = [
        decisions.meeting_create(
            actor=dw.pm,
            agency=dw.city,
            kind="party_group",
            title=f"党组会议{i}",
            held_on=TODAY,
            chair=dw.principal,
            members=[dw.leader, dw.head, dw.finance],
        )
        for i in range(2)
    ]
    barrier = threading.Barrier(2)
    won: list[int] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def work(meeting: Meeting) -> None:
        try:
            barrier.wait()
            won.append(decisions.agenda_item_add(actor=dw.pm, meeting=meeting, subject=contract).pk)
        except DomainError as err:
            lost.append(err.code)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (len(won), lost) == (1, ["agenda.duplicate"])
    assert AgendaItem.objects.filter(subject_id=contract.pk, subject_kind="contract").count() == 1
