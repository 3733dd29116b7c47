"""年度工程建设计划 pages: list, create, items (one by one or from Excel), submit to the leadership
meeting, file with the superior agency, return, revise, export. Each view parses input, calls one
service or selector and renders; every by-id fetch goes through ``access_plan``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from govworks.core.errors import DomainError
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, Department, User
from govworks.projects import permissions as perms
from govworks.projects.forms_plans import (
    PlanCreateForm,
    PlanFilterForm,
    PlanImportForm,
    PlanItemForm,
    PlanReturnForm,
    PlanReviseForm,
)
from govworks.projects.models import AnnualPlan, PlanItem
from govworks.projects.plan_excel import (
    HEADERS,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    parse_plan_rows,
    plan_export_workbook,
    plan_template_workbook,
)
from govworks.projects.selectors import plans as selectors
from govworks.projects.services import plans as services
from govworks.projects.services.plans import plan_item_is_available

PRETITLE = "年度工程建设计划"


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _detail(plan: AnnualPlan | int) -> str:
    return reverse("projects:plan_detail", args=[plan if isinstance(plan, int) else plan.pk])


def _require_edit(request: HttpRequest, plan: AnnualPlan) -> None:
    org_perms.require(request.user, perms.PLAN_EDIT, plan.agency_id)


def _xlsx(content: bytes, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    # an ASCII name for old clients, the Chinese one (RFC 6266 / 5987) for everyone else
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _run(request: HttpRequest, call: Any, success: str) -> bool:
    """Run a one-click service call (submit, file); a refusal becomes an error message."""
    try:
        call()
    except DomainError as err:
        messages.error(request, err.message)
        return False
    messages.success(request, success)
    return True


# ---------------------------------------------------------------------------------------- list, create


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not org_perms.business_readable_agency_ids(request.user):
        raise PermissionDenied("您没有查看年度计划的权限")
    form = PlanFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.PlanFilter(year=data.get("year"), agency_id=data.get("agency"), status=data.get("status") or "")
    agencies, years = selectors.plan_filter_choices(user=request.user)
    editable = org_perms.agency_ids_where(request.user, perms.PLAN_EDIT)
    page = paginate(request, selectors.plan_list_visible_to(user=request.user, filters=filters))
    return render(
        request,
        "projects/plans/plan_list.html",
        {
            "page": page,
            "filters": filters,
            "agencies": agencies,
            "years": years,
            "statuses": AnnualPlan.Status.choices,
            "can_create": bool(editable),
            "filtered": bool(filters.year or filters.agency_id or filters.status),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    editable = org_perms.agency_ids_where(request.user, perms.PLAN_EDIT)
    if not editable:
        raise PermissionDenied("您没有“编制年度计划”的权限")
    form = PlanCreateForm(request.POST or None, agencies=Agency.objects.filter(id__in=editable).order_by("path"))
    if request.method == "POST" and form.is_valid():
        plan = call_service(form, lambda: services.annual_plan_create(actor=_me(request), **form.cleaned_data))
        if plan:
            messages.success(request, f"已新建“{plan}”，请添加项目或从 Excel 导入。")
            return redirect(_detail(plan))
    return form_page(
        request, form, title="编制年度工程建设计划", back=reverse("projects:plan_list"), pretitle=PRETITLE,
        note="每个单位每年一份计划；已批准的计划如需调整，请在原计划上发起修订。",
    )  # fmt: skip


@login_required
@require_GET
def plan_template(request: HttpRequest) -> HttpResponse:
    """The blank import template; for a 工程管理岗 it lists their agency's departments and usernames."""
    me = _me(request)
    editable = org_perms.agency_ids_where(me, perms.PLAN_EDIT)
    if not org_perms.business_readable_agency_ids(me):
        raise PermissionDenied("您没有查看年度计划的权限")
    agency_id = query_int(request.GET.get("agency"))
    agency_id = agency_id if agency_id in editable else (me.agency_id if me.agency_id in editable else None)
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    return _xlsx(plan_template_workbook(agency=agency), "年度工程建设计划导入模板.xlsx", "plan-template.xlsx")


# ---------------------------------------------------------------------------------------- detail


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    page = selectors.plan_page(user=request.user, plan=plan)
    can_edit = org_perms.can(request.user, perms.PLAN_EDIT, plan.agency_id)
    can_create_project = org_perms.can(request.user, perms.PROJECT_CREATE, plan.agency_id)
    approved = plan.status in (AnnualPlan.Status.DECIDED, AnnualPlan.Status.FILED)
    rows = [(item, can_create_project and approved and plan_item_is_available(item)) for item in page.items]
    return render(
        request,
        "projects/plans/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "rows": rows,
            "steps": _steps(plan),
            "approved": approved,
            "can_edit": can_edit and plan.is_editable,
            "can_submit": can_edit and plan.is_editable and bool(page.items),
            "can_file": can_edit and plan.status == AnnualPlan.Status.DECIDED and plan.agency.parent_id is not None,
            "can_revise": can_edit and approved and page.next is None,
            "can_return": plan.status == AnnualPlan.Status.FILED
            and org_perms.can(request.user, perms.PLAN_RETURN, plan.agency.parent_id),
            "return_form": PlanReturnForm(),
            "has_superior": plan.agency.parent_id is not None,
        },
    )


