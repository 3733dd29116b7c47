"""采购计划 pages of a project: add or change a lot (标段), choose its procurement method (with the
decision of which methods the rule parameters allow, and why the others are refused), and record an
approved legal exception. Refusals re-render the form with 400 and the Chinese reason; nothing changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, query_int, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org.models import User
from govworks.procurement import permissions as perms
from govworks.procurement.models import LegalException, LotCategory, ProcurementLot
from govworks.procurement.models.lots import EXCEPTION_CHOICES, GROUND_CHOICES, METHOD_CHOICES
from govworks.procurement.rules_methods import MethodDecision
from govworks.procurement.selectors import lots as selectors
from govworks.procurement.services import lots as services
from govworks.projects.models import Project
from govworks.projects.permissions import access_project

PRETITLE = "招标采购 · 采购计划"


# ------------------------------------------------------------------------------------------ forms (shape only)


class LotForm(LimitedForm):
    name = forms.CharField(label="标段名称", max_length=120, help_text="如：主体施工、空调设备采购、监理服务")
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *LotCategory.choices])
    estimated_amount = forms.DecimalField(label="估算金额（元）", max_digits=16, decimal_places=2)
    combinable = forms.BooleanField(
        label="可与本项目同类标段合并采购",
        required=False,
        initial=True,
        help_text="同一项目同一类别、可以合并采购的标段按合计金额判断是否必须招标；确不能合并的，取消勾选并写明理由",
    )
    not_combinable_reason = forms.CharField(
        label="不合并采购理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="取消“可合并”时必填：本标段将不参与化整为零检查，理由留存并报纪检监察",
    )
    is_government_procurement = forms.BooleanField(label="属于政府采购", required=False, initial=True)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MethodForm(LimitedForm):
    method = forms.ChoiceField(label="采购方式", choices=[("", "请选择"), *METHOD_CHOICES])
    ground = forms.ChoiceField(
        label="适用情形", required=False, choices=[("", "无（公开招标或限额以下自行选择）"), *GROUND_CHOICES]
    )
    exception = forms.ModelChoiceField(
        label="法定例外", required=False, queryset=LegalException.objects.none(), empty_label="不适用"
    )

    def __init__(self, *args: Any, exceptions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exception"].queryset = exceptions  # type: ignore[attr-defined]


class LegalExceptionForm(LimitedForm):
    kind = forms.ChoiceField(label="例外情形", choices=[("", "请选择"), *EXCEPTION_CHOICES])
    approval_reference = forms.CharField(label="批准文号", max_length=120, required=False, help_text="如：临财采〔2026〕18号")
    approving_body = forms.CharField(label="批准机关", max_length=80, help_text="如：临江市财政局")
    approved_on = forms.DateField(
        label="批准日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    file = forms.FileField(label="批准文件", required=False, help_text="PDF 或图片（JPG、PNG），不超过 20MB")


# ------------------------------------------------------------------------------------------ helpers


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _keeper(user: User, project: Project) -> None:
    if not perms.may_manage_lots(user, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以编制采购计划")


def _project_url(project: Project) -> str:
    return reverse("projects:project_detail", args=[project.pk]) + "#procurement-lots"


# ------------------------------------------------------------------------------------------ pages


@login_required
def lot_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    me = _me(request)
    project = access_project(me, project_pk)
    _keeper(me, project)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lot = call_service(form, lambda: services.lot_create(actor=me, project=project, **form.cleaned_data))
        if lot:
            messages.success(request, f"{lot}已加入采购计划。")
            return redirect(_project_url(project))
    return form_page(
        request,
        form,
        title=f"新增标段：{project.name}",
        back=_project_url(project),
        pretitle=PRETITLE,
        note="同一项目同一类别可以合并采购的标段，合计达到必须招标标准的，不得化整为零分别采购。",
    )


@login_required
def lot_update(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    lot = perms.access_lot(me, pk)
    _keeper(me, lot.project)
    initial = {name: getattr(lot, name) for name in services.LOT_FIELDS}
    form = LotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.lot_update(actor=me, lot=lot, **form.cleaned_data)):
            messages.success(request, "标段已修改。")
            return redirect(_project_url(lot.project))
    return form_page(request, form, title=f"修改{lot}", back=_project_url(lot.project), pretitle=PRETITLE)


@login_required
def lot_method(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    lot = perms.access_lot(me, pk)
    project = lot.project
    _keeper(me, project)
    exceptions = LegalException.objects.filter(project=project).order_by("-approved_on", "-id")
    initial = {"method": lot.method, "ground": lot.ground, "exception": lot.legal_exception_id}
    form = MethodForm(request.POST or None, exceptions=exceptions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = lambda: services.lot_choose_method(  # noqa: E731
            actor=me, lot=lot, method=data["method"], ground=data["ground"], exception=data["exception"]
        )
        if call_service(form, call):
            messages.success(request, f"{lot}的采购方式已确定。")
            return redirect(_project_url(project))
    decision: MethodDecision | None = None
    problem = ""
    try:
        lots = selectors.project_lots(project)
        row = next(x for x in lots if x.pk == lot.pk)
        decision = selectors.lot_decision(row, lots, project, selectors.procurement_params(project.agency))
    except DomainError as err:
        problem = err.message
    return render(
        request,
        "procurement/lots/method_form.html",
        {
            "form": form,
            "lot": lot,
            "project": project,
            "decision": decision,
            "allowed": [label for value, label in METHOD_CHOICES if decision and value in decision.allowed],
            "required": [label for value, label in METHOD_CHOICES if decision and value in decision.required],
            "problem": problem,
            "back": _project_url(project),
            "exception_url": reverse("procurement:legal_exception_create", args=[project.pk]) + f"?lot={lot.pk}",
            "pretitle": PRETITLE,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def legal_exception_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    me = _me(request)
    project = access_project(me, project_pk)
    _keeper(me, project)
    lot_pk = query_int(request.GET.get("lot"))
    lot = ProcurementLot.objects.filter(project=project, pk=lot_pk).first() if lot_pk else None
    back = reverse("procurement:lot_method", args=[lot.pk]) if lot else _project_url(project)
    form = LegalExceptionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.legal_exception_record(actor=me, project=project, **form.cleaned_data)):
            messages.success(request, "法定例外已登记。")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"登记法定例外：{project.name}",
        back=back,
        pretitle=PRETITLE,
        multipart=True,
        note="法定例外须经批准并记录批准文号，上传批准文件；未记录文号的例外不能据以不招标。",
    )


urlpatterns = [
    path("projects/<int:project_pk>/lots/new/", lot_create, name="lot_create"),
    path("projects/<int:project_pk>/exceptions/new/", legal_exception_create, name="legal_exception_create"),
    path("lots/<int:pk>/edit/", lot_update, name="lot_update"),
    path("lots/<int:pk>/method/", lot_method, name="lot_method"),
]
