"""The handling of 投诉举报 by 纪检监察: the list (no reporter data), one complaint with its actions (受理 with
the handler, 不予受理 with a reason, 更换承办人, 记录被举报人, 答复, 办结, 转立案), the audited
“查看举报人信息” and the attachments. A complaint the user may not read answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import paginate, signed_in_user
from govworks.integrity import permissions_complaints as perms
from govworks.integrity import rules_complaints as rules
from govworks.integrity.models import Complaint, ComplaintStatus
from govworks.integrity.models import complaints as m
from govworks.integrity.selectors import complaints as sel
from govworks.integrity.services import complaints as services
from govworks.org.models import User

PRETITLE = "廉政监督 · 投诉举报"
AREA = forms.Textarea(attrs={"rows": 4})


class ReplyForm(LimitedForm):
    reply = forms.CharField(label="答复内容", widget=AREA, max_length=m.REPLY_MAX)


class RejectForm(LimitedForm):
    reason = forms.CharField(label="不予受理理由", widget=AREA, max_length=m.REASON_MAX)


def _person(pk: Any, queryset: Any) -> User | None:
    try:
        return queryset.filter(pk=int(pk)).first() if pk else None
    except (TypeError, ValueError):
        return None


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    if not perms.may_see_any(me):
        raise PermissionDenied("只有纪检监察人员可以查看投诉举报")
    status = request.GET.get("status", "")
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    page = paginate(request, sel.complaint_list(me, status=status, overdue_only=overdue_only, today=today))
    rows = [(c, rules.overdue(c.status, c.accept_due, c.reply_due, today)) for c in page]
    return render(
        request,
        "integrity/complaints/list.html",
        {
            "pretitle": PRETITLE,
            "page": page,
            "rows": rows,
            "status": status,
            "overdue_only": overdue_only,
            "status_choices": ComplaintStatus.choices,
            "counts": sel.complaint_counts(perms.handling_agency_ids(me), today=today, reader=me),
        },
    )


def _page(request: HttpRequest, complaint: Complaint, *, identity: Any = None, error: str = "",
          reply_form: Any = None, reject_form: Any = None, status: int = 200) -> HttpResponse:  # fmt: skip
    me = signed_in_user(request)
    today = timezone.localdate()
    may_handle = perms.may_handle(me, complaint)
    is_handler = perms.is_handler(me, complaint)
    return render(
        request,
        "integrity/complaints/detail.html",
        {
            "pretitle": PRETITLE,
            "c": complaint,
            "attachments": list(complaint.attachments.all()),
            "named": list(complaint.named_people.all().order_by("username")),
            "may_handle": may_handle,
            "is_handler": is_handler,
            "handlers": list(sel.handler_choices(complaint)) if may_handle else [],
            "people": list(sel.person_choices(complaint)) if may_handle else [],
            "identity": identity,
            "accept_overdue": rules.accept_overdue(complaint.status, complaint.accept_due, today),
            "reply_overdue": rules.reply_overdue(complaint.status, complaint.reply_due, today),
            "reply_form": reply_form or ReplyForm(),
            "reject_form": reject_form or RejectForm(),
            "error": error,
            "case_url": f"{reverse('integrity:case_open')}?source=complaint&id={complaint.pk}",
        },
        status=status,
    )


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    return _page(request, perms.access_complaint(me, pk))


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    me = signed_in_user(request)
    complaint = perms.access_complaint(me, pk)
    post = request.POST
    try:
        if action == "accept":
            services.complaint_accept(
                actor=me, complaint=complaint, handler=_person(post.get("handler"), sel.handler_choices(complaint))
            )
            messages.success(request, "已受理")
        elif action == "assign":
            services.complaint_assign(
                actor=me, complaint=complaint, handler=_person(post.get("handler"), sel.handler_choices(complaint))
            )
            messages.success(request, "已更换承办人")
        elif action == "name":
            services.complaint_name_person(
                actor=me, complaint=complaint, person=_person(post.get("person"), sel.person_choices(complaint))
            )
            messages.success(request, "已记录被举报人")
        elif action == "reject":
            form = RejectForm(post)
            if not form.is_valid():
                return _page(request, complaint, reject_form=form, status=400)
            services.complaint_reject(actor=me, complaint=complaint, reason=form.cleaned_data["reason"])
            messages.success(request, "已决定不予受理，理由已公布给举报人")
        elif action == "reply":
            reply_form = ReplyForm(post)
            if not reply_form.is_valid():
                return _page(request, complaint, reply_form=reply_form, status=400)
            services.complaint_reply(actor=me, complaint=complaint, text=reply_form.cleaned_data["reply"])
            messages.success(request, "答复已公布给举报人")
        elif action == "close":
            services.complaint_close(actor=me, complaint=complaint)
            messages.success(request, "已办结")
        else:
            raise Http404
    except DomainError as err:
        return _page(request, complaint, error=err.message, status=400)
    if not perms.complaints_visible_to(me).filter(pk=complaint.pk).exists():
        return redirect("integrity:complaint_list")
    return redirect("integrity:complaint_detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _act(request, pk, action)


@login_required
@require_POST
def complaint_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """查看举报人信息: the handler only; the read is recorded in the audit trail before it is shown."""
    me = signed_in_user(request)
    complaint = perms.access_complaint(me, pk)
    if not perms.is_handler(me, complaint):
        raise PermissionDenied("只有该投诉举报的承办人可以查看举报人信息")
    identity = services.complaint_identity_read(actor=me, complaint=complaint)
    response = _page(request, complaint, identity=identity)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def complaint_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    me = signed_in_user(request)
    complaint = perms.access_complaint(me, pk)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("附件不存在")
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Cache-Control"] = "no-store"
    return response
