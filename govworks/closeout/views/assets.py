"""Pages of the asset handover (资产移交): the register, one project's 交付使用资产清单 (cards by cost line with the
reconciliation against the approved final cost), editing and splitting a card, submit, the using department's
confirmation, the fixed-asset import Excel and the list PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.closeout import permissions_final as perms
from govworks.closeout.asset_classes import CLASS_NAMES, class_choices
from govworks.closeout.models import AssetHandover
from govworks.closeout.reports_final import asset_list_pdf, asset_list_xlsx
from govworks.closeout.selectors import assets as selectors
from govworks.closeout.services import assets as services
from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import Department
from govworks.projects.models import Stage
from govworks.projects.permissions import projects_visible_to

PRETITLE = "竣工收尾"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIST_STAGES = (Stage.FINAL_ACCOUNTS, Stage.ARCHIVING, Stage.ASSET_HANDOVER, Stage.EVALUATION, Stage.CLOSED)


def _me(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    if not perms.may_read(user):
        raise PermissionDenied("只有本单位内部人员可以查看资产移交")
    return user


def _back(project: Any) -> str:
    return reverse("closeout:asset_detail", args=[project.pk])


def _handover(project: Any) -> AssetHandover:
    handover = selectors.handover_of(project)
    if handover is None:
        raise Http404("该项目尚未编制交付使用资产清单")
    handover.project = project
    return handover


def _refused(request: HttpRequest, project: Any, message: str) -> HttpResponse:
    return render(
        request,
        "closeout/final_accounts/refused.html",
        {"project": project, "message": message, "back": _back(project), "pretitle": PRETITLE},
        status=400,
    )


@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    qs = projects_visible_to(me).filter(stage__in=LIST_STAGES).select_related("agency").order_by("stage_entered_on", "id")
    page = paginate(request, qs, size=20)
    projects = list(page.object_list)
    handovers = {
        h.project_id: h
        for h in AssetHandover.objects.filter(project__in=[p.pk for p in projects]).select_related("using_department")
    }
    rows = [(p, handovers.get(p.pk)) for p in projects]
    return render(request, "closeout/assets/list.html", {"page": page, "rows": rows, "pretitle": PRETITLE})


@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    view = selectors.handover_view(project)
    h = view.handover
    can_confirm = (
        h is not None
        and h.status == AssetHandover.Status.SUBMITTED
        and me.department_id == h.using_department_id
        and me.pk not in (h.drafted_by_id, h.submitted_by_id)
    )
    return render(
        request,
        "closeout/assets/detail.html",
        {
            "project": project,
            "v": view,
            "h": h,
            "class_names": CLASS_NAMES,
            "can_prepare": perms.may(me, perms.ASSET_PREPARE, project),
            "can_confirm": can_confirm,
            "pretitle": PRETITLE,
        },
    )


class StartForm(LimitedForm):
    using_department = forms.ModelChoiceField(label="使用部门（接收资产）", queryset=Department.objects.none())

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["using_department"].queryset = Department.objects.filter(agency_id=project.agency_id).order_by("name")  # type: ignore[attr-defined]


@login_required
def asset_start(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    org_perms.require(me, perms.ASSET_PREPARE, project.agency_id)  # the form only to whoever may use it
    form = StartForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            lambda: services.asset_handover_start(
                actor=me, project=project, using_department=form.cleaned_data["using_department"]
            ),
        ):
            messages.success(request, "已按批复的决算生成资产卡片，请核对分类、数量并按需拆分。")
            return redirect(_back(project))
    return form_page(
        request,
        form,
        title=f"{project.name} · 编制交付使用资产清单",
        back=_back(project),
        pretitle=PRETITLE,
        note="按批复的竣工财务决算每项费用生成一张资产卡片（价值 = 决算金额），再修改分类、数量、存放地点，或拆分为多张卡片。",
    )


class CardForm(LimitedForm):
    name = forms.CharField(label="资产名称", max_length=120)
    class_code = forms.ChoiceField(label="资产分类（GB/T 14885）", choices=())
    quantity = forms.DecimalField(label="数量", max_digits=12, decimal_places=2)
    unit = forms.CharField(label="计量单位", max_length=10)
    location = forms.CharField(label="存放地点", max_length=200)
    custodian_department = forms.ModelChoiceField(label="保管部门", queryset=Department.objects.none())
    delivered_on = forms.DateField(label="交付使用日期", widget=DATE)

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_code"].choices = class_choices()  # type: ignore[attr-defined]
        self.fields["custodian_department"].queryset = Department.objects.filter(agency_id=project.agency_id).order_by("name")  # type: ignore[attr-defined]


def _card(me: Any, pk: int) -> Any:
    card = perms.access_asset_card(me, pk)
    org_perms.require(me, perms.ASSET_PREPARE, card.handover.project.agency_id)  # the form only to whoever may use it
    return card, card.handover.project


@login_required
def asset_card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    card, project = _card(me, pk)
    initial = {f: getattr(card, f) for f in services.CARD_FIELDS}
    form = CardForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.asset_card_update(actor=me, card=card, **form.cleaned_data)):
            messages.success(request, "已保存资产卡片。")
            return redirect(_back(project))
    return form_page(request, form, title=f"资产卡片 {card.seq} · {card.name}", back=_back(project), pretitle=PRETITLE)


class SplitForm(LimitedForm):
    """Up to four parts; empty rows are ignored."""

    def __init__(self, *args: Any, card: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, 5):
            self.fields[f"name_{i}"] = forms.CharField(label=f"第{i}张 资产名称", max_length=120, required=i <= 2)
            self.fields[f"class_code_{i}"] = forms.ChoiceField(
                label=f"第{i}张 资产分类", choices=[("", "—"), *class_choices()], required=i <= 2
            )
            self.fields[f"quantity_{i}"] = forms.DecimalField(
                label=f"第{i}张 数量", max_digits=12, decimal_places=2, required=False
            )
            self.fields[f"unit_{i}"] = forms.CharField(label=f"第{i}张 计量单位", max_length=10, required=False)
            self.fields[f"value_{i}"] = forms.DecimalField(
                label=f"第{i}张 价值（元）", max_digits=16, decimal_places=2, required=i <= 2
            )

    def parts(self) -> list[dict[str, Any]]:
        out = []
        for i in range(1, 5):
            d = self.cleaned_data
            if not d.get(f"name_{i}"):
                continue
            part: dict[str, Any] = {
                "name": d[f"name_{i}"],
                "class_code": d.get(f"class_code_{i}"),
                "value": d.get(f"value_{i}") or Decimal(0),
            }
            if d.get(f"quantity_{i}"):
                part["quantity"] = d[f"quantity_{i}"]
            if d.get(f"unit_{i}"):
                part["unit"] = d[f"unit_{i}"]
            out.append(part)
        return out


@login_required
def asset_card_split(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    card, project = _card(me, pk)
    form = SplitForm(
        request.POST or None,
        card=card,
        initial={"name_1": card.name, "class_code_1": card.class_code, "unit_1": card.unit, "quantity_1": card.quantity},
    )
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.asset_card_split(actor=me, card=card, parts=form.parts())):
            messages.success(request, "已拆分资产卡片。")
            return redirect(_back(project))
    return form_page(
        request,
        form,
        title=f"拆分资产卡片 {card.seq} · {card.name}（价值 {card.value:,.2f} 元）",
        back=_back(project),
        pretitle=PRETITLE,
        note=f"拆分后各张卡片价值合计须等于原卡片价值 {card.value:,.2f} 元（精确到分）。",
    )


def _post_act(request: HttpRequest, pk: int, call: Any, ok: str) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    try:
        call(me, project)
    except DomainError as err:
        return _refused(request, project, err.message)
    messages.success(request, ok)
    return redirect(_back(project))


@login_required
@require_POST
def asset_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_act(
        request, pk, lambda me, p: services.asset_handover_submit(actor=me, handover=_handover(p)), "已提交使用部门确认接收。"
    )


@login_required
@require_POST
def asset_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    accept = request.POST.get("accept", "1") == "1"
    note = request.POST.get("note", "")[:200]
    return _post_act(
        request,
        pk,
        lambda me, p: services.asset_handover_confirm(actor=me, handover=_handover(p), accept=accept, note=note),
        "已确认接收交付使用资产。" if accept else "已退回资产清单。",
    )


@login_required
@require_POST
def asset_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_act(
        request, pk, lambda me, p: services.asset_list_file(actor=me, handover=_handover(p)), "交付使用资产清单已归档为项目文件。"
    )


@login_required
def asset_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """交付使用资产清单 in the fixed-asset system's import layout (reports_final.ASSET_COLUMNS)."""
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    view = selectors.handover_view(project)
    if view.handover is None:
        raise Http404("该项目尚未编制交付使用资产清单")
    response = HttpResponse(
        asset_list_xlsx(view), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="assets-{project.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def asset_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    view = selectors.handover_view(project)
    if view.handover is None:
        raise Http404("该项目尚未编制交付使用资产清单")
    response = HttpResponse(asset_list_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assets-{project.pk}.pdf"'
    return response


urlpatterns = [
    path("assets/", asset_list, name="asset_list"),
    path("assets/<int:pk>/", asset_detail, name="asset_detail"),
    path("assets/<int:pk>/start/", asset_start, name="asset_start"),
    path("assets/cards/<int:pk>/edit/", asset_card_edit, name="asset_card_edit"),
    path("assets/cards/<int:pk>/split/", asset_card_split, name="asset_card_split"),
    path("assets/<int:pk>/submit/", asset_submit, name="asset_submit"),
    path("assets/<int:pk>/confirm/", asset_confirm, name="asset_confirm"),
    path("assets/<int:pk>/file/", asset_file, name="asset_file"),
    path("assets/<int:pk>/cards.xlsx", asset_xlsx, name="asset_xlsx"),
    path("assets/<int:pk>/list.pdf", asset_pdf, name="asset_pdf"),
]
