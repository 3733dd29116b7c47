"""Integrity signals (issue 4 item 6) and the award notice PDF (item 7): bidders sharing a phone, address,
legal representative or bank account; a payable ceiling far above the winning bid; several contracts with
one supplier in one category each below the threshold whose total reaches it. Stored once each with an
audit event, shown on the contract page and on 纪检监察's workbench; they never refuse anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from govworks.core.models import AuditEvent
from govworks.core.registry import work_items_for
from govworks.procurement.models import ChangeOrder, Contract, IntegritySignal, ProcurementLot, SupplierBankAccount, Tender
from govworks.procurement.rules_integrity import (
    BidderFacts,
    ContractFacts,
    contracts_below_threshold_clusters,
    normalise_trait,
    overrun_over_winning_bid,
    shared_bidder_traits,
)
from govworks.procurement.rules_methods import Category
from govworks.procurement.selectors.contracts import contract_integrity_signals
from govworks.procurement.selectors.lots import procurement_params
from govworks.procurement.services import lots as lot_services
from govworks.procurement.services import tenders as tender_services
from govworks.procurement.services.integrity import integrity_scan_daily, integrity_signals_scan
from govworks.procurement.tests import test_contracts, test_tenders
from govworks.procurement.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

tw = test_tenders.tw
cw = test_contracts.cw
TODAY = test_tenders.TODAY

# ------------------------------------------------------------------------------------------ pure rules


def test_phone_formats_and_full_width_digits_compare_equal() -> None:
    assert normalise_trait("phone", "0571-8888 1234") == normalise_trait("phone", "(0571)88881234") == "057188881234"
    assert normalise_trait("address", "临江市 滨江路１２号") == normalise_trait("address", "临江市滨江路12号")


def test_shared_traits_name_the_bidders_and_the_trait() -> None:
    bidders = [
        BidderFacts(
            "甲建设", phone="0571-88881234", address="滨江路1号", legal_representative="张三", bank_accounts=("6222 0001 01",)
        ),
        BidderFacts(
            "乙建设", phone="057188881234", address="江南路9号", legal_representative="李四", bank_accounts=("6222000101",)
        ),
        BidderFacts("丙建设", phone="0571-66660000", address="江南路9号", legal_representative="张三"),
    ]
    found = {t.kind: t for t in shared_bidder_traits(bidders)}
    assert set(found) == {"phone", "address", "legal_representative", "bank_account"}
    assert found["phone"].bidders == ("甲建设", "乙建设")
    assert found["address"].bidders == ("乙建设", "丙建设")
    assert found["legal_representative"].bidders == ("甲建设", "丙建设")
    assert "联系电话相同" in found["phone"].describe() and "甲建设、乙建设" in found["phone"].describe()


def test_nothing_shared_by_one_bidder_or_blank_values() -> None:
    assert shared_bidder_traits([BidderFacts("甲", phone="1", address=""), BidderFacts("乙", phone="1", address="")]) == []
    one = BidderFacts("甲", phone="13800000000", bank_accounts=("6222", "6222"))
    assert shared_bidder_traits([one]) == []


@given(
    bid=st.decimals(min_value=1, max_value=10**9, places=2),
    over=st.decimals(min_value=Decimal("-0.5"), max_value=Decimal("2"), places=4),
)
def test_overrun_signal_exactly_above_the_ratio(bid: Decimal, over: Decimal) -> None:
    payable = bid * (1 + over)
    detail = overrun_over_winning_bid(
        winning_bid=bid,
        payable=payable,
        what="支付上限",
        ratio_key="change.reapproval_cumulative_ratio",
        max_ratio=Decimal("0.10"),
    )
    assert (detail is not None) == ((payable - bid) / bid > Decimal("0.10"))
    if detail:
        assert "“累计变更需重新审批比例”10%" in detail


def test_clusters_below_threshold_reaching_it() -> None:
    params = procurement_params(None)
    works = [
        ContractFacts("HT-1", "GW-1", "甲", Category.WORKS, Decimal("2100000")),
        ContractFacts("HT-2", "GW-1", "甲", Category.WORKS, Decimal("2100000")),
        ContractFacts("HT-3", "GW-1", "乙", Category.WORKS, Decimal("3900000")),
        ContractFacts("HT-4", "GW-1", "甲", Category.SERVICES, Decimal("400000")),
    ]
    clusters = contracts_below_threshold_clusters(works, params=params)
    assert [c.refs for c in clusters] == [("HT-1", "HT-2")]
    assert clusters[0].total == Decimal("4200000")
    assert "“施工单项合同必须招标金额”4,000,000.00 元" in clusters[0].describe()
    assert contracts_below_threshold_clusters(works[:1] + works[2:], params=params) == []


# ------------------------------------------------------------------------------------------ stored signals


def test_bidders_sharing_a_phone_are_stored_once_with_an_audit_event(tw: Any, lot: ProcurementLot) -> None:
    tender = test_tenders.announce(tw, lot)
    one = SupplierFactory(name="临江甲建设有限公司", registered_by=tw.city, phone="0571-88881234")
    two = SupplierFactory(name="临江乙建设有限公司", registered_by=tw.city, phone="057188881234")
    tender_services.bid_record(actor=tw.pm, tender=tender, supplier=one, amount=Decimal("900000"), bond_amount=Decimal(0))
    assert IntegritySignal.objects.count() == 0
    tender_services.bid_record(actor=tw.pm, tender=tender, supplier=two, amount=Decimal("950000"), bond_amount=Decimal(0))
    signal = IntegritySignal.objects.get()
    assert signal.kind == IntegritySignal.Kind.SHARED_BIDDER_TRAIT and signal.tender_id == tender.pk
    assert "临江甲建设有限公司、临江乙建设有限公司" in signal.detail and "联系电话" in signal.detail
    # the signal never tells the sealed amounts
    assert "900000" not in signal.detail and "900,000" not in signal.detail
    assert AuditEvent.objects.filter(action="procurement.integrity_signal", context_id=lot.project_id).count() == 1
    client = Client()
    client.force_login(tw.pm)
    html = client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    assert 'data-testid="integrity-signals"' in html and "联系电话相同" in html
    assert integrity_signals_scan(lot.project) == []
    assert "扫描 1 个项目，新发现 0 条" in integrity_scan_daily(TODAY)
    assert IntegritySignal.objects.count() == 1


def test_shared_bank_account_found(tw: Any, lot: ProcurementLot) -> None:
    tender = test_tenders.announce(tw, lot)
    suppliers = [SupplierFactory(registered_by=tw.city) for _ in range(2)]
    for s in suppliers:
        SupplierBankAccount.objects.create(
            supplier=s, bank_name="临江银行", account_name=s.name, account_number="6222 0200 1234 5678"
        )
        tender_services.bid_record(actor=tw.pm, tender=tender, supplier=s, amount=Decimal("900000"), bond_amount=Decimal(0))
    # matched on the keyed digest (HMAC-SM3) of the account: the number itself is in neither fingerprint nor text
    signal = IntegritySignal.objects.get()
    digest = SupplierBankAccount.objects.filter(supplier=suppliers[0]).get().account_digest
    assert signal.fingerprint.endswith(f"bank_account:{digest}") and len(digest) == 64
    assert "6222020012345678" not in signal.fingerprint and "6222 0200 1234 5678" not in signal.detail
    assert "****5678" in signal.detail


@pytest.fixture
def lot(tw: Any) -> ProcurementLot:
    return test_tenders.lot.__wrapped__(tw)  # type: ignore[attr-defined]


def _awarded_contract(tw: Any, lot: ProcurementLot) -> tuple[Tender, Contract]:
    tender = test_tenders.announce(tw, lot, method="lowest_price")
    winner = SupplierFactory(name="临江建工集团有限公司", registered_by=tw.city)
    tender_services.bid_record(actor=tw.pm, tender=tender, supplier=winner, amount=Decimal("800000"), bond_amount=Decimal(0))
    tender_services.bid_record(
        actor=tw.pm,
        tender=tender,
        supplier=SupplierFactory(registered_by=tw.city),
        amount=Decimal("880000"),
        bond_amount=Decimal(0),
    )
    tender = test_tenders._through_award(tw, tender)
    tender_services.award(actor=tw.pm, tender=tender, notice_issued_on=TODAY)
    contract = test_contracts.make(tw, lot, supplier=winner, amount=Decimal("800000"), award_notice_on=TODAY)
    return tender, contract


def test_ceiling_far_above_the_winning_bid_is_a_signal_on_the_contract_page(client: Client, tw: Any, lot: ProcurementLot) -> None:
    _tender, contract = _awarded_contract(tw, lot)
    assert not IntegritySignal.objects.exists()
    # an approved change of 12% (approval flow tested elsewhere): the ceiling is now 112% of the winning bid
    ChangeOrder.objects.create(
        contract=contract,
        seq=1,
        category="design",
        reason="增加地下室防水",
        responsibility="designer",
        amount=Decimal("96000"),
        status=ChangeOrder.Status.APPROVED,
        created_by=tw.pm,
    )
    (signal,) = integrity_signals_scan(contract.project)
    assert signal.kind == IntegritySignal.Kind.OVER_WINNING_BID
    assert "896,000.00 元，比中标价 800,000.00 元 高 12%，超过“累计变更需重新审批比例”10%" in signal.detail
    assert list(signal.contracts.all()) == [contract]
    assert contract_integrity_signals(contract) == [signal]
    client.force_login(tw.pm)
    html = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert 'data-testid="integrity-signals"' in html and "低价中标、高价结算" in html


def test_contracts_just_below_the_threshold_with_one_supplier(cw: Any) -> None:
    project = test_contracts.lot.__wrapped__(cw).project  # type: ignore[attr-defined]
    supplier = SupplierFactory(registered_by=cw.city)
    contracts = []
    for name in ("一期装修", "二期装修"):
        row = lot_services.lot_create(
            actor=cw.pm,
            project=project,
            name=name,
            category="works",
            estimated_amount=Decimal("2100000"),
            combinable=False,
            not_combinable_reason="分两期实施，场地不同",  # setup adapted (issue 11 item 5)
        )
        row = lot_services.lot_choose_method(actor=cw.pm, lot=row, method="open_tender")
        contracts.append(
            test_contracts.make(cw, row, supplier=supplier, amount=Decimal("2100000"), is_main_construction=False, title=name)
        )
    signal = IntegritySignal.objects.get(kind=IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER)
    assert set(signal.contracts.all()) == set(contracts)
    assert "合计 4,200,000.00 元达到该标准" in signal.detail
    # 纪检监察 of the agency sees it on the workbench
    items = [i for i in work_items_for(cw.discipline) if i.title.startswith("同一供应商多份合同规避招标")]
    assert len(items) == 1 and items[0].url == reverse("procurement:contract_detail", args=[contracts[0].pk])
    assert not [i for i in work_items_for(cw.pm) if "规避招标" in i.title]


# ------------------------------------------------------------------------------------------ award notice


def test_award_notice_pdf_after_the_notice_only(client: Client, tw: Any, lot: ProcurementLot) -> None:
    from django.template.loader import render_to_string

    from govworks.procurement.selectors.tenders import award_notice_facts, tender_award

    tender = test_tenders.announce(tw, lot, method="lowest_price")
    for amount in (Decimal("800000.05"), Decimal("880000")):
        tender_services.bid_record(
            actor=tw.pm, tender=tender, supplier=SupplierFactory(registered_by=tw.city), amount=amount, bond_amount=Decimal(0)
        )
    url = reverse("procurement:award_notice_pdf", args=[tender.pk])
    client.force_login(tw.pm)
    assert client.get(url).status_code == 404
    tender = test_tenders._through_award(tw, tender)
    assert client.get(url).status_code == 404  # publicised, not yet issued
    tender_services.award(actor=tw.pm, tender=tender, notice_issued_on=TODAY)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert url in client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    award = tender_award(tender)
    assert award is not None
    facts = award_notice_facts(Tender.objects.get(pk=tender.pk), award)
    assert facts.amount == Decimal("800000.05") and facts.sign_by == TODAY + dt.timedelta(days=30)
    html = render_to_string(
        "procurement/tenders/award_notice_pdf.html",
        {"t": tender, "project": lot.project, "award": award, "n": facts, "amount_words": "捌拾万元零伍分"},
    )
    assert "中标通知书" in html and "捌拾万元零伍分" in html and "30 日内" in html and "http" not in html
    client.force_login(tw.other_pm)
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------------------------------ files through views


def test_change_evidence_and_opening_record_go_through_permission_checked_downloads(
    client: Client, tw: Any, lot: ProcurementLot
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govworks.procurement.services import contracts as contract_services

    tender = test_tenders.announce(tw, lot, method="lowest_price")
    for amount in (Decimal("800000"), Decimal("880000")):
        tender_services.bid_record(
            actor=tw.pm, tender=tender, supplier=SupplierFactory(registered_by=tw.city), amount=amount, bond_amount=Decimal(0)
        )
    tender = test_tenders.unseal(tender)
    tender_services.tender_open(actor=tw.pm, tender=tender, record_file=SimpleUploadedFile("开标记录.pdf", b"%PDF-1.4 opening"))
    contract = test_contracts.make(tw, lot, amount=Decimal("800000"), award_notice_on=TODAY)
    test_contracts.pass_decision(tw, contract)
    contract_services.contract_sign(actor=tw.pm, contract=contract, signed_on=TODAY)
    change = contract_services.change_create(
        actor=tw.pm,
        contract=contract,
        category="site_visa",
        reason="地下障碍物清除",
        responsibility="owner",
        amount=Decimal("12000"),
        evidence=SimpleUploadedFile("签证单.pdf", b"%PDF-1.4 evidence"),
    )
    client.force_login(tw.pm)
    evidence = reverse("procurement:change_evidence", args=[change.pk])
    opening = reverse("procurement:opening_record", args=[tender.pk])
    assert evidence in client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert opening in client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    assert b"".join(client.get(evidence).streaming_content) == b"%PDF-1.4 evidence"  # type: ignore[attr-defined]
    assert b"".join(client.get(opening).streaming_content) == b"%PDF-1.4 opening"  # type: ignore[attr-defined]
    client.force_login(tw.other_pm)
    assert client.get(evidence).status_code == 404
    assert client.get(opening).status_code == 404


def test_opening_record_that_is_html_named_pdf_is_refused_and_the_tender_stays_unopened(tw: Any, lot: ProcurementLot) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govworks.core.errors import DomainError
    from govworks.procurement.models import TenderOpening

    # given a tender past its opening time and a web page renamed 开标记录.pdf (issue 12 item 8)
    tender = test_tenders.announce(tw, lot, method="lowest_price")
    for amount in (Decimal("800000"), Decimal("880000")):
        tender_services.bid_record(
            actor=tw.pm, tender=tender, supplier=SupplierFactory(registered_by=tw.city), amount=amount, bond_amount=Decimal(0)
        )
    tender = test_tenders.unseal(tender)
    fake = SimpleUploadedFile("开标记录.pdf", b"<html><body onload=alert(1)>x</body></html>")
    # when it is opened with that record, then it is refused and nothing changed
    with pytest.raises(DomainError) as err:
        tender_services.tender_open(actor=tw.pm, tender=tender, record_file=fake)
    assert (err.value.code, err.value.message) == ("file.content", "文件内容为 HTML，不是 PDF，请上传真实的文件")
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.ANNOUNCED
    assert not TenderOpening.objects.filter(tender=tender).exists()


def test_a_signal_naming_bidders_is_not_shown_before_opening_to_who_did_not_record_the_bids(tw: Any, lot: ProcurementLot) -> None:
    """Given two bidders sharing a phone recorded by 李明 before the opening time, when the 科室负责人 opens the
    tender and the project page, then neither the signal nor the bidders' names are shown (招标投标法第二十二条)."""
    tender = test_tenders.announce(tw, lot)
    for name, amount in (("临江甲建设有限公司", "900000"), ("临江乙建设有限公司", "950000")):
        supplier = SupplierFactory(name=name, registered_by=tw.city, phone="0571-88881234")
        tender_services.bid_record(actor=tw.pm, tender=tender, supplier=supplier, amount=Decimal(amount), bond_amount=Decimal(0))
    assert IntegritySignal.objects.count() == 1
    client = Client()
    client.force_login(tw.head)
    for url in (
        reverse("procurement:tender_detail", args=[tender.pk]),
        reverse("projects:project_detail", args=[lot.project_id]),
    ):
        html = client.get(url).content.decode()
        assert "临江甲建设有限公司" not in html and "临江乙建设有限公司" not in html, url
    assert (
        'data-testid="integrity-signals"'
        not in client.get(reverse("procurement:tender_detail", args=[tender.pk])).content.decode()
    )


