"""Pages of the final accounts (竣工财务决算): the register with due dates, one project's sheet (cost lines, 概算执行率,
funds by source, surplus returns, 报送资料, extensions, the approval and the lock on the responsible people), the
forms, the report PDF and the Excel sheet. Every form calls one service; a refusal answers 400 with the reason."""

from __future__ import annotations

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
from govworks.closeout import rules_final_accounts as rules
from govworks.closeout.models import FinalAccounts, FinalCostLine
from govworks.closeout.registrations_final import final_accounts_lock
from govworks.closeout.reports_final import final_accounts_report_pdf
from govworks.closeout.selectors import final_accounts as selectors
from govworks.closeout.services import final_accounts as services
from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new
from govworks.finance.models import FundingSource
from govworks.org import permissions as org_perms
from govworks.projects.models import ProjectResponsibility
from govworks.projects.permissions import projects_visible_to

PRETITLE = "竣工收尾"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _me(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    if not perms.may_read(user):
        raise PermissionDenied("只有本单位内部人员可以查看竣工决算")
    return user


def _fa(project: Any) -> FinalAccounts:
    fa = selectors.final_accounts_of(project)
    if fa is None:
        raise Http404("该项目尚未编制竣工财务决算")
    fa.project = project
    return fa


def _back(project: Any, anchor: str = "") -> str:
    return reverse("closeout:fa_detail", args=[project.pk]) + anchor


def _refused(request: HttpRequest, project: Any, message: str) -> HttpResponse:
    return render(
        request,
        "closeout/final_accounts/refused.html",
        {"project": project, "message": message, "back": _back(project), "pretitle": PRETITLE},
        status=400,
    )


@login_required
def fa_list(request: HttpRequest) -> HttpResponse:
    """竣工财务决算 register: the visible projects from 竣工决算 on, with state and due date."""
    me = _me(request)
    q = request.GET.get("q", "").strip()[:50]
    qs = projects_visible_to(me).filter(stage__in=selectors.FA_STAGES).select_related("agency").order_by("stage_entered_on", "id")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    page = paginate(request, qs, size=20)
    return render(
        request,
        "closeout/final_accounts/list.html",
        {
            "page": page,
            "rows": selectors.list_rows(list(page.object_list)),
            "q": q,
            "today": timezone.localdate(),
            "pretitle": PRETITLE,
        },
    )


@login_required
def fa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    sheet = selectors.sheet_of(project)
    lock = final_accounts_lock(project, "")
    people = (
        list(ProjectResponsibility.objects.filter(project=project).select_related("responsible").order_by("id")) if lock else []
    )
    return render(
        request,
        "closeout/final_accounts/detail.html",
        {
            "project": project,
            "s": sheet,
            "lock": lock,
            "people": people,
            "today": timezone.localdate(),
            "editable": selectors.editable(sheet.state),
            "can_prepare": perms.may(me, perms.FA_PREPARE, project),
            "can_decide": perms.may(me, perms.FA_EXTENSION_DECIDE, project),
            "open_stages": services.OPEN_STAGES,
            "pretitle": PRETITLE,
        },
    )


def _post_act(request: HttpRequest, pk: int, call: Any, ok: str, anchor: str = "") -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    try:
        call(me, project)
    except DomainError as err:
        return _refused(request, project, err.message)
    messages.success(request, ok)
    return redirect(_back(project, anchor))


@login_required
@require_POST
def fa_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_act(
        request,
        pk,
        lambda me, p: services.final_accounts_start(actor=me, project=p),
        "已开始编制竣工财务决算，合同费用已按结算审定和支付记录生成。",
    )


@login_required
@require_POST
def fa_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_act(
        request, pk, lambda me, p: services.final_accounts_refresh(actor=me, fa=_fa(p)), "已重算合同费用。", "#lines"
    )


@login_required
@require_POST
def fa_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_act(request, pk, lambda me, p: services.final_accounts_submit(actor=me, fa=_fa(p)), "已提交竣工财务决算审批。")


@login_required
@require_POST
def fa_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_act(
        request, pk, lambda me, p: services.final_accounts_report_file(actor=me, fa=_fa(p)), "决算报告和审批单已归档为项目文件。"
    )


@login_required
@require_POST
def fa_line_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    def call(me: Any, project: Any) -> None:
        row = FinalCostLine.objects.filter(pk=line, final_accounts__project=project).select_related("final_accounts").first()
        if row is None:
            raise Http404("记录不存在")
        row.final_accounts.project = project
        services.other_cost_remove(actor=me, line=row)

    return _post_act(request, pk, call, "已删除该项费用。", "#lines")


class OtherCostForm(LimitedForm):
    category = forms.ChoiceField(label="费用类别", choices=rules.OTHER_COST_CATEGORIES)
    label = forms.CharField(label="费用名称", max_length=200)
    amount = forms.DecimalField(label="金额（元）", max_digits=16, decimal_places=2)
    basis = forms.CharField(label="计价依据（合同号、发票号或批复文号）", max_length=200)
    evidence = forms.FileField(label="凭证（PDF、图片、Excel、Word）")


@login_required
def fa_other_cost(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    org_perms.require(me, perms.FA_PREPARE, project.agency_id)  # the form only to whoever may use it
    fa = _fa(project)
    form = OtherCostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if call_service(
            form,
            lambda: services.other_cost_add(
                actor=me,
                fa=fa,
                category=d["category"],
                label=d["label"],
                amount=d["amount"],
                basis=d["basis"],
                evidence=d["evidence"],
            ),
        ):
            messages.success(request, "已登记工程建设其他费用。")
            return redirect(_back(project, "#lines"))
    return form_page(
        request, form, title=f"{project.name} · 登记工程建设其他费用", back=_back(project), pretitle=PRETITLE, multipart=True
    )


class DocumentForm(LimitedForm):
    file = forms.FileField(label="上传文件", required=False)
    missing_reason = forms.CharField(label="或说明缺失原因（如：本项目无概算调整）", max_length=200, required=False)


@login_required
def fa_document(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    org_perms.require(me, perms.FA_PREPARE, project.agency_id)  # the form only to whoever may use it
    fa = _fa(project)
    if code not in rules.DOCUMENT_NAMES:
        raise Http404("未知的报送资料")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if call_service(
            form,
            lambda: services.document_record(
                actor=me, fa=fa, code=code, file=d.get("file"), missing_reason=d.get("missing_reason") or ""
            ),
        ):
            messages.success(request, f"已登记《{rules.DOCUMENT_NAMES[code]}》。")
            return redirect(_back(project, "#documents"))
    return form_page(
        request,
        form,
        title=f"报送资料 · {rules.DOCUMENT_NAMES[code]}",
        back=_back(project, "#documents"),
        pretitle=PRETITLE,
        multipart=True,
        note="财政部《基本建设项目竣工财务决算管理暂行办法》（财建〔2016〕503号）第十条规定的报送资料：上传文件，或写明缺失原因。",
    )


class SurplusForm(LimitedForm):
    source = forms.ModelChoiceField(label="资金来源", queryset=FundingSource.objects.none())
    amount = forms.DecimalField(label="缴回金额（元）", max_digits=16, decimal_places=2)
    returned_on = forms.DateField(label="缴回日期", widget=DATE)
    document_number = forms.CharField(label="缴款凭证号", max_length=60)

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(project=project)  # type: ignore[attr-defined]


@login_required
def fa_surplus(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    org_perms.require(me, perms.FA_PREPARE, project.agency_id)  # the form only to whoever may use it
    fa = _fa(project)
    form = SurplusForm(request.POST or None, project=project, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if call_service(
            form,
            lambda: services.surplus_return_record(
                actor=me,
                fa=fa,
                source=d["source"],
                amount=d["amount"],
                returned_on=d["returned_on"],
                document_number=d["document_number"],
            ),
        ):
            messages.success(request, "已登记结余资金缴回。")
            return redirect(_back(project, "#surplus"))
    sheet = selectors.sheet_of(project, fa=fa)
    return form_page(
        request,
        form,
        title=f"{project.name} · 结余资金缴回",
        back=_back(project, "#surplus"),
        pretitle=PRETITLE,
        note=f"资金到位 {rules.yuan(sheet.received)} − 决算总投资 {rules.yuan(sheet.final_cost)} = 结余 {rules.yuan(sheet.surplus)}；"
        f"已缴回 {rules.yuan(sheet.returned)}。结余财政资金按规定缴回国库（《政府投资条例》第二十五条）。",
    )


class ExtensionForm(LimitedForm):
    months = forms.IntegerField(label="延期月数", min_value=1, max_value=12)
    reason = forms.CharField(label="延期理由（特殊情况）", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def fa_extension(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    org_perms.require(me, perms.FA_PREPARE, project.agency_id)  # the form only to whoever may use it
    fa = _fa(project)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if call_service(form, lambda: services.extension_request(actor=me, fa=fa, months=d["months"], reason=d["reason"])):
            messages.success(request, "已提交延期申请，待分管领导审批。")
            return redirect(_back(project, "#extensions"))
    deadline = selectors.deadline_of(project, fa)
    return form_page(
        request,
        form,
        title=f"{project.name} · 申请竣工决算延期",
        back=_back(project, "#extensions"),
        pretitle=PRETITLE,
        note=f"竣工后 {deadline.base_months} 个月内编报；特殊情况确需延长的，中小型项目不超过 2 个月，大型项目不超过 6 个月"
        f"（财建〔2016〕503号第二条）。本项目为{deadline.size_label}，上限 {deadline.extension_limit} 个月，已批准 {deadline.extension_months} 个月。",
    )


class ExtensionDecideForm(LimitedForm):
    grant = forms.TypedChoiceField(label="意见", choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1")
    opinion = forms.CharField(label="审批意见", max_length=200, required=False)


@login_required
@require_POST
def fa_extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    extension = perms.access_extension(me, pk)
    project = extension.final_accounts.project
    org_perms.require(me, perms.FA_EXTENSION_DECIDE, project.agency_id)
    form = ExtensionDecideForm(request.POST)
    if not form.is_valid():
        return _refused(request, project, "请选择审批意见")
    try:
        services.extension_decide(
            actor=me, extension=extension, grant=form.cleaned_data["grant"], opinion=form.cleaned_data["opinion"]
        )
    except DomainError as err:
        return _refused(request, project, err.message)
    messages.success(request, "已审批延期申请。")
    return redirect(_back(project, "#extensions"))


@login_required
def fa_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """竣工财务决算报告 (PDF, for printing and signatures)."""
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    sheet = selectors.sheet_of(project, fa=_fa(project))
    response = HttpResponse(final_accounts_report_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="final-accounts-{project.pk}.pdf"'
    return response


@login_required
def fa_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """竣工财务决算表 (Excel): the cost lines, the totals against the estimate and budget, funds by source."""
    me = _me(request)
    project = perms.access_closeout_project(me, pk)
    s = selectors.sheet_of(project, fa=_fa(project))
    book = workbook_new()
    ws: Any = book.active
    ws.title = "竣工财务决算表"
    sheet_append(ws, [f"{project.code} {project.name} 竣工财务决算表"])
    sheet_append(ws, ["类别", "名称", "计价依据", "金额（元）"])
    for line in s.lines:
        sheet_append(
            ws,
            [line.get_kind_display() if not line.category else line.get_category_display(), line.label, line.basis, line.amount],
        )
    sheet_append(ws, [])
    for label, value in (
        ("建安及合同费用", s.contract_cost),
        ("工程建设其他费用", s.other_cost),
        ("决算总投资", s.final_cost),
        ("批复概算", s.estimate if s.estimate is not None else ""),
        ("概算执行率", s.execution_rate_text),
        ("超概算金额", s.over_estimate),
        ("预算", s.budget),
        ("资金到位", s.received),
        ("结余资金", s.surplus),
        ("已缴回", s.returned),
    ):
        sheet_append(ws, ["", label, "", value])
    funds = book.create_sheet("资金来源")
    sheet_append(
        funds, ["资金性质", "资金名称", "预算指标文号", "指标金额（元）", "到位（元）", "已支付（元）", "已缴回结余（元）"]
    )
    for f in s.funds:
        sheet_append(
            funds,
            [
                f.source.get_kind_display(),
                f.source.name,
                f.source.indicator_number,
                f.source.amount,
                f.received,
                f.source.paid,
                f.returned,
            ],
        )
    response = HttpResponse(
        workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="final-accounts-{project.pk}.xlsx"'
    return response


urlpatterns = [
    path("final-accounts/", fa_list, name="fa_list"),
    path("final-accounts/<int:pk>/", fa_detail, name="fa_detail"),
    path("final-accounts/<int:pk>/start/", fa_start, name="fa_start"),
    path("final-accounts/<int:pk>/refresh/", fa_refresh, name="fa_refresh"),
    path("final-accounts/<int:pk>/other-cost/", fa_other_cost, name="fa_other_cost"),
    path("final-accounts/<int:pk>/lines/<int:line>/remove/", fa_line_remove, name="fa_line_remove"),
    path("final-accounts/<int:pk>/documents/<str:code>/", fa_document, name="fa_document"),
    path("final-accounts/<int:pk>/surplus/", fa_surplus, name="fa_surplus"),
    path("final-accounts/<int:pk>/extension/", fa_extension, name="fa_extension"),
    path("final-accounts/extensions/<int:pk>/decide/", fa_extension_decide, name="fa_extension_decide"),
    path("final-accounts/<int:pk>/submit/", fa_submit, name="fa_submit"),
    path("final-accounts/<int:pk>/file/", fa_file, name="fa_file"),
    path("final-accounts/<int:pk>/report.pdf", fa_pdf, name="fa_pdf"),
    path("final-accounts/<int:pk>/sheet.xlsx", fa_xlsx, name="fa_xlsx"),
]
