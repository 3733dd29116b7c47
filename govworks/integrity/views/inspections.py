"""双随机一公开 pages: the plans, “一单两库” (items, inspectors, the live object register), a plan with its
working rules, every draw (the current and the superseded, with the re-draw reason), the draw and re-draw
forms, the result entry of the drawn inspectors, and the replay of a draw. Each form calls one service; a
refusal answers 400 with the Chinese reason and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, signed_in_user
from govworks.core.service_forms import call_service
from govworks.integrity import permissions_inspections as perms
from govworks.integrity.models import InspectionItem, InspectionPlan, InspectionResult, Inspector
from govworks.integrity.selectors import inspections as selectors
from govworks.integrity.services import inspections as services
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, ExternalOrganization, User
from govworks.projects.services.expert_draws import employer_directory

PRETITLE = "廉政监督 · 双随机一公开"


def _manage_agency(user: Any) -> Agency:
    """The agency in whose name the user keeps the lists (纪检监察 of it)."""
    agency_id = org_perms.acting_agency_id(user, perms.INSPECTION_MANAGE)
    if agency_id is None:
        raise PermissionDenied(f"您没有“{org_perms.ACTION_LABELS[perms.INSPECTION_MANAGE]}”的权限（纪检监察）")
    return Agency.objects.get(pk=agency_id)


# ------------------------------------------------------------------------------------------------ plans


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    perms.require_reader(me)
    return render(
        request,
        "integrity/inspections/list.html",
        {"plans": selectors.plans_for(me)[:200], "may_manage": perms.may_manage_anywhere(me), "pretitle": PRETITLE},
    )


class PlanForm(LimitedForm):
    title = forms.CharField(label="计划名称", max_length=120)
    items = forms.ModelMultipleChoiceField(
        label="抽查事项", queryset=InspectionItem.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择 1 个抽查事项"},
    )  # fmt: skip
    object_kind = forms.ChoiceField(label="检查对象类别", choices=InspectionPlan.ObjectKind.choices)
    ratio = forms.DecimalField(
        label="抽查比例（%）", max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100"),
        error_messages={"min_value": "抽查比例须大于 0%", "max_value": "抽查比例不能超过 100%", "invalid": "抽查比例须为数字"},
    )  # fmt: skip
    inspectors_per_object = forms.IntegerField(
        label="每个对象检查人员数", min_value=1, max_value=20, initial=2,
        error_messages={"min_value": "检查人员数至少 1 名", "max_value": "检查人员数不超过 20 名"},
    )  # fmt: skip
    period_start = forms.DateField(label="检查开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="检查结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    rules_text = forms.CharField(label="抽查工作细则", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = cast(forms.ModelMultipleChoiceField, self.fields["items"])
        items.queryset = InspectionItem.objects.filter(agency=agency, is_active=True).order_by("-kind", "name")
        self.fields["items"].label_from_instance = lambda i: f"{i.name}（{i.get_kind_display()}，{i.ratio}%）"  # type: ignore[attr-defined]


@login_required
def inspection_plan_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    agency = _manage_agency(me)
    form = PlanForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        plan = call_service(form, lambda: services.plan_create(actor=me, agency=agency, **form.cleaned_data))
        if plan is not None:
            messages.success(request, "抽查计划已制定，可以随机抽取")
            return redirect("integrity:inspection_plan", plan.pk)
    return form_page(
        request, form, title="制定抽查计划", back=reverse("integrity:inspection_list"), pretitle=PRETITLE,
        note="一般检查事项抽查比例受规则参数限制，重点检查事项不设上限；计划的抽查比例不超过所选事项的最高比例。",
    )  # fmt: skip


@login_required
def inspection_plan(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    plan = perms.access_plan(me, pk)
    draws = selectors.draws_of(plan)
    current = next((d for d in draws if d.is_current), None)
    rows = selectors.draw_rows(current, selectors.results_of(current)) if current else []
    return render(
        request,
        "integrity/inspections/plan.html",
        {
            "plan": plan,
            "items": plan.items.all(),
            "draws": draws,
            "current": current,
            "rows": rows,
            "may_manage": perms.may_manage(me, plan.agency_id),
            "due_on": services.result_due_on(plan),
            "outcomes": InspectionResult.Outcome.choices,
            "me_id": me.pk,
            "pretitle": PRETITLE,
        },
    )


class DrawForm(LimitedForm):
    reason = forms.CharField(label="重新抽取理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@require_POST
def inspection_draw(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    plan = perms.access_plan(me, pk)
    form = DrawForm(request.POST)
    if form.is_valid():
        draw = call_service(form, lambda: services.plan_draw(actor=me, plan=plan, reason=form.cleaned_data["reason"]))
        if draw is not None:
            messages.success(request, f"第{draw.number}次随机抽取完成")
            return redirect("integrity:inspection_plan", plan.pk)
    return form_page(
        request,
        form,
        title=f"随机抽取：{plan.title}",
        back=reverse("integrity:inspection_plan", args=[plan.pk]),
        pretitle=PRETITLE,
    )


class ResultForm(LimitedForm):
    object_key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    outcome = forms.ChoiceField(label="检查结果", choices=InspectionResult.Outcome.choices)
    findings = forms.CharField(label="检查情况（公开）", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    internal_note = forms.CharField(
        label="内部备注（不公开）", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
@require_POST
def inspection_result(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    draw = perms.access_draw(me, pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: services.result_enter(
                actor=me,
                draw=draw,
                object_key=data["object_key"],
                outcome=data["outcome"],
                findings=data["findings"],
                internal_note=data["internal_note"],
            ),
        )
        if result is not None:
            messages.success(request, "检查结果已录入并在阳光公示平台公示" + ("（逾期录入）" if result.is_overdue else ""))
            return redirect("integrity:inspection_plan", draw.plan_id)
    return form_page(
        request, form, title="录入检查结果", back=reverse("integrity:inspection_plan", args=[draw.plan_id]), pretitle=PRETITLE
    )


@login_required
def inspection_replay(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may read the plan replays any of its draws."""
    me = signed_in_user(request)
    draw = perms.access_draw(me, pk)
    plan = draw.plan
    consistent, explanation = services.draw_replay(draw)
    return render(
        request,
        "integrity/inspections/replay.html",
        {
            "plan": plan,
            "draw": draw,
            "consistent": consistent,
            "explanation": explanation,
            "rows": selectors.draw_rows(draw),
            "pool_objects": len(draw.snapshot.get("objects", [])),
            "pool_inspectors": len(draw.snapshot.get("inspectors", [])),
            "pretitle": PRETITLE,
        },
    )


