"""Review (复盘) pages: the knowledge base of lessons (search by words, category, project type, stage), and one
project's review: the report written by the project manager, its lessons by stage, submission and the department
head's approval. Every form calls one service; a refusal re-renders with 400 and the Chinese reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govworks.closeout import permissions_archives as perms
from govworks.closeout.models import LessonCategory, ReviewReport
from govworks.closeout.selectors import lessons as sel
from govworks.closeout.services import lessons as services
from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.projects.models import ProjectType, Stage

PRETITLE = "竣工收尾 · 复盘"
AREA = forms.Textarea(attrs={"rows": 3})
LESSON_STAGES = [(s.value, s.label) for s in Stage if s not in (Stage.SUSPENDED, Stage.CLOSED)]


class ReviewForm(LimitedForm):
    went_well = forms.CharField(label="做得好的", widget=AREA, max_length=4000)
    went_badly = forms.CharField(label="做得不好的", widget=AREA, max_length=4000)
    root_causes = forms.CharField(label="根本原因", widget=AREA, max_length=4000)
    improvements = forms.CharField(label="改进措施", widget=AREA, max_length=4000, required=False)


class LessonForm(LimitedForm):
    stage = forms.ChoiceField(label="阶段", choices=LESSON_STAGES)
    category = forms.ChoiceField(label="类别", choices=LessonCategory.choices)
    title = forms.CharField(label="标题", max_length=120)
    content = forms.CharField(label="经验教训", widget=AREA, max_length=4000)
    advice = forms.CharField(label="对今后项目的建议", widget=AREA, max_length=4000, required=False)


class ApproveForm(LimitedForm):
    decision = forms.ChoiceField(label="审阅结论", choices=[("approve", "审阅通过"), ("return", "退回修改")])
    comment = forms.CharField(label="审阅意见", max_length=300, required=False)


def _me(request: HttpRequest) -> Any:
    return signed_in_user(request)


@login_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    """经验教训库: lessons of every agency the user reads, searched by words, category, project type and stage."""
    me = _me(request)
    if not perms.may_read_archives(me):
        raise PermissionDenied("只有本单位内部人员可以查看经验教训库")
    filters = {
        "q": (request.GET.get("q") or "").strip()[:50],
        "category": request.GET.get("category", "") if request.GET.get("category") in LessonCategory.values else "",
        "project_type": request.GET.get("project_type", "") if request.GET.get("project_type") in ProjectType.values else "",
        "stage": request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
    }
    page = paginate(request, sel.lesson_search(user=me, **filters))
    return render(
        request,
        "closeout/lessons/list.html",
        {
            "pretitle": PRETITLE,
            "page": page,
            "filters": filters,
            "category_choices": LessonCategory.choices,
            "type_choices": ProjectType.choices,
            "stage_choices": LESSON_STAGES,
        },
    )


def _page(request: HttpRequest, project: Any, *, review_form: Any = None, lesson_form: Any = None,
          approve_form: Any = None, error: str = "", status: int = 200) -> HttpResponse:  # fmt: skip
    me = _me(request)
    report = sel.review_of(project)
    may_write = org_perms.can(me, perms.REVIEW_WRITE, project.agency_id)
    draft = report is None or report.status == ReviewReport.Status.DRAFT
    editable = may_write and draft and project.stage in services.REVIEW_STAGES
    initial = {k: getattr(report, k) for k in ("went_well", "went_badly", "root_causes", "improvements")} if report else None
    lessons = sel.lessons_of(project)
    by_stage: dict[str, list[Any]] = {}
    for lesson in lessons:
        by_stage.setdefault(Stage(lesson.stage).label, []).append(lesson)
    return render(
        request,
        "closeout/lessons/review.html",
        {
            "pretitle": PRETITLE,
            "project": project,
            "report": report,
            "lessons_by_stage": list(by_stage.items()),
            "lesson_count": len(lessons),
            "editable": editable,
            "may_add_lesson": may_write
            and project.stage in services.REVIEW_STAGES
            and not (report and report.status == ReviewReport.Status.APPROVED),
            "may_approve": bool(
                report
                and report.status == ReviewReport.Status.SUBMITTED
                and report.written_by_id != me.pk
                and org_perms.can(me, perms.REVIEW_APPROVE, project.agency_id)
            ),
            "review_form": review_form or ReviewForm(initial=initial),
            "lesson_form": lesson_form
            or LessonForm(initial={"stage": project.stage if project.stage in dict(LESSON_STAGES) else ""}),
            "approve_form": approve_form or ApproveForm(),
            "error": error,
        },
        status=status,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's review report and lessons; POST saves the report (draft)."""
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    if request.method != "POST":
        return _page(request, project)
    if not org_perms.can(me, perms.REVIEW_WRITE, project.agency_id):
        raise PermissionDenied("只有本单位的工程管理岗或科室负责人可以撰写复盘报告")
    form = ReviewForm(request.POST)
    if form.is_valid():
        done = call_service(form, lambda: services.review_report_save(actor=me, project=project, **form.cleaned_data))
        if done is not None:
            messages.success(request, "复盘报告已保存")
            return redirect("closeout:review_detail", pk=project.pk)
    return _page(request, project, review_form=form, status=400)


@login_required
@require_POST
def lesson_add(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    if not org_perms.can(me, perms.REVIEW_WRITE, project.agency_id):
        raise PermissionDenied("只有本单位的工程管理岗或科室负责人可以记录经验教训")
    form = LessonForm(request.POST)
    if form.is_valid():
        done = call_service(form, lambda: services.lesson_add(actor=me, project=project, **form.cleaned_data))
        if done is not None:
            messages.success(request, "已记录经验教训")
            return redirect("closeout:review_detail", pk=project.pk)
    return _page(request, project, lesson_form=form, status=400)


@login_required
@require_POST
def review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    if not org_perms.can(me, perms.REVIEW_WRITE, project.agency_id):
        raise PermissionDenied("只有本单位的工程管理岗或科室负责人可以提交复盘报告")
    report = sel.review_of(project)
    if report is None:
        return _page(request, project, error="请先撰写并保存复盘报告", status=400)
    try:
        services.review_report_submit(actor=me, report=report)
    except DomainError as err:
        return _page(request, project, error=err.message, status=400)
    messages.success(request, "复盘报告已提交科室负责人审阅")
    return redirect("closeout:review_detail", pk=project.pk)


@login_required
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    if not org_perms.can(me, perms.REVIEW_APPROVE, project.agency_id):
        raise PermissionDenied("只有本单位的科室负责人可以审阅复盘报告")
    report = sel.review_of(project)
    form = ApproveForm(request.POST)
    if report is None:
        return _page(request, project, error="尚无复盘报告", status=400)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        done = call_service(
            form,
            lambda: services.review_report_approve(
                actor=me, report=report, comment=form.cleaned_data["comment"], approve=approve
            ),
        )
        if done is not None:
            messages.success(request, "复盘报告已审阅" if approve else "复盘报告已退回")
            return redirect("closeout:review_detail", pk=project.pk)
    return _page(request, project, approve_form=form, status=400)
