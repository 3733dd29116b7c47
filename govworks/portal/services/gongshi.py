"""Writes of 阳光公示: the withdrawal (撤回) of a publication by its agency, with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import Agency
from govworks.portal import permissions_gongshi as perms
from govworks.portal.models import PortalWithdrawal, RecordType
from govworks.portal.selectors import gongshi as selectors

REASON_MIN, REASON_MAX = 4, 500


def withdraw_publication(*, actor: Any, record_type: str, record_id: int, reason: str) -> PortalWithdrawal:
    """Withdraw the published record (``record_type``, ``record_id``) with ``reason``: the portal then lists it
    as “已撤回：原因, 日期” without its content. Only a person holding “撤回阳光公示的公开信息” in the record's
    agency may; a record not (yet) published, or already withdrawn, cannot be; audited."""
    reason = (reason or "").strip()
    if record_type not in RecordType.values:
        raise DomainError("portal.withdraw.type", "公示类别不存在", field="record_type")
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise DomainError(
            "portal.withdraw.reason",
            f"撤回原因：须写明原因，{REASON_MIN}～{REASON_MAX} 个字（现为 {len(reason)} 个字）",
            field="reason",
        )
    agency_id = selectors.record_agency_id(record_type, record_id)
    if agency_id is None:
        raise DomainError("portal.withdraw.not_public", "该记录尚未公示（未经批准），无需撤回", field="record_id")
    org_perms.require(actor, perms.WITHDRAW, agency_id)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency_id)
        if PortalWithdrawal.objects.filter(record_type=record_type, record_id=record_id).exists():
            raise DomainError("portal.withdraw.duplicate", "该公示已撤回，不能重复撤回", field="record_id")
        withdrawal = PortalWithdrawal.objects.create(
            record_type=record_type, record_id=record_id, agency=agency, reason=reason, withdrawn_by=actor
        )
        audit_event_record(
            actor=actor,
            action="portal.withdraw",
            summary=f"撤回阳光公示：{RecordType(record_type).label} #{record_id}，原因：{reason}",
            obj=withdrawal,
            agency=agency,
            reason=reason,
        )
    return withdrawal  # the save moved the page-cache stamp (registrations_gongshi)
