"""Finance pages: the fund dashboard (资金数据中心) with drill-down and export, a project's money (funds,
cost centre, completed values, day labour, wage accounts), the payment-request register and one request
with its guards and trail, the treasury instructions (Excel, printable PDF, confirmation by hand or
file). Every form calls one service; a refusal re-renders with 400 and the Chinese reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.construction.selectors.freezes import active_release_path
from govworks.core.errors import DomainError
from govworks.core.exports import export_job_request
from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.pdf import html_to_pdf
from govworks.core.service_forms import call_service
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new
from govworks.finance import permissions as perms
from govworks.finance.models import (
    CostItem,
    DayLabour,
    FundingSource,
    FundKind,
    PaymentInstruction,
    PaymentRequest,
    WageAccount,
    WageDeposit,
)
from govworks.finance.selectors import costs, dashboard, labour
from govworks.finance.selectors import payments as payment_selectors
from govworks.finance.services import funds as fund_services
from govworks.finance.services import labour as labour_services
from govworks.finance.services import payments as payment_services
from govworks.finance.services import treasury as treasury_services
from govworks.org import permissions as org_perms
from govworks.procurement.models import Contract, PaymentMilestone
from govworks.projects.models import Project
from govworks.projects.permissions import access_project, projects_visible_to
from govworks.projects.selectors.approvals import approval_final_sod_notice

PRETITLE = "资金管理"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXPORT_KIND = "finance.payments"


def _me(request: HttpRequest) -> Any:
    return signed_in_user(request)


def _reader(user: Any) -> None:
    if not perms.may_read_finance(user):
        raise PermissionDenied("只有本单位内部人员可以查看资金信息")


# ------------------------------------------------------------------------------------------ dashboard


def _year(request: HttpRequest) -> int:
    value = query_int(request.GET.get("year"))
    return value if value and 2000 <= value <= 2100 else timezone.localdate().year


@login_required
def fund_dashboard(request: HttpRequest) -> HttpResponse:
    """资金数据中心: totals, months, per agency / kind / project; with ``project``, its sources and payments."""
    me = _me(request)
    _reader(me)
    year = _year(request)
    agency = query_int(request.GET.get("agency"))
    project = query_int(request.GET.get("project"))
    source = query_int(request.GET.get("source")) if project else None
    data = dashboard.fund_dashboard(user=me, year=year, agency=agency, project=project, source=source)
    scoped = dashboard.scoped_sources(user=me, year=year, agency=agency, project=project)
    context: dict[str, Any] = {
        "d": data,
        "year": year,
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)),
        "agency": agency,
        "project": project,
        "agencies": list(
            org_perms.agencies_visible_to(me).filter(pk__in=org_perms.business_readable_agency_ids(me)).order_by("name")
        ),
        "chart_monthly": data.chart["monthly"],
        "chart_kinds": data.chart["kinds"],
        "pretitle": PRETITLE,
    }
    if project:
        context["project_obj"] = access_project(me, project)
        context["sources"] = dashboard.source_rows(scoped)
        context["source"] = source
        context["payments"] = paginate(
            request, dashboard.paid_requests(user=me, year=year, agency=agency, project=project, source=source), size=20
        )
    else:
        context["projects"] = paginate(request, dashboard.ProjectFundRows(scoped), size=20)
    return render(request, "finance/dashboard.html", context)


@login_required
@require_POST
def payments_export(request: HttpRequest) -> HttpResponse:
    """导出Excel: the paid requests of the dashboard's scope, as a background export job."""
    me = _me(request)
    params = {k: v for k in ("year", "agency", "project", "source") if (v := request.POST.get(k, "").strip()[:12])}
    try:
        job = export_job_request(actor=me, kind=EXPORT_KIND, params=params)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    return redirect("core:export_detail", pk=job.pk)


# ------------------------------------------------------------------------------------------ a project's money


