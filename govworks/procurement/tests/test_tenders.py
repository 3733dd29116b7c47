"""Tender record (issue 4 item 3): periods and bond checked, bids sealed until the opening time for
everybody (administrators included), opening, a reproducible conflict-free evaluation panel, scores and
a ranking equal to an independent calculation, publicity, award (refused and recorded for a black-listed
supplier), the 招标采购 gate, constant queries on the tender page."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.procurement.models import Award, Bid, EvaluationPanel, EvaluationScore, ProcurementLot, Tender, bid_amount_seal
from govworks.procurement.services import lots as lot_services
from govworks.procurement.services import tenders as services
from govworks.procurement.services.suppliers import AWARD_REFUSED_ACTION
from govworks.procurement.tests.factories import ListingFactory, SupplierFactory
from govworks.projects.models import Expert, Stage
from govworks.projects.services.projects import gate_conditions

TODAY = timezone.localdate()
AMOUNTS = (Decimal("987654.32"), Decimal("876543.21"))
CRITERIA = [
    {"code": "price", "name": "价格", "weight": 30, "kind": "price"},
    {"code": "tech", "name": "技术方案", "weight": 50, "kind": "technical"},
    {"code": "biz", "name": "商务", "weight": 20, "kind": "commercial"},
]


@pytest.fixture
def tw(world: Any) -> Any:
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.projects.models import ApprovalChainRule, DocumentType, ResponsibilityTemplate
    from govworks.projects.reference import seed_reference

    seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)

    def person(username: str, role: str) -> Any:
        user = UserFactory(username=username, full_name=username, agency=world.city)
        RoleGrantFactory(user=user, agency=world.city, role=role)
        return user

    world.head = person("chenzq", "department_head")
    world.internal_audit = person("neishen", "internal_audit")
    return world


@pytest.fixture
def lot(tw: Any) -> ProcurementLot:
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    project = project_create_outside_plan(
        actor=tw.pm,
        agency=tw.city,
        manager=tw.pm,
        department=tw.construction,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="市民中心综合改造",
        project_type="repair",
        location="市民中心",
        estimate_amount=Decimal("5000000"),
        funding_source="fiscal",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=180),
    )
    project = project_import_at_stage(
        actor=tw.pm, project=project, stage=Stage.PROCUREMENT, note="前期手续已线下办理，批复文号临机事〔2026〕9号"
    )
    row = lot_services.lot_create(
        actor=tw.pm, project=project, name="主体施工", category="works", estimated_amount=Decimal("1000000")
    )
    return lot_services.lot_choose_method(actor=tw.pm, lot=row, method="open_tender")


def announce(tw: Any, lot: ProcurementLot, method: str = "comprehensive", **kw: Any) -> Tender:
    now = timezone.now()
    args: dict[str, Any] = {
        "announced_on": TODAY - dt.timedelta(days=31),
        "documents_issued_on": TODAY - dt.timedelta(days=30),
        "bid_deadline": now + dt.timedelta(hours=1),
        "opening_at": now + dt.timedelta(hours=2),
        "evaluation_method": method,
        "speciality": "structure",
        "criteria": CRITERIA if method == "comprehensive" else [],
    }
    args.update(kw)
    return services.tender_announce(actor=tw.pm, lot=lot, **args)


def unseal(tender: Tender) -> Tender:
    """Time passes: the deadline and the opening time are now in the past."""
    past = timezone.now() - dt.timedelta(minutes=1)
    Tender.objects.filter(pk=tender.pk).update(bid_deadline=past - dt.timedelta(minutes=1), opening_at=past)
    return Tender.objects.select_related("lot__project__agency").get(pk=tender.pk)


def expert(name: str, **kw: Any) -> Expert:
    conflict_orgs = kw.pop("conflict_orgs", ())
    kw.setdefault("employer", "某单位")
    row = Expert.objects.create(name=name, speciality="structure", title="高级工程师", **kw)
    row.conflict_orgs.set(conflict_orgs)
    return row


@pytest.fixture
def bidding(tw: Any, lot: ProcurementLot) -> Any:
    """An announced comprehensive tender with two bids; the first by the contractor's company."""
    tender = announce(tw, lot)
    own = SupplierFactory(name="临江建工集团有限公司", registered_by=tw.city, external_org=tw.contractor_org)
    rival = SupplierFactory(name="临江二建有限公司", registered_by=tw.city)
    bids = [
        services.bid_record(actor=tw.pm, tender=tender, supplier=s, amount=a, bond_amount=Decimal("20000"))
        for s, a in zip((own, rival), AMOUNTS, strict=True)
    ]
    return tender, bids


