"""Performance evaluation pages: the register across the projects the user may see (filters, Excel), a
project's evaluation (indicators with their source and numbers, score, grade, the chart of the four
dimensions, the self-evaluation and the review), the indicator scoring form, the report PDF and the template
management page. Each form calls one service; a refusal comes back with 400 and the Chinese reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.closeout import permissions_evaluation as perms
from govworks.closeout import rules_evaluation as rules
from govworks.closeout.models import Evaluation, EvaluationIndicator
from govworks.closeout.selectors import evaluation as selectors
from govworks.closeout.services import evaluation as services
from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.pdf import html_to_pdf
from govworks.core.service_forms import call_service
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new
from govworks.org import permissions as org_perms

PRETITLE = "竣工收尾 · 绩效评价"
EXPORT_MAX_ROWS = 5000


def _reader(user: Any) -> None:
    if not perms.may_read_evaluations(user):
        raise PermissionDenied("只有本单位内部人员可以查看绩效评价")


def _page(project: Any) -> str:
    return reverse("closeout:evaluation_project", args=[project.pk])


# ------------------------------------------------------------------------------------------------ register


def _filters(request: HttpRequest) -> dict[str, str]:
    grade = request.GET.get("grade", "")
    status = request.GET.get("status", "")
    return {
        "grade": grade if grade in rules.GRADE_LABELS else "",
        "status": status if status in Evaluation.Status.values else "",
        "q": request.GET.get("q", "").strip()[:50],
    }


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    _reader(me)
    filters = _filters(request)
    return render(
        request,
        "closeout/evaluation/list.html",
        {
            "page": paginate(request, selectors.evaluation_register(me, **filters), size=30),
            "awaiting": selectors.projects_awaiting_evaluation(me),
            "filters": filters,
            "grade_choices": list(rules.GRADE_LABELS.items()),
            "status_choices": Evaluation.Status.choices,
            "pretitle": PRETITLE,
        },
    )


@login_required
def evaluation_export(request: HttpRequest) -> HttpResponse:
    """The register with the same filters as an Excel workbook (cells made inert)."""
    me = signed_in_user(request)
    _reader(me)
    rows = selectors.evaluation_register(me, **_filters(request))[:EXPORT_MAX_ROWS]
    book = workbook_new(write_only=True)
    sheet = book.create_sheet("绩效评价")
    sheet_append(sheet, ["项目编号", "项目名称", "建设单位", "状态", "总分", "等级", "自评人", "自评提交", "评价人", "评定日期"])
    for e in rows:
        sheet_append(
            sheet,
            [
                e.project.code,
                e.project.name,
                e.agency.short_name or e.agency.name,
                e.get_status_display(),
                e.score,
                rules.grade_label(e.grade),
                e.submitted_by.display_name if e.submitted_by else "",
                timezone.localtime(e.submitted_at).strftime("%Y-%m-%d") if e.submitted_at else "",
                e.reviewed_by.display_name if e.reviewed_by else "",
                e.approved_on,
            ],
        )
    response = HttpResponse(
        workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="evaluations.xlsx"'
    return response


# ------------------------------------------------------------------------------------------------ a project


class SubmitForm(LimitedForm):
    summary = forms.CharField(label="自评结论", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReviewForm(LimitedForm):
    opinion = forms.CharField(label="评价意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FillForm(LimitedForm):
    score = forms.DecimalField(label="得分", max_digits=5, decimal_places=2)
    comment = forms.CharField(label="评分说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    evidence = forms.FileField(label="佐证材料", required=False, help_text="PDF、图片、Word、Excel 或 ZIP，不超过 20MB")


def _project_context(request: HttpRequest, me: Any, project: Any, **extra: Any) -> dict[str, Any]:
    view = selectors.evaluation_view(project)
    e = view.evaluation
    may_self = perms.may_self_evaluate(me, project)
    may_review = perms.may_review(me, project)
    context = {
        "project": project,
        "view": view,
        "e": e,
        "grade_label": rules.grade_label(view.grade),
        "may_start": may_self and e is None and project.stage == "evaluation",
        "may_edit": may_self and e is not None and e.status in services.EDITABLE,
        "may_review": may_review and e is not None and e.status == Evaluation.Status.SUBMITTED,
        "submit_form": extra.pop("submit_form", None) or SubmitForm(initial={"summary": e.self_summary if e else ""}),
        "review_form": extra.pop("review_form", None) or ReviewForm(),
        "pretitle": PRETITLE,
    }
    context.update(extra)
    return context


@login_required
def evaluation_project(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = perms.access_evaluation_project(me, pk)
    return render(request, "closeout/evaluation/project.html", _project_context(request, me, project))


def _action(request: HttpRequest, project: Any, call: Any, ok: str) -> HttpResponse:
    try:
        call()
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(_page(project))
    messages.success(request, ok)
    return redirect(_page(project))


@login_required
@require_POST
def evaluation_start(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = perms.access_evaluation_project(me, pk)
    return _action(
        request, project, lambda: services.evaluation_start(actor=me, project=project), "已发起绩效评价，系统取数指标已自动填写。"
    )


def _evaluation(project: Any) -> Evaluation:
    e = Evaluation.objects.filter(project=project).select_related("project", "agency").first()
    if e is None:
        raise Http404("该项目尚未发起绩效评价")
    return e


@login_required
@require_POST
def evaluation_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = perms.access_evaluation_project(me, pk)
    e = _evaluation(project)
    return _action(request, project, lambda: services.evaluation_refresh(actor=me, evaluation=e), "已重新取数。")


@login_required
@require_POST
def evaluation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = perms.access_evaluation_project(me, pk)
    if not perms.may_self_evaluate(me, project):
        raise PermissionDenied(f"绩效自评由项目责任科室（{project.department}）或项目负责人办理")
    e = _evaluation(project)
    form = SubmitForm(request.POST)
    done = (
        call_service(form, lambda: services.evaluation_submit(actor=me, evaluation=e, summary=form.cleaned_data["summary"]))
        if form.is_valid()
        else None
    )
    if done is not None:
        messages.success(request, "绩效自评已提交，等待部门评价。")
        return redirect(_page(project))
    return render(
        request, "closeout/evaluation/project.html", _project_context(request, me, project, submit_form=form), status=400
    )


@login_required
@require_POST
def evaluation_review(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = perms.access_evaluation_project(me, pk)
    if not perms.may_review(me, project):
        raise PermissionDenied("绩效评价的部门评价由本单位财务或内审人员办理")
    e = _evaluation(project)
    form = ReviewForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    done = (
        call_service(
            form,
            lambda: services.evaluation_review(actor=me, evaluation=e, approve=approve, opinion=form.cleaned_data["opinion"]),
        )
        if form.is_valid()
        else None
    )
    if done is not None:
        messages.success(request, "绩效评价已评定，报告已归档。" if approve else "已退回修改。")
        return redirect(_page(project))
    return render(
        request, "closeout/evaluation/project.html", _project_context(request, me, project, review_form=form), status=400
    )


@login_required
def indicator_fill(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    try:
        row = EvaluationIndicator.objects.select_related("evaluation__project").get(
            pk=pk, evaluation__project__in=perms.evaluation_projects_visible_to(me)
        )
    except (EvaluationIndicator.DoesNotExist, ValueError):
        raise Http404("记录不存在或您无权查看") from None
    project = row.evaluation.project
    if not perms.may_self_evaluate(me, project):
        raise PermissionDenied(f"绩效自评由项目责任科室（{project.department}）或项目负责人办理")
    form = FillForm(request.POST or None, request.FILES or None, initial={"score": row.score, "comment": row.comment})
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.evaluation_indicator_fill(
                actor=me,
                indicator=row,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data.get("evidence"),
            ),
        )
        if done:
            messages.success(request, f"已为“{row.name}”评分。")
            return redirect(_page(project) + f"#ind-{row.pk}")
    note = f"{row.get_dimension_display()} · {row.level2} · {row.name}（分值 {rules.points_text(Decimal(row.points))} 分）：{row.method}"
    if row.source_text:
        note += f"。{row.source_text}"
    if row.evidence_name:
        note += f"。已上传佐证：{row.evidence_name}"
    return form_page(request, form, title=f"评分：{row.name}", back=_page(project), pretitle=PRETITLE, multipart=True, note=note)


@login_required
def indicator_evidence(request: HttpRequest, pk: int) -> FileResponse:
    me = signed_in_user(request)
    try:
        row = EvaluationIndicator.objects.get(pk=pk, evaluation__project__in=perms.evaluation_projects_visible_to(me))
    except (EvaluationIndicator.DoesNotExist, ValueError):
        raise Http404("记录不存在或您无权查看") from None
    if not row.evidence:
        raise Http404("没有佐证材料")
    return FileResponse(row.evidence.open("rb"), as_attachment=True, filename=row.evidence_name or "evidence")


@login_required
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation as printed now (the filed report is the stage's document)."""
    me = signed_in_user(request)
    project = perms.access_evaluation_project(me, pk)
    e = _evaluation(project)
    response = HttpResponse(html_to_pdf(services.report_html(e)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{project.pk}.pdf"'
    return response


# ------------------------------------------------------------------------------------------------ templates


@login_required
def evaluation_templates(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    if not org_perms.can_anywhere(me, perms.EVAL_TEMPLATE):
        raise PermissionDenied("只有财务、内审人员可以维护绩效评价指标模板")
    services.default_template()  # reference data: present from the first visit
    templates = list(selectors.templates_visible_to(me).order_by("agency_id", "id"))
    selected_id = request.GET.get("t")
    selected = next((t for t in templates if str(t.pk) == selected_id), templates[0] if templates else None)
    rows = selectors.template_rows(selected) if selected else []
    editable = bool(selected and selected.agency_id and perms.may_manage_templates(me, selected.agency_id))
    copy_agencies = sorted(org_perms.agency_ids_where(me, perms.EVAL_TEMPLATE))
    return render(
        request,
        "closeout/evaluation/templates.html",
        {
            "templates": templates,
            "selected": selected,
            "rows": rows,
            "dims": [
                (code, rules.DIMENSION_LABELS[code], selected.weights[code] if selected else 0) for code in rules.DIMENSIONS
            ],
            "problems": selectors.template_problems(selected, rows) if selected else [],
            "editable": editable,
            "may_copy": bool(copy_agencies),
            "pretitle": PRETITLE,
            "error": request.GET.get("error", "") and "",
        },
    )


@login_required
@require_POST
def evaluation_template_copy(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    agency_id = org_perms.acting_agency_id(me, perms.EVAL_TEMPLATE)
    if agency_id is None:
        raise PermissionDenied("只有财务、内审人员可以维护绩效评价指标模板")
    from govworks.org.models import Agency

    source = None
    src = request.POST.get("source")
    if src:
        source = selectors.templates_visible_to(me).filter(pk=src).first()
    try:
        template = services.evaluation_template_copy(actor=me, agency=Agency.objects.get(pk=agency_id), source=source)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("closeout:evaluation_templates")
    messages.success(request, f"已复制为“{template.name}”，可调整权重和分值。")
    return redirect(reverse("closeout:evaluation_templates") + f"?t={template.pk}")


@login_required
@require_POST
def evaluation_template_update(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    if not org_perms.can_anywhere(me, perms.EVAL_TEMPLATE):
        raise PermissionDenied("只有财务、内审人员可以维护绩效评价指标模板")
    template = selectors.templates_visible_to(me).filter(pk=pk).first()
    if template is None:
        raise Http404("记录不存在或您无权查看")
    weights = {d: request.POST.get(f"weight_{d}", "")[:12] for d in rules.DIMENSIONS}
    points = {}
    for key, value in request.POST.items():
        if key.startswith("points_") and key[7:].isdigit():
            points[int(key[7:])] = value[:12]
    try:
        services.evaluation_template_update(actor=me, template=template, weights=weights, points=points)
    except DomainError as err:
        messages.error(request, err.message)
        rows = selectors.template_rows(template)
        return render(
            request,
            "closeout/evaluation/templates.html",
            {
                "templates": list(selectors.templates_visible_to(me).order_by("agency_id", "id")),
                "selected": template,
                "rows": rows,
                "dims": [(code, rules.DIMENSION_LABELS[code], weights[code]) for code in rules.DIMENSIONS],
                "posted_points": points,
                "problems": [],
                "refusal": err.message,
                "editable": True,
                "may_copy": True,
                "pretitle": PRETITLE,
            },
            status=400,
        )
    messages.success(request, "模板已保存。")
    return redirect(reverse("closeout:evaluation_templates") + f"?t={template.pk}")


urlpatterns = [
    path("evaluations/", evaluation_list, name="evaluation_list"),
    path("evaluations/export/", evaluation_export, name="evaluation_export"),
    path("evaluations/templates/", evaluation_templates, name="evaluation_templates"),
    path("evaluations/templates/copy/", evaluation_template_copy, name="evaluation_template_copy"),
    path("evaluations/templates/<int:pk>/", evaluation_template_update, name="evaluation_template_update"),
    path("evaluations/indicators/<int:pk>/", indicator_fill, name="evaluation_indicator_fill"),
    path("evaluations/indicators/<int:pk>/evidence/", indicator_evidence, name="evaluation_indicator_evidence"),
    path("projects/<int:pk>/evaluation/", evaluation_project, name="evaluation_project"),
    path("projects/<int:pk>/evaluation/start/", evaluation_start, name="evaluation_start"),
    path("projects/<int:pk>/evaluation/refresh/", evaluation_refresh, name="evaluation_refresh"),
    path("projects/<int:pk>/evaluation/submit/", evaluation_submit, name="evaluation_submit"),
    path("projects/<int:pk>/evaluation/review/", evaluation_review, name="evaluation_review"),
    path("projects/<int:pk>/evaluation/pdf/", evaluation_pdf, name="evaluation_pdf"),
]
