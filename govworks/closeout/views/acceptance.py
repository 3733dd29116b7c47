"""Pages of the completion acceptance and the defect period: the project's acceptance (parties, opinions,
problems with their status, conclusion, filing, the record PDF), the defect-period page (period end, defects,
deposit return, wage deposit), the defects list in Excel, and one form page per action — each parses a form,
calls one service and goes back; a refusal re-renders the form with 400 and the Chinese reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from govworks.closeout import forms_acceptance as forms
from govworks.closeout import permissions_acceptance as perms
from govworks.closeout import rules_acceptance as rules
from govworks.closeout.models import AcceptanceParty, DefectPeriod, WageDepositReturn
from govworks.closeout.selectors import acceptance as sel
from govworks.closeout.selectors.archives import ARCHIVE_STAGES
from govworks.closeout.services import acceptance as services
from govworks.closeout.services import defects as defect_services
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.core.xlsx import sheet_append, workbook_bytes, workbook_new
from govworks.finance.models import FundingSource, WageDeposit

PRETITLE = "竣工验收"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _acceptance_url(pk: int) -> str:
    return reverse("closeout:acceptance", args=[pk])


def _defects_url(pk: int) -> str:
    return reverse("closeout:defects", args=[pk])


def _form(
    request: HttpRequest,
    form: djforms.Form,
    *,
    call: Callable[[dict[str, Any]], Any],
    title: str,
    back: str,
    success: str,
    note: str = "",
    multipart: bool = False,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(form.cleaned_data)) is not None:
            messages.success(request, success)
            return redirect(back)
    return form_page(request, form, title=title, back=back, pretitle=PRETITLE, note=note, multipart=multipart)


def _project(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    me = signed_in_user(request)
    return me, perms.access_project(me, pk)


def _require_manage(me: Any, project: Any) -> None:
    if not perms.may_manage(me, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以办理")


def _latest_or_404(project: Any) -> Any:
    latest = sel.latest_acceptance(project)
    if latest is None:
        raise Http404("本项目尚无竣工验收记录")
    return latest


# ----------------------------------------------------------------------------------------------- pages


@login_required
def acceptance_page(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    view = sel.acceptance_view(project)
    today = timezone.localdate()
    a = view.acceptance
    signable = {p.pk for p in view.parties if a is not None and a.status == "organised" and perms.may_sign_for(me, p)}
    days, earliest = sel.supervision_earliest(a) if a is not None else (0, None)
    return render(
        request,
        "closeout/acceptance/acceptance.html",
        {
            "project": project,
            "view": view,
            "a": a,
            "can_manage": perms.may_manage(me, project),
            "can_declare": perms.may_declare(me, project),
            "signable": signable,
            "filing_overdue": a is not None and rules.filing_overdue(a.filing_due_on, a.filed_on, today),
            "supervision_days": days,
            "supervision_earliest": earliest,
            "today": today,
        },
    )


@login_required
def acceptance_list(request: HttpRequest) -> HttpResponse:
    """竣工验收台账: the visible projects from 竣工验收 on, each with its latest round, the notice to the quality
    supervision body and the 备案 (a constant number of queries per page)."""
    me = signed_in_user(request)
    if not perms.may_read_register(me):
        raise PermissionDenied("竣工验收台账仅供建设单位人员查看")
    q = request.GET.get("q", "").strip()[:50]
    open_only = request.GET.get("open") == "1"
    qs = perms.acceptance_projects_visible_to(me).filter(stage__in=ARCHIVE_STAGES)  # 竣工验收 and every stage after it
    if open_only:
        qs = qs.filter(stage="acceptance")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = paginate(request, qs.select_related("agency").order_by("-stage_entered_on", "-id"), size=20)
    return render(
        request,
        "closeout/acceptance/list.html",
        {
            "page": page,
            "rows": sel.register_rows(list(page.object_list)),
            "q": q,
            "open_only": open_only,
            "today": timezone.localdate(),
            "pretitle": "竣工收尾",
        },
    )


@login_required
def defects_page(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    return render(
        request,
        "closeout/acceptance/defects.html",
        {
            "project": project,
            "periods": sel.periods_view(project),
            "can_manage": perms.may_manage(me, project),
            "today": timezone.localdate(),
        },
    )


@login_required
def defects_export(request: HttpRequest, pk: int) -> HttpResponse:
    _me, project = _project(request, pk)
    wb = workbook_new(write_only=True)
    ws = wb.create_sheet("缺陷清单")
    sheet_append(ws, [f"{project.code} {project.name} 缺陷责任期缺陷清单"])
    sheet_append(ws, ["通知单编号", "施工合同", "部位", "缺陷描述", "严重程度", "报修日期", "修复期限", "状态", "销项日期"])
    for d in sel.defects_for_export(project):
        n = d.notice
        sheet_append(
            ws,
            [
                n.number,
                d.period.contract.number,
                d.location,
                n.finding,
                n.get_severity_display(),
                n.issued_on,
                n.deadline,
                n.get_status_display(),
                n.closed_on,
            ],
        )
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''defects-{project.code}.xlsx"
    return response


@login_required
def report_download(request: HttpRequest, pk: int, round_no: int, which: str) -> FileResponse:
    """The record PDF (竣工验收报告), the 备案表 or the declaration of one round, for whoever reads the project."""
    _me, project = _project(request, pk)
    row = next((r for r in sel.acceptance_view(project).rounds if r.round == round_no), None)
    if row is None:
        raise Http404("记录不存在")
    if which == "report" and row.report is not None:
        f, name = row.report.file, row.report.original_name
    elif which == "filing" and row.filing is not None:
        f, name = row.filing.file, row.filing.original_name
    elif which == "supervision" and row.supervision_notice_file:
        f, name = row.supervision_notice_file, (row.supervision_notice_file.name or "").rsplit("/", 1)[-1]
    elif which == "declaration" and row.declaration_file:
        f, name = row.declaration_file, (row.declaration_file.name or "").rsplit("/", 1)[-1]
    else:
        raise Http404("文件不存在")
    return FileResponse(f.open("rb"), as_attachment=True, filename=name)


# --------------------------------------------------------------------------------------------- actions


@login_required
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    if not perms.may_declare(me, project):
        raise PermissionDenied("只有本项目主体施工合同的施工单位（或建设单位工程管理岗代为）可以申报竣工")
    form = forms.DeclareForm(request.POST or None, request.FILES or None)
    return _form(
        request, form, call=lambda d: services.acceptance_declare(actor=me, project=project, note=d["note"], file=d.get("file")),
        title=f"申报竣工：{project.name}", back=_acceptance_url(pk), success="已申报竣工，等待建设单位组织竣工验收。",
        multipart=True,
        note="" if perms.external_org_id(me) else "由建设单位工程管理岗代施工单位登记（依据施工单位提交的工程竣工报告）。",
    )  # fmt: skip


@login_required
def organise(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    a = _latest_or_404(project)
    initial = {"scheduled_on": a.scheduled_on or timezone.localdate(), "location": a.location or project.location}
    initial |= {p.role: p.name for p in a.parties.all() if p.role != "owner"}
    form = forms.OrganiseForm(request.POST or None, initial=initial)
    return _form(
        request, form,
        call=lambda d: services.acceptance_organise(
            actor=me, acceptance=a, scheduled_on=d["scheduled_on"], location=d["location"],
            party_names=form.party_names(), archive_pre_required=d["archive_pre_required"],
        ),
        title=f"组织竣工验收：{project.name}", back=_acceptance_url(pk), success="竣工验收已组织，请各方签署意见。",
        note="建设单位组织勘察、设计、施工、监理单位进行竣工验收（建设工程质量管理条例第十六条）；已签订合同的单位按合同确定。",
    )  # fmt: skip


@login_required
def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    a = _latest_or_404(project)
    days, _earliest = sel.supervision_earliest(a)
    form = forms.SupervisionNoticeForm(
        request.POST or None, request.FILES or None,
        initial={"notified_on": a.supervision_notified_on or timezone.localdate(), "body": a.supervision_body},
    )  # fmt: skip
    return _form(
        request, form, call=lambda d: services.acceptance_supervision_notice_record(actor=me, acceptance=a, **d),
        title=f"登记通知质量监督机构：{project.name}", back=_acceptance_url(pk), success="已登记对质量监督机构的书面通知。",
        multipart=True,
        note=f"建设单位应当在工程竣工验收{days}个工作日前将验收的时间、地点及验收组名单书面通知负责监督该工程的工程质量监督机构"
        "（建质〔2013〕171号第六条（三）），验收日期不得早于通知日期后第" + str(days) + "个工作日。",
    )  # fmt: skip


@login_required
def archive_pre(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    a = _latest_or_404(project)
    form = forms.ArchivePreForm(request.POST or None)
    return _form(
        request, form, call=lambda d: services.acceptance_archive_pre_record(actor=me, acceptance=a, **d),
        title=f"城建档案预验收：{project.name}", back=_acceptance_url(pk), success="已登记城建档案预验收。",
    )  # fmt: skip


@login_required
def opinion(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    a = _latest_or_404(project)
    party = AcceptanceParty.objects.filter(acceptance=a, pk=party_pk).select_related("acceptance__project").first()
    if party is None:
        raise Http404("参建方不存在")
    if not perms.may_sign_for(me, party):
        raise PermissionDenied(f"只有{party.get_role_display()}“{party.name}”的人员（或建设单位工程管理岗代为登记）可以签署意见")
    form = forms.OpinionForm(request.POST or None, initial={"representative": party.representative})
    return _form(
        request, form, call=lambda d: services.acceptance_opinion_record(actor=me, party=party, **d),
        title=f"签署竣工验收意见：{party}", back=_acceptance_url(pk), success="意见已签署。",
    )  # fmt: skip


@login_required
def problem(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    a = _latest_or_404(project)
    form = forms.ProblemForm(request.POST or None)
    return _form(
        request, form, call=lambda d: services.acceptance_problem_raise(actor=me, acceptance=a, **d),
        title=f"登记验收发现的问题：{project.name}", back=_acceptance_url(pk),
        success="已签发整改通知单，由施工单位整改回复、复查销项。",
        note="问题以整改通知单送达施工单位；全部复查合格（销项）前不能作出“合格”结论。",
    )  # fmt: skip


@login_required
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    a = _latest_or_404(project)
    form = forms.ConcludeForm(request.POST or None)
    return _form(
        request, form, call=lambda d: services.acceptance_conclude(actor=me, acceptance=a, **d),
        title=f"登记竣工验收结论：{project.name}", back=_acceptance_url(pk),
        success="验收结论已登记，竣工验收记录已归入项目文件。",
        note="合格须五方一致同意、验收问题全部销项；结论登记后生成竣工验收记录（PDF）作为竣工验收报告存档。",
    )  # fmt: skip


@login_required
def filing(request: HttpRequest, pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    a = _latest_or_404(project)
    form = forms.FilingForm(request.POST or None, request.FILES or None, initial={"filed_on": timezone.localdate()})
    due = f"，备案期限{a.filing_due_on:%Y-%m-%d}" if a.filing_due_on else ""
    return _form(
        request, form, call=lambda d: services.acceptance_filing_record(actor=me, acceptance=a, **d),
        title=f"登记竣工验收备案：{project.name}", back=_acceptance_url(pk), success="竣工验收备案已登记。",
        multipart=True, note=f"竣工验收合格之日起15日内向备案机关备案{due}。",
    )  # fmt: skip


def _period(project: Any, period_pk: int) -> DefectPeriod:
    period = (
        DefectPeriod.objects.filter(project=project, pk=period_pk)
        .select_related("project", "contract", "contract__supplier")
        .first()
    )
    if period is None:
        raise Http404("缺陷责任期不存在")
    return period


@login_required
def defect_new(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    period = _period(project, period_pk)
    form = forms.DefectForm(request.POST or None)
    return _form(
        request, form, call=lambda d: defect_services.defect_report(actor=me, period=period, **d),
        title=f"缺陷报修：{project.name}", back=_defects_url(pk), success="已通知施工单位限期修复。",
    )  # fmt: skip


@login_required
def deposit_prepare(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    period = _period(project, period_pk)
    defects = {d.notice.number: d for d in period.defects.select_related("notice")}
    form = forms.DeductionsForm(request.POST or None, defects=defects)
    deposit, basis = defect_services.deposit_base(period.contract)

    def call(d: dict[str, Any]) -> Any:
        lines = [defect_services.Deduction(reason=r, amount=amt, defect=df) for df, r, amt in d["lines"]]
        return defect_services.deposit_return_prepare(actor=me, period=period, deductions=lines)

    return _form(
        request, form, call=call, title=f"核定质量保证金返还：{project.name}", back=_defects_url(pk),
        success="已核定质量保证金返还金额。",
        note=f"质量保证金 {deposit:,.2f} 元（{basis}）。缺陷责任期内未修复的缺陷，须列明扣除的维修费用。",
    )  # fmt: skip


@login_required
def deposit_request(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    period = _period(project, period_pk)
    form = forms.DepositRequestForm(request.POST or None, sources=FundingSource.objects.filter(project=project))
    return _form(
        request, form, call=lambda d: defect_services.deposit_return_request(actor=me, period=period, source=d["source"]),
        title=f"质量保证金返还申请付款：{project.name}", back=_defects_url(pk),
        success="已起草质保金返还付款申请，请在资金模块提交审批。",
    )  # fmt: skip


@login_required
def wage_start(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    period = _period(project, period_pk)
    deposits = WageDeposit.objects.filter(contract=period.contract, return_record__isnull=True)
    form = forms.WageStartForm(request.POST or None, deposits=deposits, initial={"publicity_from": timezone.localdate()})
    return _form(
        request, form, call=lambda d: defect_services.wage_deposit_return_start(actor=me, period=period, **d),
        title=f"工资保证金返还公示：{project.name}", back=_defects_url(pk), success="已登记返还公示。",
        note="工程完工，施工单位承诺无拖欠农民工工资并公示30日后，可申请返还工资保证金。",
    )  # fmt: skip


@login_required
def wage_return(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    me, project = _project(request, pk)
    _require_manage(me, project)
    row = WageDepositReturn.objects.filter(pk=row_pk, period__project=project).select_related("period__project").first()
    if row is None:
        raise Http404("记录不存在")
    form = forms.WageReturnForm(request.POST or None, initial={"returned_on": timezone.localdate()})
    return _form(
        request, form, call=lambda d: defect_services.wage_deposit_return_record(actor=me, row=row, **d),
        title=f"登记工资保证金返还：{project.name}", back=_defects_url(pk), success="已登记工资保证金返还。",
    )  # fmt: skip


urlpatterns = [
    path("acceptances/", acceptance_list, name="acceptance_list"),
    path("projects/<int:pk>/acceptance/", acceptance_page, name="acceptance"),
    path("projects/<int:pk>/acceptance/declare/", declare, name="acceptance_declare"),
    path("projects/<int:pk>/acceptance/organise/", organise, name="acceptance_organise"),
    path("projects/<int:pk>/acceptance/archive-pre/", archive_pre, name="acceptance_archive_pre"),
    path("projects/<int:pk>/acceptance/supervision/", supervision, name="acceptance_supervision"),
    path("projects/<int:pk>/acceptance/parties/<int:party_pk>/opinion/", opinion, name="acceptance_opinion"),
    path("projects/<int:pk>/acceptance/problem/", problem, name="acceptance_problem"),
    path("projects/<int:pk>/acceptance/conclude/", conclude, name="acceptance_conclude"),
    path("projects/<int:pk>/acceptance/filing/", filing, name="acceptance_filing"),
    path("projects/<int:pk>/acceptance/<int:round_no>/<str:which>/", report_download, name="acceptance_file"),
    path("projects/<int:pk>/defects/", defects_page, name="defects"),
    path("projects/<int:pk>/defects/export.xlsx", defects_export, name="defects_export"),
    path("projects/<int:pk>/defects/<int:period_pk>/report/", defect_new, name="defect_report"),
    path("projects/<int:pk>/defects/<int:period_pk>/deposit/", deposit_prepare, name="deposit_prepare"),
    path("projects/<int:pk>/defects/<int:period_pk>/deposit/request/", deposit_request, name="deposit_request"),
    path("projects/<int:pk>/defects/<int:period_pk>/wage/", wage_start, name="wage_deposit_start"),
    path("projects/<int:pk>/defects/wage/<int:row_pk>/return/", wage_return, name="wage_deposit_return"),
]