def shown(response: Any) -> bool:
    body = response.content.decode()
    return any(text in body for a in AMOUNTS for text in (str(a), f"{a:,.2f}"))


# ------------------------------------------------------------------------------------------ announcement, bids


def test_announce_refuses_short_period_and_bad_weights(tw: Any, lot: ProcurementLot) -> None:
    with pytest.raises(DomainError) as err:
        announce(tw, lot, documents_issued_on=TODAY - dt.timedelta(days=3))
    assert err.value.code == "procurement.tender.period"
    bad = [dict(c) for c in CRITERIA]
    bad[1]["weight"] = 40
    with pytest.raises(DomainError) as err:
        announce(tw, lot, criteria=bad)
    assert err.value.code == "procurement.tender.weights"
    assert not Tender.objects.exists()


def test_announce_refused_for_non_tender_method(tw: Any, lot: ProcurementLot) -> None:
    ProcurementLot.objects.filter(pk=lot.pk).update(method="inquiry")
    lot.refresh_from_db()
    with pytest.raises(DomainError) as err:
        announce(tw, lot)
    assert err.value.code == "procurement.tender.method"


def test_bid_bond_cap_and_deadline(tw: Any, lot: ProcurementLot) -> None:
    tender = announce(tw, lot)
    supplier = SupplierFactory(registered_by=tw.city)
    with pytest.raises(DomainError) as err:  # 2% of 1,000,000 = 20,000
        services.bid_record(
            actor=tw.pm, tender=tender, supplier=supplier, amount=Decimal("900000"), bond_amount=Decimal("20000.01")
        )
    assert err.value.code == "procurement.bid.bond"
    services.bid_record(actor=tw.pm, tender=tender, supplier=supplier, amount=Decimal("900000"), bond_amount=Decimal("20000"))
    tender = unseal(tender)
    with pytest.raises(DomainError) as err:
        services.bid_record(
            actor=tw.pm,
            tender=tender,
            supplier=SupplierFactory(registered_by=tw.city),
            amount=Decimal("1"),
            bond_amount=Decimal("0"),
        )
    assert err.value.code == "procurement.bid.late"
    assert Bid.objects.count() == 1


def test_open_refused_before_opening_time(tw: Any, bidding: Any) -> None:
    tender, _ = bidding
    with pytest.raises(DomainError) as err:
        services.tender_open(actor=tw.pm, tender=tender)
    assert err.value.code == "procurement.tender.not_yet"
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.ANNOUNCED


def test_outsiders_cannot_announce_or_bid(tw: Any, lot: ProcurementLot, bidding: Any) -> None:
    from django.core.exceptions import PermissionDenied

    tender, _ = bidding
    for actor in (tw.other_pm, tw.sysadmin, tw.discipline, tw.leader):
        with pytest.raises(PermissionDenied):
            services.bid_record(
                actor=actor,
                tender=tender,
                supplier=SupplierFactory(registered_by=tw.city),
                amount=Decimal("1"),
                bond_amount=Decimal(0),
            )
    assert Bid.objects.count() == 2


# ------------------------------------------------------------------------------------------ sealed bids


def test_nobody_sees_an_amount_before_opening(client: Client, tw: Any, bidding: Any) -> None:
    tender, _ = bidding
    actors = {
        "anonymous": None,
        "other_agency": tw.other_pm,
        "other_admin": tw.other_sysadmin,
        "project_manager": tw.pm,
        "head": tw.head,
        "leader": tw.leader,
        "discipline": tw.discipline,
        "internal_audit": tw.internal_audit,
        "system_admin": tw.sysadmin,
        "security_admin": tw.secadmin,
        "audit_admin": tw.auditadmin,
        "bidder_external_user": tw.contractor,
    }
    urls = [
        reverse("procurement:tender_detail", args=[tender.pk]),
        reverse("procurement:tender_bids_json", args=[tender.pk]),
        reverse("projects:project_detail", args=[tender.lot.project_id]),
    ]
    for name, user in actors.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert not shown(response), f"{name} saw a bid amount at {url}"
    client.force_login(tw.pm)
    page = client.get(urls[0])
    assert page.status_code == 200 and "密封" in page.content.decode()
    data = client.get(urls[1]).json()
    assert data["sealed"] and all(b["amount"] is None for b in data["bids"])


