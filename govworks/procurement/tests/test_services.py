"""Services of the supplier register: given a world, when a write is made, then exactly this changed;
on every refusal nothing changed (rows and audit trail)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.org.tests.factories import make_credit_code
from govworks.procurement.models import (
    PerformanceEvaluation,
    Qualification,
    Supplier,
    SupplierBankAccount,
    SupplierContact,
    SupplierListing,
)
from govworks.procurement.services import supplier_award_problem, supplier_award_refused_record
from govworks.procurement.services import suppliers as services
from govworks.procurement.tests.factories import ListingFactory, QualificationFactory, SupplierFactory

GOOD = make_credit_code(777, prefix="91")


def state() -> Any:
    return (
        list(Supplier.objects.order_by("pk").values_list("pk", "name", "credit_code", "legal_representative")),
        SupplierContact.objects.count(),
        SupplierBankAccount.objects.count(),
        list(Qualification.objects.values_list("pk", "expires_on")),
        PerformanceEvaluation.objects.count(),
        list(SupplierListing.objects.order_by("pk").values_list("pk", "lifted_at", "lifted_reason")),
        AuditEvent.objects.count(),
    )


def refused(fn: Any, code: str | None = None, exc: type[Exception] = DomainError) -> Any:
    before = state()
    with pytest.raises(exc) as info:
        fn()
    assert state() == before
    if code is not None:
        assert info.value.code == code  # type: ignore[attr-defined]
    return info.value


def create(actor: Any, agency: Any, **kw: Any) -> Supplier:
    fields = {
        "name": "临江宏宇建设有限公司",
        "credit_code": GOOD,
        "category": "general_contracting",
        "legal_representative": "周宏宇",
    }
    fields.update(kw)
    return services.supplier_create(actor=actor, agency=agency, **fields)


def test_create_records_supplier_and_audit(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    assert (supplier.registered_by, supplier.credit_code) == (sw.city, GOOD)
    event = AuditEvent.objects.get(action="procurement.supplier.create")
    assert event.summary == f"登记供应商“临江宏宇建设有限公司”（{GOOD}）"
    assert event.agency_id == sw.city.pk


def test_invalid_credit_code_refused(sw: Any) -> None:
    bad = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    err = refused(lambda: create(sw.pm, sw.city, credit_code=bad), "procurement.credit_code_invalid")
    assert err.message == f"统一社会信用代码校验位错误：第18位应为 {GOOD[17]}，实为 {bad[17]}"
    assert err.field == "credit_code"
    refused(lambda: create(sw.pm, sw.city, credit_code="123"), "procurement.credit_code_invalid")


def test_duplicate_credit_code_refused_even_from_another_agency(sw: Any) -> None:
    create(sw.pm, sw.city)
    err = refused(lambda: create(sw.other_pm, sw.other, name="另一家"), "procurement.supplier_duplicate")
    assert (
        err.message == f"统一社会信用代码 {GOOD} 已登记为供应商“临江宏宇建设有限公司”（临江市机关事务管理局登记），请勿重复登记"
    )


def test_create_needs_register_role_in_that_agency(sw: Any) -> None:
    refused(lambda: create(sw.no_role, sw.city), exc=PermissionDenied)
    refused(lambda: create(sw.discipline, sw.city), exc=PermissionDenied)
    refused(lambda: create(sw.pm, sw.other), exc=PermissionDenied)
    refused(lambda: create(sw.sysadmin, sw.city), exc=PermissionDenied)


def test_external_org_must_share_the_credit_code(sw: Any) -> None:
    err = refused(lambda: create(sw.pm, sw.city, external_org=sw.contractor_org), "procurement.external_org_mismatch")
    assert sw.contractor_org.credit_code in err.message
    linked = create(sw.pm, sw.city, credit_code=sw.contractor_org.credit_code, external_org=sw.contractor_org)
    assert sw.contractor_org.supplier == linked


def test_only_the_registering_agency_edits(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    refused(lambda: services.supplier_update(actor=sw.other_pm, supplier=supplier, name="改名"), exc=PermissionDenied)
    refused(lambda: services.supplier_update(actor=sw.sub_pm, supplier=supplier, name="改名"), exc=PermissionDenied)
    refused(
        lambda: services.supplier_contact_add(actor=sw.other_head, supplier=supplier, name="甲", phone="1"), exc=PermissionDenied
    )
    services.supplier_update(actor=sw.head, supplier=supplier, name="临江宏宇建设集团有限公司")
    supplier.refresh_from_db()
    assert supplier.name == "临江宏宇建设集团有限公司"
    event = AuditEvent.objects.get(action="procurement.supplier.update")
    assert event.changes == {"name": {"before": "临江宏宇建设有限公司", "after": "临江宏宇建设集团有限公司"}}


def test_update_to_a_bad_or_taken_code_refused(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    other = SupplierFactory(registered_by=sw.city)
    refused(
        lambda: services.supplier_update(actor=sw.pm, supplier=supplier, credit_code="91331000XXXXXXXXXX"),
        "procurement.credit_code_invalid",
    )
    refused(
        lambda: services.supplier_update(actor=sw.pm, supplier=supplier, credit_code=other.credit_code),
        "procurement.supplier_duplicate",
    )


def test_contacts_and_bank_accounts(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    first = services.supplier_contact_add(actor=sw.pm, supplier=supplier, name="吴斌", phone="13906712201", is_primary=True)
    second = services.supplier_contact_add(actor=sw.pm, supplier=supplier, name="周敏", phone="13906712202", is_primary=True)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    services.supplier_bank_account_add(
        actor=sw.pm,
        supplier=supplier,
        bank_name="中国建设银行临江分行",
        account_name=supplier.name,
        account_number="3301 0000 1111",
    )
    err = refused(
        lambda: services.supplier_bank_account_add(
            actor=sw.pm, supplier=supplier, bank_name="x", account_name="y", account_number="330100001111"
        ),
        "procurement.bank_account_duplicate",
    )
    assert err.message == "银行账号 330100001111 已登记"


def test_qualification_expiry_before_or_on_issue_refused(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    kw = {
        "actor": sw.pm,
        "supplier": supplier,
        "kind": "建筑工程施工总承包",
        "category": "general_contracting",
        "grade": "二级",
        "certificate_number": "D1",
    }
    err = refused(
        lambda: services.qualification_add(**kw, issued_on=dt.date(2026, 5, 1), expires_on=dt.date(2026, 4, 30)),
        "procurement.qualification_dates",
    )
    assert err.message == "有效期至 2026-04-30 须晚于发证日期 2026-05-01"
    refused(
        lambda: services.qualification_add(**kw, issued_on=dt.date(2026, 5, 1), expires_on=dt.date(2026, 5, 1)),
        "procurement.qualification_dates",
    )
    q = services.qualification_add(**kw, issued_on=dt.date(2026, 5, 1), expires_on=dt.date(2031, 5, 1))
    assert q.expires_on == dt.date(2031, 5, 1)
    refused(
        lambda: services.qualification_add(**kw, issued_on=dt.date(2026, 5, 1), expires_on=dt.date(2031, 5, 1)),
        "procurement.qualification_duplicate",
    )


def test_evaluate(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    today = timezone.localdate()
    kw = {
        "actor": sw.pm,
        "supplier": supplier,
        "agency": sw.city,
        "contract_name": "维修合同",
        "comment": "良好",
        "evaluated_on": today,
    }
    refused(lambda: services.supplier_evaluate(**kw, score=101), "procurement.evaluation_score")
    refused(
        lambda: services.supplier_evaluate(**{**kw, "evaluated_on": today + dt.timedelta(days=1)}, score=90),
        "procurement.evaluation_date",
    )
    refused(lambda: services.supplier_evaluate(**{**kw, "agency": sw.other}, score=90), exc=PermissionDenied)
    e0 = services.supplier_evaluate(**kw, score=0)
    e100 = services.supplier_evaluate(**kw, score=100)
    assert (e0.score, e100.score, e0.evaluated_by) == (0, 100, sw.pm)
    # another agency may evaluate the shared supplier in its own name
    services.supplier_evaluate(**{**kw, "actor": sw.other_pm, "agency": sw.other}, score=70)
    assert PerformanceEvaluation.objects.filter(supplier=supplier).count() == 3


def listing_kw(sw: Any, supplier: Supplier, **kw: Any) -> dict[str, Any]:
    base = {
        "actor": sw.discipline,
        "supplier": supplier,
        "agency": sw.city,
        "kind": "black",
        "reason": "违法分包",
        "starts_on": dt.date(2026, 3, 1),
        "ends_on": dt.date(2026, 3, 31),
        "deciding_authority": "临江市住房和城乡建设局",
        "deciding_document": "临建罚〔2026〕17号",
    }
    base.update(kw)
    return base


def test_listing_without_document_refused(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    err = refused(
        lambda: services.supplier_listing_add(**listing_kw(sw, supplier, deciding_document="  ")), "procurement.listing_invalid"
    )
    assert (err.message, err.field) == ("列入灰名单、黑名单须有决定文书（文号）", "deciding_document")
    refused(
        lambda: services.supplier_listing_add(**listing_kw(sw, supplier, ends_on=dt.date(2026, 2, 28))),
        "procurement.listing_invalid",
    )


def test_listing_roles(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    refused(lambda: services.supplier_listing_add(**listing_kw(sw, supplier, actor=sw.pm)), exc=PermissionDenied)
    refused(lambda: services.supplier_listing_add(**listing_kw(sw, supplier, actor=sw.other_head)), exc=PermissionDenied)
    services.supplier_listing_add(**listing_kw(sw, supplier, actor=sw.head))
    # another agency's 纪检监察 lists the shared supplier in its own name
    services.supplier_listing_add(**listing_kw(sw, supplier, actor=sw.other_discipline, agency=sw.other, kind="grey"))
    assert SupplierListing.objects.filter(supplier=supplier).count() == 2
    event = AuditEvent.objects.filter(action="procurement.supplier.list").order_by("seq").first()
    assert event is not None
    assert (
        event.summary
        == "供应商“临江宏宇建设有限公司”列入黑名单（2026-03-01 至 2026-03-31），依据临江市住房和城乡建设局《临建罚〔2026〕17号》"
    )


def test_award_problem_blacklist_boundaries(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    services.supplier_listing_add(**listing_kw(sw, supplier))
    message = "该供应商已被临江市住房和城乡建设局以《临建罚〔2026〕17号》列入黑名单（2026-03-01 至 2026-03-31），不得授予合同"
    assert supplier_award_problem(supplier, on=dt.date(2026, 2, 28)) is None
    assert supplier_award_problem(supplier, on=dt.date(2026, 3, 1)) == message
    assert supplier_award_problem(supplier, on=dt.date(2026, 3, 31)) == message
    assert supplier_award_problem(supplier, on=dt.date(2026, 4, 1)) is None


def test_award_problem_expired_qualification_boundaries(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    QualificationFactory(
        supplier=supplier,
        kind="消防设施工程专业承包",
        category="fire",
        grade="一级",
        certificate_number="D8",
        expires_on=dt.date(2026, 6, 30),
    )
    assert supplier_award_problem(supplier, on=dt.date(2026, 6, 30)) is None
    assert supplier_award_problem(supplier, on=dt.date(2026, 7, 1)) == (
        "该供应商的资质“消防设施工程专业承包一级”（证书编号 D8）已于 2026-06-30 到期，须更新资质后方可授予合同"
    )
    assert supplier_award_problem(supplier, on=dt.date(2026, 7, 1), category="general_contracting") is None


def test_award_problem_ignores_grey_and_lifted(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    ListingFactory(supplier=supplier, kind="grey", starts_on=dt.date(2026, 1, 1), ends_on=None)
    black = ListingFactory(supplier=supplier, kind="black", starts_on=dt.date(2026, 1, 1), ends_on=None)
    assert supplier_award_problem(supplier, on=timezone.localdate()) is not None
    services.supplier_listing_lift(actor=sw.discipline, listing=black, reason="行政复议撤销处罚", document="临政复决〔2026〕3号")
    assert supplier_award_problem(supplier, on=timezone.localdate()) is None


def test_unlisting(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    listing = services.supplier_listing_add(**listing_kw(sw, supplier, starts_on=timezone.localdate(), ends_on=None))
    refused(
        lambda: services.supplier_listing_lift(actor=sw.discipline, listing=listing, reason="", document="x"),
        "procurement.lift_reason",
    )
    refused(
        lambda: services.supplier_listing_lift(actor=sw.discipline, listing=listing, reason="x", document=""),
        "procurement.lift_document",
    )
    refused(
        lambda: services.supplier_listing_lift(actor=sw.other_discipline, listing=listing, reason="x", document="y"),
        exc=PermissionDenied,
    )
    refused(lambda: services.supplier_listing_lift(actor=sw.pm, listing=listing, reason="x", document="y"), exc=PermissionDenied)
    lifted = services.supplier_listing_lift(actor=sw.head, listing=listing, reason="整改到位", document="临建〔2026〕30号")
    assert (lifted.lifted_by, lifted.lifted_reason, lifted.lifted_document) == (sw.head, "整改到位", "临建〔2026〕30号")
    assert lifted.lifted_at is not None
    refused(
        lambda: services.supplier_listing_lift(actor=sw.head, listing=listing, reason="x", document="y"), "procurement.lift_done"
    )
    assert AuditEvent.objects.filter(action="procurement.supplier.unlist").count() == 1


def test_unlisting_an_ended_listing_refused(sw: Any) -> None:
    supplier = create(sw.pm, sw.city)
    listing = services.supplier_listing_add(
        **listing_kw(sw, supplier, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 12, 31))
    )
    err = refused(
        lambda: services.supplier_listing_lift(actor=sw.head, listing=listing, reason="x", document="y"), "procurement.lift_ended"
    )
    assert err.message == "该名单已于 2020-12-31 期满，无需移出"


def test_award_refused_record_reaches_discipline_workbench(sw: Any, project: Any) -> None:
    from govworks.core.registry import work_items_for

    supplier = create(sw.pm, sw.city)
    event = supplier_award_refused_record(actor=sw.pm, supplier=supplier, project=project, reason="黑名单期内")
    assert (event.action, event.agency_id, event.reason) == ("procurement.supplier.award_refused", sw.city.pk, "黑名单期内")
    items = [i for i in work_items_for(sw.discipline) if i.kind == "纪检监察"]
    assert [i.title for i in items] == ["授标被拒：临江宏宇建设有限公司"]
    assert items[0].url == f"/procurement/suppliers/{supplier.pk}/"
    assert [i for i in work_items_for(sw.other_discipline) if i.kind == "纪检监察"] == []
    assert [i for i in work_items_for(sw.pm) if i.kind == "纪检监察"] == []


def test_evaluation_for_another_agencys_project_refused(sw: Any, project: Any) -> None:
    supplier = create(sw.pm, sw.city)
    err = refused(
        lambda: services.supplier_evaluate(
            actor=sw.other_pm,
            supplier=supplier,
            agency=sw.other,
            project=project,
            contract_name="空调改造施工合同",
            score=80,
            comment="良好",
            evaluated_on=timezone.localdate(),
        ),
        "procurement.evaluation_project",
    )
    assert err.message == "项目“市民中心空调改造”不是邻江市机关事务管理局的项目"
