"""Settlement-audit pages: the register (filters, Excel), one contract's settlement (submission, the firm's
draw, the result with its lines, the contractor's confirmation or dispute, the approval, the report PDF) and
the register of audit firms. Each form calls one service; a refusal re-renders with 400 and the reason."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from govworks.closeout import permissions_settlement as perms
from govworks.closeout import rules_settlement as rules
from govworks.closeout.models import Settlement
from govworks.closeout.selectors import settlement as selectors
from govworks.closeout.selectors.milestones import completion_date
from govworks.closeout.services import settlement as services
from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.service_forms import call_service
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, ExternalOrganization

PRETITLE = "竣工收尾"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINE_ROWS = 8


class SubmitForm(LimitedForm):
    amount = forms.DecimalField(label="送审金额（元）", max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    note = forms.CharField(label="说明", max_length=200, required=False)


class DisputeForm(LimitedForm):
    reason = forms.CharField(label="异议理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class FirmForm(LimitedForm):
    name = forms.CharField(label="机构名称", max_length=120)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    qualification = forms.CharField(label="资质（造价咨询/审计）", max_length=120)
    qualification_valid_until = forms.DateField(label="资质有效期至", widget=DATE)
    external_org = forms.ModelChoiceField(
        label="平台账号单位（可选）", queryset=ExternalOrganization.objects.none(), required=False
    )
    conflict_agencies = forms.ModelMultipleChoiceField(label="存在利害关系的单位", queryset=Agency.objects.none(), required=False)
    conflict_orgs = forms.ModelMultipleChoiceField(
        label="存在利害关系的企业", queryset=ExternalOrganization.objects.none(), required=False
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = ExternalOrganization.objects.filter(is_active=True).order_by("name")
        self.fields["external_org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["conflict_orgs"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["conflict_agencies"].queryset = Agency.objects.filter(is_active=True).order_by("path")  # type: ignore[attr-defined]


def _me(request: HttpRequest) -> Any:
    return signed_in_user(request)


def _reader(user: Any) -> None:
    if not perms.may_read_settlements(user):
        raise PermissionDenied("只有本单位业务人员或本合同的参建单位可以查看结算审计")


# ------------------------------------------------------------------------------------------ register


def _register_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "status": request.GET.get("status", "") if request.GET.get("status", "") in Settlement.Status.values else "",
        "overdue": request.GET.get("overdue") == "1",
        "project": query_int(request.GET.get("project")),
    }


def _register_rows(me: Any, filters: dict[str, Any]) -> Any:
    qs = selectors.settlements_for(me, status=filters["status"], overdue=filters["overdue"])
    if filters["project"]:
        qs = qs.filter(project_id=filters["project"])
    return qs


@login_required
def settlement_list(request: HttpRequest) -> HttpResponse:
    """结算审计台账: every settlement the user may see, by deadline, filtered by status or overdue."""
    me = _me(request)
    _reader(me)
    filters = _register_filters(request)
    return render(
        request,
        "closeout/settlement/list.html",
        {
            "page": paginate(request, _register_rows(me, filters)),
            "filters": filters,
            "status_choices": Settlement.Status.choices,
            "today": timezone.localdate(),
            "tier_note": rules.TIER_NOTE,
            "pretitle": PRETITLE,
        },
    )


EXPORT_COLUMNS = [
    "结算编号",
    "项目",
    "合同",
    "施工单位",
    "送审金额",
    "审定金额",
    "审减额",
    "审减率",
    "审计机构",
    "送审日期",
    "审查期限",
    "状态",
    "是否逾期",
]


@login_required
def settlement_export(request: HttpRequest) -> HttpResponse:
    """The register as filtered, as an Excel workbook (cells made inert)."""
    me = _me(request)
    _reader(me)
    filters = _register_filters(request)
    today = timezone.localdate()
    book = workbook_new()
    sheet = book.active
    sheet.title = "结算审计台账"  # type: ignore[union-attr]
    sheet_append(sheet, EXPORT_COLUMNS)
    for s in _register_rows(me, filters)[:5000]:
        sheet_append(
            sheet,
            [
                s.number,
                f"{s.project.code} {s.project.name}",
                s.contract.number,
                s.contract.supplier.name,
                float(s.submitted_amount),
                float(s.approved_amount) if s.approved_amount is not None else "",
                float(s.reduction_amount) if s.reduction_amount is not None else "",
                s.reduction_text,
                s.firm.name if s.firm else "",
                s.submitted_on.isoformat(),
                s.due_on.isoformat(),
                s.get_status_display(),
                "是" if s.is_overdue(today) else "否",
            ],
        )
    response = HttpResponse(
        workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="settlements.xlsx"'
    return response


# ------------------------------------------------------------------------------------------ one contract


def _detail_context(me: Any, contract: Any) -> dict[str, Any]:
    s = selectors.settlement_of(contract)
    project = contract.project
    agency_id = project.agency_id
    ctx: dict[str, Any] = {
        "contract": contract,
        "project": project,
        "s": s,
        "lines": list(s.lines.all()) if s else [],
        "disputes": list(s.disputes.select_related("raised_by")) if s else [],
        "documents": list(s.documents.all()) if s else [],
        "accepted_on": completion_date(project),
        "is_contractor": perms.is_contractor_of(me, contract),
        "may_manage": org_perms.can(me, perms.SETTLEMENT_MANAGE, agency_id),
        "may_approve": org_perms.can(me, perms.SETTLEMENT_APPROVE, agency_id),
        "may_record": bool(s) and (perms.is_firm_of(me, s) or org_perms.can(me, perms.SETTLEMENT_MANAGE, agency_id)),
        "tier_note": rules.TIER_NOTE,
        "tiers": rules.REVIEW_TIERS,
        "today": timezone.localdate(),
        "line_rows": range(LINE_ROWS),
        "pretitle": PRETITLE,
        "submit_form": SubmitForm(),
        "dispute_form": DisputeForm(),
        "errors": [],
    }
    if s is not None:
        ctx["approval_problem"] = services.settlement_approval_problem(s) if s.status == Settlement.Status.CONFIRMED else None
        ctx["exclusions"] = selectors.draw_exclusions(s) if s.draw_seed else []
        ctx["replayed"] = selectors.draw_replay(s) == s.firm_id if s.draw_seed else None
        if s.lines.exists() and s.status == Settlement.Status.REVIEW:
            ctx["prefill"] = ctx["lines"]
    return ctx


@login_required
@require_GET
def settlement_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    """One contract's settlement: what was submitted, the firm drawn, the result and what each party may do now."""
    me = _me(request)
    contract = perms.access_contract(me, contract_id)
    return render(request, "closeout/settlement/detail.html", _detail_context(me, contract))


