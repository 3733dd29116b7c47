"""Writes of the supplier register. Who may do what is in ``permissions``' docstring: anyone holding
工程管理岗 or 科室负责人 registers; only the registering agency's people keep a record; listings need
科室负责人 or 纪检监察 and a deciding document. Every write is one transaction with one audit event;
every refusal raises before anything is written.

The award module (later) calls :func:`supplier_award_problem` before awarding and, when it answers a
reason, refuses and calls :func:`supplier_award_refused_record` *after* its own transaction has rolled
back, so the trace for 纪检监察 survives the refusal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record, diff
from govworks.core.audited import audited_create, audited_update, snapshot
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, ExternalOrganization, User
from govworks.org.rules import credit_code_problem
from govworks.procurement import permissions as perms
from govworks.procurement import rules
from govworks.procurement.models import (
    PerformanceEvaluation,
    Qualification,
    Supplier,
    SupplierBankAccount,
    SupplierCategory,
    SupplierContact,
    SupplierListing,
)
from govworks.procurement.selectors.suppliers import AWARD_REFUSED_ACTION, listing_facts, qualification_facts

SUPPLIER_FIELDS = (
    "name",
    "credit_code",
    "category",
    "legal_representative",
    "registered_capital",
    "phone",
    "address",
    "external_org",
    "note",
)


def _require_keeper(actor: User, supplier: Supplier) -> None:
    """Only the registering agency's 工程管理岗/科室负责人 change a supplier record."""
    if not perms.may_edit_supplier(actor, supplier):
        raise PermissionDenied(f"供应商“{supplier.name}”由{supplier.registered_by}登记，只能由该单位的工程管理岗或科室负责人维护")


def _check_supplier(instance: Supplier) -> None:
    problem = credit_code_problem(instance.credit_code or "")
    if problem:
        raise DomainError("procurement.credit_code_invalid", problem, field="credit_code")
    existing = Supplier.objects.filter(credit_code=instance.credit_code).exclude(pk=instance.pk).first()
    if existing is not None:
        raise DomainError(
            "procurement.supplier_duplicate",
            f"统一社会信用代码 {instance.credit_code} 已登记为供应商“{existing.name}”（{existing.registered_by}登记），请勿重复登记",
            field="credit_code",
        )
    org: ExternalOrganization | None = instance.external_org
    if org is not None and org.credit_code != instance.credit_code:
        raise DomainError(
            "procurement.external_org_mismatch",
            f"所选外部单位“{org.name}”的统一社会信用代码为 {org.credit_code}，与供应商不一致",
            field="external_org",
        )


def supplier_create(*, actor: User, agency: Agency, **fields: Any) -> Supplier:
    """Register a company in the shared register in the name of ``agency``. Refused: no 工程管理岗/科室负责人
    role there, an invalid or already registered 统一社会信用代码."""
    org_perms.require(actor, perms.SUPPLIER_REGISTER, agency.pk)
    try:
        return audited_create(
            actor=actor,
            instance=Supplier(registered_by=agency, **fields),
            tracked=SUPPLIER_FIELDS,
            action="procurement.supplier.create",
            summary=lambda s: f"登记供应商“{s.name}”（{s.credit_code}）",
            agency=agency,
            check=_check_supplier,
        )
    except IntegrityError as err:  # a concurrent registration of the same code won the race
        raise DomainError(
            "procurement.supplier_duplicate", "该统一社会信用代码刚被登记，请勿重复登记", field="credit_code"
        ) from err


def supplier_update(*, actor: User, supplier: Supplier, **changes: Any) -> Supplier:
    """Change a supplier's details (the registering agency's people only); same checks as registering."""
    _require_keeper(actor, supplier)
    return audited_update(
        actor=actor,
        model=Supplier,
        pk=supplier.pk,
        changes=changes,
        tracked=SUPPLIER_FIELDS,
        action="procurement.supplier.update",
        summary=lambda s: f"修改供应商“{s.name}”",
        agency=lambda s: s.registered_by,
        check=_check_supplier,
    )


def supplier_contact_add(
    *, actor: User, supplier: Supplier, name: str, phone: str, title: str = "", email: str = "", is_primary: bool = False
) -> SupplierContact:
    """Add a contact person; a new primary contact replaces the previous one as primary."""
    _require_keeper(actor, supplier)
    with transaction.atomic():
        if is_primary:
            supplier.contacts.filter(is_primary=True).update(is_primary=False)
        return audited_create(
            actor=actor,
            instance=SupplierContact(supplier=supplier, name=name, phone=phone, title=title, email=email, is_primary=is_primary),
            tracked=("name", "title", "phone", "email", "is_primary"),
            action="procurement.supplier.contact_add",
            summary=lambda c: f"供应商“{supplier.name}”新增联系人 {c.name}",
            agency=supplier.registered_by,
        )


