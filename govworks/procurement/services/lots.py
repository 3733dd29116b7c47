"""Writes of a project's procurement plan: lots (标段), the method chosen for each, and the approved legal
exceptions. 工程管理岗/科室负责人 of the project's agency only; only once the project is past 立项
(先立项、后实施). Every write locks the project (so two clerks cannot split a purchase between them), runs
in one transaction with one audit event in the project's timeline, and every refusal raises before
anything is written.

* Splitting (化整为零): after a lot is added or changed, the combinable lots of its project and category
  are checked together with ``rules_methods.split_problem``; the refusal names the lots and the total.
* A chosen method is checked with ``rules_methods.allowed_methods`` on the rule parameters in force for
  the project's agency, with the total of the combinable lots of the same category; a method that is
  not allowed is refused with the decision's reasons unless a recorded, approved legal exception lifts
  the obligation. Changing a lot later must keep every chosen method of its category allowed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record, diff
from govworks.core.audited import snapshot
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement import permissions as perms
from govworks.procurement.models import IntegritySignal, LegalException, LotCategory, ProcurementLot
from govworks.procurement.rules_methods import (
    GROUND_LABELS,
    METHOD_GROUNDS,
    METHOD_LABELS,
    ExceptionKind,
    Ground,
    Method,
    ProcurementParams,
    split_problem,
)
from govworks.procurement.selectors.lots import lot_decision, lot_ref, procurement_params
from govworks.procurement.services.integrity import integrity_signal_store
from govworks.projects.models import Project, Stage
from govworks.projects.services.decisions import check_upload

LOT_FIELDS = (
    "name",
    "category",
    "estimated_amount",
    "combinable",
    "not_combinable_reason",
    "is_government_procurement",
    "notes",
)
METHOD_FIELDS = ("method", "ground", "legal_exception")
EXCEPTION_FILE_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
EXCEPTION_MAX_BYTES = 20 * 1024 * 1024
BEFORE_INITIATION = (Stage.PLANNED, Stage.INITIATION)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def _locked_project(actor: User, project: Project) -> Project:
    """Lock the project row (one plan change at a time) and check the stage: 先立项、后实施."""
    locked = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
    if locked.stage in BEFORE_INITIATION:
        raise DomainError(
            "procurement.before_initiation",
            f"项目“{locked.name}”当前处于“{Stage(locked.stage).label}”阶段，尚未完成立项：先立项、后实施，"
            "立项批复后方可编制采购计划、确定采购方式",
        )
    return locked


def _require(actor: User, project: Project) -> None:
    org_perms.require(actor, perms.LOT_MANAGE, project.agency_id)


def _check_lot_shape(lot: ProcurementLot) -> None:
    if not (lot.name or "").strip():
        raise DomainError("procurement.lot_name", "请填写标段名称", field="name")
    if lot.category not in LotCategory.values:
        raise DomainError("procurement.lot_category", "请选择标段类别（工程、货物或服务）", field="category")
    try:
        amount = Decimal(lot.estimated_amount)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("procurement.lot_amount", "请填写估算金额", field="estimated_amount") from None
    if amount <= 0:
        raise DomainError("procurement.lot_amount", f"估算金额须大于0，填写的是 {amount}", field="estimated_amount")


def _check_combinable(lot: ProcurementLot) -> None:
    """Splitting cannot be skipped silently: a lot kept out of the 化整为零 check (not combinable) needs a
    written reason; a combinable lot keeps none."""
    lot.not_combinable_reason = (lot.not_combinable_reason or "").strip()
    if lot.combinable:
        lot.not_combinable_reason = ""
    elif not lot.not_combinable_reason:
        raise DomainError(
            "procurement.lot_not_combinable_reason",
            f"取消“可合并”后，{lot.name or '本标段'}不参与化整为零（16号令第五条、政府采购法第二十八条）检查，"
            "须写明不能与同类标段合并采购的理由",
            field="not_combinable_reason",
        )


def _signal_not_combinable(actor: User, project: Project, lot: ProcurementLot) -> None:
    """Show 纪检监察 a lot kept out of the splitting check, with its reason (one signal per lot, updated
    when the reason changes)."""
    if lot.combinable:
        return
    integrity_signal_store(
        actor=actor,
        project=project,
        kind=IntegritySignal.Kind.SPLIT_CHECK_SKIPPED,
        fingerprint=f"lot:{lot.pk}",
        detail=(
            f"{lot}（{lot.get_category_display()}，估算 {_yuan(Decimal(lot.estimated_amount))}）标为不与同类标段合并采购，"
            f"未参与化整为零检查。理由：{lot.not_combinable_reason}"
        ),
    )


def _check_plan(project: Project, changed: ProcurementLot, others: list[ProcurementLot]) -> None:
    """Refuse a split in ``changed``'s category, and any chosen method of that category the change would
    no longer allow. ``others``: the project's other lots as stored."""
    params: ProcurementParams = procurement_params(project.agency)
    lots = [*others, changed]
    same = [x for x in lots if x.category == changed.category]
    problem = split_problem([lot_ref(x, project) for x in same], params=params)
    if problem:
        raise DomainError("procurement.split", problem, field="estimated_amount")
    for lot in same:
        if not lot.method:
            continue
        decision = lot_decision(lot, lots, project, params)
        reason = decision.reason(Method(lot.method))
        if reason:
            raise DomainError(
                "procurement.method_invalidated",
                f"{lot}已确定采购方式“{METHOD_LABELS[Method(lot.method)]}”，本次变更后不再允许：{reason}",
                field="estimated_amount",
            )