def _refused(request: HttpRequest, me: Any, contract: Any, error: DomainError, **extra: Any) -> HttpResponse:
    ctx = _detail_context(me, contract)
    ctx["errors"] = [error.message]
    ctx.update(extra)
    return render(request, "closeout/settlement/detail.html", ctx, status=400)


def _back(contract: Any) -> HttpResponse:
    return redirect("closeout:settlement_detail", contract.pk)


def _settlement(contract: Any) -> Settlement:
    s = selectors.settlement_of(contract)
    if s is None:
        raise Http404("该合同尚未提交结算书")
    s.contract = contract
    s.project = contract.project
    return s


@login_required
@require_POST
def settlement_submit(request: HttpRequest, contract_id: int) -> HttpResponse:
    me = _me(request)
    contract = perms.access_contract(me, contract_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            me,
            contract,
            DomainError("closeout.form", "；".join(str(e) for es in form.errors.values() for e in es)),
            submit_form=form,
        )
    try:
        services.settlement_submit(
            actor=me,
            contract=contract,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
            files=request.FILES.getlist("files"),
        )
    except DomainError as err:
        return _refused(request, me, contract, err, submit_form=form)
    messages.success(request, "结算书已提交")
    return _back(contract)


def _action(request: HttpRequest, contract_id: int, call: Any, done: str) -> HttpResponse:
    me = _me(request)
    contract = perms.access_contract(me, contract_id)
    try:
        call(me, _settlement(contract))
    except DomainError as err:
        return _refused(request, me, contract, err)
    messages.success(request, done)
    return _back(contract)


