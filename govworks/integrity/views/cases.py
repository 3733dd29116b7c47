"""Pages of case handling (案件办理). Every page reads the case through ``permissions_cases.access_case`` (404 for
anyone who may not see it, the people it names included); each writing page parses a form and calls one service;
a refusal re-renders the form with 400 and the Chinese reason, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.integrity import forms_cases as forms
from govworks.integrity import permissions_cases as perms
from govworks.integrity.case_sources import case_source_label, case_source_resolve
from govworks.integrity.models import Case, CaseRectification, CaseStatus
from govworks.integrity.selectors import cases as sel
from govworks.integrity.services import cases as svc
from govworks.org.models import Agency, User
from govworks.projects.models import Project

PRETITLE = "案件办理"


def _me(request: HttpRequest) -> Any:
    me = signed_in_user(request)
    if not perms.may_use_cases(me):
        raise Http404("记录不存在或您无权查看")
    return me


def _page(case: Case) -> str:
    return reverse("integrity:case_detail", args=[case.pk])


def _form(
    request: HttpRequest, form: djforms.Form, *, call: Callable[[dict[str, Any]], Any], title: str, back: str,
    done: Callable[[Any], str], success: str, note: str = "", multipart: bool = False,
) -> HttpResponse:  # fmt: skip
    if request.method == "POST" and form.is_valid():
        result = call_service(form, lambda: call(form.cleaned_data))
        if result is not None:
            messages.success(request, success)
            return redirect(done(result))
    return form_page(request, form, title=title, back=back, pretitle=PRETITLE, note=note, multipart=multipart)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    scope = "agency" if request.GET.get("scope") == "agency" else "mine"
    status = request.GET.get("status", "")
    rows = sel.case_list(user=me, scope=scope, status=status)
    return render(
        request,
        "integrity/cases/list.html",
        {
            "page": paginate(request, rows, size=30),
            "scope": scope,
            "status": status,
            "status_choices": CaseStatus.choices,
            "pretitle": PRETITLE,
        },
    )


@login_required
def manual_new(request: HttpRequest) -> HttpResponse:
    """直接立案: write down the lead, then open the case from it."""
    me = _me(request)
    agency_ids = perms.case_agency_ids(me)
    agencies = Agency.objects.filter(pk__in=agency_ids).order_by("path")
    form = forms.ManualSourceForm(
        request.POST or None, agencies=agencies, projects=Project.objects.filter(agency_id__in=agency_ids).order_by("-id")
    )
    return _form(
        request, form, call=lambda d: svc.manual_source_create(actor=me, **d), title="直接立案：登记线索",
        back=reverse("integrity:case_list"), success="线索已登记，请填写立案信息。",
        done=lambda row: f"{reverse('integrity:case_open')}?source=manual&id={row.pk}",
    )  # fmt: skip


@login_required
def case_open(request: HttpRequest) -> HttpResponse:
    """/integrity/cases/new/?source=<kind>&id=<id>: GET shows the source and the form, POST opens the case."""
    me = _me(request)
    kind, raw_id = request.GET.get("source", ""), request.GET.get("id", "")
    if not raw_id.isdigit():
        raise Http404("来源不存在")
    try:
        source = case_source_resolve(me, kind, int(raw_id))
    except KeyError:
        raise Http404("来源不存在") from None
    if source.agency_id not in perms.case_agency_ids(me) or me.pk in source.involved_user_ids:
        raise Http404("记录不存在或您无权查看")
    form = forms.CaseOpenForm(request.POST or None, initial={"title": source.title[:120], "summary": source.summary})
    if request.method == "POST" and form.is_valid():
        case = call_service(form, lambda: svc.case_open(actor=me, source=source, **form.cleaned_data))
        if case is not None:
            messages.success(request, f"已立案：案件 {case.number}。请指定承办人。")
            return redirect(_page(case))
    return render(
        request,
        "integrity/cases/open.html",
        {
            "form": form,
            "source": source,
            "source_label": case_source_label(kind),
            "involved": User.objects.filter(pk__in=source.involved_user_ids).order_by("id"),
            "earlier": sel.open_case_of_source(me, kind, source.source_id),
            "pretitle": PRETITLE,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    case = perms.access_case(me, pk)
    handler_ids = perms.handler_ids(case)
    confidential = me.pk in handler_ids or me.pk == case.assigned_by_id
    is_handler = me.pk in handler_ids
    context = {
        "case": case,
        "confidential": confidential,
        "is_handler": is_handler,
        "may_assign": perms.may_assign(me, case) and case.status not in (CaseStatus.CONCLUDED, CaseStatus.CLOSED),
        "may_close": (is_handler or me.pk == case.assigned_by_id) and case.status == CaseStatus.CONCLUDED,
        "working": case.status in svc.WORKING,
        "may_note": is_handler and case.status in (CaseStatus.FILED, *svc.WORKING),
        "source_label": case_source_label(case.source_kind),
        "statuses": CaseStatus.choices,
        "status_index": CaseStatus.values.index(case.status),
        "me": me,
        "pretitle": PRETITLE,
        **sel.case_page(case, confidential=confidential),
    }
    return render(request, "integrity/cases/detail.html", context)


def _case_for(request: HttpRequest, pk: int) -> tuple[Any, Case]:
    me = _me(request)
    return me, perms.access_case(me, pk)


def _handler_only(me: Any, case: Case, what: str) -> None:
    if not perms.is_handler(me, case):
        raise PermissionDenied(f"只有本案承办人可以{what}")


@login_required
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    if not perms.may_assign(me, case):
        raise PermissionDenied("只有本单位纪检监察人员（非本案涉及人员）可以指定承办人")
    form = forms.AssignForm(
        request.POST or None, candidates=sel.handler_candidates(case), initial={"handlers": list(perms.handler_ids(case))}
    )
    return _form(
        request, form, call=lambda d: svc.case_assign(actor=me, case=case, handlers=d["handlers"]),
        title=f"指定承办人：案件 {case.number}", back=_page(case), done=_page, success="承办人已指定。",
    )  # fmt: skip


@login_required
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    _handler_only(me, case, "记录调查情况")
    form = forms.NoteForm(request.POST or None)
    return _form(
        request, form, call=lambda d: svc.case_note_add(actor=me, case=case, **d),
        title=f"调查记录：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="调查记录已保存。",
    )  # fmt: skip


@login_required
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    _handler_only(me, case, "上传证据材料")
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    return _form(
        request, form, call=lambda d: svc.case_evidence_add(actor=me, case=case, **d), multipart=True,
        title=f"上传证据材料：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="证据材料已上传。",
    )  # fmt: skip


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    me = _me(request)
    row = sel.evidence_for(me, pk)
    response = FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name or "evidence")
    response["Cache-Control"] = "no-store"  # confidential to the case's handlers: no copy left in a cache
    return response


@login_required
def case_party(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    _handler_only(me, case, "添加涉及人员")
    form = forms.PartyForm(request.POST or None, people=sel.party_candidates(case))
    return _form(
        request, form, call=lambda d: svc.case_party_add(actor=me, case=case, **d),
        title=f"添加涉及人员：案件 {case.number}", back=_page(case), done=lambda _r: _page(case),
        success="涉及人员已添加：其本人不能查看本案。", note="涉及人员不能查看、办理本案；承办人不能被列为涉及人员（须先调整承办人）。",
    )  # fmt: skip


@login_required
def case_interview(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    _handler_only(me, case, "记录约谈")
    form = forms.InterviewForm(request.POST or None)
    return _form(
        request, form, call=lambda d: svc.case_interview_record(actor=me, case=case, **d),
        title=f"记录约谈：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="约谈已记录。",
    )  # fmt: skip


@login_required
def case_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    _handler_only(me, case, "提出整改要求")
    form = forms.RectificationForm(request.POST or None, initial={"deadline": svc.rectification_default_deadline(case)})
    return _form(
        request, form, call=lambda d: svc.case_rectification_demand(actor=me, case=case, **d),
        title=f"提出整改要求：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="整改要求已提出。",
        note=sel.rectification_terms_note(case),
    )  # fmt: skip


@login_required
def case_verify(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    row = CaseRectification.objects.filter(pk=pk, case__in=perms.cases_visible_to(me)).select_related("case").first()
    if row is None:
        raise Http404("记录不存在或您无权查看")
    case = perms.access_case(me, row.case_id)
    if not perms.may_read_confidential(me, case):
        raise PermissionDenied("只有本案承办人或指定承办人的纪检监察负责人可以验证整改")
    form = forms.VerifyForm(request.POST or None)
    return _form(
        request, form, call=lambda d: svc.case_rectification_verify(actor=me, rectification=row, **d),
        title=f"整改验证：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="整改验证已记录。",
        note=f"整改要求：{row.demand}（期限 {row.deadline:%Y-%m-%d}）",
    )  # fmt: skip


@login_required
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    _handler_only(me, case, "作出结论")
    form = forms.ConcludeForm(request.POST or None)
    return _form(
        request, form, call=lambda d: svc.case_conclude(actor=me, case=case, **d),
        title=f"作出结论：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="结论已作出。",
    )  # fmt: skip


@login_required
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    me, case = _case_for(request, pk)
    if not perms.may_read_confidential(me, case):
        raise PermissionDenied("只有本案承办人或指定承办人的纪检监察负责人可以办结")
    form = forms.CloseForm(request.POST or None)
    return _form(
        request, form, call=lambda _d: svc.case_close(actor=me, case=case),
        title=f"办结：案件 {case.number}", back=_page(case), done=lambda _r: _page(case), success="案件已办结。",
    )  # fmt: skip