def test_amounts_shown_after_opening_to_the_agency(client: Client, tw: Any, bidding: Any) -> None:
    tender, _ = bidding
    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender, witnesses="纪检监察 吴海燕")
    url = reverse("procurement:tender_detail", args=[tender.pk])
    for user in (tw.pm, tw.head, tw.leader, tw.discipline):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and shown(response)
    for user in (tw.other_pm, tw.contractor):
        client.force_login(user)
        assert not shown(client.get(url))


def test_selector_hides_amount_before_opening(bidding: Any) -> None:
    from govworks.procurement.selectors.tenders import bid_amount, bid_rows

    tender, bids = bidding
    assert bid_amount(bids[0]) is None
    assert all(r.amount is None for r in bid_rows(tender))
    assert "987654" not in repr(bids[0]) and "987654" not in str(bids[0])
    assert bid_amount(bids[0], now=tender.opening_at) == AMOUNTS[0]


# ------------------------------------------------------------------------------------------ panel, scores, ranking


def test_panel_draw_is_reproducible_and_conflict_free(tw: Any, bidding: Any) -> None:
    tender, _ = bidding
    own_agency = expert("本局专家", employer_agency=tw.city)
    bidder_staff = expert("投标人员工", employer_org=tw.contractor_org)
    tied = expert("利害关系人", conflict_orgs=[tw.contractor_org])
    others = [expert(f"专家{i:02d}") for i in range(7)]
    panel = services.panel_draw(actor=tw.pm, tender=tender, panel_size=5)
    assert services.panel_replay(panel) == panel.panel
    assert not {own_agency.pk, bidder_staff.pk, tied.pk} & set(panel.panel)
    assert set(panel.excluded_snapshot) == {own_agency.pk, bidder_staff.pk, tied.pk}
    assert set(panel.panel) <= {e.pk for e in others}
    with pytest.raises(DomainError):
        services.panel_draw(actor=tw.pm, tender=tender, panel_size=5)


def test_panel_refused_when_pool_too_small(tw: Any, bidding: Any) -> None:
    tender, _ = bidding
    expert("专家A")
    with pytest.raises(DomainError) as err:
        services.panel_draw(actor=tw.pm, tender=tender, panel_size=3)
    assert err.value.code == "procurement.panel.pool_too_small"


def _round2(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def independent_ranking(tender: Tender) -> list[int]:
    """The ranking recomputed here, from the stored bids and scores, without rules_methods."""
    bids = list(Bid.objects.filter(tender=tender))
    low = min(b.amount for b in bids)
    price_weight = next(Fraction(c["weight"]) for c in tender.criteria if c["kind"] == "price")
    rows = []
    for b in bids:
        price = _round2(Fraction(low) / Fraction(b.amount) * price_weight)
        tech = other = Decimal(0)
        for c in tender.criteria:
            if c["kind"] == "price":
                continue
            points = [Fraction(s.score) for s in EvaluationScore.objects.filter(bid=b, criterion=c["code"])]
            mean = _round2(sum(points, Fraction(0)) / len(points))
            if c["kind"] == "technical":
                tech += mean
            else:
                other += mean
        rows.append((-(price + tech + other), -tech, b.amount, b.submitted_at, str(b.pk), b.pk))
    return [r[-1] for r in sorted(rows)]


@pytest.mark.django_db(transaction=False)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    data=st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 20)),
        min_size=6,
        max_size=6,
    ),
    amounts=st.tuples(st.integers(500_000, 999_999), st.integers(500_000, 999_999)),
)
def test_ranking_equals_independent_calculation(
    tw: Any, bidding: Any, data: list[tuple[int, int]], amounts: tuple[int, int]
) -> None:
    from django.db import transaction

    tender, bids = bidding
    try:
        with transaction.atomic():
            for b, a in zip(bids, amounts, strict=True):
                # amounts are sealed until the opening: the stored ciphertext is what changes
                Bid.objects.filter(pk=b.pk).update(
                    sealed_amount=bid_amount_seal(tender_id=b.tender_id, supplier_id=b.supplier_id, amount=Decimal(a))
                )
            experts = [expert(f"评委{i}") for i in range(3)]
            services.panel_draw(actor=tw.pm, tender=tender, panel_size=3)
            opened = unseal(tender)
            services.tender_open(actor=tw.pm, tender=opened)
            cells = iter(data)
            for e in experts:
                for b in bids:
                    tech, biz = next(cells)
                    services.score_record(actor=tw.pm, tender=opened, evaluator=e, bid=b, criterion="tech", score=Decimal(tech))
                    services.score_record(actor=tw.pm, tender=opened, evaluator=e, bid=b, criterion="biz", score=Decimal(biz))
            done = services.evaluate(actor=tw.pm, tender=opened)
            assert [r["bid"] for r in done.ranking] == independent_ranking(done)
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


