"""Approval chains: my inbox (待我审批 / 我提交的 / 我已办), one request with its chain as a timeline and the
decide form, and delegations while someone is away. Every write goes through ``services.approvals``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.org.roles import Role
from govworks.projects import permissions as perms
from govworks.projects.models import ApprovalRequest, Project
from govworks.projects.selectors import approvals as selectors
from govworks.projects.services import approvals as services

PRETITLE = "审批"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TAB_LABELS = {"todo": "待我审批", "mine": "我提交的", "done": "我已办"}


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, err: PermissionDenied, *, back: str) -> HttpResponse:
    """403 with the rule that refused, in Chinese; nothing was changed."""
    message = str(err) or "您没有办理该事项的权限"
    return render(request, "projects/approvals/refused.html", {"message": message, "back": back}, status=403)


def _require_internal(request: HttpRequest) -> None:
    if not org_perms.business_readable_agency_ids(request.user):
        raise PermissionDenied("您没有使用审批的权限")


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


# ---------------------------------------------------------------------------------------- forms


class DecideForm(LimitedForm):
    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("approve", "同意"), ("return", "退回")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    opinion = forms.CharField(
        label="意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="退回须写明理由；同意可不填（记为“同意”）",
    )


class _PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        suffix = f"（{obj.title}）" if obj.title else ""
        return f"{obj.display_name}{suffix}"


class DelegationForm(LimitedForm):
    delegate = _PersonField(label="受托人", queryset=User.objects.none(), help_text="本单位人员，代您审批期间的审批事项")
    starts_on = forms.DateField(label="开始日期", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="结束日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="事由", max_length=200, help_text="如：出差、休假、学习培训")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = people  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------- pages


@login_required
def approval_inbox(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    try:
        _require_internal(request)
    except PermissionDenied as err:
        return _refused(request, err, back=reverse("home"))
    tab = request.GET.get("tab", "todo")
    tab = tab if tab in selectors.TABS else "todo"
    scope = selectors.deciding_scope(user=me)
    querysets = {
        "todo": selectors.approval_todo_for(user=me, scope=scope),
        "mine": selectors.approval_submitted_by(user=me),
        "done": selectors.approval_decided_by(user=me),
    }
    page = paginate(request, querysets[tab])
    rows = [
        {
            "request": r,
            "role": role_label(r.current_role) if r.current_role else "",
            "on_behalf_of": scope.on_behalf_of(r, r.current_role) if tab == "todo" and r.current_role else None,
        }
        for r in page.object_list
    ]
    counts = {"todo": querysets["todo"].count()} if tab != "todo" else {"todo": page.paginator.count}
    return render(
        request,
        "projects/approvals/inbox.html",
        {
            "page": page,
            "rows": rows,
            "tab": tab,
            "tabs": list(TAB_LABELS.items()),
            "todo_count": counts["todo"],
            "today": timezone.localdate(),
            "kind_labels": services.KIND_LABELS,
        },
    )


def _render_detail(
    request: HttpRequest, approval: ApprovalRequest, *, form: DecideForm | None = None, status: int = 200
) -> HttpResponse:
    me = _me(request)
    steps = selectors.approval_steps(request=approval)
    current = next((s for s in steps if s.index == approval.current_index), None)
    capacity = None
    if approval.status == ApprovalRequest.Status.PENDING and current is not None:
        capacity = services.deciding_capacity(user=me, request=approval, step=current)
    today = timezone.localdate()
    timeline = []
    for s in steps:
        is_current = approval.status == ApprovalRequest.Status.PENDING and s.index == approval.current_index
        overdue = bool(s.due_on) and (
            (s.decided_at is None and is_current and s.due_on < today)  # type: ignore[operator]
            or (s.decided_at is not None and timezone.localtime(s.decided_at).date() > s.due_on)  # type: ignore[operator]
        )
        state = "done" if s.decided_at else ("current" if is_current else "waiting")
        timeline.append({"step": s, "role": role_label(s.role), "current": is_current, "overdue": overdue, "state": state})
    subject_url = None
    if approval.subject_type_id == ContentType.objects.get_for_model(Project).pk:
        subject_url = reverse("projects:project_detail", args=[approval.subject_id])
    sod_notice = None
    if approval.status == ApprovalRequest.Status.PENDING and me.pk != approval.submitted_by_id:
        sod_notice = selectors.approval_sod_notice(user=me, request=approval, acting_for=capacity)
    if sod_notice is not None and form is None:
        capacity = None  # 职责分离: no decide form, the page says why
    if capacity is not None and form is None:
        form = DecideForm(auto_id="decide_%s")
    return render(
        request,
        "projects/approvals/detail.html",
        {
            "approval": approval,
            "timeline": timeline,
            "current": current,
            "current_role": role_label(current.role) if current else "",
            "capacity": capacity,
            "acting_for": capacity if capacity is not None and capacity.pk != me.pk else None,
            "form": form if capacity is not None or form is not None else None,
            "subject_url": subject_url,
            "kind_label": services.KIND_LABELS.get(approval.kind, approval.kind),
            "is_submitter": me.pk == approval.submitted_by_id,
            "sod_notice": sod_notice,
        },
        status=status,
    )


@login_required
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    approval = perms.access_approval(_me(request), pk)
    return _render_detail(request, approval)


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    approval = perms.access_approval(me, pk)
    form = DecideForm(request.POST, auto_id="decide_%s")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            done = call_service(
                form,
                lambda: services.approval_decide(
                    actor=me, request=approval, approve=approve, opinion=form.cleaned_data["opinion"]
                ),
            )
        except PermissionDenied as err:
            return _refused(request, err, back=reverse("projects:approval_detail", args=[approval.pk]))
        if done:
            if done.status == ApprovalRequest.Status.APPROVED:
                text = f"已同意，“{done.title}”审批通过。"
            elif done.status == ApprovalRequest.Status.RETURNED:
                text = f"已退回“{done.title}”，提交人将看到退回理由。"
            else:
                text = f"已同意，“{done.title}”转下一环节。"
            messages.success(request, text)
            return redirect("projects:approval_detail", pk=approval.pk)
    approval.refresh_from_db()
    return _render_detail(request, approval, form=form, status=400)


@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.agency_id is None:
        return _refused(request, PermissionDenied("外部单位人员不使用审批委托"), back=reverse("home"))
    if not org_perms.business_readable_agency_ids(me):
        raise PermissionDenied("审批委托仅供担任业务岗位的人员使用（三员不办理业务）")
    given, received = selectors.delegations_of(user=me)
    today = timezone.localdate()
    return render(
        request,
        "projects/approvals/delegation_list.html",
        {
            "given": [(d, selectors.delegation_state(d, today)) for d in given],
            "received": [(d, selectors.delegation_state(d, today)) for d in received],
        },
    )


@login_required
def delegation_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.agency_id is None:
        return _refused(request, PermissionDenied("外部单位人员不使用审批委托"), back=reverse("home"))
    if not org_perms.business_readable_agency_ids(me):
        raise PermissionDenied("审批委托仅供担任业务岗位的人员使用（三员不办理业务）")
    people = (
        org_perms.business_people(User.objects.filter(agency_id=me.agency_id, is_active=True))
        .exclude(pk=me.pk)
        .order_by("username")
    )
    form = DelegationForm(request.POST or None, people=people, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        delegation = call_service(
            form,
            lambda: services.delegation_create(
                actor=me,
                delegate=data["delegate"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"].strip(),
            ),
        )
        if delegation:
            period = f"{delegation.starts_on:%Y-%m-%d} 至 {delegation.ends_on:%Y-%m-%d}"
            messages.success(request, f"已委托 {delegation.delegate.display_name} 在 {period} 代为审批。")
            return redirect("projects:delegation_list")
    return form_page(
        request,
        form,
        title="委托他人代为审批",
        back=reverse("projects:delegation_list"),
        pretitle=PRETITLE,
        note=(
            "委托期间，受托人可以审批您所任角色的审批环节，审批记录注明“代某某”；"
            "职责分离：受托人不能代您审批您起草、提交或已审批过前一环节的事项。"
        ),
    )


urlpatterns = [
    path("approvals/", approval_inbox, name="approval_inbox"),
    path("approvals/<int:pk>/", approval_detail, name="approval_detail"),
    path("approvals/<int:pk>/decide/", approval_decide, name="approval_decide"),
    path("delegations/", delegation_list, name="delegation_list"),
    path("delegations/new/", delegation_create, name="delegation_create"),
]