def supplier_bank_account_add(
    *, actor: User, supplier: Supplier, bank_name: str, account_name: str, account_number: str, is_default: bool = False
) -> SupplierBankAccount:
    """Add a bank account. Refused: the same account number twice. A new default replaces the old one."""
    _require_keeper(actor, supplier)
    number = account_number.replace(" ", "")
    digest = SupplierBankAccount._meta.get_field("account_digest").digest_of(number)  # type: ignore[union-attr]
    if supplier.bank_accounts.filter(account_digest=digest).exists():  # matched on the keyed digest, not the number
        raise DomainError("procurement.bank_account_duplicate", f"银行账号 {number} 已登记", field="account_number")
    with transaction.atomic():
        if is_default:
            supplier.bank_accounts.filter(is_default=True).update(is_default=False)
        return audited_create(
            actor=actor,
            instance=SupplierBankAccount(
                supplier=supplier, bank_name=bank_name, account_name=account_name, account_number=number, is_default=is_default
            ),
            tracked=("bank_name", "account_name", "account_number", "is_default"),  # the number masked (snapshot)
            action="procurement.supplier.bank_account_add",
            summary=lambda a: f"供应商“{supplier.name}”新增银行账户 {a}",
            agency=supplier.registered_by,
        )


def qualification_add(
    *,
    actor: User,
    supplier: Supplier,
    kind: str,
    category: str,
    grade: str,
    certificate_number: str,
    issued_on: dt.date,
    expires_on: dt.date,
    issued_by: str = "",
) -> Qualification:
    """Record a qualification certificate. Refused: expiry on or before the issue date, a certificate
    number already recorded for this supplier."""
    _require_keeper(actor, supplier)
    if category not in SupplierCategory.values:
        raise DomainError("procurement.qualification_category", "请选择资质适用类别", field="category")
    if expires_on <= issued_on:
        raise DomainError(
            "procurement.qualification_dates",
            f"有效期至 {expires_on.isoformat()} 须晚于发证日期 {issued_on.isoformat()}",
            field="expires_on",
        )
    if supplier.qualifications.filter(certificate_number=certificate_number).exists():
        raise DomainError(
            "procurement.qualification_duplicate", f"证书编号 {certificate_number} 已登记", field="certificate_number"
        )
    return audited_create(
        actor=actor,
        instance=Qualification(
            supplier=supplier,
            kind=kind,
            category=category,
            grade=grade,
            certificate_number=certificate_number,
            issued_by=issued_by,
            issued_on=issued_on,
            expires_on=expires_on,
        ),
        tracked=("kind", "category", "grade", "certificate_number", "issued_by", "issued_on", "expires_on"),
        action="procurement.supplier.qualification_add",
        summary=lambda q: f"供应商“{supplier.name}”登记资质 {q.kind}{q.grade}（有效期至 {q.expires_on.isoformat()}）",
        agency=supplier.registered_by,
    )


def supplier_evaluate(
    *,
    actor: User,
    supplier: Supplier,
    agency: Agency,
    contract_name: str,
    score: int,
    comment: str,
    evaluated_on: dt.date,
    project: Any | None = None,
) -> PerformanceEvaluation:
    """Record a 履约评价 (0–100) in the name of ``agency``, for one of its projects when given. Refused:
    no 工程管理岗/科室负责人 role there, a score outside 0–100, a project of another agency, a date in
    the future, an empty comment."""
    org_perms.require(actor, perms.SUPPLIER_EVALUATE, agency.pk)
    if not 0 <= score <= 100:
        raise DomainError(
            "procurement.evaluation_score", f"评分须在 0 到 100 之间（含 0 和 100），填写的是 {score}", field="score"
        )
    if project is not None and project.agency_id != agency.pk:
        raise DomainError("procurement.evaluation_project", f"项目“{project.name}”不是{agency.name}的项目", field="project")
    if evaluated_on > timezone.localdate():
        raise DomainError("procurement.evaluation_date", "评价日期不能晚于今天", field="evaluated_on")
    if not comment.strip():
        raise DomainError("procurement.evaluation_comment", "请填写评价意见", field="comment")
    return audited_create(
        actor=actor,
        instance=PerformanceEvaluation(
            supplier=supplier,
            agency=agency,
            project=project,
            contract_name=contract_name,
            score=score,
            comment=comment,
            evaluated_on=evaluated_on,
            evaluated_by=actor,
        ),
        tracked=("contract_name", "score", "evaluated_on", "project"),
        action="procurement.supplier.evaluate",
        summary=lambda e: f"对供应商“{supplier.name}”履约评价：{e.contract_name} {e.score} 分",
        agency=agency,
    )