def lot_create(
    *,
    actor: User,
    project: Project,
    name: str,
    category: str,
    estimated_amount: Decimal,
    combinable: bool = True,
    not_combinable_reason: str = "",
    is_government_procurement: bool = True,
    notes: str = "",
) -> ProcurementLot:
    """Add a lot to ``project``'s procurement plan, numbered after the last one. A lot that is not
    combinable (kept out of the splitting check) needs ``not_combinable_reason``, kept on the lot and shown
    to 纪检监察 as an integrity signal. Refused: no 工程管理岗/科室负责人 role in the project's agency, a
    project not yet past 立项, a split, a lot not combinable without a reason."""
    _require(actor, project)
    with transaction.atomic():
        locked = _locked_project(actor, project)
        others = list(ProcurementLot.objects.filter(project=locked).select_related("legal_exception").order_by("seq"))
        lot = ProcurementLot(
            project=locked,
            seq=max((x.seq for x in others), default=0) + 1,
            name=name,
            category=category,
            estimated_amount=estimated_amount,
            combinable=combinable,
            not_combinable_reason=not_combinable_reason,
            is_government_procurement=is_government_procurement,
            notes=notes,
        )
        _check_lot_shape(lot)
        _check_combinable(lot)
        _check_plan(locked, lot, others)
        lot.full_clean()
        lot.save()
        audit_event_record(
            actor=actor,
            action="procurement.lot.create",
            obj=lot,
            agency=locked.agency,
            context=locked,
            summary=f"{locked.code} 新增{lot}（{lot.get_category_display()}，估算 {_yuan(Decimal(lot.estimated_amount))}）",
            changes=diff({}, snapshot(lot, LOT_FIELDS)),
        )
        _signal_not_combinable(actor, locked, lot)
    return lot


def lot_update(*, actor: User, lot: ProcurementLot, **changes: Any) -> ProcurementLot:
    """Change a lot's name, category, amount, combinability (with the reason when not combinable),
    政府采购 flag or notes; same checks as adding it, and every chosen method of its category must stay
    allowed. A refusal changes nothing."""
    foreign = sorted(set(changes) - set(LOT_FIELDS))
    if foreign:
        raise DomainError("core.field_not_editable", f"“{'、'.join(foreign)}”不能在此修改", field=foreign[0])
    _require(actor, lot.project)
    with transaction.atomic():
        locked = _locked_project(actor, lot.project)
        others = list(ProcurementLot.objects.filter(project=locked).exclude(pk=lot.pk).select_related("legal_exception"))
        row = ProcurementLot.objects.select_related("legal_exception").get(pk=lot.pk)
        before = snapshot(row, LOT_FIELDS)
        for key, value in changes.items():
            setattr(row, key, value)
        _check_lot_shape(row)
        _check_combinable(row)
        _check_plan(locked, row, others)
        row.full_clean()
        row.save()
        audit_event_record(
            actor=actor,
            action="procurement.lot.update",
            obj=row,
            agency=locked.agency,
            context=locked,
            summary=f"{locked.code} 修改{row}",
            changes=diff(before, snapshot(row, LOT_FIELDS)),
        )
        _signal_not_combinable(actor, locked, row)
    return row