@login_required
def project_finance(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = access_project(me, pk)  # 404 for whoever may not read the project (external users included)
    centre = costs.cost_centre(project)
    return render(
        request,
        "finance/project.html",
        {
            "project": project,
            "centre": centre,
            "chart": centre.chart,
            "sources": dashboard.source_rows(FundingSource.objects.filter(project=project)),
            "contracts": list(
                Contract.objects.filter(project=project).select_related("supplier", "cost_allocation__cost_item").order_by("id")
            ),
            "values": list(
                payment_services.CompletedValue.objects.filter(contract__project=project)
                .select_related("contract", "confirmed_by")
                .order_by("-period_end")[:20]
            ),
            "labour": labour.day_labour_for(project)[:30],
            "labour_monthly": labour.day_labour_monthly(project),
            "wages": labour.wage_accounts_for(project),
            "can_fund": perms.may(me, perms.FUND_MANAGE, project),
            "can_cost": perms.may(me, perms.COST_MANAGE, project),
            "can_request": perms.may(me, perms.PAYMENT_REQUEST, project),
            "can_labour": perms.may(me, perms.DAY_LABOUR_RECORD, project),
            "can_confirm": perms.may(me, perms.DAY_LABOUR_CONFIRM, project),
            "can_wage": perms.may(me, perms.WAGE_MANAGE, project),
            # the full wage-account number to 财务 who pay the labour costs into it; everybody else sees ****1234
            "full_accounts": perms.may(me, perms.TREASURY, project),
            "pretitle": PRETITLE,
        },
    )


@login_required
def cost_centre(request: HttpRequest, pk: int) -> HttpResponse:
    """项目成本中心 on its own page (the same table and chart as on the project's money page)."""
    me = _me(request)
    project = access_project(me, pk)  # 404 for whoever may not read the project (external users included)
    centre = costs.cost_centre(project)
    return render(
        request, "finance/costs.html", {"project": project, "centre": centre, "chart": centre.chart, "pretitle": PRETITLE}
    )


# ------------------------------------------------------------------------------------------ payment requests


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    _reader(me)
    filters = {
        "q": request.GET.get("q", "").strip()[:50],
        "status": request.GET.get("status", ""),
        "kind": request.GET.get("kind", ""),
    }
    project = query_int(request.GET.get("project"))
    qs = payment_selectors.payment_request_list_visible_to(user=me, project=project, **filters)
    return render(
        request,
        "finance/request_list.html",
        {
            "page": paginate(request, payment_selectors.PaymentRegister(qs)),
            "filters": filters,
            "project": project,
            "status_choices": PaymentRequest.Status.choices,
            "kind_choices": PaymentMilestone.Kind.choices,
            "pretitle": PRETITLE,
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    row = perms.access_payment_request(me, pk)
    facts = payment_services.contract_facts(row.contract, exclude_request=row.pk)
    instruction = PaymentInstruction.objects.filter(request=row).first()
    may_finalize = perms.may(me, perms.PAYMENT_FINALIZE, row.project)
    sod_notice = (
        approval_final_sod_notice(
            user=me, subject=row, kind=payment_services.PAYMENT_KIND, step_label=payment_services.FINALIZE_STEP
        )
        if may_finalize and row.status == PaymentRequest.Status.SUBMITTED
        else None
    )
    return render(
        request,
        "finance/request_detail.html",
        {
            "r": row,
            "facts": facts,
            "instruction": instruction,
            "waiting": payment_services.payment_request_pending(row) if row.status == PaymentRequest.Status.SUBMITTED else [],
            "returned": payment_services._returned(row),
            "freeze_path": active_release_path(row.project_id),
            "trail": payment_selectors.request_trail(row),
            "approvals": payment_selectors.request_approvals(row),
            "refusals": payment_selectors.request_refusals(row),
            "can_request": perms.may(me, perms.PAYMENT_REQUEST, row.project),
            "can_finalize": may_finalize and sod_notice is None and row.created_by_id != me.pk,
            "finalize_sod": sod_notice,
            "pretitle": PRETITLE,
        },
    )


class RequestForm(LimitedForm):
    milestone = forms.ModelChoiceField(label="合同付款节点", queryset=PaymentMilestone.objects.none())
    source = forms.ModelChoiceField(label="资金来源（预算指标）", queryset=FundingSource.objects.none())
    gross_amount = forms.DecimalField(
        label="本期应付金额（元，扣回预付款前）", max_digits=16, decimal_places=2, min_value=Decimal("0.01")
    )
    purpose = forms.CharField(label="付款用途", max_length=200)
    attachment = forms.FileField(label="支撑材料（计量单、发票等）", required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = (  # type: ignore[attr-defined]
            PaymentMilestone.objects.filter(contract__project=project, contract__status=Contract.Status.SIGNED)
            .select_related("contract")
            .order_by("contract_id", "seq")
        )
        self.fields["milestone"].label_from_instance = lambda m: f"{m.contract.number} {m.contract.title} · {m}（{m.ratio_text}）"  # type: ignore[attr-defined]
        self.fields["source"].queryset = FundingSource.objects.filter(project=project)  # type: ignore[attr-defined]


@login_required
def request_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    me = _me(request)
    project = access_project(me, project_pk)
    if not perms.may(me, perms.PAYMENT_REQUEST, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以申请付款")
    form = RequestForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        row = call_service(
            form,
            lambda: payment_services.payment_request_create(
                actor=me,
                milestone=d["milestone"],
                source=d["source"],
                gross_amount=d["gross_amount"],
                purpose=d["purpose"],
                attachment=d.get("attachment"),
            ),
        )
        if row:
            messages.success(
                request, f"付款申请{row.number}已起草，扣回预付款 {row.advance_offset:,.2f} 元，实付 {row.amount:,.2f} 元。"
            )
            return redirect("finance:request_detail", pk=row.pk)
    return form_page(
        request,
        form,
        title=f"付款申请：{project.name}",
        back=reverse("finance:project", args=[project.pk]),
        pretitle=PRETITLE,
        multipart=True,
        note="进度款按监理确认的已完工程价款×合同约定比例控制，并按合同预付款比例扣回预付款；提交和最终审批时系统都会检查累计付款上限、资金来源余额、暂停拨款、收款人和收款账户。",
    )


def _act(request: HttpRequest, pk: int, call: Any, ok: str) -> HttpResponse:
    me = _me(request)
    row = perms.access_payment_request(me, pk)
    try:
        result = call(me, row)
    except DomainError as err:
        return render(request, "finance/refused.html", {"r": row, "message": err.message, "pretitle": PRETITLE}, status=400)
    messages.success(request, ok.format(r=row, result=result))
    return redirect("finance:request_detail", pk=row.pk)


@login_required
@require_POST
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda me, r: payment_services.payment_request_submit(actor=me, request=r), "付款申请{r.number}已提交审批。"
    )


@login_required
@require_POST
def request_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda me, r: payment_services.payment_request_finalize(actor=me, request=r),
        "付款申请{r.number}已办结，生成国库支付指令{result.number}。",
    )


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "").strip() or "申请人撤回"
    return _act(
        request,
        pk,
        lambda me, r: payment_services.payment_request_withdraw(actor=me, request=r, reason=reason),
        "付款申请{r.number}已撤回。",
    )


# ------------------------------------------------------------------------------------------ treasury


@login_required
def instruction_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    _reader(me)
    status = request.GET.get("status", "")
    page = paginate(request, payment_selectors.instructions_visible_to(user=me, status=status))
    return render(
        request,
        "finance/instruction_list.html",
        {
            "page": page,
            # the full payee account only to 财务 (国库支付) of the paying agency, who keys it in at payment; others masked
            "treasury_agencies": {a for a in {i.agency_id for i in page} if org_perms.can(me, perms.TREASURY, a)},
            "status": status,
            "status_choices": PaymentInstruction.Status.choices,
            "can_treasury": org_perms.can_anywhere(me, perms.TREASURY),
            "pretitle": PRETITLE,
        },
    )


def may_see_full_payee_account(user: Any, instruction: PaymentInstruction) -> bool:
    """The full payee account number is for 财务 holding 国库支付 at the paying agency (who key it into the treasury
    system at the moment of payment); everybody else sees it masked (****1234), on pages and in exports."""
    return bool(org_perms.can(user, perms.TREASURY, instruction.agency_id))


def _instruction_context(me: Any, pk: int) -> dict[str, Any]:
    instruction = perms.access_instruction(me, pk)
    return {
        "i": instruction,
        "full_account": may_see_full_payee_account(me, instruction),
        "r": instruction.request,
        "trail": payment_selectors.request_trail(instruction.request),
        "printed_at": timezone.localtime(),
        "printed_by": me,
    }


@login_required
def instruction_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The instruction as a printable A4 form with the approval trail (WeasyPrint, offline)."""
    me = _me(request)
    html = render_to_string("finance/instruction_pdf.html", _instruction_context(me, pk), request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="instruction-{pk}.pdf"'
    return response


INSTRUCTION_COLUMNS = [
    ("支付指令编号", "number"),
    ("付款单位", "payer_name"),
    ("预算指标文号", "indicator_number"),
    ("功能分类科目", "functional_class"),
    ("经济分类科目", "economic_class"),
    ("资金性质", "fund_kind"),
    ("收款人", "payee_name"),
    ("开户银行", "payee_bank"),
    ("收款账号", "payee_account"),
    ("金额（元）", "amount"),
    ("金额大写", "amount_words"),
    ("用途", "purpose"),
    ("状态", "get_status_display"),
    ("国库支付凭证号", "voucher_number"),
    ("支付日期", "paid_on"),
]


@login_required
def instruction_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """One instruction as an Excel sheet in the column order the treasury system imports, with the trail."""
    from openpyxl.styles import Font

    me = _me(request)
    ctx = _instruction_context(me, pk)
    instruction = ctx["i"]
    book = workbook_new()
    sheet = book.active
    sheet.title = "支付指令"  # type: ignore[union-attr]
    sheet_append(sheet, [c for c, _ in INSTRUCTION_COLUMNS])
    values = []
    for _, attr in INSTRUCTION_COLUMNS:
        if attr == "payee_account" and not ctx["full_account"]:
            attr = "payee_account_masked"
        value = getattr(instruction, attr)
        value = value() if callable(value) else value
        values.append(float(value) if isinstance(value, Decimal) else value)
    sheet_append(sheet, values)
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    trail = book.create_sheet("审批记录")
    sheet_append(trail, ["时间", "办理人", "环节", "意见"])
    for e in ctx["trail"]:
        sheet_append(trail, [timezone.localtime(e.when).strftime("%Y-%m-%d %H:%M") if e.when else "", e.who, e.what, e.opinion])
    response = HttpResponse(
        workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="instruction-{instruction.number}.xlsx"'
    return response


class ConfirmForm(LimitedForm):
    result = forms.ChoiceField(label="国库处理结果", choices=[("paid", "支付成功"), ("rejected", "国库退回")])
    voucher_number = forms.CharField(label="国库支付凭证号", max_length=60, required=False)
    paid_on = forms.DateField(label="支付日期", widget=DATE, required=False)
    reason = forms.CharField(label="退回原因", max_length=200, required=False)


@login_required
def instruction_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    instruction = perms.access_instruction(me, pk)
    if not org_perms.can(me, perms.TREASURY, instruction.agency_id):
        raise PermissionDenied("只有财务可以登记国库回单")
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = call_service(
            form,
            lambda: treasury_services.instruction_confirm(
                actor=me,
                instruction=instruction,
                paid=d["result"] == "paid",
                voucher_number=d["voucher_number"],
                paid_on=d["paid_on"],
                reason=d["reason"],
            ),
        )
        if done:
            messages.success(
                request, f"支付指令{instruction.number}的国库回单已登记。" if done[1] else "该回单已登记过，未作更改。"
            )
            return redirect("finance:instruction_list")
    return form_page(
        request, form, title=f"登记国库回单：{instruction.number}", back=reverse("finance:instruction_list"), pretitle=PRETITLE
    )


class ImportForm(LimitedForm):
    file = forms.FileField(label="国库回单文件（CSV 或 Excel）", help_text="首行：" + "，".join(treasury_services.HEADERS))


@login_required
def treasury_import(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    agency_id = org_perms.acting_agency_id(me, perms.TREASURY)
    if agency_id is None:
        raise PermissionDenied("只有财务可以导入国库回单")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        from govworks.org.models import Agency

        result = call_service(
            form,
            lambda: treasury_services.treasury_import(
                actor=me, agency=Agency.objects.get(pk=agency_id), file_name=upload.name or "回单", content=upload.read()
            ),
        )
        if result:
            return render(request, "finance/import_result.html", {"result": result, "pretitle": PRETITLE})
    return form_page(
        request, form, title="导入国库回单", back=reverse("finance:instruction_list"), pretitle=PRETITLE, multipart=True
    )


# ------------------------------------------------------------------------------------------ small forms of a project


def _project_form(
    request: HttpRequest, pk: int, action: str, form_class: type[forms.Form], title: str, call: Any, **kw: Any
) -> HttpResponse:
    me = _me(request)
    project = access_project(me, pk)
    if not perms.may(me, action, project):
        raise PermissionDenied(f"您没有“{org_perms.ACTION_LABELS.get(action, action)}”的权限")
    form = (
        form_class(request.POST or None, request.FILES or None, project=project)  # type: ignore[call-arg]
        if kw.get("scoped")
        else form_class(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(me, project, form.cleaned_data)) is not None:
            messages.success(request, f"{title}已保存。")
            return redirect(reverse("finance:project", args=[project.pk]) + kw.get("anchor", ""))
    return form_page(
        request,
        form,
        title=f"{title}：{project.name}",
        back=reverse("finance:project", args=[project.pk]),
        pretitle=PRETITLE,
        note=kw.get("note", ""),
    )


class SourceForm(LimitedForm):
    kind = forms.ChoiceField(label="资金性质", choices=FundKind.choices)
    name = forms.CharField(label="资金名称", max_length=120)
    budget_year = forms.IntegerField(label="预算年度", initial=timezone.localdate().year, min_value=2000, max_value=2100)
    indicator_number = forms.CharField(label="预算指标文号", max_length=60)
    functional_class = forms.CharField(label="功能分类科目", max_length=60, initial="2010350 事业运行")
    economic_class = forms.CharField(label="经济分类科目", max_length=60, initial="31001 房屋建筑物购建")
    amount = forms.DecimalField(label="指标金额（元）", max_digits=16, decimal_places=2)


@login_required
def source_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.FUND_MANAGE,
        SourceForm,
        "登记资金来源",
        lambda me, p, d: fund_services.funding_source_create(actor=me, project=p, **d),
        anchor="#funds",
    )


class ReceiptForm(LimitedForm):
    source = forms.ModelChoiceField(label="资金来源", queryset=FundingSource.objects.none())
    received_on = forms.DateField(label="到位日期", widget=DATE, initial=timezone.localdate)
    amount = forms.DecimalField(label="到位金额（元）", max_digits=16, decimal_places=2)
    document_number = forms.CharField(label="拨款文件/凭证号", max_length=60)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(project=project)  # type: ignore[attr-defined]


@login_required
def receipt_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.FUND_MANAGE,
        ReceiptForm,
        "登记资金到位",
        lambda me, p, d: fund_services.fund_receipt_record(actor=me, **d),
        scoped=True,
        anchor="#funds",
    )


class CostItemForm(LimitedForm):
    code = forms.CharField(label="科目编码", max_length=20)
    name = forms.CharField(label="科目名称", max_length=120)
    estimate_amount = forms.DecimalField(label="概算金额（元）", max_digits=16, decimal_places=2)


@login_required
def cost_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.COST_MANAGE,
        CostItemForm,
        "新增成本科目",
        lambda me, p, d: fund_services.cost_item_create(actor=me, project=p, **d),
        anchor="#costs",
    )


class AllocateForm(LimitedForm):
    contract = forms.ModelChoiceField(label="合同", queryset=Contract.objects.none())
    cost_item = forms.ModelChoiceField(label="成本科目", queryset=CostItem.objects.none())

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(project=project)  # type: ignore[attr-defined]
        self.fields["cost_item"].queryset = CostItem.objects.filter(project=project)  # type: ignore[attr-defined]


@login_required
def contract_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.COST_MANAGE,
        AllocateForm,
        "合同归集到成本科目",
        lambda me, p, d: fund_services.contract_allocate(actor=me, **d),
        scoped=True,
        anchor="#costs",
    )


class ValueForm(LimitedForm):
    contract = forms.ModelChoiceField(label="合同", queryset=Contract.objects.none())
    period_end = forms.DateField(label="计量截止日期", widget=DATE, initial=timezone.localdate)
    cumulative_value = forms.DecimalField(label="累计已完工程价款（元）", max_digits=16, decimal_places=2)
    note = forms.CharField(label="计量说明", max_length=200, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(project=project, status=Contract.Status.SIGNED)  # type: ignore[attr-defined]


@login_required
def value_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """监理工程师 (or the owner's representative) confirms the completed value of a contract."""
    me = _me(request)
    project = Project.objects.select_related("agency").filter(pk=pk).first()
    if project is None or not (perms.supervises(me, project) or projects_visible_to(me).filter(pk=pk).exists()):
        raise Http404("记录不存在或您无权查看")
    if not (perms.supervises(me, project) or perms.may(me, perms.DAY_LABOUR_CONFIRM, project)):
        raise PermissionDenied("已完工程价款须由本项目的监理工程师或建设单位代表确认")
    form = ValueForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: payment_services.completed_value_confirm(actor=me, **form.cleaned_data)) is not None:
            messages.success(request, "已完工程价款已确认。")
            return redirect("finance:supervision", pk=project.pk)
    return form_page(
        request,
        form,
        title=f"确认已完工程价款：{project.name}",
        back=reverse("finance:supervision", args=[project.pk]),
        pretitle=PRETITLE,
    )


@login_required
def supervision_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """监理工程师's desk on a project: the day labour waiting for confirmation, the completed values so far and
    the link to confirm a new one (also open to the owner's representative)."""
    me = _me(request)
    project = Project.objects.select_related("agency").filter(pk=pk).first()
    if project is None or not (perms.supervises(me, project) or projects_visible_to(me).filter(pk=pk).exists()):
        raise Http404("记录不存在或您无权查看")
    if not (perms.supervises(me, project) or perms.may(me, perms.DAY_LABOUR_CONFIRM, project)):
        raise PermissionDenied("只有本项目的监理工程师或建设单位代表可以确认")
    return render(
        request,
        "finance/supervision.html",
        {
            "project": project,
            "pending": list(labour.day_labour_for(project).filter(status=DayLabour.Status.RECORDED).exclude(recorded_by=me)),
            "values": list(
                payment_services.CompletedValue.objects.filter(contract__project=project)
                .select_related("contract", "confirmed_by")
                .order_by("-period_end")[:12]
            ),
            "pretitle": PRETITLE,
        },
    )


class LabourForm(LimitedForm):
    team = forms.CharField(label="施工班组", max_length=80)
    trade = forms.CharField(label="工种", max_length=40)
    work_date = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    people = forms.IntegerField(label="人数", min_value=1)
    workdays = forms.DecimalField(label="工日", max_digits=8, decimal_places=2)
    unit_price = forms.DecimalField(label="工日单价（元）", max_digits=10, decimal_places=2)
    content = forms.CharField(label="工作内容", max_length=200)
    cost_item = forms.ModelChoiceField(label="成本科目", queryset=CostItem.objects.none(), required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost_item"].queryset = CostItem.objects.filter(project=project)  # type: ignore[attr-defined]


@login_required
def labour_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.DAY_LABOUR_RECORD,
        LabourForm,
        "记录点工",
        lambda me, p, d: labour_services.day_labour_record(actor=me, project=p, **d),
        scoped=True,
        anchor="#labour",
    )


@login_required
@require_POST
def labour_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    row = perms.access_day_labour(me, pk)
    try:
        labour_services.day_labour_confirm(actor=me, record=row)
        messages.success(request, "点工记录已确认。")
    except DomainError as err:
        messages.error(request, err.message)
    if getattr(me, "is_external", False):
        return redirect("finance:supervision", pk=row.project_id)
    return redirect(reverse("finance:project", args=[row.project_id]) + "#labour")


class WageAccountForm(LimitedForm):
    contract = forms.ModelChoiceField(label="施工合同", queryset=Contract.objects.none())
    bank_name = forms.CharField(label="开户银行", max_length=80)
    account_name = forms.CharField(label="账户名称", max_length=120)
    account_number = forms.CharField(label="专用账号", max_length=40)
    labour_cost_pct = forms.DecimalField(label="人工费用占合同价比例（%）", max_digits=5, decimal_places=2)
    opened_on = forms.DateField(label="开户日期", widget=DATE)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(project=project, wage_account__isnull=True)  # type: ignore[attr-defined]


@login_required
def wage_account_open(request: HttpRequest, pk: int) -> HttpResponse:
    def call(me: Any, p: Project, d: dict[str, Any]) -> WageAccount:
        d = dict(d)
        d["labour_cost_ratio"] = d.pop("labour_cost_pct") / 100
        return labour_services.wage_account_open(actor=me, **d)

    return _project_form(
        request, pk, perms.WAGE_MANAGE, WageAccountForm, "登记农民工工资专用账户", call, scoped=True, anchor="#wages"
    )


class WageTransferForm(LimitedForm):
    account = forms.ModelChoiceField(label="专用账户", queryset=WageAccount.objects.none())
    month = forms.DateField(label="所属月份（任一日）", widget=DATE)
    amount = forms.DecimalField(label="拨付金额（元）", max_digits=16, decimal_places=2)
    transferred_on = forms.DateField(label="拨付日期", widget=DATE, initial=timezone.localdate)
    voucher_number = forms.CharField(label="凭证号", max_length=60)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = WageAccount.objects.filter(contract__project=project)  # type: ignore[attr-defined]


@login_required
def wage_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.WAGE_MANAGE,
        WageTransferForm,
        "登记人工费用拨付",
        lambda me, p, d: labour_services.wage_transfer_record(actor=me, **d),
        scoped=True,
        anchor="#wages",
    )


class WageDepositForm(LimitedForm):
    contract = forms.ModelChoiceField(label="施工合同", queryset=Contract.objects.none())
    form = forms.ChoiceField(label="形式", choices=WageDeposit.Form.choices)
    amount = forms.DecimalField(label="金额（元）", max_digits=16, decimal_places=2)
    deposited_on = forms.DateField(label="存储/开立日期", widget=DATE)
    bank_name = forms.CharField(label="银行", max_length=80)
    reference = forms.CharField(label="凭证/保函编号", max_length=60)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(project=project)  # type: ignore[attr-defined]


@login_required
def wage_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(
        request,
        pk,
        perms.WAGE_MANAGE,
        WageDepositForm,
        "登记工资保证金",
        lambda me, p, d: labour_services.wage_deposit_record(actor=me, **d),
        scoped=True,
        anchor="#wages",
    )


urlpatterns = [
    path("", fund_dashboard, name="dashboard"),
    path("export/", payments_export, name="payments_export"),
    path("projects/<int:pk>/", project_finance, name="project"),
    path("projects/<int:pk>/costs/", cost_centre, name="costs"),
    path("projects/<int:pk>/sources/new/", source_create, name="source_create"),
    path("projects/<int:pk>/receipts/new/", receipt_record, name="receipt_record"),
    path("projects/<int:pk>/cost-items/new/", cost_item_create, name="cost_item_create"),
    path("projects/<int:pk>/allocate/", contract_allocate, name="contract_allocate"),
    path("projects/<int:pk>/completed-value/", value_confirm, name="value_confirm"),
    path("projects/<int:pk>/labour/new/", labour_record, name="labour_record"),
    path("labour/<int:pk>/confirm/", labour_confirm, name="labour_confirm"),
    path("projects/<int:pk>/supervision/", supervision_desk, name="supervision"),
    path("projects/<int:pk>/wages/account/", wage_account_open, name="wage_account_open"),
    path("projects/<int:pk>/wages/transfer/", wage_transfer, name="wage_transfer"),
    path("projects/<int:pk>/wages/deposit/", wage_deposit, name="wage_deposit"),
    path("projects/<int:project_pk>/requests/new/", request_create, name="request_create"),
    path("requests/", request_list, name="request_list"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
    path("requests/<int:pk>/submit/", request_submit, name="request_submit"),
    path("requests/<int:pk>/finalize/", request_finalize, name="request_finalize"),
    path("requests/<int:pk>/withdraw/", request_withdraw, name="request_withdraw"),
    path("instructions/", instruction_list, name="instruction_list"),
    path("instructions/<int:pk>/pdf/", instruction_pdf, name="instruction_pdf"),
    path("instructions/<int:pk>/xlsx/", instruction_xlsx, name="instruction_xlsx"),
    path("instructions/<int:pk>/confirm/", instruction_confirm, name="instruction_confirm"),
    path("treasury/import/", treasury_import, name="treasury_import"),
]
