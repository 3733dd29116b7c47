"""三重一大 decision meetings: the register, scheduling a meeting, attendance, the agenda, each member's
opinion, the chair's conclusion (last), and the minutes. Each view parses input, calls one service or
selector and renders; every write goes through ``services.decisions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, Meeting, MeetingMember, Opinion
from govworks.projects.selectors import meetings as selectors
from govworks.projects.services import decisions as services

PRETITLE = "决策会议（三重一大）"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, err: PermissionDenied, *, back: str) -> HttpResponse:
    """403 with the reason in Chinese; nothing was changed."""
    message = str(err) or "您没有办理该事项的权限"
    return render(request, "projects/meetings/refused.html", {"message": message, "back": back}, status=403)


def _detail_url(meeting_id: int, anchor: str = "") -> str:
    return reverse("projects:meeting_detail", args=[meeting_id]) + (f"#{anchor}" if anchor else "")


def _require_organizer(user: User, meeting: Meeting) -> None:
    """The pages that change a meeting are for its recorder and chair (the services check it again)."""
    if user.pk not in (meeting.organizer_id, meeting.chair_id):
        raise PermissionDenied("只有会议记录人或主持人可以办理")


# ---------------------------------------------------------------------------------------- forms


class _PeopleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        suffix = f"（{obj.title}）" if obj.title else ""
        return f"{obj.display_name}{suffix}"


class _PeopleMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        suffix = f"（{obj.title}）" if obj.title else ""
        return f"{obj.display_name}{suffix}"


class MeetingForm(LimitedForm):
    agency = forms.ModelChoiceField(label="单位", queryset=Agency.objects.none(), required=False)
    kind = forms.ChoiceField(label="会议类型", choices=Meeting.Kind.choices)
    title = forms.CharField(label="会议名称", max_length=120, help_text="如：2026年第3次党组会议")
    held_on = forms.DateField(label="会议日期", widget=DATE_WIDGET)
    chair = _PeopleChoiceField(label="主持人", queryset=User.objects.none(), help_text="主持人自动计入应到成员，最后表态")
    members = _PeopleMultipleField(
        label="应到成员", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, help_text="不少于3人（含主持人）"
    )

    def __init__(self, *args: Any, agencies: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(agencies) > 1:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
            self.fields["agency"].required = True
        else:
            del self.fields["agency"]
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]


class AttendanceForm(LimitedForm):
    present = forms.TypedMultipleChoiceField(
        label="实到成员", coerce=int, widget=forms.CheckboxSelectMultiple, required=False, help_text="主持人须出席"
    )

    def __init__(self, *args: Any, members: list[MeetingMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["present"].choices = [(m.user_id, m.user.display_name) for m in members]  # type: ignore[attr-defined]
        self.fields["present"].initial = [m.user_id for m in members if m.present]
        for m in members:
            self.fields[f"reason_{m.user_id}"] = forms.CharField(
                label=f"{m.user.display_name} 缺席原因", max_length=100, required=False, initial=m.absence_reason
            )

    def absence_reasons(self) -> dict[int, str]:
        return {m.user_id: self.cleaned_data.get(f"reason_{m.user_id}", "").strip() for m in self.members}


class AgendaForm(LimitedForm):
    subject = forms.ChoiceField(
        label="决策事项",
        help_text="按类型分组：本单位待集体决策、尚未列入议题的事项（年度计划、立项项目、待签合同、重大变更、大额付款等）",
    )
    category = forms.ChoiceField(
        label="三重一大类别", choices=[("", "按事项类型确定"), *AgendaItem.Category.choices], required=False
    )
    title = forms.CharField(label="议题名称", max_length=200, required=False, help_text="不填则按决策事项生成")

    def __init__(self, *args: Any, groups: list[selectors.SubjectGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "请选择")] + [  # type: ignore[attr-defined]
            (g.kind.label, [(c.value, c.label) for c in g.choices]) for g in groups if g.choices
        ]


class OpinionForm(LimitedForm):
    member = forms.TypedChoiceField(label="成员", coerce=int, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    choice = forms.ChoiceField(
        label="表态", choices=Opinion.Choice.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    comment = forms.CharField(
        label="发言要点",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members  # type: ignore[attr-defined]


class ConcludeForm(LimitedForm):
    verdict = forms.ChoiceField(
        label="结论",
        choices=[("pass", "通过"), ("reject", "不通过")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    conclusion = forms.CharField(
        label="结论性意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"})
    )


class MinutesForm(LimitedForm):
    minutes = forms.FileField(label="会议纪要", help_text="PDF、Word 或图片，不超过20MB；上传后会议结束")


# ---------------------------------------------------------------------------------------- pages


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    readable = org_perms.business_readable_agency_ids(me)
    if not readable:
        return _refused(request, PermissionDenied("您没有查看决策会议的权限"), back=reverse("home"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in Meeting.Kind.values else ""
    status = request.GET.get("status", "")
    status = status if status in Meeting.Status.values else ""
    agency_id = query_int(request.GET.get("agency"))
    text = request.GET.get("q", "").strip()[:50]
    filters = selectors.MeetingFilter(agency_id=agency_id, kind=kind, status=status, text=text)
    page = paginate(request, selectors.meeting_list_visible_to(user=me, filters=filters))
    return render(
        request,
        "projects/meetings/meeting_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Meeting.Kind.choices,
            "status": status,
            "statuses": Meeting.Status.choices,
            "agency_id": agency_id,
            "agencies": list(org_perms.agencies_visible_to(me).order_by("path").only("id", "name", "path")),
            "q": text,
            "can_create": org_perms.can_anywhere(me, perms.MEETING_MANAGE),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    agency_ids = org_perms.agency_ids_where(me, perms.MEETING_MANAGE)
    if not agency_ids:
        return _refused(request, PermissionDenied("您没有组织决策会议的权限"), back=reverse("projects:meeting_list"))
    agencies = Agency.objects.filter(id__in=agency_ids).order_by("path")
    people = org_perms.business_people(User.objects.filter(agency_id__in=agency_ids, is_active=True)).order_by(
        "agency_id", "username"
    )
    form = MeetingForm(request.POST or None, agencies=agencies, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data.get("agency") or agencies.get()
        meeting = call_service(
            form,
            lambda: services.meeting_create(
                actor=me,
                agency=agency,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                chair=data["chair"],
                members=list(data["members"]),
            ),
        )
        if meeting:
            messages.success(request, f"已安排{meeting.get_kind_display()}“{meeting.title}”。会后请登记出席情况。")
            return redirect("projects:meeting_detail", pk=meeting.pk)
    return form_page(
        request,
        form,
        title="安排决策会议",
        back=reverse("projects:meeting_list"),
        pretitle=PRETITLE,
        note="您是本次会议的记录人。法定到会比例按本单位规则参数“决策会议法定到会比例”确定；成员须为本单位人员。",
    )


def _render_detail(
    request: HttpRequest, meeting: Meeting, *, bound: dict[tuple[str, int], forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    me = _me(request)
    bound = bound or {}
    view = selectors.meeting_view(meeting=meeting)
    is_recorder = me.pk == meeting.organizer_id
    is_chair = me.pk == meeting.chair_id
    rows = []
    for iv in view.items:
        pending = iv.item.status == AgendaItem.Status.PENDING
        opinion_form = conclude_form = None
        if pending and view.attendance_recorded:
            choices = [(m.user_id, m.user.display_name) for m in iv.waiting if is_recorder or m.user_id == me.pk]
            if choices or ("opinion", iv.item.pk) in bound:
                form = bound.get(("opinion", iv.item.pk)) or OpinionForm(members=choices, auto_id=f"op{iv.item.pk}_%s")
                form.fields["member"].choices = choices  # type: ignore[attr-defined]
                opinion_form = form
            if is_chair and (iv.all_spoken or ("conclude", iv.item.pk) in bound):
                conclude_form = bound.get(("conclude", iv.item.pk)) or ConcludeForm(auto_id=f"cc{iv.item.pk}_%s")
        rows.append({"v": iv, "opinion_form": opinion_form, "conclude_form": conclude_form})
    return render(
        request,
        "projects/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "view": view,
            "rows": rows,
            "is_recorder": is_recorder,
            "is_chair": is_chair,
            "can_organize": is_recorder or is_chair,
            "open": meeting.status != Meeting.Status.CLOSED,
        },
        status=status,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = perms.access_meeting(_me(request), pk)
    return _render_detail(request, meeting)


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = perms.access_meeting(me, pk)
    try:
        _require_organizer(me, meeting)
    except PermissionDenied as err:
        return _refused(request, err, back=_detail_url(meeting.pk))
    members = list(MeetingMember.objects.filter(meeting=meeting).select_related("user").order_by("id"))
    form = AttendanceForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.meeting_record_attendance(
                actor=me, meeting=meeting, present=form.cleaned_data["present"], absence_reasons=form.absence_reasons()
            ),
        )
        if done:
            messages.success(request, "出席情况已登记。")
            return redirect(_detail_url(meeting.pk, "attendance"))
    return form_page(
        request,
        form,
        title=f"登记出席情况：{meeting.title}",
        back=_detail_url(meeting.pk),
        pretitle=PRETITLE,
        note=f"应到 {len(members)} 人；法定到会比例 {meeting.quorum_ratio:.2%}。已有议题开始表态后不能再修改。",
    )


@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = perms.access_meeting(me, pk)
    try:
        _require_organizer(me, meeting)
    except PermissionDenied as err:
        return _refused(request, err, back=_detail_url(meeting.pk))
    groups = selectors.agenda_subject_groups(meeting=meeting, user=me)
    choices = {c.value: c for g in groups for c in g.choices}
    initial = {"subject": request.GET.get("subject", "")} if request.GET.get("subject") in choices else None
    form = AgendaForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = choices[data["subject"]]
        item = call_service(
            form,
            lambda: services.agenda_item_add(
                actor=me, meeting=meeting, subject=chosen.obj, category=data["category"], title=data["title"]
            ),
        )
        if item:
            messages.success(request, f"已列入议题{item.seq}：{item.title}。")
            return redirect(_detail_url(meeting.pk, f"item-{item.pk}"))
    return render(
        request,
        "projects/meetings/agenda_add.html",
        {
            "form": form,
            "groups": groups,
            "meeting": meeting,
            "title": f"增加议题：{meeting.title}",
            "back": _detail_url(meeting.pk),
            "pretitle": PRETITLE,
            "note": "议题关联其决策的事项；达到本单位三重一大金额标准的事项，须有通过的集体决策才能继续办理。"
            "列入议题时记录事项的金额、比例、供应商等要素。",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def opinion_record(request: HttpRequest, item_pk: int) -> HttpResponse:
    me = _me(request)
    item = selectors.access_agenda_item(user=me, pk=item_pk)
    meeting = perms.access_meeting(me, item.meeting_id)
    members = {m.user_id: m.user for m in MeetingMember.objects.filter(meeting=meeting).select_related("user")}
    form = OpinionForm(request.POST, members=[(uid, u.display_name) for uid, u in members.items()], auto_id=f"op{item.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        member = members[data["member"]]
        try:
            opinion = call_service(
                form,
                lambda: services.opinion_record(
                    actor=me, item=item, member=member, choice=data["choice"], comment=data["comment"].strip()
                ),
            )
        except PermissionDenied as err:
            return _refused(request, err, back=_detail_url(meeting.pk))
        if opinion:
            messages.success(request, f"已记录 {member.display_name} 的表态：{opinion.get_choice_display()}。")
            return redirect(_detail_url(meeting.pk, f"item-{item.pk}"))
    return _render_detail(request, meeting, bound={("opinion", item.pk): form}, status=400)


@login_required
@require_POST
def agenda_conclude(request: HttpRequest, item_pk: int) -> HttpResponse:
    me = _me(request)
    item = selectors.access_agenda_item(user=me, pk=item_pk)
    meeting = perms.access_meeting(me, item.meeting_id)
    form = ConcludeForm(request.POST, auto_id=f"cc{item.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = call_service(
                form,
                lambda: services.agenda_conclude(
                    actor=me, item=item, passed=data["verdict"] == "pass", conclusion=data["conclusion"].strip()
                ),
            )
        except PermissionDenied as err:
            return _refused(request, err, back=_detail_url(meeting.pk))
        if done:
            messages.success(request, f"议题“{done.title}”已作出结论：{done.get_status_display()}。")
            return redirect(_detail_url(meeting.pk, f"item-{item.pk}"))
    return _render_detail(request, meeting, bound={("conclude", item.pk): form}, status=400)


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = perms.access_meeting(me, pk)
    try:
        _require_organizer(me, meeting)
    except PermissionDenied as err:
        return _refused(request, err, back=_detail_url(meeting.pk))
    form = MinutesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form, lambda: services.meeting_minutes_upload(actor=me, meeting=meeting, file=form.cleaned_data["minutes"])
        ):
            messages.success(request, "会议纪要已上传，会议已结束。")
            return redirect(_detail_url(meeting.pk))
    note = "上传会议纪要后会议结束，不能再增加议题或修改出席情况。"
    if meeting.minutes:
        note = "已有会议纪要；再次上传将以新文件替换当前纪要（上传记录留痕）。"
    return form_page(
        request,
        form,
        title=f"上传会议纪要：{meeting.title}",
        back=_detail_url(meeting.pk),
        pretitle=PRETITLE,
        multipart=True,
        note=note,
    )


@login_required
def meeting_minutes_download(request: HttpRequest, pk: int) -> FileResponse:
    meeting = perms.access_meeting(_me(request), pk)
    if not meeting.minutes:
        raise Http404("该会议尚未上传纪要")
    name = (meeting.minutes.name or "minutes").rsplit("/", 1)[-1]
    return FileResponse(meeting.minutes.open("rb"), as_attachment=False, filename=name)


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/agenda/new/", agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/minutes/", meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/file/", meeting_minutes_download, name="meeting_minutes_download"),
    path("agenda/<int:item_pk>/opinion/", opinion_record, name="opinion_record"),
    path("agenda/<int:item_pk>/conclude/", agenda_conclude, name="agenda_conclude"),
]