def legal_exception_record(
    *,
    actor: User,
    project: Project,
    kind: str,
    approval_reference: str,
    approving_body: str,
    approved_on: dt.date,
    file: UploadedFile | None,
) -> LegalException:
    """Record an approved legal exception for ``project`` with its 批准文号, the approving body, the date and
    the approval (PDF or image, at most 20MB). Refused: no role, an unknown kind, no approval reference,
    no approving body, a date in the future, no file or a file of another type or too large."""
    _require(actor, project)
    if kind not in {k.value for k in ExceptionKind}:
        raise DomainError("procurement.exception_kind", "请选择法定例外情形", field="kind")
    if not (approval_reference or "").strip():
        raise DomainError(
            "procurement.exception_reference", "法定例外须有批准文号，未记录文号的例外不予认可", field="approval_reference"
        )
    if not (approving_body or "").strip():
        raise DomainError("procurement.exception_body", "请填写批准机关", field="approving_body")
    if approved_on > timezone.localdate():
        raise DomainError("procurement.exception_date", "批准日期不能晚于今天", field="approved_on")
    if file is None:
        raise DomainError("procurement.exception_file", "请上传批准文件（PDF 或图片）", field="file")
    check_upload(file, field="file", types=EXCEPTION_FILE_TYPES, max_bytes=EXCEPTION_MAX_BYTES)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
        exception = LegalException(
            project=locked,
            kind=kind,
            approval_reference=approval_reference.strip(),
            approving_body=approving_body.strip(),
            approved_on=approved_on,
            file=file,
            recorded_by=actor,
        )
        exception.full_clean()
        exception.save()
        audit_event_record(
            actor=actor,
            action="procurement.legal_exception.record",
            obj=exception,
            agency=locked.agency,
            context=locked,
            summary=f"{locked.code} 登记法定例外：{exception.get_kind_display()}，{exception.approving_body}《{exception.approval_reference}》",
            changes=diff({}, snapshot(exception, ["kind", "approval_reference", "approving_body", "approved_on"])),
        )
    return exception


def lot_choose_method(
    *, actor: User, lot: ProcurementLot, method: str, ground: str = "", exception: LegalException | None = None
) -> ProcurementLot:
    """Choose the procurement method of ``lot``, with the recorded statutory ground (适用情形) for a
    non-open method and the legal exception relied on, if any. The method is checked with
    ``allowed_methods`` on today's rule parameters for the project's agency, the total of the project's
    combinable lots of the category and the exception; refused with code
    ``procurement.method_not_allowed`` and the decision's reasons when it is not allowed."""
    _require(actor, lot.project)
    if method not in {m.value for m in Method}:
        raise DomainError("procurement.method_unknown", "请选择采购方式", field="method")
    chosen = Method(method)
    ground = ground or ""
    if ground:
        if ground not in {g.value for g in Ground}:
            raise DomainError("procurement.ground_unknown", "请选择适用情形", field="ground")
        if Ground(ground) not in METHOD_GROUNDS.get(chosen, frozenset()):
            raise DomainError(
                "procurement.ground_mismatch",
                f"“{GROUND_LABELS[Ground(ground)]}”不是{METHOD_LABELS[chosen]}的法定适用情形",
                field="ground",
            )
    if exception is not None and exception.project_id != lot.project_id:
        raise DomainError("procurement.exception_project", "所选法定例外不是本项目登记的", field="exception")
    with transaction.atomic():
        locked = _locked_project(actor, lot.project)
        lots = list(ProcurementLot.objects.filter(project=locked).select_related("legal_exception").order_by("seq"))
        row = next(x for x in lots if x.pk == lot.pk)
        params = procurement_params(locked.agency)
        decision = lot_decision(row, lots, locked, params, ground=ground, exception=exception, use_recorded_exception=False)
        if not decision.is_allowed(chosen):
            raise DomainError("procurement.method_not_allowed", decision.reason(chosen) or "", field="method")
        before = snapshot(row, METHOD_FIELDS)
        row.method, row.ground, row.legal_exception = chosen.value, ground, exception
        row.method_decided_by, row.method_decided_at = actor, timezone.now()
        row.save(update_fields=[*METHOD_FIELDS, "method_decided_by", "method_decided_at"])
        basis = (
            f"，依据法定例外《{exception.approval_reference}》" if exception is not None and decision.exception_applied else ""
        )
        audit_event_record(
            actor=actor,
            action="procurement.lot.method",
            obj=row,
            agency=locked.agency,
            context=locked,
            summary=f"{locked.code} {row}确定采购方式：{METHOD_LABELS[chosen]}{basis}",
            changes=diff(before, snapshot(row, METHOD_FIELDS)),
            reason="；".join(decision.notes),
        )
    return row
