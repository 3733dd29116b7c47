"""Project register, creation, the workspace (stage bar, gate checklist, responsibility, documents,
decisions, approvals, reviews, timeline) and the stage actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.registry import workspace_panels
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import Department, User
from govworks.org.roles import Role
from govworks.projects import permissions as perms
from govworks.projects.forms import (
    AdvanceForm,
    AmountsForm,
    DocumentUploadForm,
    FromPlanForm,
    HigherReviewForm,
    OutsidePlanProjectForm,
    ProjectFilterForm,
    ReasonForm,
    ResponsibilityForm,
)
from govworks.projects.models import DocumentType, PlanItem, Project, ProjectType, Stage
from govworks.projects.rules import STAGE_ORDER
from govworks.projects.selectors.projects import (
    ProjectFilter,
    access_document_version,
    project_list_visible_to,
    project_workspace,
    stages_done_offline,
)
from govworks.projects.selectors.projects import (
    project_timeline as timeline_of,
)
from govworks.projects.services import approvals as approval_services
from govworks.projects.services import decisions as decision_services
from govworks.projects.services import documents as document_services
from govworks.projects.services import projects as services
from govworks.projects.services.approvals import KIND_LABELS
from govworks.projects.services.projects import APPROVAL_OF_STAGE


def _managers(agency_id: int) -> Any:
    return (
        org_perms.business_people(User.objects.all())
        .filter(
            is_active=True,
            agency_id=agency_id,
            grants__agency_id=agency_id,
            grants__revoked_at__isnull=True,
            grants__role__in=[Role.PROJECT_MANAGER, Role.DEPARTMENT_HEAD],
        )
        .distinct()
        .order_by("username")
    )


def _detail_url(project: Project, anchor: str = "") -> str:
    return reverse("projects:project_detail", args=[project.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """项目库: every visible project with stage, amount and the person responsible."""
    user = signed_in_user(request)
    if not org_perms.business_readable_agency_ids(user):
        raise PermissionDenied("您没有查看项目库的权限")
    form = ProjectFilterForm(request.GET or None)
    filters = ProjectFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = ProjectFilter(
            agency_id=data.get("agency"),
            stage=data.get("stage", ""),
            project_type=data.get("project_type", ""),
            text=data.get("q", "").strip(),
            outside_plan=bool(data.get("outside_plan")),
        )
    projects = project_list_visible_to(user=user, filters=filters)
    by_stage = dict(projects.order_by().values_list("stage").annotate(n=Count("id")))
    page = paginate(request, projects, count=sum(by_stage.values()))  # the chart's pass counts them already
    chart = {
        "grid": {"left": 8, "right": 8, "top": 10, "bottom": 24, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "xAxis": {
            "type": "category",
            "data": [label for code, label in Stage.choices],
            "axisLabel": {"interval": 0, "fontSize": 11},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "name": "项目数",
                "data": [by_stage.get(code, 0) for code, _ in Stage.choices],
                "itemStyle": {"color": "#1d4f91"},
                "barMaxWidth": 28,
            }
        ],
    }
    creatable = sorted(org_perms.agency_ids_where(user, perms.PROJECT_CREATE))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "form": form,
            "agencies": list(org_perms.agencies_visible_to(user).order_by("path").only("id", "name")),
            "can_create": bool(creatable),
            "stages": Stage.choices,
            "types": ProjectType.choices,
            "chart": chart,
        },
    )


@login_required
def project_create_outside_plan(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    agency_ids = org_perms.agency_ids_where(user, perms.PROJECT_CREATE)
    if user.agency_id not in agency_ids:
        raise PermissionDenied("只有工程管理岗或科室负责人可以新建项目")
    agency = user.agency
    form = OutsidePlanProjectForm(
        request.POST or None, departments=Department.objects.filter(agency=agency, is_active=True), managers=_managers(agency.pk)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("outside_plan_reason")
        manager, department = data.pop("manager"), data.pop("department")
        project = call_service(
            form,
            lambda: services.project_create_outside_plan(
                actor=user, agency=agency, manager=manager, department=department, reason=reason, **data
            ),
        )
        if project:
            messages.warning(request, f"已建立计划外项目 {project.code}。计划外立项已记录理由，纪检监察可见。")
            return redirect("projects:project_detail", pk=project.pk)
    return form_page(
        request,
        form,
        title="新建计划外项目",
        back=reverse("projects:project_list"),
        pretitle="项目管理",
        note="年度计划内的项目请从年度计划的计划项目建立。计划外项目须写明理由。",
    )


@login_required
def project_create_from_plan(request: HttpRequest, item_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        item = PlanItem.objects.select_related("plan__agency", "responsible", "department").get(
            pk=item_pk, plan__in=perms.plans_visible_to(user)
        )
    except PlanItem.DoesNotExist:
        raise Http404("记录不存在或您无权查看") from None
    org_perms.require(user, perms.PROJECT_CREATE, item.plan.agency_id)
    form = FromPlanForm(request.POST or None, managers=_managers(item.plan.agency_id), initial={"manager": item.responsible_id})
    if request.method == "POST" and form.is_valid():
        project = call_service(
            form, lambda: services.project_create_from_plan(actor=user, item=item, manager=form.cleaned_data["manager"])
        )
        if project:
            messages.success(request, f"已依据年度计划建立项目 {project.code}。")
            return redirect("projects:project_detail", pk=project.pk)
    return form_page(
        request,
        form,
        title=f"建立项目：{item.name}",
        back=reverse("projects:plan_detail", args=[item.plan_id]),
        pretitle="项目管理",
        note=f"估算 {item.estimated_amount:,.2f} 元；计划 {item.planned_start:%Y-%m-%d} 至 {item.planned_end:%Y-%m-%d}；{item.department.name}",
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The project workspace."""
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    ws = project_workspace(project=project)
    agency_id = project.agency_id
    main_stages = [s for s in STAGE_ORDER if s != Stage.PLANNED]
    skipped = {t.to_stage for t in ws.transitions if t.skipped}
    offline = stages_done_offline(transitions=ws.transitions)
    current_index = (
        STAGE_ORDER.index(project.stage)
        if project.stage in STAGE_ORDER
        else STAGE_ORDER.index(project.stage_before_suspension or Stage.CONSTRUCTION)
    )
    stage_bar = [
        {
            "code": s,
            "label": Stage(s).label,
            "done": STAGE_ORDER.index(s) < current_index,
            "current": s == project.stage,
            "skipped": s in skipped,
            "offline": s in offline,
        }
        for s in main_stages
    ]
    can_advance = org_perms.can(user, perms.PROJECT_ADVANCE, agency_id)
    stage_kind = APPROVAL_OF_STAGE.get(project.stage)  # type: ignore[call-overload]
    panels = [(p.title, p.render(request, project)) for p in workspace_panels()]
    current_responsibility = next((r for r in ws.responsibilities if r.stage == project.stage), None)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "ws": ws,
            "stage_bar": stage_bar,
            "offline_stages": offline,
            "gate_ok": all(c.ok for c in ws.gate),
            "can_advance": can_advance,
            "can_upload": org_perms.can(user, perms.DOCUMENT_UPLOAD, agency_id),
            "can_assign": org_perms.can(user, perms.RESPONSIBILITY_ASSIGN, agency_id),
            "can_review": org_perms.can(user, perms.REVIEW_ORGANIZE, agency_id),
            "stage_kind": stage_kind,
            "stage_kind_label": KIND_LABELS.get(stage_kind or "", ""),
            "upload_form": DocumentUploadForm(doc_types=DocumentType.objects.filter(stage=project.stage)),
            "panels": panels,
            "current_responsibility": current_responsibility,
            **_timeline_context(project),
            "in_construction": project.stage == Stage.CONSTRUCTION,
            "suspended": project.stage == Stage.SUSPENDED,
            "amounts_stage": project.stage in (Stage.INITIATION, Stage.FEASIBILITY, Stage.PRELIM_DESIGN, Stage.DESIGN_REVIEW),
        },
    )