def _steps(plan: AnnualPlan) -> list[tuple[str, str]]:
    """The stepper 起草→提交会议→集体决策→备案 as (label, state), state being done / current / todo;
    the last step reached is “current” (Tabler colours it and everything before it)."""
    s = AnnualPlan.Status
    top = plan.agency.parent_id is None
    labels = ["起草", "提交会议", "集体决策", "免备案（无上级单位）" if top else "报上级备案"]
    if plan.status in (s.DRAFT, s.RETURNED):
        current = 0
    elif plan.status == s.SUBMITTED:
        current = 1
    elif plan.status == s.DECIDED:
        current = 3 if top else 2
    elif plan.status == s.FILED:
        current = 3
    else:  # superseded: decided, filed when it was
        current = 3 if (top or plan.filed_at) else 2
    return [(label, "done" if i < current else "current" if i == current else "todo") for i, label in enumerate(labels)]


# ---------------------------------------------------------------------------------------- items


@login_required
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    _require_edit(request, plan)
    if not plan.is_editable:
        messages.error(request, f"计划状态为“{plan.get_status_display()}”，不能增加项目；如需调整请发起修订。")
        return redirect(_detail(plan))
    form = PlanItemForm(
        request.POST or None,
        departments=Department.objects.filter(agency_id=plan.agency_id, is_active=True).order_by("name"),
        people=org_perms.business_people(User.objects.filter(agency_id=plan.agency_id, is_active=True)).order_by("username"),
    )
    if request.method == "POST" and form.is_valid():
        data = services.PlanItemData(**form.cleaned_data)
        item = call_service(form, lambda: services.plan_item_add(actor=_me(request), plan=plan, data=data))
        if item:
            messages.success(request, f"已增列项目“{item.name}”。")
            if "add_another" in request.POST:
                return redirect("projects:plan_item_add", pk=plan.pk)
            return redirect(_detail(plan))
    return form_page(request, form, title=f"增列项目：{plan}", back=_detail(plan), pretitle=PRETITLE)


@login_required
@require_POST
def plan_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    item = PlanItem.objects.filter(plan=plan, pk=item_pk).select_related("plan").first()
    if item is None:
        raise Http404("记录不存在或您无权查看")
    _run(request, lambda: services.plan_item_remove(actor=_me(request), item=item), f"已删除项目“{item.name}”。")
    return redirect(_detail(plan))


@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an Excel sheet: every row is checked; one bad row and nothing is imported (400 with the list)."""
    plan = perms.access_plan(request.user, pk)
    _require_edit(request, plan)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        parsed = call_service(form, lambda: parse_plan_rows(form.cleaned_data["file"], agency=plan.agency))
        if parsed is not None:
            items, errors = parsed
            if not errors:
                count = call_service(form, lambda: services.plan_items_replace(actor=_me(request), plan=plan, items=items))
                if count:
                    messages.success(request, f"已从 Excel 导入 {count} 个项目（替换原有项目）。")
                    return redirect(_detail(plan))
    failed = bool(errors) or (form.is_bound and bool(form.errors))
    return render(
        request,
        "projects/plans/plan_import.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "error_rows": len({e.row for e in errors}),
            "headers": HEADERS,
            "max_rows": MAX_ROWS,
            "editable": plan.is_editable,
        },
        status=400 if failed else 200,
    )


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    suffix = f"（第{plan.revision}版）" if plan.revision > 1 else ""
    name = f"{plan.agency.short_name or plan.agency.name}-{plan.year}年度工程建设计划{suffix}.xlsx"
    return _xlsx(plan_export_workbook(plan), name, f"plan-{plan.year}-{plan.agency_id}-r{plan.revision}.xlsx")


# ---------------------------------------------------------------------------------------- workflow


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    _run(
        request,
        lambda: services.annual_plan_submit(actor=_me(request), plan=plan),
        "计划已提交会议审议。请会议组织人将其列入党组会议/局务会议议题，集体决策后生效。",
    )
    return redirect(_detail(plan))


@login_required
@require_POST
def plan_file(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    superior = plan.agency.parent.name if plan.agency.parent else ""
    _run(request, lambda: services.annual_plan_file(actor=_me(request), plan=plan), f"计划已报{superior}备案。")
    return redirect(_detail(plan))


@login_required
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    org_perms.require(request.user, perms.PLAN_RETURN, plan.agency.parent_id)
    form = PlanReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, lambda: services.annual_plan_return(actor=_me(request), plan=plan, comment=form.cleaned_data["comment"])
        )
        if done:
            messages.success(request, f"已将“{plan}”退回{plan.agency.name}修改。")
            return redirect(_detail(plan))
    return form_page(request, form, title=f"退回计划：{plan}", back=_detail(plan), pretitle=PRETITLE)


@login_required
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = perms.access_plan(request.user, pk)
    _require_edit(request, plan)
    form = PlanReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revision = call_service(
            form, lambda: services.annual_plan_revise(actor=_me(request), plan=plan, reason=form.cleaned_data["reason"])
        )
        if revision:
            messages.success(request, f"已发起修订，生成第{revision.revision}版。修改后请重新提交会议决策。")
            return redirect(_detail(revision))
    return form_page(
        request, form, title=f"修订计划：{plan}", back=_detail(plan), pretitle=PRETITLE,
        note="修订是新的一版计划，不在原计划上直接修改；原计划在修订版集体决策通过前继续有效，通过后标记为“已被新修订版替代”。",
    )  # fmt: skip


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/template.xlsx", plan_template, name="plan_template"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/new/", plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/remove/", plan_item_remove, name="plan_item_remove"),
    path("plans/<int:pk>/import/", plan_import, name="plan_import"),
    path("plans/<int:pk>/export.xlsx", plan_export, name="plan_export"),
    path("plans/<int:pk>/submit/", plan_submit, name="plan_submit"),
    path("plans/<int:pk>/file/", plan_file, name="plan_file"),
    path("plans/<int:pk>/return/", plan_return, name="plan_return"),
    path("plans/<int:pk>/revise/", plan_revise, name="plan_revise"),
]
