"""Every write of 投诉举报: the public submission (limits, attachments, hourly limit per source, tracking code and
hashed query password), 受理 / 不予受理, assigning the handler, recording the people named, the reply published
to the reporter, closing, the audited read of the reporter's identity, and the daily escalation of overdue ones.

Each write runs in one transaction and is audited. The audit trail never carries the reporter's identity, the
tracking code or the submitting address (the public submission is recorded without the request's IP)."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.encryption import field_digest
from govworks.core.errors import DomainError
from govworks.core.request_context import RequestInfo, current_request_info, reset_request_info, set_request_info
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.core.uploads import upload_check
from govworks.core.workdays import deadline_from_rule
from govworks.integrity import permissions_complaints as perms
from govworks.integrity import rules_complaints as rules
from govworks.integrity.models import Complaint, ComplaintAttachment, ComplaintStatus
from govworks.integrity.models import complaints as m
from govworks.integrity.selectors.complaints import overdue_q
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.projects.models import Project

ACCEPT_RULE = "complaint.accept_working_days"
REPLY_RULE = "complaint.reply_working_days"
HOURLY_RULE = "complaint.hourly_limit_per_source"

ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
SOURCE_PURPOSE = "integrity.complaint.source"


@dataclass(frozen=True)
class Submitted:
    """What the reporter is shown once: the complaint, its tracking code and the query password in clear."""

    complaint: Complaint
    tracking_code: str
    query_password: str


def source_digest(ip: str | None) -> str:
    """A keyed digest of the submitting address (HMAC-SM3 under the field key): equal addresses give equal
    digests, and nobody without the key can tell which address it was. Empty for an unknown address."""
    if not ip:
        return ""
    try:
        packed = ipaddress.ip_address(ip).packed.hex()
    except ValueError:
        return ""
    return field_digest(packed, purpose=SOURCE_PURPOSE)


@contextmanager
def _without_address() -> Iterator[None]:
    """Audit events written inside carry no IP address (the reporter's address is not kept)."""
    info = current_request_info()
    token = set_request_info(RequestInfo(request_id=info.request_id, ip=None))
    try:
        yield
    finally:
        reset_request_info(token)


def _text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("complaint.required", f"请填写{label}", field=field)
    if len(text) > limit:
        raise DomainError("complaint.too_long", f"{label}不能超过 {limit} 个字（当前 {len(text)} 个字）", field=field)
    return text


def hourly_limit() -> int:
    return int(rule_value(HOURLY_RULE))


def complaint_submit(
    *,
    agency: Agency | None,
    project: Project | None,
    project_text: str,
    subject: str,
    content: str,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    contact: str = "",
    files: Sequence[UploadedFile] = (),
    source_ip: str | None = None,
) -> Submitted:
    """File a complaint from the public form. Refused (nothing stored) when a field is missing or too long, an
    attachment fails the content check or a limit, or the source has reached the hourly limit. The deadline of
    受理 is ``complaint.accept_working_days`` working days after receipt."""
    if agency is None or not agency.is_active:
        raise DomainError("complaint.agency", "请选择被举报单位", field="agency")
    if project is not None and project.agency_id != agency.pk:
        raise DomainError("complaint.project", "所选项目不属于该单位，请重新选择", field="project")
    project_text = _text(project_text, field="project_text", label="涉及项目", limit=m.PROJECT_TEXT_MAX)
    subject = _text(subject, field="subject", label="举报主题", limit=m.SUBJECT_MAX, required=True)
    content = _text(content, field="content", label="举报内容", limit=m.CONTENT_MAX, required=True)
    if len(content) < 10:
        raise DomainError("complaint.too_short", "举报内容不能少于 10 个字，请写明事实", field="content")
    if anonymous:
        name = phone = contact = ""
    else:
        name = _text(name, field="name", label="姓名", limit=m.NAME_MAX, required=True)
        phone = _text(phone, field="phone", label="联系电话", limit=m.PHONE_MAX, required=True)
        contact = _text(contact, field="contact", label="身份证号或电子邮箱", limit=m.CONTACT_MAX)
    files = [f for f in files if f]
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError("complaint.attachments", f"附件最多 {MAX_ATTACHMENTS} 个（当前 {len(files)} 个）", field="attachments")
    for f in files:
        upload_check(f, field="attachments", types=ATTACHMENT_TYPES, max_bytes=MAX_ATTACHMENT_BYTES)
    digest = source_digest(source_ip)
    limit = hourly_limit()
    now = timezone.now()
    today = timezone.localdate()
    code, password = rules.new_tracking_code(), rules.new_query_password()
    with transaction.atomic(), _without_address():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one submission at a time per agency
        if digest:
            recent = Complaint.objects.filter(source_digest=digest, received_at__gte=now - dt.timedelta(hours=1)).count()
            if rules.hourly_limit_reached(recent, limit):
                raise DomainError(
                    "complaint.rate_limit",
                    f"提交过于频繁：按规则“{rule_name(HOURLY_RULE)}”，同一来源每小时最多提交 {limit} 件，请稍后再试",
                )
        complaint = Complaint.objects.create(
            tracking_code=code,
            query_password=make_password(password),
            agency=agency,
            project=project,
            project_text="" if project is not None else project_text,
            subject=subject,
            content=content,
            anonymous=anonymous,
            reporter_name=name,
            reporter_phone=phone,
            reporter_contact=contact,
            source_digest=digest,
            received_at=now,
            received_on=today,
            accept_due=deadline_from_rule(ACCEPT_RULE, agency=agency, start=today),
        )
        for f in files:
            _store_attachment(complaint, f)
        audit_event_record(
            actor=None,
            action="integrity.complaint.submit",
            obj=complaint,
            agency=agency,
            summary=(
                f"收到{'匿名' if anonymous else '实名'}投诉举报 #{complaint.pk}，附件 {len(files)} 个，"
                f"受理期限 {complaint.accept_due:%Y-%m-%d}"
            ),
        )
    return Submitted(complaint, code, password)


def _store_attachment(complaint: Complaint, file: UploadedFile) -> ComplaintAttachment:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    name = file.name or "file"
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    attachment = ComplaintAttachment(
        complaint=complaint, original_name=name[:200], size=file.size or 0, sha256=digest.hexdigest()
    )
    attachment.file.save(secrets.token_hex(8) + extension, file, save=False)  # the stored name tells nothing
    attachment.save()
    return attachment


# ------------------------------------------------------------------------------------------ handling


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("agency").get(pk=complaint.pk)


def _require_handle(actor: Any, complaint: Complaint) -> None:
    if not perms.may_handle(actor, complaint) or complaint.named_people.filter(pk=actor.pk).exists():
        raise DomainError("complaint.forbidden", "只有被举报单位的纪检监察人员可以办理该投诉举报")


def _require_handler(actor: Any, complaint: Complaint) -> None:
    if not perms.is_handler(actor, complaint):
        raise DomainError("complaint.not_handler", "只有该投诉举报的承办人可以办理此项")


def _check_handler(complaint: Complaint, person: User | None) -> User:
    if person is None:
        raise DomainError("complaint.handler", "请选择承办人", field="handler")
    org_perms.require_business_person(person, duty="投诉举报承办人", field="handler")
    if not org_perms.can(person, perms.COMPLAINT_HANDLE, complaint.agency_id):
        raise DomainError("complaint.handler", f"{person.display_name} 不是被举报单位的纪检监察人员，不能承办", field="handler")
    if complaint.named_people.filter(pk=person.pk).exists():
        raise DomainError("complaint.handler_named", f"{person.display_name} 是被举报人，不能承办该投诉举报", field="handler")
    return person


def complaint_accept(*, actor: Any, complaint: Complaint, handler: User | None) -> Complaint:
    """受理: assign the handler; the reply is due ``complaint.reply_working_days`` working days later."""
    with transaction.atomic():
        c = _locked(complaint)
        _require_handle(actor, c)
        if c.status != ComplaintStatus.RECEIVED:
            raise DomainError("complaint.state", f"该投诉举报已{c.get_status_display()}，不能再受理")
        _check_handler(c, handler)
        today = timezone.localdate()
        c.status = ComplaintStatus.ACCEPTED
        c.accepted_on, c.accepted_by, c.handler = today, actor, handler
        c.reply_due = deadline_from_rule(REPLY_RULE, agency=c.agency, start=today)
        c.save(update_fields=["status", "accepted_on", "accepted_by", "handler", "reply_due"])
        audit_event_record(
            actor=actor,
            action="integrity.complaint.accept",
            obj=c,
            agency=c.agency,
            summary=f"受理投诉举报 #{c.pk}，承办人 {handler.display_name if handler else ''}，答复期限 {c.reply_due:%Y-%m-%d}",
        )
    return c


def complaint_reject(*, actor: Any, complaint: Complaint, reason: str) -> Complaint:
    """不予受理 with a reason, which the reporter reads with the tracking code."""
    reason = _text(reason, field="reason", label="不予受理理由", limit=m.REASON_MAX, required=True)
    with transaction.atomic():
        c = _locked(complaint)
        _require_handle(actor, c)
        if c.status != ComplaintStatus.RECEIVED:
            raise DomainError("complaint.state", f"该投诉举报已{c.get_status_display()}，不能再决定不予受理")
        c.status, c.reject_reason, c.closed_on = ComplaintStatus.REJECTED, reason, timezone.localdate()
        c.save(update_fields=["status", "reject_reason", "closed_on"])
        audit_event_record(
            actor=actor, action="integrity.complaint.reject", obj=c, agency=c.agency, reason=reason,
            summary=f"投诉举报 #{c.pk} 不予受理",
        )  # fmt: skip
    return c


def complaint_assign(*, actor: Any, complaint: Complaint, handler: User | None) -> Complaint:
    """Change the handler of an accepted complaint."""
    with transaction.atomic():
        c = _locked(complaint)
        _require_handle(actor, c)
        if c.status != ComplaintStatus.ACCEPTED:
            raise DomainError("complaint.state", "只有办理中的投诉举报可以更换承办人")
        person = _check_handler(c, handler)
        before = c.handler.display_name if c.handler else "（无）"
        c.handler = person
        c.save(update_fields=["handler"])
        audit_event_record(
            actor=actor, action="integrity.complaint.assign", obj=c, agency=c.agency,
            summary=f"投诉举报 #{c.pk} 承办人：{before} → {person.display_name}",
        )  # fmt: skip
    return c


def complaint_name_person(*, actor: Any, complaint: Complaint, person: User | None) -> Complaint:
    """Record a person of the agency as 被举报人: from then on they never see the complaint; when they were its
    handler the assignment ends (another handler must be assigned)."""
    if person is None:
        raise DomainError("complaint.person", "请选择被举报人", field="person")
    with transaction.atomic():
        c = _locked(complaint)
        _require_handle(actor, c)
        if c.status in (ComplaintStatus.REJECTED, ComplaintStatus.CLOSED):
            raise DomainError("complaint.state", f"该投诉举报已{c.get_status_display()}")
        if person.agency_id != c.agency_id:
            raise DomainError("complaint.person", f"{person.display_name} 不是被举报单位的人员", field="person")
        c.named_people.add(person)
        fields = []
        if c.handler_id == person.pk:
            c.handler = None
            fields.append("handler")
        if fields:
            c.save(update_fields=fields)
        audit_event_record(
            actor=actor, action="integrity.complaint.name_person", obj=c, agency=c.agency,
            summary=f"投诉举报 #{c.pk} 记录被举报人 {person.display_name}" + ("，并解除其承办" if fields else ""),
        )  # fmt: skip
    return c


def complaint_reply(*, actor: Any, complaint: Complaint, text: str) -> Complaint:
    """The handler's reply, published to the reporter (read with the tracking code and password)."""
    text = _text(text, field="reply", label="答复内容", limit=m.REPLY_MAX, required=True)
    with transaction.atomic():
        c = _locked(complaint)
        _require_handler(actor, c)
        if c.status != ComplaintStatus.ACCEPTED:
            raise DomainError("complaint.state", f"该投诉举报{c.get_status_display()}，不能答复")
        c.status, c.reply, c.replied_on = ComplaintStatus.REPLIED, text, timezone.localdate()
        c.save(update_fields=["status", "reply", "replied_on"])
        audit_event_record(
            actor=actor, action="integrity.complaint.reply", obj=c, agency=c.agency,
            summary=f"答复投诉举报 #{c.pk}（{c.replied_on:%Y-%m-%d}，期限 {c.reply_due:%Y-%m-%d}）",
        )  # fmt: skip
    return c


def complaint_close(*, actor: Any, complaint: Complaint) -> Complaint:
    """办结 a replied complaint."""
    with transaction.atomic():
        c = _locked(complaint)
        _require_handler(actor, c)
        if c.status != ComplaintStatus.REPLIED:
            raise DomainError("complaint.state", "答复后才能办结")
        c.status, c.closed_on = ComplaintStatus.CLOSED, timezone.localdate()
        c.save(update_fields=["status", "closed_on"])
        audit_event_record(
            actor=actor, action="integrity.complaint.close", obj=c, agency=c.agency, summary=f"投诉举报 #{c.pk} 办结"
        )
    return c


@dataclass(frozen=True)
class Identity:
    anonymous: bool
    name: str
    phone: str
    contact: str


def complaint_identity_read(*, actor: Any, complaint: Complaint) -> Identity:
    """The reporter's identity and contact, for the assigned handler only; the read is audited (who, when,
    which complaint — never what was read)."""
    with transaction.atomic():
        c = Complaint.objects.select_related("agency").get(pk=complaint.pk)
        _require_handler(actor, c)
        audit_event_record(
            actor=actor, action="integrity.complaint.identity_read", obj=c, agency=c.agency,
            summary=f"查看投诉举报 #{c.pk} 的举报人信息",
        )  # fmt: skip
    return Identity(c.anonymous, c.reporter_name, c.reporter_phone, c.reporter_contact)


def complaints_escalate(today: dt.date) -> int:
    """The daily job: mark complaints overdue for 受理 or reply as escalated (督办), once each."""
    count = 0
    for c in Complaint.objects.filter(overdue_q(today), escalated_on__isnull=True).select_related("agency"):
        with transaction.atomic():
            updated = Complaint.objects.filter(overdue_q(today), pk=c.pk, escalated_on__isnull=True).update(escalated_on=today)
            if not updated:
                continue
            what = "受理" if c.status == ComplaintStatus.RECEIVED else "答复"
            due = c.accept_due if c.status == ComplaintStatus.RECEIVED else c.reply_due
            audit_event_record(
                actor=None, action="integrity.complaint.escalate", obj=c, agency=c.agency,
                summary=f"投诉举报 #{c.pk} 逾期未{what}（期限 {due:%Y-%m-%d}），已督办",
            )  # fmt: skip
            count += 1
    return count