def _timeline_context(project: Project, before: int | None = None, size: int = 30) -> dict[str, Any]:
    events = timeline_of(project=project, before_seq=before, size=size)
    return {
        "timeline": events[:size],
        "timeline_more": len(events) > size,
        "timeline_next": events[size - 1].seq if len(events) > size else None,
    }


def _post_action(
    request: HttpRequest, project: Project, form: Any, call: Any, success: str, *, title: str, anchor: str = ""
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(form.cleaned_data)):
            messages.success(request, success)
            return redirect(_detail_url(project, anchor))
    return form_page(request, form, title=title, back=_detail_url(project), pretitle=f"{project.code} {project.name}")


@login_required
def project_advance(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.PROJECT_ADVANCE, project.agency_id)
    form = AdvanceForm(request.POST or None)
    return _post_action(
        request,
        project,
        form,
        lambda d: services.project_advance(actor=user, project=project, note=d["note"]),
        "已办结本阶段，进入下一阶段。",
        title=f"办结“{project.get_stage_display()}”阶段",
    )


@login_required
def project_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.PROJECT_ADVANCE, project.agency_id)
    form = ReasonForm(request.POST or None)
    return _post_action(
        request,
        project,
        form,
        lambda d: services.project_suspend(actor=user, project=project, reason=d["reason"]),
        "项目已停工。",
        title="停工",
    )


