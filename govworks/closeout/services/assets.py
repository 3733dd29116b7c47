"""Writes of the asset handover (资产移交): the 交付使用资产清单 built from the approved final cost, cards edited
and split by the preparer, submitted when the values reconcile to the cent, confirmed by the using department.
Each service checks the permission, then the rule at the moment of action, writes and records the audit event
in one transaction; a refusal (DomainError) changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from govworks.closeout import permissions_final as perms
from govworks.closeout import rules_final_accounts as rules
from govworks.closeout.asset_classes import CLASS_NAMES
from govworks.closeout.models import AssetCard, AssetHandover, FinalAccounts, FinalCostLine
from govworks.closeout.reports_final import asset_list_pdf
from govworks.closeout.selectors import assets as selectors
from govworks.closeout.selectors import final_accounts as fa_selectors
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import Department, User
from govworks.projects.models import DocumentType, Project, Stage
from govworks.projects.services.documents import document_upload

#: the card fields a preparer edits (value only changes by splitting)
CARD_FIELDS = ("name", "class_code", "quantity", "unit", "location", "custodian_department", "delivered_on")


def _locked(handover: AssetHandover) -> AssetHandover:
    return (
        AssetHandover.objects.select_for_update(of=("self",))
        .select_related("project", "project__agency", "using_department")
        .get(pk=handover.pk)
    )


def _require_draft(handover: AssetHandover) -> None:
    if handover.status != AssetHandover.Status.DRAFT:
        raise DomainError("assets.locked", f"交付使用资产清单{handover.get_status_display()}，不能再修改")


def _check_card(values: dict[str, Any], agency_id: int) -> None:
    if not str(values.get("name", "")).strip():
        raise DomainError("assets.name", "请填写资产名称", field="name")
    if values.get("class_code") not in CLASS_NAMES:
        raise DomainError(
            "assets.class_code", f"资产分类代码“{values.get('class_code')}”不在 GB/T 14885 分类代码表中", field="class_code"
        )
    if Decimal(values.get("quantity") or 0) <= 0:
        raise DomainError("assets.quantity", "数量须大于0", field="quantity")
    if not str(values.get("unit", "")).strip():
        raise DomainError("assets.unit", "请填写计量单位", field="unit")
    dept = values.get("custodian_department")
    if dept is not None and dept.agency_id != agency_id:
        raise DomainError("assets.custodian", "保管部门须为本单位科室", field="custodian_department")


def asset_handover_start(*, actor: User, project: Project, using_department: Department) -> AssetHandover:
    """Build the 交付使用资产清单 from the approved final cost: one card per cost line (class 房屋, quantity 1,
    value = the line's amount), to be edited and split. Refused before the final accounts are approved."""
    org_perms.require(actor, perms.ASSET_PREPARE, project.agency_id)
    if using_department.agency_id != project.agency_id:
        raise DomainError("assets.department", "使用部门须为本单位科室", field="using_department")
    with transaction.atomic():
        project = Project.objects.select_for_update(of=("self",)).select_related("agency").get(pk=project.pk)
        if project.stage == Stage.CLOSED:
            raise DomainError("assets.closed", "项目已关闭")
        fa = FinalAccounts.objects.filter(project=project).first()
        on = fa_selectors.approved_on(project) if fa else None
        if fa is None or on is None:
            raise DomainError("assets.final_accounts", "竣工财务决算批准后方可按批复造价编制交付使用资产清单")
        if AssetHandover.objects.filter(project=project).exists():
            raise DomainError("assets.exists", "该项目已有交付使用资产清单")
        handover = AssetHandover.objects.create(
            project=project, final_accounts=fa, using_department=using_department, drafted_by=actor
        )
        delivered = fa_selectors.completion_date(project) or timezone.localdate()
        lines = [line for line in FinalCostLine.objects.filter(final_accounts=fa).order_by("kind", "id") if line.amount > 0]
        AssetCard.objects.bulk_create(
            [
                AssetCard(
                    handover=handover,
                    line=line,
                    seq=i,
                    name=line.label[:120],
                    class_code="1020000",
                    quantity=Decimal(1),
                    unit="项",
                    value=line.amount,
                    location=project.location[:200],
                    custodian_department=using_department,
                    delivered_on=delivered,
                    created_by=actor,
                )
                for i, line in enumerate(lines, start=1)
            ]
        )
        audit_event_record(
            actor=actor,
            action="closeout.asset.start",
            obj=handover,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 编制交付使用资产清单：{len(lines)} 张卡片，使用部门 {using_department.name}",
        )
    return handover


def asset_card_update(*, actor: User, card: AssetCard, **values: Any) -> AssetCard:
    """Edit a card's description (name, class code, quantity, unit, location, custodian, date); not its value."""
    handover = card.handover
    org_perms.require(actor, perms.ASSET_PREPARE, handover.project.agency_id)
    unknown = set(values) - set(CARD_FIELDS)
    if unknown:
        raise DomainError("assets.field", "资产价值只能通过拆分调整")
    merged = {f: values.get(f, getattr(card, f)) for f in CARD_FIELDS}
    _check_card(merged, handover.project.agency_id)
    with transaction.atomic():
        handover = _locked(handover)
        _require_draft(handover)
        row = AssetCard.objects.select_for_update().get(pk=card.pk)
        before = {f: str(getattr(row, f)) for f in CARD_FIELDS}
        for f, v in merged.items():
            setattr(row, f, v.strip() if isinstance(v, str) else v)
        row.save()
        after = {f: str(getattr(row, f)) for f in CARD_FIELDS}
        audit_event_record(
            actor=actor,
            action="closeout.asset.card_update",
            obj=row,
            agency=handover.project.agency,
            context=handover.project,
            summary=f"{handover.project.code} 修改资产卡片 {row.seq}：{row.name}（{row.class_code}）",
            changes={f: {"before": before[f], "after": after[f]} for f in CARD_FIELDS if before[f] != after[f]},
        )
    return row


def asset_card_split(*, actor: User, card: AssetCard, parts: list[dict[str, Any]]) -> list[AssetCard]:
    """Split ``card`` into several cards (e.g. the building, its lift and its air conditioning): the parts' values
    must add up to the card's value to the cent (refused with the numbers). The first part keeps the card."""
    handover = card.handover
    org_perms.require(actor, perms.ASSET_PREPARE, handover.project.agency_id)
    problem = rules.split_problem(original=Decimal(card.value), parts=[Decimal(p.get("value") or 0) for p in parts])
    if problem:
        raise DomainError("assets.split", problem, field="parts")
    for p in parts:
        _check_card({**{f: getattr(card, f) for f in CARD_FIELDS}, **p}, handover.project.agency_id)
    with transaction.atomic():
        handover = _locked(handover)
        _require_draft(handover)
        row = AssetCard.objects.select_for_update().get(pk=card.pk)
        if Decimal(row.value) != Decimal(card.value):
            raise DomainError("assets.split_stale", "卡片已被他人修改，请刷新后重试")
        next_seq = (AssetCard.objects.filter(handover=handover).aggregate(m=Max("seq"))["m"] or 0) + 1
        made = []
        original = {f: getattr(row, f) for f in CARD_FIELDS}
        for i, p in enumerate(parts):
            target = row if i == 0 else AssetCard(handover=handover, line_id=row.line_id, created_by=actor, seq=next_seq + i - 1)
            for f in CARD_FIELDS:
                value = p.get(f, original[f])
                setattr(target, f, value.strip() if isinstance(value, str) else value)
            target.value = Decimal(p["value"])
            target.save()
            made.append(target)
        audit_event_record(
            actor=actor,
            action="closeout.asset.card_split",
            obj=row,
            agency=handover.project.agency,
            context=handover.project,
            summary=f"{handover.project.code} 资产卡片 {row.seq} 拆分为 {len(made)} 张："
            + "、".join(f"{c.name} {rules.yuan(Decimal(c.value))}" for c in made),
        )
    return made


def asset_handover_submit(*, actor: User, handover: AssetHandover) -> AssetHandover:
    """Submit the list to the using department: refused unless every line's cards and the total reconcile with the
    approved final cost exactly (the differences named with the numbers)."""
    org_perms.require(actor, perms.ASSET_PREPARE, handover.project.agency_id)
    with transaction.atomic():
        handover = _locked(handover)
        _require_draft(handover)
        view = selectors.handover_view(handover.project)
        problems = view.problems
        if problems:
            raise DomainError("assets.reconcile", "；".join(problems))
        handover.status = AssetHandover.Status.SUBMITTED
        handover.submitted_by, handover.submitted_at = actor, timezone.now()
        handover.save()
        audit_event_record(
            actor=actor,
            action="closeout.asset.submit",
            obj=handover,
            agency=handover.project.agency,
            context=handover.project,
            summary=f"{handover.project.code} 提交交付使用资产清单：{len(view.cards)} 张卡片，合计 {rules.yuan(view.cards_total)}，"
            f"待{handover.using_department.name}确认",
        )
    return handover


def asset_handover_confirm(*, actor: User, handover: AssetHandover, accept: bool, note: str = "") -> AssetHandover:
    """The using department confirms receipt (or returns the list with a reason): a business person of that
    department, never whoever prepared or submitted the list."""
    note = note.strip()
    if actor.department_id != handover.using_department_id or actor.agency_id != handover.project.agency_id:
        raise DomainError("assets.confirm_department", f"须由使用部门（{handover.using_department.name}）人员确认接收")
    org_perms.require_business_person(actor, duty="资产接收确认人")
    if actor.pk in (handover.drafted_by_id, handover.submitted_by_id):
        raise DomainError("assets.confirm_sod", "职责分离：资产清单的编制人、提交人不能确认接收")
    if not accept and not note:
        raise DomainError("assets.return_reason", "退回须填写理由", field="note")
    with transaction.atomic():
        handover = _locked(handover)
        if handover.status != AssetHandover.Status.SUBMITTED:
            raise DomainError("assets.not_submitted", f"交付使用资产清单{handover.get_status_display()}，不能确认")
        if accept:
            problems = selectors.handover_view(handover.project).problems
            if problems:
                raise DomainError("assets.reconcile", "；".join(problems))
            handover.status = AssetHandover.Status.CONFIRMED
            handover.confirmed_by, handover.confirmed_on = actor, timezone.localdate()
        else:
            handover.status = AssetHandover.Status.DRAFT
        handover.confirm_note = note or "确认接收"
        handover.save()
        audit_event_record(
            actor=actor,
            action=f"closeout.asset.{'confirm' if accept else 'return'}",
            obj=handover,
            agency=handover.project.agency,
            context=handover.project,
            summary=f"{handover.project.code} {handover.using_department.name}"
            + ("确认接收交付使用资产" if accept else "退回交付使用资产清单"),
            reason=handover.confirm_note,
        )
    return handover


def asset_list_file(*, actor: User, handover: AssetHandover) -> AssetHandover:
    """File the confirmed list as the stage's 《交付使用资产清单》 document (PDF, a new version)."""
    org_perms.require(actor, perms.ASSET_PREPARE, handover.project.agency_id)
    with transaction.atomic():
        handover = _locked(handover)
        if handover.status != AssetHandover.Status.CONFIRMED:
            raise DomainError("assets.not_confirmed", "使用部门确认接收后方可归档资产清单")
        project = handover.project
        doc_type = DocumentType.objects.filter(code="asset_handover_list").first()
        if doc_type is not None:
            data = asset_list_pdf(selectors.handover_view(project))
            document_upload(
                actor=actor,
                project=project,
                doc_type=doc_type,
                file=SimpleUploadedFile(f"{project.code}-交付使用资产清单.pdf", data, content_type="application/pdf"),
                note="系统生成（使用部门已确认接收）",
            )
        handover.list_filed_at = timezone.now()
        handover.save(update_fields=["list_filed_at"])
        audit_event_record(
            actor=actor,
            action="closeout.asset.file_list",
            obj=handover,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 交付使用资产清单归档",
        )
    return handover
