"""The treasury's answer to a payment instruction (国库支付回单): recorded by hand or imported from the
treasury system's file. An instruction is paid once only; the same confirmation again changes nothing; a
rejection (退回) releases the amount on the funding source. 财务 of the project's agency only.

Import file: CSV (UTF-8, with or without BOM) or Excel (.xlsx), first row headers
``支付指令编号, 状态, 凭证号, 支付日期, 金额, 退回原因`` (状态: 成功/已支付 or 退回/失败). The same file (by
SHA-256) imported twice returns the first import's report and writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.uploads import upload_bytes_check
from govworks.finance import permissions as perms
from govworks.finance.models import FundingSource, PaymentInstruction, PaymentRequest, SourceMonth, TreasuryImport
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User

HEADERS = ("支付指令编号", "状态", "凭证号", "支付日期", "金额", "退回原因")
PAID_WORDS = {"成功", "已支付", "支付成功", "paid"}
REJECTED_WORDS = {"退回", "失败", "支付失败", "rejected"}


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def instruction_confirm(
    *,
    actor: User,
    instruction: PaymentInstruction,
    paid: bool,
    voucher_number: str = "",
    paid_on: dt.date | None = None,
    reason: str = "",
) -> tuple[PaymentInstruction, bool]:
    """Record the treasury's answer. Returns (instruction, changed). The same paid answer (same voucher)
    again changes nothing; a different answer on a settled instruction is refused (paid once only)."""
    org_perms.require(actor, perms.TREASURY, instruction.agency_id)
    voucher_number = (voucher_number or "").strip()
    if paid and (not voucher_number or paid_on is None):
        raise DomainError("finance.confirm_fields", "支付成功须填写国库支付凭证号和支付日期", field="voucher_number")
    if not paid and not (reason or "").strip():
        raise DomainError("finance.confirm_reason", "国库退回须填写退回原因", field="reason")
    with transaction.atomic():
        row = PaymentInstruction.objects.select_for_update().select_related("agency").get(pk=instruction.pk)
        if row.status == PaymentInstruction.Status.PAID:
            if paid and row.voucher_number == voucher_number:
                return row, False
            raise DomainError(
                "finance.instruction_paid_once",
                f"支付指令{row.number}已于 {row.paid_on:%Y-%m-%d} 支付（凭证号 {row.voucher_number}），一笔指令只能支付一次",
            )
        if row.status == PaymentInstruction.Status.REJECTED:
            if not paid:
                return row, False
            raise DomainError("finance.instruction_rejected", f"支付指令{row.number}已被国库退回，不能再登记支付")
        request = PaymentRequest.objects.select_for_update().select_related("project").get(pk=row.request_id)
        source = FundingSource.objects.select_for_update().get(pk=request.source_id)
        amount = Decimal(row.amount)
        committed_before, paid_before = Decimal(source.committed), Decimal(source.paid)
        source.committed = committed_before - amount
        if paid:
            source.paid = paid_before + amount
            row.status, row.voucher_number, row.paid_on = PaymentInstruction.Status.PAID, voucher_number, paid_on
            request.status, request.paid_on = PaymentRequest.Status.PAID, paid_on
            assert paid_on is not None
            month, _ = SourceMonth.objects.get_or_create(source=source, month=paid_on.replace(day=1))
            SourceMonth.objects.filter(pk=month.pk).update(paid=F("paid") + amount)
        else:
            row.status, row.rejection_reason = PaymentInstruction.Status.REJECTED, reason.strip()[:200]
            request.status = PaymentRequest.Status.TREASURY_REJECTED
        row.confirmed_at = timezone.now()
        source.save(update_fields=["committed", "paid"])
        row.save(update_fields=["status", "voucher_number", "paid_on", "rejection_reason", "confirmed_at"])
        request.save(update_fields=["status", "paid_on"])
        project = request.project
        audit_event_record(
            actor=actor,
            action="finance.instruction.paid" if paid else "finance.instruction.rejected",
            obj=row,
            agency=row.agency,
            context=project,
            summary=(
                f"{project.code} 支付指令{row.number}国库已支付 {_yuan(amount)}（凭证号 {voucher_number}，{paid_on:%Y-%m-%d}）"
                if paid
                else f"{project.code} 支付指令{row.number}被国库退回，释放 {_yuan(amount)}"
            ),
            reason=reason,
            changes={
                "status": {"before": "issued", "after": row.status},
                f"source:{source.pk}.committed": {"before": committed_before, "after": source.committed},
                f"source:{source.pk}.paid": {"before": paid_before, "after": source.paid},
            },
        )
    return row, True


@dataclass
class ImportResult:
    batch: TreasuryImport | None
    repeated: bool
    applied: int = 0
    lines: list[str] = field(default_factory=list)


def _rows(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        out = []
        for values in sheet.iter_rows(values_only=True):  # type: ignore[union-attr]
            out.append(["" if v is None else (v.strftime("%Y-%m-%d") if isinstance(v, dt.date) else str(v)) for v in values])
        return out
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _date(text: str) -> dt.date:
    text = text.strip()[:10].replace("/", "-")
    return dt.date.fromisoformat(text)


IMPORT_TYPES = (".csv", ".xlsx")
IMPORT_MAX_BYTES = 10 * 1024 * 1024


def treasury_import(*, actor: User, agency: Agency, file_name: str, content: bytes) -> ImportResult:
    """Apply a treasury confirmation file for ``agency``. Each row is applied through
    :func:`instruction_confirm` (idempotent); rows naming another agency's or an unknown instruction, or
    an amount that differs from the instruction, are reported and skipped. The same file twice: nothing."""
    org_perms.require(actor, perms.TREASURY, agency.pk)
    upload_bytes_check(content, name=file_name, field="file", types=IMPORT_TYPES, max_bytes=IMPORT_MAX_BYTES)
    digest = hashlib.sha256(content).hexdigest()
    earlier = TreasuryImport.objects.filter(agency=agency, sha256=digest).first()
    if earlier is not None:
        return ImportResult(
            batch=earlier,
            repeated=True,
            lines=[f"该文件已于 {timezone.localtime(earlier.imported_at):%Y-%m-%d %H:%M} 导入，本次未作任何更改"],
        )
    try:
        rows = _rows(file_name, content)
    except (UnicodeDecodeError, ValueError, OSError) as err:
        raise DomainError("finance.import_format", f"无法读取回单文件：{err}", field="file") from err
    if not rows or [c.strip() for c in rows[0]][:5] != list(HEADERS[:5]):
        raise DomainError("finance.import_headers", "回单文件首行应为：" + "，".join(HEADERS), field="file")
    result = ImportResult(batch=None, repeated=False)
    with transaction.atomic():
        for index, raw in enumerate(rows[1:], start=2):
            cells = [c.strip() for c in raw] + [""] * (len(HEADERS) - len(raw))
            number, state, voucher, paid_on, amount_text, reason = cells[:6]
            if not number:
                continue
            instruction = PaymentInstruction.objects.filter(agency=agency, number=number).first()
            if instruction is None:
                result.lines.append(f"第{index}行：本单位没有支付指令 {number}，跳过")
                continue
            try:
                amount = Decimal(amount_text.replace(",", ""))
            except InvalidOperation:
                result.lines.append(f"第{index}行：金额“{amount_text}”无法识别，跳过")
                continue
            if amount != instruction.amount:
                result.lines.append(
                    f"第{index}行：{number} 金额 {_yuan(amount)} 与指令金额 {_yuan(Decimal(instruction.amount))} 不符，跳过"
                )
                continue
            paid = state in PAID_WORDS
            if not paid and state not in REJECTED_WORDS:
                result.lines.append(f"第{index}行：状态“{state}”无法识别，跳过")
                continue
            try:
                with transaction.atomic():
                    _, changed = instruction_confirm(
                        actor=actor,
                        instruction=instruction,
                        paid=paid,
                        voucher_number=voucher,
                        paid_on=_date(paid_on) if paid else None,
                        reason=reason or ("" if paid else "国库退回"),
                    )
            except (DomainError, ValueError) as err:
                result.lines.append(f"第{index}行：{number} {getattr(err, 'message', err)}，跳过")
                continue
            if changed:
                result.applied += 1
                result.lines.append(f"第{index}行：{number} {'已支付' if paid else '国库退回'}，已登记")
            else:
                result.lines.append(f"第{index}行：{number} 已登记过，未作更改")
        batch = TreasuryImport.objects.create(
            agency=agency,
            file_name=file_name[:200],
            sha256=digest,
            rows_total=max(len(rows) - 1, 0),
            rows_applied=result.applied,
            report="\n".join(result.lines),
            imported_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="finance.treasury.import",
            obj=batch,
            agency=agency,
            summary=f"导入国库回单“{file_name}”：{batch.rows_total} 行，登记 {result.applied} 笔",
        )
        result.batch = batch
    return result