def supplier_listing_add(
    *,
    actor: User,
    supplier: Supplier,
    agency: Agency,
    kind: str,
    reason: str,
    starts_on: dt.date,
    deciding_authority: str,
    deciding_document: str,
    ends_on: dt.date | None = None,
) -> SupplierListing:
    """List a supplier grey or black from ``starts_on`` to ``ends_on`` (inclusive; open-ended when None),
    recorded by ``agency``. Refused: no 科室负责人/纪检监察 role there, no deciding document or reason,
    a period that ends before it starts."""
    org_perms.require(actor, perms.SUPPLIER_LISTING, agency.pk)
    problem = rules.listing_problem(
        kind=kind, starts_on=starts_on, ends_on=ends_on, deciding_document=deciding_document, reason=reason
    )
    if problem:
        field, message = problem
        raise DomainError("procurement.listing_invalid", message, field=field)
    if not deciding_authority.strip():
        raise DomainError("procurement.listing_authority", "请填写作出决定的机关", field="deciding_authority")
    with transaction.atomic():
        Supplier.objects.select_for_update().filter(pk=supplier.pk).first()  # one listing change at a time
        listing = SupplierListing(
            supplier=supplier,
            kind=kind,
            reason=reason,
            starts_on=starts_on,
            ends_on=ends_on,
            deciding_authority=deciding_authority,
            deciding_document=deciding_document,
            decided_by=agency,
            recorded_by=actor,
        )
        listing.full_clean()
        listing.save()
        audit_event_record(
            actor=actor,
            action="procurement.supplier.list",
            obj=supplier,
            agency=agency,
            summary=(
                f"供应商“{supplier.name}”列入{listing.get_kind_display()}（{rules.period_text(starts_on, ends_on)}），"
                f"依据{deciding_authority}《{deciding_document}》"
            ),
            changes=diff({}, snapshot(listing, ["kind", "starts_on", "ends_on", "deciding_authority", "deciding_document"])),
            reason=reason,
        )
    return listing


def supplier_listing_lift(*, actor: User, listing: SupplierListing, reason: str, document: str) -> SupplierListing:
    """Lift a listing before its end (科室负责人/纪检监察 of the agency that recorded it), with a reason and
    the document that decided it. Refused: already lifted or already ended, no reason or document."""
    org_perms.require(actor, perms.SUPPLIER_LISTING, listing.decided_by_id)
    if not reason.strip():
        raise DomainError("procurement.lift_reason", "请填写移出理由", field="reason")
    if not document.strip():
        raise DomainError("procurement.lift_document", "移出名单须有决定文书（文号）", field="document")
    with transaction.atomic():
        row = SupplierListing.objects.select_for_update().select_related("supplier").get(pk=listing.pk)
        if row.lifted_at is not None:
            raise DomainError("procurement.lift_done", f"该名单已于 {timezone.localtime(row.lifted_at):%Y-%m-%d} 移出")
        today = timezone.localdate()
        if row.ends_on is not None and row.ends_on < today:
            raise DomainError("procurement.lift_ended", f"该名单已于 {row.ends_on.isoformat()} 期满，无需移出")
        row.lifted_at = timezone.now()
        row.lifted_by = actor
        row.lifted_reason = reason
        row.lifted_document = document
        row.save(update_fields=["lifted_at", "lifted_by", "lifted_reason", "lifted_document"])
        audit_event_record(
            actor=actor,
            action="procurement.supplier.unlist",
            obj=row.supplier,
            agency=row.decided_by,
            summary=f"供应商“{row.supplier.name}”移出{row.get_kind_display()}，依据《{document}》",
            reason=reason,
        )
    return row


def supplier_award_problem(supplier: Supplier, *, on: dt.date, category: str | None = None) -> str | None:
    """Why ``supplier`` may not be awarded a contract on ``on`` (of ``category`` when given), in Chinese,
    naming the black listing with its deciding document and period, or the expired qualification with its
    expiry date; None when it may. Two queries. See :func:`rules.award_problem`."""
    listings = [listing_facts(x) for x in SupplierListing.objects.filter(supplier=supplier)]
    quals = [qualification_facts(q) for q in Qualification.objects.filter(supplier=supplier)]
    return rules.award_problem(listings=listings, qualifications=quals, on=on, category=category)


def supplier_award_refused_record(*, actor: User, supplier: Supplier, project: Any, reason: str) -> Any:
    """Record that awarding ``project``'s contract to ``supplier`` was refused, for 纪检监察 of the
    project's agency (their workbench lists these for 30 days). Call it outside the refused transaction."""
    from govworks.procurement.signals import award_refusal_reported

    with transaction.atomic():
        event = audit_event_record(
            actor=actor,
            action=AWARD_REFUSED_ACTION,
            obj=supplier,
            agency=project.agency,
            context=project,
            summary=f"拒绝向供应商“{supplier.name}”授予项目“{project.name}”的合同",
            reason=reason,
        )
        award_refusal_reported(event, project)  # to the risk centre, once committed
    return event