def _through_award(tw: Any, tender: Tender) -> Tender:
    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender)
    services.evaluate(actor=tw.pm, tender=tender)
    services.publicity_start(actor=tw.pm, tender=tender, start=TODAY - dt.timedelta(days=5), end=TODAY - dt.timedelta(days=3))
    return Tender.objects.get(pk=tender.pk)


def test_lowest_price_award_flips_procurement_gate(tw: Any, lot: ProcurementLot) -> None:
    tender = announce(tw, lot, method="lowest_price")
    for a in AMOUNTS:
        services.bid_record(
            actor=tw.pm, tender=tender, supplier=SupplierFactory(registered_by=tw.city), amount=a, bond_amount=Decimal(0)
        )
    project = lot.project
    gate = {c.code: c for c in gate_conditions(project)}
    assert not gate["procurement:all_awarded"].ok
    tender = _through_award(tw, tender)
    assert tender.ranking[0]["price"] == str(AMOUNTS[1])
    row = services.award(actor=tw.pm, tender=tender, notice_issued_on=TODAY)
    assert row.number.startswith("ZB-LJJG-") and row.bid.amount == AMOUNTS[1]
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.AWARDED
    gate = {c.code: c for c in gate_conditions(project)}
    assert gate["procurement:all_awarded"].ok


def test_publicity_minimum_days(tw: Any, lot: ProcurementLot) -> None:
    tender = announce(tw, lot, method="lowest_price")
    services.bid_record(
        actor=tw.pm, tender=tender, supplier=SupplierFactory(registered_by=tw.city), amount=Decimal(5), bond_amount=Decimal(0)
    )
    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender)
    services.evaluate(actor=tw.pm, tender=tender)
    with pytest.raises(DomainError) as err:
        services.publicity_start(actor=tw.pm, tender=tender, start=TODAY, end=TODAY + dt.timedelta(days=1))
    assert err.value.code == "procurement.tender.publicity"
    assert not Award.objects.exists()


def test_award_refused_for_blacklisted_supplier_and_recorded(tw: Any, lot: ProcurementLot) -> None:
    tender = announce(tw, lot, method="lowest_price")
    bad = SupplierFactory(registered_by=tw.city)
    services.bid_record(actor=tw.pm, tender=tender, supplier=bad, amount=Decimal("500000"), bond_amount=Decimal(0))
    tender = _through_award(tw, tender)
    ListingFactory(supplier=bad, kind="black", starts_on=TODAY - dt.timedelta(days=1), ends_on=None)
    with pytest.raises(DomainError) as err:
        services.award(actor=tw.pm, tender=tender, notice_issued_on=TODAY)
    assert err.value.code == "procurement.award.refused"
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.PUBLICIZED
    assert not Award.objects.get(tender=tender).number
    event = AuditEvent.objects.get(action=AWARD_REFUSED_ACTION)
    assert event.object_id == str(bad.pk) and tender.number in event.reason
    assert not next(c for c in gate_conditions(lot.project) if c.code == "procurement:all_awarded").ok


# ------------------------------------------------------------------------------------------ pages


def test_tender_page_constant_queries(client: Client, tw: Any, bidding: Any, count_queries: Any) -> None:
    tender, _ = bidding
    url = reverse("procurement:tender_detail", args=[tender.pk])
    client.force_login(tw.pm)
    client.get(url)  # warm the session and caches
    first = count_queries(lambda: client.get(url))
    for i in range(3):
        services.bid_record(
            actor=tw.pm,
            tender=tender,
            supplier=SupplierFactory(registered_by=tw.city),
            amount=Decimal(100 + i),
            bond_amount=Decimal(0),
        )
    assert count_queries(lambda: client.get(url)) == first
    opened = unseal(tender)
    services.tender_open(actor=tw.pm, tender=opened)
    client.get(url)
    after = count_queries(lambda: client.get(url))
    assert after <= first + 2


