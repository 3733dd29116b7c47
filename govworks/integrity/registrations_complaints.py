"""What 投诉举报 registers with the lower modules: the menu entry, the audit labels, the workbench items
(举报待受理 / 待答复 for 纪检监察, 逾期督办 for the agency's 主要领导), the daily escalation job and the case
source ``complaint`` (转立案)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govworks.core.audit_labels import register_audit_actions
from govworks.core.registry import NavItem, WorkItem, register_nav, register_periodic_job, register_workbench_provider
from govworks.integrity import demo_complaints  # noqa: F401  (demo seeder)
from govworks.integrity import permissions_complaints as perms
from govworks.integrity.case_sources import CaseSource, register_case_source
from govworks.integrity.navigation import SECTION
from govworks.integrity.selectors import complaints as sel
from govworks.integrity.services import complaints as services
from govworks.org import permissions as org_perms

register_audit_actions(
    {
        "integrity.complaint.submit": "收到投诉举报",
        "integrity.complaint.accept": "受理投诉举报",
        "integrity.complaint.reject": "投诉举报不予受理",
        "integrity.complaint.assign": "更换投诉举报承办人",
        "integrity.complaint.name_person": "记录被举报人",
        "integrity.complaint.reply": "答复投诉举报",
        "integrity.complaint.close": "投诉举报办结",
        "integrity.complaint.identity_read": "查看举报人信息",
        "integrity.complaint.escalate": "投诉举报逾期督办",
    }
)

register_nav(NavItem(SECTION, _("投诉举报"), "integrity:complaint_list", "ti-message-report", perms.may_see_any, 30))


def complaint_url(pk: int) -> str:
    return reverse("integrity:complaint_detail", args=[pk])


def work_items(user: Any) -> list[WorkItem]:
    """举报待受理 (纪检监察 of the agency), 举报待答复 (the handler), 举报逾期督办 (主要领导)."""
    if not org_perms.is_signed_in(user) or not perms.may_see_any(user):
        return []
    items: list[WorkItem] = []
    if perms.handling_agency_ids(user):
        for c in sel.to_accept_for(user):
            items.append(
                WorkItem(f"举报待受理：{c.subject}", complaint_url(c.pk), "投诉举报", c.accept_due,
                         f"{c.agency.short_name or c.agency.name}，{c.received_on:%Y-%m-%d}收到", escalate=False)
            )  # fmt: skip
        for c in sel.to_reply_for(user):
            items.append(
                WorkItem(f"举报待答复：{c.subject}", complaint_url(c.pk), "投诉举报", c.reply_due,
                         f"{c.agency.short_name or c.agency.name}，已受理", escalate=False)
            )  # fmt: skip
    if perms.overseeing_agency_ids(user):
        for c in sel.escalated_for_leader(user):
            items.append(
                WorkItem(f"投诉举报逾期督办：{c.subject}", complaint_url(c.pk), "投诉举报",
                         c.accept_due if c.status == "received" else c.reply_due,
                         f"{c.get_status_display()}，{c.escalated_on:%Y-%m-%d}起督办", escalate=False)
            )  # fmt: skip
    return items


register_workbench_provider(work_items)


def escalate_job(today: dt.date) -> str:
    return f"逾期督办投诉举报 {services.complaints_escalate(today)} 件"


register_periodic_job("integrity.complaints_escalate", escalate_job)


def resolve_complaint(user: Any, source_id: int) -> CaseSource:
    """A complaint as a case source, for those who may handle it (Http404 otherwise)."""
    c = perms.access_complaint(user, source_id)
    if not perms.may_handle(user, c):
        from django.http import Http404

        raise Http404("记录不存在或您无权查看")
    return CaseSource(
        kind="complaint",
        source_id=c.pk,
        agency_id=c.agency_id,
        title=f"投诉举报 #{c.pk}：{c.subject}",
        summary=c.content[:500],
        url=complaint_url(c.pk),
        project_id=c.project_id,
        involved_user_ids=tuple(c.named_people.values_list("pk", flat=True)),
    )


register_case_source("complaint", "投诉举报", resolve_complaint)
