"""Writing pages of construction supervision: each parses a form, calls one service and goes back to the
tab. A refusal re-renders the form with 400 and the Chinese reason; nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from govworks.construction import forms
from govworks.construction import permissions as perms
from govworks.construction.models import (
    ActionItem,
    Interview,
    PaymentFreeze,
    ProgressReport,
    ScheduleTask,
    StagedPhoto,
)
from govworks.construction.schedule_excel import schedule_import
from govworks.construction.selectors import supervision as sel
from govworks.construction.selectors.parties import CONTRACTOR, site_parties
from govworks.construction.services import incidents, inspections, lights, meetings, schedule, site_reports
from govworks.core.errors import DomainError
from govworks.core.pages import form_page, signed_in_user
from govworks.core.service_forms import call_service

PRETITLE = "施工监管"


def _tab(project_id: int, tab: str) -> str:
    return reverse("construction:project_tab", args=[project_id, tab])


def _form(
    request: HttpRequest,
    form: djforms.Form,
    *,
    call: Callable[[dict[str, Any]], Any],
    title: str,
    back: str,
    done: str,
    success: str,
    note: str = "",
    multipart: bool = False,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(form.cleaned_data)) is not None:
            messages.success(request, success)
            return redirect(done)
    return form_page(request, form, title=title, back=back, pretitle=PRETITLE, note=note, multipart=multipart)


def _project(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    me = signed_in_user(request)
    return me, perms.access_project(me, pk)


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以设置施工现场")
    site = sel.project_site(project)
    initial = {}
    if site is not None:
        initial = {f: getattr(site, f) for f in ("latitude", "longitude", "radius_m", "liaison", "leader")}
    form = forms.SiteForm(request.POST or None, project=project, initial=initial)
    back = _tab(pk, "schedule")
    return _form(
        request, form, call=lambda d: schedule.site_configure(actor=me, project=project, **d),
        title=f"施工现场设置：{project.name}", back=back, done=back, success="施工现场信息已保存。",
        note="经纬度用于核验现场照片的拍摄位置。施工单位、监理单位不在此指定：分别为本项目已签订的主体施工合同、监理合同的乙方。",
    )  # fmt: skip


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以编制进度计划")
    form = forms.TaskForm(request.POST or None, project=project)
    back = _tab(pk, "schedule")
    return _form(
        request, form, call=lambda d: schedule.task_create(actor=me, project=project, **d),
        title=f"新增工作：{project.name}", back=back, done=back, success="工作已加入进度计划。",
    )  # fmt: skip


@login_required
def task_revise(request: HttpRequest, task_pk: int) -> HttpResponse:
    me = signed_in_user(request)
    task = get_object_or_404(ScheduleTask.objects.select_related("project"), pk=task_pk)
    project = perms.access_project(me, task.project_id)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以调整进度计划")
    task.project = project
    initial = {"planned_start": task.planned_start, "planned_end": task.planned_end, "weight": task.weight}
    form = forms.TaskReviseForm(request.POST or None, initial=initial)
    back = _tab(project.pk, "schedule")
    return _form(
        request, form, call=lambda d: schedule.task_revise(actor=me, task=task, **d),
        title=f"调整计划：{task}", back=back, done=back, success="计划已调整（基线保留）。",
    )  # fmt: skip


@login_required
@require_POST
def baseline_set(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    try:
        schedule.baseline_set(actor=me, project=project)
        messages.success(request, "进度计划基线已确定。")
    except DomainError as err:
        messages.error(request, err.message)
    return redirect(_tab(pk, "schedule"))


@login_required
def schedule_upload(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以导入进度计划")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    back = _tab(pk, "schedule")
    return _form(
        request, form, call=lambda d: schedule_import(actor=me, project=project, data=d["file"].read()),
        title=f"导入进度计划：{project.name}", back=back, done=back, success="进度计划已导入。", multipart=True,
        note="整表导入：任何一行有误都不导入，并逐行列出问题。",
    )  # fmt: skip


@login_required
def progress_report(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    refusal = perms.party_refusal(me, project, roles=(CONTRACTOR,))
    if refusal or not perms.may_report_progress(me, project):
        raise PermissionDenied(refusal or "只有本项目施工单位或项目联络员、工程管理岗可以填报进度")
    form = forms.ProgressForm(request.POST or None, project=project, initial={"task": request.GET.get("task")})
    back = _tab(pk, "progress")
    return _form(
        request, form, call=lambda d: schedule.progress_report(actor=me, **d),
        title=f"填报形象进度：{project.name}", back=back, done=back, success="进度已填报，待监理确认。",
    )  # fmt: skip


@login_required
@require_POST
def progress_decide(request: HttpRequest, report_pk: int) -> HttpResponse:
    me = signed_in_user(request)
    report = get_object_or_404(ProgressReport.objects.select_related("task", "project"), pk=report_pk)
    project = perms.access_project(me, report.project_id)
    report.project = project
    confirm = request.POST.get("decision") == "confirm"
    try:
        schedule.progress_confirm(actor=me, report=report, confirm=confirm, opinion=request.POST.get("opinion", ""))
        messages.success(request, "进度已确认，红黄绿灯已重新评价。" if confirm else "填报已退回。")
    except DomainError as err:
        messages.error(request, err.message)
    return redirect(_tab(project.pk, "progress"))


def _interview(request: HttpRequest, pk: int) -> tuple[Any, Interview]:
    me = signed_in_user(request)
    interview = get_object_or_404(Interview, pk=pk)
    interview.project = perms.access_project(me, interview.project_id)
    return me, interview


@login_required
def interview_hold(request: HttpRequest, pk: int) -> HttpResponse:
    me, interview = _interview(request, pk)
    if not perms.may_release(me, interview.project):
        raise PermissionDenied("只有项目所属单位的分管领导或主要领导可以记录约谈")
    form = forms.InterviewForm(request.POST or None)
    back = _tab(interview.project_id, "light")
    return _form(
        request, form, call=lambda d: lights.interview_hold(actor=me, interview=interview, **d),
        title=f"记录约谈：{interview.project}", back=back, done=back, success="约谈已记录。", note=f"约谈事由：{interview.reason}",
    )  # fmt: skip


@login_required
def recovery_submit(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以提交赶工计划")
    form = forms.RecoveryForm(request.POST or None)
    back = _tab(pk, "light")
    return _form(
        request, form, call=lambda d: lights.recovery_plan_submit(actor=me, project=project, **d),
        title=f"提交赶工计划：{project.name}", back=back, done=back, success="赶工计划已提交，待领导审定解除暂停拨款。",
    )  # fmt: skip


@login_required
def freeze_release(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    freeze = get_object_or_404(PaymentFreeze, pk=pk)
    freeze.project = perms.access_project(me, freeze.project_id)
    if not perms.may_release(me, freeze.project):
        raise PermissionDenied("只有项目所属单位的分管领导或主要领导可以解除暂停拨款")
    form = forms.ReasonForm(request.POST or None)
    back = _tab(freeze.project_id, "light")
    return _form(
        request, form, call=lambda d: lights.freeze_release(actor=me, freeze=freeze, **d),
        title=f"解除暂停拨款：{freeze.project}", back=back, done=back, success="暂停拨款已解除。",
        note=f"冻结原因：{freeze.reason}",
    )  # fmt: skip


@login_required
def freeze_manual(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_release(me, project):
        raise PermissionDenied("只有项目所属单位的分管领导或主要领导可以决定暂停拨款")
    form = forms.ReasonForm(request.POST or None)
    back = _tab(pk, "light")
    return _form(
        request, form, call=lambda d: lights.freeze_impose_manual(actor=me, project=project, **d),
        title=f"暂停拨款：{project.name}", back=back, done=back, success="已暂停拨款。",
    )  # fmt: skip


@login_required
def daily_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Append the person's entry to the day's report. Photos chosen are first put in the person's pending
    area, so when the form is refused they stay listed (ticked) and need not be picked again."""
    me, project = _project(request, pk)
    if not perms.may_file_daily_report(me, project):
        raise PermissionDenied(site_reports.DAILY_DENIED)
    back = _tab(pk, "daily")
    stage_error = ""
    data: Any = None
    if request.method == "POST":
        data = request.POST.copy()
        uploads = request.FILES.getlist("photos")
        if uploads:
            try:
                new = site_reports.daily_photos_stage(actor=me, project=project, uploads=uploads)
                data.setlist("staged", [*data.getlist("staged"), *(str(p.pk) for p in new)])
            except DomainError as err:
                stage_error = err.message
    staged = site_reports.staged_photos_of(actor=me, project=project)
    form = forms.DailyReportForm(data, staged=staged)
    if data is not None and form.is_valid() and not stage_error:
        d = dict(form.cleaned_data)
        d["staged"] = list(d["staged"])
        if call_service(form, lambda: site_reports.daily_report_submit(actor=me, project=project, **d)) is not None:
            messages.success(request, "现场日报记录已提交。")
            return redirect(back)
    if stage_error:
        form.add_error("photos", stage_error)
    return render(
        request,
        "construction/daily_form.html",
        {"form": form, "title": f"现场日报：{project.name}", "back": back, "pretitle": PRETITLE, "project": project,
         "staged": staged, "selected": {str(v) for v in (form["staged"].value() or [])}},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


@login_required
def staged_thumb(request: HttpRequest, pk: int) -> FileResponse:
    """A photo waiting in the pending area, for its uploader only (anyone else: 404)."""
    me = signed_in_user(request)
    photo = StagedPhoto.objects.filter(pk=pk, uploader=me).first()
    if photo is None:
        raise Http404("记录不存在或您无权查看")
    return FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")


@login_required
def diary_create(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_keep_diary(me, project):
        raise PermissionDenied("只有本项目监理单位可以记录监理日志")
    form = forms.DiaryForm(request.POST or None)
    back = _tab(pk, "daily")
    return _form(
        request, form, call=lambda d: site_reports.diary_record(actor=me, project=project, **d),
        title=f"监理日志：{project.name}", back=back, done=back, success="监理日志已记录。",
    )  # fmt: skip


@login_required
def inspection_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    me, project = _project(request, pk)
    if kind not in forms.KINDS:
        raise Http404("没有这类巡查")
    if not perms.may_verify_notice(me, project):
        raise PermissionDenied("只有工程管理岗、科室负责人或本项目监理单位可以巡查")
    form = forms.InspectionForm(request.POST or None, project=project, kind=kind)
    back = _tab(pk, "inspections")

    def call(d: dict[str, Any]) -> Any:
        rows, severities = form.results()
        return inspections.inspection_record(
            actor=me,
            project=project,
            kind=kind,
            inspected_on=d["inspected_on"],
            results=rows,
            summary=d["summary"],
            severities=severities,
        )

    return _form(
        request, form, call=call, title=f"{forms.KINDS[kind]}：{project.name}", back=back, done=back,
        success="巡查已记录，不合格项已生成整改通知单。", note="每个不合格项生成一份整改通知单；重大隐患立即升级至分管领导。",
    )  # fmt: skip


@login_required
def notice_create(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_verify_notice(me, project):
        raise PermissionDenied("只有工程管理岗、科室负责人或本项目监理单位可以签发整改通知")
    form = forms.NoticeForm(request.POST or None)
    back = _tab(pk, "inspections")
    return _form(
        request, form, call=lambda d: inspections.notice_issue(actor=me, project=project, **d),
        title=f"签发整改通知单：{project.name}", back=back, done=back, success="整改通知单已签发。",
    )  # fmt: skip


@login_required
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    notice = perms.access_notice(me, pk)
    if not perms.may_reply_notice(me, notice):
        raise PermissionDenied("只有整改责任单位可以回复")
    form = forms.ReplyForm(request.POST or None, request.FILES or None)
    back = reverse("construction:notice_detail", args=[pk])
    return _form(
        request, form, call=lambda d: inspections.notice_reply(actor=me, notice=notice, **d),
        title=f"整改回复：{notice}", back=back, done=back, success="整改回复已提交，待复查。", multipart=True,
    )  # fmt: skip


@login_required
def notice_verify(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    notice = perms.access_notice(me, pk)
    if not perms.may_verify_notice(me, notice.project):
        raise PermissionDenied("只有工程管理岗、科室负责人或本项目监理单位可以复查")
    form = forms.VerifyForm(request.POST or None)
    back = reverse("construction:notice_detail", args=[pk])
    return _form(
        request, form, call=lambda d: inspections.notice_verify(actor=me, notice=notice, **d),
        title=f"整改复查：{notice}", back=back, done=back, success="复查结论已记录。",
    )  # fmt: skip


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以记录工地会议")
    form = forms.MeetingForm(request.POST or None, project=project, parties=site_parties(project))
    back = _tab(pk, "meetings")

    def call(d: dict[str, Any]) -> Any:
        fields = {k: d[k] for k in ("kind", "held_on", "agenda", "attendees", "minutes", "decisions", "actions")}
        return meetings.meeting_record(actor=me, project=project, **fields)

    return _form(
        request, form, call=call, title=f"记录工地会议：{project.name}", back=back, done=back,
        success="会议已记录，督办事项已推送至责任人工作台。",
    )  # fmt: skip


@login_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    item = get_object_or_404(ActionItem, pk=pk)
    item.project = perms.access_project(me, item.project_id)
    form = forms.DoneForm(request.POST or None)
    back = _tab(item.project_id, "meetings")
    return _form(
        request, form, call=lambda d: meetings.action_done(actor=me, item=item, **d),
        title=f"办结督办事项：{item.text}", back=back, done=back, success="督办事项已办结。",
    )  # fmt: skip


@login_required
def incident_create(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以登记安全事故")
    form = forms.IncidentForm(request.POST or None)
    back = _tab(pk, "incidents")
    return _form(
        request, form, call=lambda d: incidents.incident_register(actor=me, project=project, **d),
        title=f"登记安全事故：{project.name}", back=back, done=back, success="安全事故已登记。",
    )  # fmt: skip


urlpatterns = [
    path("projects/<int:pk>/site/", site_edit, name="site_edit"),
    path("projects/<int:pk>/tasks/new/", task_create, name="task_create"),
    path("projects/<int:pk>/tasks/import/", schedule_upload, name="schedule_import"),
    path("projects/<int:pk>/baseline/", baseline_set, name="baseline_set"),
    path("tasks/<int:task_pk>/revise/", task_revise, name="task_revise"),
    path("projects/<int:pk>/progress/new/", progress_report, name="progress_report"),
    path("progress/<int:report_pk>/decide/", progress_decide, name="progress_decide"),
    path("interviews/<int:pk>/hold/", interview_hold, name="interview_hold"),
    path("projects/<int:pk>/recovery/new/", recovery_submit, name="recovery_submit"),
    path("freezes/<int:pk>/release/", freeze_release, name="freeze_release"),
    path("projects/<int:pk>/freeze/", freeze_manual, name="freeze_manual"),
    path("projects/<int:pk>/daily/new/", daily_create, name="daily_create"),
    path("staged/<int:pk>/thumb.jpg", staged_thumb, name="staged_thumb"),
    path("projects/<int:pk>/diary/new/", diary_create, name="diary_create"),
    path("projects/<int:pk>/inspections/<slug:kind>/new/", inspection_create, name="inspection_create"),
    path("projects/<int:pk>/notices/new/", notice_create, name="notice_create"),
    path("notices/<int:pk>/reply/", notice_reply, name="notice_reply"),
    path("notices/<int:pk>/verify/", notice_verify, name="notice_verify"),
    path("projects/<int:pk>/meetings/new/", meeting_create, name="meeting_create"),
    path("actions/<int:pk>/done/", action_done, name="action_done"),
    path("projects/<int:pk>/incidents/new/", incident_create, name="incident_create"),
]