def test_pages_and_forms(client: Client, tw: Any, lot: ProcurementLot) -> None:
    client.force_login(tw.pm)
    create = reverse("procurement:tender_create", args=[lot.project_id])
    assert client.get(create).status_code == 200
    now = timezone.localtime()
    data = {
        "lot": lot.pk,
        "announced_on": f"{TODAY - dt.timedelta(days=31):%Y-%m-%d}",
        "documents_issued_on": f"{TODAY - dt.timedelta(days=2):%Y-%m-%d}",
        "bid_deadline": f"{now + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "opening_at": f"{now + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "evaluation_method": "lowest_price",
        "speciality": "structure",
        "criteria": "",
    }
    response = client.post(create, data)
    assert response.status_code == 400 and "“招标文件发出至投标截止最短天数”" in response.content.decode()
    assert not Tender.objects.exists()
    data["documents_issued_on"] = f"{TODAY - dt.timedelta(days=30):%Y-%m-%d}"
    response = client.post(create, data)
    assert response.status_code == 302
    tender = Tender.objects.get()
    supplier = SupplierFactory(registered_by=tw.city)
    response = client.post(
        reverse("procurement:bid_create", args=[tender.pk]), {"supplier": supplier.pk, "amount": "987654.32", "bond_amount": "0"}
    )
    assert response.status_code == 302
    detail = client.get(reverse("procurement:tender_detail", args=[tender.pk]))
    assert "密封" in detail.content.decode() and not shown(detail)
    client.force_login(tw.other_pm)
    assert client.get(create).status_code == 404
    client.force_login(tw.leader)
    assert client.post(reverse("procurement:bid_create", args=[tender.pk]), {}).status_code == 403


def test_role_matrix_on_bid_and_open(client: Client, tw: Any, bidding: Any) -> None:
    from govworks.core.testing.role_matrix import assert_role_matrix

    tender, _ = bidding
    supplier = SupplierFactory(registered_by=tw.city)
    actors = {
        "anonymous": None,
        "other_agency": tw.other_pm,
        "leader": tw.leader,
        "discipline": tw.discipline,
        "system_admin": tw.sysadmin,
        "security_admin": tw.secadmin,
        "audit_admin": tw.auditadmin,
        "external": tw.contractor,
        "with_role": tw.pm,
    }

    def snap() -> Any:
        return (list(Bid.objects.values_list("id", "amount")), list(Tender.objects.values_list("id", "status")))

    assert_role_matrix(
        client,
        "post",
        reverse("procurement:bid_create", args=[tender.pk]),
        data={"supplier": supplier.pk, "amount": "123.45", "bond_amount": "0"},
        expected={
            "anonymous": 302,
            "other_agency": 404,
            "leader": 403,
            "discipline": 403,
            "system_admin": 404,
            "security_admin": 404,
            "audit_admin": 404,
            "external": 404,
            "with_role": 302,
        },
        actors=actors,
        snapshot=snap,
    )
    assert Bid.objects.filter(supplier=supplier).count() == 1
    before = snap()
    client.force_login(tw.pm)  # before the opening time: refused with the reason, nothing changes
    response = client.post(reverse("procurement:tender_open", args=[tender.pk]), {"witnesses": "吴海燕"})
    assert response.status_code == 400 and "开标时间" in response.content.decode()
    assert snap() == before


@pytest.mark.django_db
def test_demo_tender_is_sealed() -> None:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import seed_lots, seed_suppliers, seed_tenders
    from govworks.procurement.selectors.tenders import bid_rows
    from govworks.projects.demo import seed_projects

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    seed_suppliers()
    seed_lots()
    assert seed_tenders() == "1 个招标（3 份投标，开标前密封；其中两家联系电话相同）"
    tender = Tender.objects.get()
    assert [r.amount for r in bid_rows(tender)] == [None, None, None]
    from govworks.procurement.models import IntegritySignal

    signal = IntegritySignal.objects.get(tender=tender)
    assert "临江瑞丰智能科技有限公司" in signal.detail and "联系电话" in signal.detail
    assert seed_tenders() == "已存在，跳过"


def test_tender_page_shows_replay_check_scores_and_ranking(client: Client, tw: Any, bidding: Any) -> None:
    tender, bids = bidding
    experts = [expert(f"评委{i}") for i in range(3)]
    services.panel_draw(actor=tw.pm, tender=tender, panel_size=3)
    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender)
    for i, e in enumerate(experts):
        for j, b in enumerate(bids):
            services.score_record(actor=tw.pm, tender=tender, evaluator=e, bid=b, criterion="tech", score=Decimal(40 + i + j))
            services.score_record(actor=tw.pm, tender=tender, evaluator=e, bid=b, criterion="biz", score=Decimal(15))
    with pytest.raises(DomainError):  # score above the weight
        services.score_record(actor=tw.pm, tender=tender, evaluator=experts[0], bid=bids[0], criterion="biz", score=Decimal(21))
    services.evaluate(actor=tw.pm, tender=tender)
    client.force_login(tw.head)
    body = client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    assert 'data-testid="replay-ok"' in body and 'data-testid="tender-ranking"' in body
    assert Tender.objects.get(pk=tender.pk).ranking[0]["total"] in body


