"""工地例会/调度会: agenda, attendees, minutes, decisions and action items with an owner and a due date,
which sit on the owner's workbench until done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govworks.construction import permissions as perms
from govworks.construction.models import ActionItem, SiteMeeting
from govworks.construction.selectors.parties import site_parties
from govworks.construction.services.lights import site_locked
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org.models import User
from govworks.org.permissions import require_business_person
from govworks.projects.models import Project


def _may_own(user: User, project: Project) -> bool:
    """An action's owner is someone of the project's agency, or of its contractor or supervisor (the
    parties of its signed contracts)."""
    if user.agency_id == project.agency_id:
        return True
    parties = site_parties(project)
    return user.external_org_id is not None and user.external_org_id in (parties.contractor_org_id, parties.supervisor_org_id)


def meeting_record(
    *,
    actor: User,
    project: Project,
    kind: str,
    held_on: dt.date,
    agenda: str,
    attendees: str,
    minutes: str,
    decisions: str = "",
    actions: Sequence[Mapping[str, Any]] = (),
) -> SiteMeeting:
    """Record a site meeting with its action items (``{"text", "owner", "due_on"}``)."""
    if not perms.may_manage(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以记录工地会议")
    if kind not in SiteMeeting.Kind.values:
        raise DomainError("construction.meeting_kind", "请选择会议类别", field="kind")
    if held_on > timezone.localdate():
        raise DomainError("construction.meeting_date", "会议日期不能晚于今天", field="held_on")
    for value, name, label in (
        (agenda, "agenda", "议题"),
        (attendees, "attendees", "参会人员"),
        (minutes, "minutes", "会议纪要"),
    ):
        if len(value.strip()) < 2:
            raise DomainError("construction.meeting_text", f"请填写{label}", field=name)
    for a in actions:
        owner = a["owner"]
        if not str(a.get("text", "")).strip():
            raise DomainError("construction.action_text", "督办事项须写明内容", field="actions")
        if not _may_own(owner, project):
            raise DomainError("construction.action_owner", f"{owner.display_name}不是本项目参建单位人员", field="actions")
        require_business_person(owner, duty="督办事项责任人", field="actions")
        if a["due_on"] < held_on:
            raise DomainError("construction.action_due", f"督办事项“{a['text']}”的期限早于会议日期", field="actions")
    with transaction.atomic():
        site_locked(project)
        meeting = SiteMeeting.objects.create(
            project=project,
            kind=kind,
            held_on=held_on,
            agenda=agenda.strip(),
            attendees=attendees.strip(),
            minutes=minutes.strip(),
            decisions=decisions.strip(),
            recorded_by=actor,
        )
        items = ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=meeting, project=project, text=str(a["text"]).strip()[:200], owner=a["owner"], due_on=a["due_on"]
                )
                for a in actions
            ]
        )
        audit_event_record(
            actor=actor,
            action="construction.meeting.record",
            obj=meeting,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {meeting}：{agenda.strip()[:60]}；督办事项{len(items)}项"
            + "".join(f"；{i.text}（{i.owner.display_name}，{i.due_on:%m-%d}前）" for i in items)[:300],
        )
    return meeting


def action_done(*, actor: User, item: ActionItem, note: str) -> ActionItem:
    """The owner (or the project's keeper) marks an action item done, with what was done."""
    project = item.project
    if item.owner_id != actor.pk and not perms.may_manage(actor, project):
        raise PermissionDenied("只有督办事项责任人或工程管理岗可以办结")
    if len(note.strip()) < 2:
        raise DomainError("construction.action_note", "请填写完成情况", field="note")
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.done_on is not None:
            raise DomainError("construction.action_state", "该事项已办结")
        item.done_on, item.done_note = timezone.localdate(), note.strip()[:300]
        item.save(update_fields=["done_on", "done_note"])
        audit_event_record(
            actor=actor,
            action="construction.action.done",
            obj=item,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 督办事项“{item.text}”办结：{item.done_note[:80]}",
        )
    return item