@login_required
@require_POST
def settlement_draw(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _action(
        request, contract_id, lambda me, s: services.settlement_firm_draw(actor=me, settlement=s), "已随机抽取审计机构"
    )


def _lines(request: HttpRequest) -> list[rules.Line]:
    names = request.POST.getlist("line_name")
    submitted = request.POST.getlist("line_submitted")
    approved = request.POST.getlist("line_approved")
    reasons = request.POST.getlist("line_reason")
    out: list[rules.Line] = []
    for i, name in enumerate(names):
        s_raw = (submitted[i] if i < len(submitted) else "").replace(",", "").strip()
        a_raw = (approved[i] if i < len(approved) else "").replace(",", "").strip()
        if not name.strip() and not s_raw and not a_raw:
            continue
        try:
            s_val, a_val = Decimal(s_raw or "0"), Decimal(a_raw or "0")
        except InvalidOperation:
            raise DomainError("closeout.lines", f"第{len(out) + 1}项“{name.strip()}”的金额须为数字", field="lines") from None
        if s_val != s_val.quantize(Decimal("0.01")) or a_val != a_val.quantize(Decimal("0.01")):
            raise DomainError("closeout.lines", f"第{len(out) + 1}项“{name.strip()}”的金额最多两位小数", field="lines")
        out.append(rules.Line(name[:120], s_val, a_val, (reasons[i] if i < len(reasons) else "")[:200]))
    return out


@login_required
@require_POST
def settlement_result(request: HttpRequest, contract_id: int) -> HttpResponse:
    def call(me: Any, s: Settlement) -> Any:
        return services.settlement_result_record(
            actor=me, settlement=s, lines=_lines(request), report_number=request.POST.get("report_number", "")[:60]
        )

    return _action(request, contract_id, call, "审定结果已登记")


@login_required
@require_POST
def settlement_confirm(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _action(request, contract_id, lambda me, s: services.settlement_confirm(actor=me, settlement=s), "已确认审定结果")


@login_required
@require_POST
def settlement_dispute(request: HttpRequest, contract_id: int) -> HttpResponse:
    form = DisputeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")[:1000]
    return _action(
        request,
        contract_id,
        lambda me, s: services.settlement_dispute(actor=me, settlement=s, reason=reason),
        "异议已提交，退回审计机构复审",
    )


@login_required
@require_POST
def settlement_approve(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _action(request, contract_id, lambda me, s: services.settlement_approve(actor=me, settlement=s), "结算已审批")


@login_required
def settlement_document(request: HttpRequest, contract_id: int, doc_id: int) -> FileResponse:
    """A file of the 结算书 (to whoever may see the settlement)."""
    me = _me(request)
    s = _settlement(perms.access_contract(me, contract_id))
    doc = s.documents.filter(pk=doc_id).first()
    if doc is None:
        raise Http404("文件不存在")
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)


@login_required
def settlement_report(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The 结算审核报告 as a PDF, once the result is recorded."""
    me = _me(request)
    s = _settlement(perms.access_contract(me, contract_id))
    if s.approved_amount is None:
        raise Http404("尚无审定结果")
    response = HttpResponse(services.settlement_report_pdf(s), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="settlement-{s.number}.pdf"'
    return response


# ------------------------------------------------------------------------------------------ firms


@login_required
def audit_firm_list(request: HttpRequest) -> HttpResponse:
    """审计机构库 of the agencies the user reads."""
    me = _me(request)
    if not org_perms.business_readable_agency_ids(me):
        raise PermissionDenied("只有本单位业务人员可以查看审计机构库")
    return render(
        request,
        "closeout/settlement/firms.html",
        {
            "page": paginate(request, selectors.firms_for(me).order_by("agency__path", "name")),
            "may_manage": org_perms.can_anywhere(me, perms.FIRM_MANAGE),
            "today": timezone.localdate(),
            "pretitle": PRETITLE,
        },
    )


@login_required
def audit_firm_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    agency_id = org_perms.acting_agency_id(me, perms.FIRM_MANAGE)
    if agency_id is None:
        raise PermissionDenied("您没有“维护审计机构库”的权限")
    form = FirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        firm = call_service(
            form,
            lambda: services.audit_firm_create(
                actor=me,
                agency=Agency.objects.get(pk=agency_id),
                name=data["name"],
                credit_code=data["credit_code"],
                qualification=data["qualification"],
                qualification_valid_until=data["qualification_valid_until"],
                external_org=data["external_org"],
                conflict_agencies=list(data["conflict_agencies"]),
                conflict_orgs=list(data["conflict_orgs"]),
                note=data["note"],
            ),
        )
        if firm is not None:
            messages.success(request, f"已入库：{firm.name}")
            return redirect("closeout:audit_firm_list")
    return form_page(request, form, title="审计机构入库", back=reverse("closeout:audit_firm_list"), pretitle=PRETITLE)