# ------------------------------------------------------------------------------------------ conflicts and re-draws (issue 11 item 8)


def panel_state(tender: Tender) -> list[Any]:
    return [
        list(EvaluationPanel.objects.filter(tender=tender).order_by("pk").values_list()),
        AuditEvent.objects.filter(action__startswith="procurement.tender.panel").count(),
    ]


def test_expert_employed_by_a_bidder_without_an_external_account_is_never_drawn(tw: Any, bidding: Any) -> None:
    # given a bidder whose supplier record has no external-organisation account (临江二建有限公司)
    tender, bids = bidding
    rival = bids[1].supplier
    assert rival.external_org_id is None
    # and two of its employees in the pool: one written by name (other spacing and brackets), one by credit code
    by_name = expert("二建员工甲", employer="临江二建 (有限公司)")
    by_code = expert("二建员工乙", employer="二建公司（简称）", employer_credit_code=rival.credit_code)
    others = [expert(f"专家{i:02d}") for i in range(5)]
    # when the 评标委员会 is drawn (a panel as large as the eligible pool: anyone eligible would be drawn)
    panel = services.panel_draw(actor=tw.pm, tender=tender, panel_size=5)
    # then neither is drawn: both are excluded, and the stored parties replay to the same panel
    assert set(panel.panel) == {e.pk for e in others}
    assert panel.excluded_snapshot == [by_name.pk, by_code.pk]
    assert {"role": "投标人", "name": "临江二建有限公司", "credit_code": rival.credit_code, "org_id": None} in (
        panel.pool_snapshot["parties"]
    )
    assert services.panel_replay(panel) == panel.panel


def test_panel_redraw_needs_a_reason_and_keeps_the_first_draw_beside_it(client: Client, tw: Any, bidding: Any) -> None:
    # given a drawn 评标委员会
    tender, bids = bidding
    pool = [expert(f"评委{i}") for i in range(6)]
    first = services.panel_draw(actor=tw.pm, tender=tender, panel_size=3)
    client.force_login(tw.pm)
    url = reverse("procurement:tender_panel_redraw", args=[tender.pk])
    # when the clerk re-draws without a reason (blank, then too short)
    before = panel_state(tender)
    for reason in ("", "有事"):
        response = client.post(url, {"reason": reason})
        # then the form comes back (400) with the rule and nothing changed
        assert response.status_code == 400
        assert panel_state(tender) == before
    assert "重新抽取须写明理由（不少于 5 个字，当前 2 个字），原抽取结果保留备查" in response.content.decode()
    # when they give the reason
    response = client.post(url, {"reason": "抽中专家评委0因病不能到场"})
    assert response.status_code == 302
    # then both draws are kept: the first no longer current, the second pointing to it with the reason
    old, new = EvaluationPanel.objects.filter(tender=tender).order_by("pk")
    assert (old.pk, old.is_current, new.is_current, new.replaces_id) == (first.pk, False, True, first.pk)
    assert new.redraw_reason == "抽中专家评委0因病不能到场"
    assert services.panel_replay(new) == new.panel and set(new.panel) <= {e.pk for e in pool}
    event = AuditEvent.objects.get(action="procurement.tender.panel_redraw")
    assert event.reason == "抽中专家评委0因病不能到场"
    # and the tender page shows the two draws side by side, the reason beside the second
    body = client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    assert body.count('data-testid="panel-draw"') == 2
    assert "首次抽取" in body and "第 1 次重新抽取" in body and "已被重新抽取" in body and "当前有效" in body
    assert "重新抽取理由：抽中专家评委0因病不能到场" in body
    names = {e.pk: e.name for e in pool}
    assert "、".join(names[i] for i in first.panel) in body and "、".join(names[i] for i in new.panel) in body
    # and scores go to the current panel only
    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender)
    dropped = next((i for i in first.panel if i not in new.panel), None)
    if dropped is not None:
        with pytest.raises(DomainError) as err:
            services.score_record(
                actor=tw.pm,
                tender=tender,
                evaluator=Expert.objects.get(pk=dropped),
                bid=bids[0],
                criterion="tech",
                score=Decimal(1),
            )
        assert err.value.code == "procurement.score.evaluator"