# ------------------------------------------------------------------------------------------------ 一单两库


class ItemForm(LimitedForm):
    name = forms.CharField(label="抽查事项", max_length=100)
    kind = forms.ChoiceField(label="事项类别", choices=InspectionItem.Kind.choices)
    ratio = forms.DecimalField(
        label="抽查比例（%）", max_digits=5, decimal_places=2,
        error_messages={"invalid": "抽查比例须为数字", "max_digits": "抽查比例最多 5 位数字", "max_decimal_places": "抽查比例最多 2 位小数"},
    )  # fmt: skip
    basis = forms.CharField(label="检查依据", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def _register_page(request: HttpRequest, *, template: str, key: str, rows: Any, register: str) -> HttpResponse:
    """A page of “一单两库” (the item list, the inspector register): the rows of the agencies where the person
    reads inspections (纪检监察, 内审, 主要领导; 纪检监察 manage as well)."""
    me = signed_in_user(request)
    agencies = org_perms.agency_ids_where(me, perms.INSPECTION_READ)
    if not agencies:
        raise PermissionDenied(f"只有纪检监察、内审和主要领导可以查看{register}")
    return render(request, template, {key: rows(agencies), "may_manage": perms.may_manage_anywhere(me), "pretitle": PRETITLE})


@login_required
def inspection_items(request: HttpRequest) -> HttpResponse:
    return _register_page(
        request, template="integrity/inspections/items.html", key="items", rows=selectors.items_of, register="随机抽查事项清单"
    )


@login_required
def inspection_item_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    agency = _manage_agency(me)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = call_service(form, lambda: services.item_create(actor=me, agency=agency, **form.cleaned_data))
        if item is not None:
            messages.success(request, f"抽查事项“{item.name}”已加入清单")
            return redirect("integrity:inspection_items")
    return form_page(request, form, title="新增抽查事项", back=reverse("integrity:inspection_items"), pretitle=PRETITLE)


@login_required
@require_POST
def inspection_item_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    try:
        item = InspectionItem.objects.get(pk=pk, agency_id__in=perms.manage_agency_ids(me))
    except (ValueError, InspectionItem.DoesNotExist):
        raise Http404("记录不存在或您无权查看") from None
    services.item_set_active(actor=me, item=item, active=not item.is_active)
    return redirect("integrity:inspection_items")


class InspectorForm(LimitedForm):
    person = forms.ModelChoiceField(label="检查人员", queryset=User.objects.none())
    employer_name = forms.CharField(label="工作单位（留空为所在单位）", max_length=120, required=False)
    employer_credit_code = forms.CharField(label="工作单位统一社会信用代码", max_length=18, required=False)
    conflict_orgs = forms.ModelMultipleChoiceField(
        label="申报存在利害关系的企业", queryset=ExternalOrganization.objects.none(), required=False
    )
    conflict_note = forms.CharField(label="利害关系说明", max_length=300, required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = org_perms.business_people(
            User.objects.filter(agency_id__in=selectors.subtree_ids(agency), is_active=True, external_org__isnull=True)
        ).order_by("agency_id", "username")
        self.fields["person"].label_from_instance = lambda u: f"{u.display_name}（{u.agency}）"  # type: ignore[attr-defined]
        cast(forms.ModelMultipleChoiceField, self.fields["conflict_orgs"]).queryset = ExternalOrganization.objects.filter(
            is_active=True
        ).order_by("name")
        known = "、".join(name for name, _ in employer_directory()[:8])
        if known:
            self.fields["employer_name"].help_text = f"在其他单位任职或兼职的，填写该单位（如：{known}）"


@login_required
def inspection_inspectors(request: HttpRequest) -> HttpResponse:
    return _register_page(
        request,
        template="integrity/inspections/inspectors.html",
        key="inspectors",
        rows=selectors.inspectors_of,
        register="执法检查人员名录库",
    )


@login_required
def inspection_inspector_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    agency = _manage_agency(me)
    form = InspectorForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = call_service(
            form,
            lambda: services.inspector_add(
                actor=me,
                agency=agency,
                person=data["person"],
                employer_name=data["employer_name"],
                employer_credit_code=data["employer_credit_code"],
                conflict_orgs=list(data["conflict_orgs"]),
                conflict_note=data["conflict_note"],
            ),
        )
        if entry is not None:
            messages.success(request, f"{entry.user.display_name} 已入执法检查人员名录库")
            return redirect("integrity:inspection_inspectors")
    return form_page(request, form, title="执法检查人员入库", back=reverse("integrity:inspection_inspectors"), pretitle=PRETITLE)


@login_required
@require_POST
def inspection_inspector_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in_user(request)
    try:
        entry = Inspector.objects.get(pk=pk, agency_id__in=perms.manage_agency_ids(me))
    except (ValueError, Inspector.DoesNotExist):
        raise Http404("记录不存在或您无权查看") from None
    services.inspector_set_active(actor=me, inspector=entry, active=not entry.is_active)
    return redirect("integrity:inspection_inspectors")


@login_required
def inspection_objects(request: HttpRequest) -> HttpResponse:
    """The 检查对象名录库 as it is now (each draw freezes it in its snapshot)."""
    me = signed_in_user(request)
    agency_id = org_perms.acting_agency_id(me, perms.INSPECTION_READ)
    if agency_id is None:
        raise PermissionDenied("只有纪检监察、内审和主要领导可以查看检查对象名录库")
    kind = request.GET.get("kind", InspectionPlan.ObjectKind.PROJECT)
    if kind not in InspectionPlan.ObjectKind.values:
        kind = InspectionPlan.ObjectKind.PROJECT
    agency = Agency.objects.get(pk=agency_id)
    return render(
        request,
        "integrity/inspections/objects.html",
        {
            "agency": agency,
            "kind": kind,
            "kinds": InspectionPlan.ObjectKind.choices,
            "objects": selectors.object_register(agency, kind),
            "pretitle": PRETITLE,
        },
    )


urlpatterns = [
    path("", inspection_list, name="inspection_list"),
    path("plans/new/", inspection_plan_new, name="inspection_plan_new"),
    path("plans/<int:pk>/", inspection_plan, name="inspection_plan"),
    path("plans/<int:pk>/draw/", inspection_draw, name="inspection_draw"),
    path("draws/<int:pk>/result/", inspection_result, name="inspection_result"),
    path("draws/<int:pk>/replay/", inspection_replay, name="inspection_replay"),
    path("items/", inspection_items, name="inspection_items"),
    path("items/new/", inspection_item_new, name="inspection_item_new"),
    path("items/<int:pk>/toggle/", inspection_item_toggle, name="inspection_item_toggle"),
    path("inspectors/", inspection_inspectors, name="inspection_inspectors"),
    path("inspectors/new/", inspection_inspector_new, name="inspection_inspector_new"),
    path("inspectors/<int:pk>/toggle/", inspection_inspector_toggle, name="inspection_inspector_toggle"),
    path("objects/", inspection_objects, name="inspection_objects"),
]