@login_required
def project_resume(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.PROJECT_ADVANCE, project.agency_id)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "复工依据（复工令编号等）"
    return _post_action(
        request,
        project,
        form,
        lambda d: services.project_resume(actor=user, project=project, note=d["reason"]),
        "项目已复工。",
        title="复工",
    )


@login_required
def project_amounts(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.PROJECT_ADVANCE, project.agency_id)
    form = AmountsForm(
        request.POST or None, initial={"approved_estimate": project.approved_estimate, "budget_amount": project.budget_amount}
    )
    return _post_action(
        request,
        project,
        form,
        lambda d: services.project_amounts_set(
            actor=user, project=project, approved_estimate=d.get("approved_estimate"), budget_amount=d.get("budget_amount")
        ),
        "金额已录入。",
        title="录入批复概算 / 预算",
    )


@login_required
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.DOCUMENT_UPLOAD, project.agency_id)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, doc_types=DocumentType.objects.all())
    if request.method == "POST" and form.is_valid():
        version = call_service(
            form,
            lambda: document_services.document_upload(
                actor=user,
                project=project,
                doc_type=form.cleaned_data["doc_type"],
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
        )
        if version:
            messages.success(request, f"已上传《{form.cleaned_data['doc_type'].name}》第{version.number}版。")
            return redirect(_detail_url(project, "documents"))
    return form_page(
        request,
        form,
        title="上传项目文件",
        back=_detail_url(project, "documents"),
        pretitle=f"{project.code} {project.name}",
        multipart=True,
        note="同一类型再次上传即为新版本，旧版本保留可查，不会删除。",
    )


@login_required
def document_download(request: HttpRequest, version_pk: int) -> FileResponse:
    version = access_document_version(user=signed_in_user(request), pk=version_pk)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name)


@login_required
def responsibility_assign(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.RESPONSIBILITY_ASSIGN, project.agency_id)
    if stage not in Stage.values:
        raise Http404("没有这个阶段")
    form = ResponsibilityForm(
        request.POST or None,
        people=org_perms.business_people(User.objects.filter(agency_id=project.agency_id, is_active=True)).order_by("username"),
        departments=Department.objects.filter(agency_id=project.agency_id, is_active=True),
    )
    return _post_action(
        request,
        project,
        form,
        lambda d: services.responsibility_assign(
            actor=user, project=project, stage=stage, responsible=d["responsible"], department=d["department"]
        ),
        "责任分工已调整。",
        title=f"调整“{Stage(stage).label}”阶段责任人",
        anchor="responsibility",
    )