def test_panel_redraw_is_refused_once_a_score_is_recorded(tw: Any, bidding: Any) -> None:
    tender, bids = bidding
    [expert(f"评委{i}") for i in range(6)]
    panel = services.panel_draw(actor=tw.pm, tender=tender, panel_size=3)
    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender)
    services.score_record(
        actor=tw.pm,
        tender=tender,
        evaluator=Expert.objects.get(pk=panel.panel[0]),
        bid=bids[0],
        criterion="tech",
        score=Decimal(40),
    )
    before = panel_state(tender)
    with pytest.raises(DomainError) as err:
        services.panel_redraw(actor=tw.pm, tender=tender, reason="抽中专家因病不能到场")
    assert (err.value.code, err.value.message) == (
        "procurement.panel.redraw_scored",
        "已录入 1 条评委评分，不能再重新抽取评标委员会",
    )
    assert panel_state(tender) == before


def test_two_agencies_first_tenders_of_the_year_get_distinct_numbers(tw: Any, lot: ProcurementLot) -> None:
    """Given two unrelated agencies (LJJG, LNJG) each with a lot ready for tender, when each announces its first
    tender of the year, then both tenders exist, each number carrying its agency code (no IntegrityError)."""
    from govworks.org.tests.factories import DepartmentFactory
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    department = DepartmentFactory(agency=tw.other, name="基建科", is_construction=True)
    tw.other_pm.department = department
    tw.other_pm.save(update_fields=["department"])
    project = project_create_outside_plan(
        actor=tw.other_pm,
        agency=tw.other,
        manager=tw.other_pm,
        department=department,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="邻市办公楼修缮",
        project_type="repair",
        location="邻市机关大院",
        estimate_amount=Decimal("5000000"),
        funding_source="fiscal",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=180),
    )
    project = project_import_at_stage(
        actor=tw.other_pm, project=project, stage=Stage.PROCUREMENT, note="前期手续已线下办理，批复文号邻机事〔2026〕2号"
    )
    other_lot = lot_services.lot_create(
        actor=tw.other_pm, project=project, name="主体施工", category="works", estimated_amount=Decimal("1000000")
    )
    other_lot = lot_services.lot_choose_method(actor=tw.other_pm, lot=other_lot, method="open_tender")

    first = announce(tw, lot)
    second = announce(SimpleNamespace(pm=tw.other_pm), other_lot)

    year = (TODAY - dt.timedelta(days=31)).year
    assert (first.number, second.number) == (f"ZBGG-LJJG-{year}-0001", f"ZBGG-LNJG-{year}-0001")
    assert Tender.objects.count() == 2


# ------------------------------------------------------------------------------------------ sealed bidder names