def test_discipline_workbench_keeps_bidders_sealed_until_the_opening(tw: Any, lot: ProcurementLot) -> None:
    """Given two bidders sharing a phone before the opening time, when 纪检监察 opens the workbench, then the signal is
    listed without the bidders' names (招标投标法第二十二条); after the opening its facts are shown."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.procurement.selectors.contracts import SEALED_SIGNAL_DETAIL

    discipline = UserFactory(username="jijian", full_name="纪检", agency=tw.city)
    RoleGrantFactory(user=discipline, agency=tw.city, role="discipline")
    tender = test_tenders.announce(tw, lot)
    for name, amount in (("临江甲建设有限公司", "900000"), ("临江乙建设有限公司", "950000")):
        supplier = SupplierFactory(name=name, registered_by=tw.city, phone="0571-88881234")
        tender_services.bid_record(actor=tw.pm, tender=tender, supplier=supplier, amount=Decimal(amount), bond_amount=Decimal(0))
    items = [i for i in work_items_for(discipline) if i.title.startswith("投标人关联")]
    assert len(items) == 1 and SEALED_SIGNAL_DETAIL in items[0].detail
    assert "临江甲建设有限公司" not in items[0].detail and "联系电话" not in items[0].detail
    Tender.objects.filter(pk=tender.pk).update(opening_at=tender.opening_at - dt.timedelta(days=400))
    items = [i for i in work_items_for(discipline) if i.title.startswith("投标人关联")]
    assert "临江甲建设有限公司" in items[0].detail