@login_required
@require_POST
def approval_submit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.PROJECT_ADVANCE, project.agency_id)
    if kind not in KIND_LABELS:
        raise Http404("没有这种审批")
    try:
        request_row = approval_services.approval_submit(
            actor=user,
            agency=project.agency,
            kind=kind,
            subject=project,
            project=project,
            title=f"{project.code} {project.name} {KIND_LABELS[kind]}",
            amount=project.controlling_amount,
        )
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(_detail_url(project, "approvals"))
    messages.success(request, f"已提交{KIND_LABELS[kind]}（{request_row.chain_name}）。")
    return redirect(_detail_url(project, "approvals"))


@login_required
def higher_review_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    project = perms.access_project(user, pk)
    org_perms.require(user, perms.PROJECT_ADVANCE, project.agency_id)
    form = HigherReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: decision_services.higher_review_record(actor=user, project=project, **form.cleaned_data)):
            messages.success(request, "已登记上级审议结果。")
            return redirect(_detail_url(project, "decisions"))
    return form_page(
        request,
        form,
        title="登记政府常务会议 / 人大审议",
        back=_detail_url(project, "decisions"),
        pretitle=f"{project.code} {project.name}",
        multipart=True,
    )


@login_required
def project_gate_missing(request: HttpRequest, pk: int) -> HttpResponse:
    """What the gate of the project's stage still lacks, as one line for its workbench item (htmx, asked after the
    home page loaded, so the home page keeps a constant number of queries and the line is never stale). Opened
    directly, it leads to the project's gate."""
    project = perms.access_project(signed_in_user(request), pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(reverse("projects:project_detail", args=[project.pk]) + "#gate")
    missing = [c for c in services.gate_conditions(project) if not c.ok]
    text = "；".join(f"{c.label}（{c.detail}）" if c.detail else c.label for c in missing[:3])
    if len(missing) > 3:
        text += f" 等{len(missing)}项"
    if not text:
        return HttpResponse("办结条件已满足，可进入下一阶段")
    return HttpResponse(format_html('<span class="text-danger">缺：</span>{}', text))


@login_required
def project_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Older timeline entries (htmx: appended under the workspace's timeline). Opened directly (a bookmarked or
    shared link), it leads to the workspace's timeline instead of showing a bare fragment."""
    project = perms.access_project(signed_in_user(request), pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(reverse("projects:project_detail", args=[project.pk]) + "#timeline")
    ctx = _timeline_context(project, before=query_int(request.GET.get("before")))
    return render(
        request,
        "projects/partials/timeline.html",
        {
            "project": project,
            "events": ctx["timeline"],
            "has_more": ctx["timeline_more"],
            "next_before": ctx["timeline_next"],
        },
    )


urlpatterns = [
    path("", project_list, name="project_list"),
    path("new/", project_create_outside_plan, name="project_create_outside_plan"),
    path("from-plan/<int:item_pk>/", project_create_from_plan, name="project_create_from_plan"),
    path("<int:pk>/", project_detail, name="project_detail"),
    path("<int:pk>/advance/", project_advance, name="project_advance"),
    path("<int:pk>/gate-missing/", project_gate_missing, name="project_gate_missing"),
    path("<int:pk>/suspend/", project_suspend, name="project_suspend"),
    path("<int:pk>/resume/", project_resume, name="project_resume"),
    path("<int:pk>/amounts/", project_amounts, name="project_amounts"),
    path("<int:pk>/documents/upload/", document_upload, name="document_upload"),
    path("documents/<int:version_pk>/file/", document_download, name="document_download"),
    path("<int:pk>/responsibility/<str:stage>/", responsibility_assign, name="responsibility_assign"),
    path("<int:pk>/approval/<str:kind>/", approval_submit, name="approval_submit"),
    path("<int:pk>/higher-review/", higher_review_record, name="higher_review_record"),
    path("<int:pk>/timeline/", project_timeline, name="project_timeline"),
]
