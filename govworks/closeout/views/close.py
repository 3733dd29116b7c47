"""The close of a project (关闭): the checklist of every close-out record, each with its state and link, and the
button that leaves 绩效评价 through the project's gate (``projects.services.project_advance``) once all are
complete."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from govworks.closeout.permissions_evaluation import access_evaluation_project
from govworks.closeout.selectors import evaluation as selectors
from govworks.core.forms import LimitedForm
from govworks.core.pages import signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.projects import permissions as project_perms
from govworks.projects.models import Stage
from govworks.projects.services.projects import project_advance


class CloseForm(LimitedForm):
    note = forms.CharField(label="关闭说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def close_project(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    project = access_evaluation_project(me, pk)
    may_close = org_perms.can(me, project_perms.PROJECT_ADVANCE, project.agency_id) and project.stage == Stage.EVALUATION
    form = CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_close:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("只有项目负责人或科室负责人可以在“绩效评价”阶段关闭项目")
        closed = (
            call_service(
                form,
                lambda: project_advance(
                    actor=me, project=project, note=form.cleaned_data.get("note") or "收尾记录齐全，项目关闭"
                ),
            )
            if form.is_valid()
            else None
        )
        if closed is not None:
            messages.success(request, "项目已关闭。")
            return redirect("closeout:close_project", pk=project.pk)
        status = 400
    summary = selectors.closeout_summary(project)
    return render(
        request,
        "closeout/evaluation/close.html",
        {
            "project": project,
            "s": summary,
            "all_ok": all(c.ok for c in summary.conditions),
            "may_close": may_close,
            "form": form,
            "pretitle": "竣工收尾 · 项目关闭",
        },
        status=status,
    )


urlpatterns = [path("projects/<int:pk>/close/", close_project, name="close_project")]
