"""合同 pages: the register (filters, constant queries), one contract with its terms, payment milestones
and change orders (each with the running ceiling and the cumulative change ratio), and the forms to draft
and sign a contract and to register, submit and finalize a change. Ratios are entered in percent. The
register exports to Excel (a background job) and a contract prints as an A4 PDF summary (WeasyPrint).
Refusals re-render the form with 400 and the Chinese reason; nothing changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.exports import export_job_request
from govworks.core.forms import LimitedForm
from govworks.core.money import amount_in_words
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.pdf import html_to_pdf
from govworks.core.registry import object_panels
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement import permissions as perms
from govworks.procurement.models import (
    ChangeCategory,
    ChangeOrder,
    Contract,
    PaymentMilestone,
    PricingType,
    ProcurementLot,
    Responsibility,
    Supplier,
)
from govworks.procurement.selectors import contracts as selectors
from govworks.procurement.services import contracts as services
from govworks.projects.models import Project
from govworks.projects.permissions import access_project

PRETITLE = "招标采购 · 合同"
HUNDRED = Decimal(100)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(LimitedForm):
    lot = forms.ModelChoiceField(label="标段（已确定采购方式）", queryset=ProcurementLot.objects.none())
    supplier = forms.ModelChoiceField(label="乙方（供应商）", queryset=Supplier.objects.order_by("name"))
    award_reference = forms.CharField(label="中标通知书/授标依据", max_length=120, required=False)
    title = forms.CharField(label="合同名称", max_length=200)
    is_main_construction = forms.BooleanField(label="主体施工合同", required=False)
    amount = forms.DecimalField(label="合同金额（元）", max_digits=16, decimal_places=2)
    pricing_type = forms.ChoiceField(label="计价方式", choices=PricingType.choices)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    award_notice_on = forms.DateField(label="中标通知/采购确定日期", widget=DATE, required=False)
    performance_bond = forms.DecimalField(label="履约保证金（元）", max_digits=16, decimal_places=2, initial=0)
    advance_pct = forms.DecimalField(
        label="预付款比例（%）", max_digits=6, decimal_places=2, min_value=0, help_text="10%–30%；填 0 表示不支付预付款"
    )
    progress_pct = forms.DecimalField(
        label="进度款支付比例（%）", max_digits=6, decimal_places=2, help_text="已完工程价款的80%–97%"
    )
    quality_deposit_pct = forms.DecimalField(label="质量保证金比例（%）", max_digits=6, decimal_places=2, help_text="不超过3%")
    defect_period_months = forms.IntegerField(label="缺陷责任期（月）", min_value=0)

    def __init__(self, *args: Any, project: Project, defect_period_default: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["defect_period_months"].initial = defect_period_default
        self.fields["lot"].queryset = ProcurementLot.objects.filter(project=project).exclude(method="")  # type: ignore[attr-defined]


MILESTONE_ROWS = 6


class MilestonesForm(LimitedForm):
    """Up to six payment milestones as table rows: kind, ratio in percent or a fixed amount, condition.
    A row without a kind is left out."""

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("", "—"), *PaymentMilestone.Kind.choices]
        for i in range(1, MILESTONE_ROWS + 1):
            small = {"class": "form-control form-control-sm"}
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=f"第{i}行类型",
                choices=kinds,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"pct_{i}"] = forms.DecimalField(
                label=f"第{i}行比例（%）",
                max_digits=6,
                decimal_places=2,
                required=False,
                min_value=Decimal("0.01"),
                max_value=HUNDRED,
                widget=forms.NumberInput(attrs={**small, "step": "0.01"}),
            )
            self.fields[f"amount_{i}"] = forms.DecimalField(
                label=f"第{i}行金额（元）",
                max_digits=16,
                decimal_places=2,
                required=False,
                min_value=Decimal("0.01"),
                widget=forms.NumberInput(attrs={**small, "step": "0.01"}),
            )
            self.fields[f"condition_{i}"] = forms.CharField(
                label=f"第{i}行支付条件", max_length=200, required=False, widget=forms.TextInput(attrs=small)
            )
        if not self.is_bound:
            for m in contract.milestones.all()[:MILESTONE_ROWS]:
                self.initial.update(
                    {
                        f"kind_{m.seq}": m.kind,
                        f"pct_{m.seq}": None if m.ratio is None else (m.ratio * HUNDRED).quantize(Decimal("0.01")),
                        f"amount_{m.seq}": m.amount,
                        f"condition_{m.seq}": m.condition,
                    }
                )

    def rows(self) -> list[list[Any]]:
        return [[self[f"{name}_{i}"] for name in ("kind", "pct", "amount", "condition")] for i in range(1, MILESTONE_ROWS + 1)]

    def milestones(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "kind": d[f"kind_{i}"],
                "ratio": None if d[f"pct_{i}"] is None else d[f"pct_{i}"] / HUNDRED,
                "amount": d[f"amount_{i}"],
                "condition": d[f"condition_{i}"],
            }
            for i in range(1, MILESTONE_ROWS + 1)
            if d[f"kind_{i}"]
        ]


class SignForm(LimitedForm):
    signed_on = forms.DateField(label="签订日期", widget=DATE, initial=timezone.localdate)


class ChangeForm(LimitedForm):
    category = forms.ChoiceField(label="类别", choices=ChangeCategory.choices)
    reason = forms.CharField(label="变更原因", widget=forms.Textarea(attrs={"rows": 3}))
    responsibility = forms.ChoiceField(label="责任归属", choices=Responsibility.choices)
    amount = forms.DecimalField(label="变更金额（元，核减填负数）", max_digits=16, decimal_places=2)
    supervisor_opinion = forms.CharField(label="监理工程师意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    designer_opinion = forms.CharField(label="设计单位意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="证明材料", required=False, help_text="PDF、图片或Office文件")


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _keeper(user: User, project: Any) -> None:
    if not perms.may_manage_contracts(user, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以办理合同")


EXPORT_KIND = "procurement.contracts"


def _detail_url(contract: Contract) -> str:
    return reverse("procurement:contract_detail", args=[contract.pk])


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.external_org_id is None and not org_perms.business_readable_agency_ids(me):
        raise PermissionDenied("您没有查看合同台账的权限（三员不查看业务记录）")
    filters = {"q": request.GET.get("q", "").strip()[:50], "status": request.GET.get("status", "")}
    project = query_int(request.GET.get("project"))
    page = paginate(request, selectors.ContractRegister(user=me, q=filters["q"], status=filters["status"], project=project))
    return render(
        request,
        "procurement/contracts/list.html",
        {"page": page, "filters": filters, "status_choices": Contract.Status.choices, "project": project},
    )


@login_required
def change_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """A change order's evidence, to whoever may read its contract (files are never linked directly)."""
    me = _me(request)
    change = ChangeOrder.objects.filter(pk=pk).only("id", "contract_id", "evidence").first()
    if change is None or not change.evidence:
        raise Http404("记录不存在或您无权查看")
    perms.access_contract(me, change.contract_id)
    return FileResponse(
        change.evidence.open("rb"), as_attachment=True, filename=(change.evidence.name or "evidence").rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def contract_export(request: HttpRequest) -> HttpResponse:
    """导出Excel: the register with the filters of the page, as a background export job."""
    me = _me(request)
    params = {k: v for k in ("q", "status", "project") if (v := request.POST.get(k, "").strip()[:50])}
    try:
        job = export_job_request(actor=me, kind=EXPORT_KIND, params=params)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    return redirect("core:export_detail", pk=job.pk)


@login_required
def contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract summary as a printable A4 PDF (WeasyPrint, nothing fetched from the network)."""
    me = _me(request)
    contract = perms.access_contract(me, pk)
    view = selectors.contract_view(contract)
    html = render_to_string(
        "procurement/contracts/summary_pdf.html",
        {
            "c": contract,
            "view": view,
            "amount_words": amount_in_words(contract.amount),
            "ceiling_words": amount_in_words(view.ceiling),
            "trail": selectors.contract_trail(contract, [line.change for line in view.changes]),
            "printed_at": timezone.localtime(),
            "printed_by": me,
        },
        request=request,
    )
    pdf = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contract-{contract.pk}.pdf"'
    return response


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    contract = perms.access_contract(me, pk)
    view = selectors.contract_view(contract)
    return render(
        request,
        "procurement/contracts/detail.html",
        {
            "c": contract,
            "view": view,
            "signals": selectors.contract_integrity_signals(contract),
            "can_manage": perms.may_manage_contracts(me, contract.project),
            "sign_pending": services.contract_sign_pending(contract) if contract.status == Contract.Status.DRAFT else [],
            "overrun": selectors.contract_overrun_state(contract) if contract.status == Contract.Status.DRAFT else None,
            "panels": [(p.title, html) for p in object_panels("procurement.contract") if (html := p.render(request, contract))],
            "pretitle": PRETITLE,
        },
    )


@login_required
@require_POST
def contract_overrun_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft contract above its lot's estimate to the higher approval (重大变更审批)."""
    me = _me(request)
    contract = perms.access_contract(me, pk)
    _keeper(me, contract.project)
    try:
        services.contract_overrun_submit(actor=me, contract=contract)
        messages.success(request, f"合同{contract}已提交“重大变更审批”。")
    except DomainError as err:
        messages.error(request, err.message)
    return redirect(_detail_url(contract))


@login_required
def contract_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    me = _me(request)
    project = access_project(me, project_pk)
    _keeper(me, project)
    form = ContractForm(
        request.POST or None, project=project, defect_period_default=selectors.defect_period_default_months(project.agency)
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["advance_ratio"] = d.pop("advance_pct") / HUNDRED
        d["progress_ratio"] = d.pop("progress_pct") / HUNDRED
        d["quality_deposit_ratio"] = d.pop("quality_deposit_pct") / HUNDRED
        d["performance_bond"] = d["performance_bond"] or Decimal(0)
        advance = (
            [{"kind": PaymentMilestone.Kind.ADVANCE, "ratio": d["advance_ratio"], "condition": "合同签订、提交预付款保函后"}]
            if d["advance_ratio"] > 0
            else []  # no advance: no advance milestone
        )
        defaults = [
            *advance,
            {"kind": PaymentMilestone.Kind.PROGRESS, "ratio": d["progress_ratio"], "condition": "按月计量，按已完工程价款支付"},
            {"kind": PaymentMilestone.Kind.SETTLEMENT, "condition": "竣工结算审计完成后"},
            {"kind": PaymentMilestone.Kind.RETENTION_RETURN, "ratio": d["quality_deposit_ratio"], "condition": "缺陷责任期满"},
        ]
        contract = call_service(form, lambda: services.contract_create(actor=me, milestones=defaults, **d))
        if contract:
            messages.success(request, f"合同{contract}已起草。")
            return redirect(_detail_url(contract))
    return form_page(
        request,
        form,
        title=f"起草合同：{project.name}",
        back=reverse("projects:project_detail", args=[project.pk]),
        pretitle=PRETITLE,
        note="预付款10%–30%（填0表示不支付预付款），质量保证金不超过3%，缺陷责任期最长24个月，履约保证金不超过合同金额10%，中标通知书发出后30日内签订。",
    )


@login_required
def contract_milestones(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the payment milestones of a draft contract (they must agree with its terms)."""
    me = _me(request)
    contract = perms.access_contract(me, pk)
    _keeper(me, contract.project)
    form = MilestonesForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, lambda: services.contract_milestones_replace(actor=me, contract=contract, milestones=form.milestones())
        )
        if saved is not None:
            messages.success(request, f"合同{contract}的付款节点已保存（{len(saved)} 个）。")
            return redirect(_detail_url(contract))
    view = selectors.contract_view(contract)
    return render(
        request,
        "procurement/contracts/milestones_form.html",
        {"form": form, "c": contract, "percents": view.percents, "back": _detail_url(contract), "pretitle": PRETITLE},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    contract = perms.access_contract(me, pk)
    _keeper(me, contract.project)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.contract_sign(actor=me, contract=contract, **form.cleaned_data)):
            messages.success(request, f"合同{contract}已签订。")
            return redirect(_detail_url(contract))
    return form_page(request, form, title=f"签订合同{contract}", back=_detail_url(contract), pretitle=PRETITLE)


@login_required
def change_create(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    contract = perms.access_contract(me, pk)
    _keeper(me, contract.project)
    form = ChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.change_create(actor=me, contract=contract, **form.cleaned_data)):
            messages.success(request, "变更/签证已登记，请核对后提交审批。")
            return redirect(_detail_url(contract))
    return form_page(
        request,
        form,
        title=f"登记变更/签证：{contract}",
        back=_detail_url(contract),
        pretitle=PRETITLE,
        multipart=True,
        note="累计变更超过合同价10%或超过批复概算的，须经重大变更审批并经集体决策通过。",
    )


def _change(me: User, pk: int) -> ChangeOrder:
    try:
        change = ChangeOrder.objects.select_related("contract").get(pk=pk)
    except ChangeOrder.DoesNotExist:
        from django.http import Http404

        raise Http404("记录不存在或您无权查看") from None
    contract = perms.access_contract(me, change.contract_id)
    _keeper(me, contract.project)
    change.contract = contract
    return change


@login_required
@require_POST
def change_submit(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    change = _change(me, pk)
    try:
        services.change_submit(actor=me, change=change)
        messages.success(request, f"{change}已提交审批。")
    except DomainError as err:
        messages.error(request, err.message)
    return redirect(_detail_url(change.contract))


@login_required
@require_POST
def change_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    change = _change(me, pk)
    try:
        services.change_approve_finalize(actor=me, change=change)
        messages.success(request, f"{change}已批准，合同支付上限已调整。")
    except DomainError as err:
        messages.error(request, err.message)
    return redirect(_detail_url(change.contract))


urlpatterns = [
    path("contracts/", contract_list, name="contract_list"),
    path("contracts/export/", contract_export, name="contract_export"),
    path("contracts/<int:pk>/", contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/summary.pdf", contract_pdf, name="contract_pdf"),
    path("contracts/<int:pk>/sign/", contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/overrun/submit/", contract_overrun_submit, name="contract_overrun_submit"),
    path("contracts/<int:pk>/milestones/", contract_milestones, name="contract_milestones"),
    path("contracts/<int:pk>/changes/new/", change_create, name="change_create"),
    path("changes/<int:pk>/submit/", change_submit, name="change_submit"),
    path("changes/<int:pk>/evidence/", change_evidence_download, name="change_evidence"),
    path("changes/<int:pk>/finalize/", change_finalize, name="change_finalize"),
    path("projects/<int:project_pk>/contracts/new/", contract_create, name="contract_create"),
]