def test_bidder_names_sealed_before_opening_except_to_the_recorder(client: Client, tw: Any, bidding: Any) -> None:
    """Given two bids recorded by 李明 (工程管理岗) before the opening time, when every role opens the tender page,
    bids.json and the project page, then only 李明 sees the bidders' names; everybody else sees 投标人①②. After
    the opening the agency's roles see the names."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    tender, _ = bidding
    names = ("临江建工集团有限公司", "临江二建有限公司")
    second_pm = UserFactory(username="pm2", full_name="第二经办人", agency=tw.city, department=tw.construction)
    RoleGrantFactory(user=second_pm, agency=tw.city, role="project_manager")
    others = {
        "other_pm_same_agency": second_pm,
        "head": tw.head,
        "leader": tw.leader,
        "discipline": tw.discipline,
        "internal_audit": tw.internal_audit,
        "other_agency": tw.other_pm,
        "system_admin": tw.sysadmin,
    }
    detail = reverse("procurement:tender_detail", args=[tender.pk])
    bids_json = reverse("procurement:tender_bids_json", args=[tender.pk])
    project_page = reverse("projects:project_detail", args=[tender.lot.project_id])

    for role, user in others.items():
        client.force_login(user)
        for url in (detail, bids_json, project_page):
            body = client.get(url).content.decode("unicode_escape" if url == bids_json else "utf-8")
            assert not any(n in body for n in names), f"{role} saw a bidder name at {url}"
    client.force_login(tw.contractor)  # works for the first bidder, whose name heads his own pages
    for url in (detail, bids_json, project_page):
        response = client.get(url)
        body = response.content.decode("unicode_escape" if url == bids_json else "utf-8")
        assert response.status_code == 404 and names[1] not in body, url
    client.force_login(second_pm)
    assert [b["supplier"] for b in client.get(bids_json).json()["bids"]] == ["投标人①", "投标人②"]
    assert "投标人①" in client.get(detail).content.decode()

    client.force_login(tw.pm)  # the recorder
    data = client.get(bids_json).json()
    assert [(b["supplier"], b["name_sealed"]) for b in data["bids"]] == [(names[0], False), (names[1], False)]
    assert all(n in client.get(detail).content.decode() for n in names)

    tender = unseal(tender)
    services.tender_open(actor=tw.pm, tender=tender, witnesses="纪检监察 吴海燕")
    for user in (second_pm, tw.head, tw.leader, tw.discipline, tw.internal_audit):
        client.force_login(user)
        assert [b["supplier"] for b in client.get(bids_json).json()["bids"]] == list(names)
        assert all(n in client.get(detail).content.decode() for n in names)
    for user in (tw.other_pm, tw.contractor, tw.sysadmin):
        client.force_login(user)
        assert client.get(bids_json).status_code == 404


def test_selector_seals_names_without_a_viewer_and_labels_in_order(tw: Any, bidding: Any) -> None:
    from govworks.procurement.selectors.tenders import bid_rows

    tender, _ = bidding
    assert [(r.supplier, r.name_sealed) for r in bid_rows(tender)] == [("投标人①", True), ("投标人②", True)]
    assert [r.supplier for r in bid_rows(tender, viewer=tw.pm)] == ["临江建工集团有限公司", "临江二建有限公司"]
    assert [r.supplier for r in bid_rows(tender, now=tender.opening_at)] == ["临江建工集团有限公司", "临江二建有限公司"]


def test_migration_gives_existing_numbers_their_agency_code(tw: Any, bidding: Any) -> None:
    """Given a tender and its award notice numbered in the old format (ZBGG-2026-0001), when the data migration
    runs, then they read ZBGG-LJJG-2026-0001 / ZB-LJJG-2026-0001; numbers already in the new format stay."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("govworks.procurement.migrations.0009_document_numbers_agency_code")
    tender, bids = bidding
    Tender.objects.filter(pk=tender.pk).update(number="ZBGG-2026-0001")
    Award.objects.create(
        tender=tender, bid=bids[0], publicity_start=TODAY, publicity_end=TODAY, number="ZB-2026-0003", recorded_by=tw.pm
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice: nothing changes the second time
    assert Tender.objects.get(pk=tender.pk).number == "ZBGG-LJJG-2026-0001"
    assert Award.objects.get(tender=tender).number == "ZB-LJJG-2026-0003"


def test_scoring_factors_are_rows_not_json(client: Client, tw: Any, lot: ProcurementLot) -> None:
    """Given the tender form, when a clerk fills the factor rows (issue 16 item 2), then a half-filled row and a
    total other than 100 are refused naming the row or the numbers and nothing is stored; a right table is kept."""
    client.force_login(tw.pm)
    create = reverse("procurement:tender_create", args=[lot.project_id])
    page = client.get(create).content.decode()
    assert 'data-testid="criteria-rows"' in page and "JSON" not in page and 'value="技术方案"' in page
    now = timezone.localtime()
    data: dict[str, Any] = {
        "lot": lot.pk,
        "announced_on": f"{TODAY - dt.timedelta(days=31):%Y-%m-%d}",
        "documents_issued_on": f"{TODAY - dt.timedelta(days=30):%Y-%m-%d}",
        "bid_deadline": f"{now + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "opening_at": f"{now + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "evaluation_method": "comprehensive",
        "speciality": "structure",
    }

    def rows(*cells: tuple[str, str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i, (name, weight, kind) in enumerate(cells):
            out |= {f"criteria_{3 * i}": name, f"criteria_{3 * i + 1}": weight, f"criteria_{3 * i + 2}": kind}
        return out

    half = client.post(create, data | rows(("价格", "30", "price"), ("技术方案", "", "technical")))
    assert half.status_code == 400 and "第2行“技术方案”：请填写权重" in half.content.decode()
    wrong = client.post(create, data | rows(("价格", "30", "price"), ("技术方案", "60", "technical")))
    assert wrong.status_code == 400 and "评分因素权重合计为 90，应为 100" in wrong.content.decode()
    bad_weight = client.post(create, data | rows(("价格", "三十", "price")))
    assert bad_weight.status_code == 400 and "第1行：权重须为 0 到 100 的整数（填写的是 三十）" in bad_weight.content.decode()
    assert not Tender.objects.exists()
    done = client.post(
        create, data | rows(("价格", "30", "price"), ("", "", ""), ("技术方案", "50", "technical"), ("商务", "20", "commercial"))
    )
    assert done.status_code == 302
    assert [(c["name"], c["weight"], c["kind"]) for c in Tender.objects.get().criteria] == [
        ("价格", 30, "price"),
        ("技术方案", 50, "technical"),
        ("商务", 20, "commercial"),
    ]
