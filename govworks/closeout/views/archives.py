"""Archive pages: the list across projects (completeness, deadline, transfer), one project's archive by category
with the 档案员's verification and uploads, the transfer with its receipt, the package export, and the agency's
catalogue. Every form calls one service; a refusal re-renders with 400 and the Chinese reason."""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.closeout import permissions_archives as perms
from govworks.closeout.models import ArchiveCategory, Retention
from govworks.closeout.selectors import archives as sel
from govworks.closeout.services import archives as services
from govworks.core.forms import LimitedForm
from govworks.core.pages import paginate, signed_in_user
from govworks.core.rule_parameters import rule_value
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.projects.models import Stage

PRETITLE = "竣工收尾 · 工程档案"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VerifyForm(LimitedForm):
    pages = forms.IntegerField(label="页数", min_value=1, max_value=100000)
    document_date = forms.DateField(label="文件日期", required=False, widget=DATE)
    note = forms.CharField(label="核验说明", required=False, max_length=200)


class UploadForm(LimitedForm):
    file = forms.FileField(label="文件（PDF、Word、Excel、图片、DWG、ZIP，不超过100MB）")
    document_date = forms.DateField(label="文件日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)


class TransferForm(LimitedForm):
    receiver = forms.CharField(label="接收单位", max_length=120, initial="临江市城市建设档案馆")
    transferred_on = forms.DateField(label="移交日期", widget=DATE)
    receipt_number = forms.CharField(label="接收回执编号", max_length=60)
    receipt_file = forms.FileField(label="接收回执（PDF或图片）")


class CatalogueForm(LimitedForm):
    code = forms.CharField(label="编号", max_length=12, help_text="如 A1-09、D-02；与已有编号相同即修改本单位的该条目")
    title = forms.CharField(label="文件名称", max_length=200)
    category = forms.ChoiceField(label="类别", choices=ArchiveCategory.choices)
    retention = forms.ChoiceField(label="保管期限", choices=Retention.choices)
    required = forms.BooleanField(label="必须归档", required=False)
    to_city_archive = forms.BooleanField(label="报送城建档案馆", required=False)
    source = forms.ChoiceField(label="来源", required=False)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sel.source_choices()  # type: ignore[attr-defined]


def _me(request: HttpRequest) -> Any:
    return signed_in_user(request)


def _reader(user: Any) -> None:
    if not perms.may_read_archives(user):
        raise PermissionDenied("只有本单位内部人员可以查看工程档案")


@login_required
def archive_list(request: HttpRequest) -> HttpResponse:
    """工程档案: projects from 竣工验收 on with verified/required items, the transfer deadline and the receipt."""
    me = _me(request)
    _reader(me)
    stage = request.GET.get("stage", "")
    stage = stage if stage in sel.ARCHIVE_STAGES else ""
    overdue = request.GET.get("overdue") == "1"
    q = (request.GET.get("q") or "").strip()[:50]
    page = paginate(request, sel.archive_list_visible_to(user=me, stage=stage, overdue_only=overdue, q=q))
    months = int(rule_value("archive.transfer_deadline_months", agency=getattr(me, "agency", None)))
    rows = sel.archive_list_rows(list(page.object_list), months=months)
    return render(
        request,
        "closeout/archives/list.html",
        {
            "pretitle": PRETITLE,
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "filters": {"stage": stage, "overdue": overdue, "q": q},
            "stage_choices": [(s, Stage(s).label) for s in sel.ARCHIVE_STAGES],
            "months": months,
            "may_edit_catalogue": perms.may_edit_catalogue(me),
        },
    )


def _detail(request: HttpRequest, project: Any, *, error: str = "", forms_by_code: dict | None = None,
            transfer_form: Any = None, status: int = 200) -> HttpResponse:  # fmt: skip
    me = _me(request)
    state = sel.archive_state(project)
    may_manage = org_perms.can(me, perms.ARCHIVE_MANAGE, project.agency_id)
    editable = may_manage and project.stage in services.WORKING_STAGES and state.transfer is None
    return render(
        request,
        "closeout/archives/detail.html",
        {
            "pretitle": PRETITLE,
            "project": project,
            "state": state,
            "today": timezone.localdate(),
            "may_manage": may_manage,
            "editable": editable,
            "may_export": org_perms.can(me, perms.ARCHIVE_EXPORT, project.agency_id),
            "may_transfer": may_manage and project.stage == Stage.ARCHIVING and state.transfer is None,
            "transfer_form": transfer_form or TransferForm(initial={"transferred_on": timezone.localdate()}),
            "forms_by_code": forms_by_code or {},
            "error": error,
        },
        status=status,
    )


@login_required
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's archive by category: each item's source, state, pages, verification; forms for the archivist."""
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    return _detail(request, project)


def _require_manage(me: Any, project: Any) -> None:
    if not org_perms.can(me, perms.ARCHIVE_MANAGE, project.agency_id):
        raise PermissionDenied("只有本单位的档案员可以整理工程档案")


@login_required
@require_POST
def archive_item_verify(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    _require_manage(me, project)
    form = VerifyForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            lambda: services.archive_item_verify(
                actor=me,
                project=project,
                code=code,
                pages=form.cleaned_data["pages"],
                note=form.cleaned_data["note"],
                document_date=form.cleaned_data["document_date"],
            ),
        )
        if done is not None:
            messages.success(request, f"已核验 {code}")
            return redirect(f"/closeout/archives/{project.pk}/#item-{code}")
    return _detail(request, project, error=_errors(form), forms_by_code={code: {"verify": form}}, status=400)


@login_required
@require_POST
def archive_item_upload(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    _require_manage(me, project)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        done = call_service(
            form,
            lambda: services.archive_item_upload(
                actor=me,
                project=project,
                code=code,
                file=form.cleaned_data["file"],
                document_date=form.cleaned_data["document_date"],
                note=form.cleaned_data["note"],
            ),
        )
        if done is not None:
            messages.success(request, f"已上传 {code}，请核验")
            return redirect(f"/closeout/archives/{project.pk}/#item-{code}")
    return _detail(request, project, error=_errors(form), forms_by_code={code: {"upload": form}}, status=400)


@login_required
@require_POST
def archive_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    _require_manage(me, project)
    form = TransferForm(request.POST, request.FILES)
    if form.is_valid():
        done = call_service(
            form,
            lambda: services.archive_transfer_record(
                actor=me,
                project=project,
                receiver=form.cleaned_data["receiver"],
                transferred_on=form.cleaned_data["transferred_on"],
                receipt_number=form.cleaned_data["receipt_number"],
                receipt_file=form.cleaned_data["receipt_file"],
            ),
        )
        if done is not None:
            messages.success(request, "已登记档案移交")
            return redirect("closeout:archive_detail", pk=project.pk)
    return _detail(request, project, error=_errors(form), transfer_form=form, status=400)


@login_required
@require_POST
def archive_package(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The archive package: built now and streamed for a small project, by the worker for a large one."""
    me = _me(request)
    project = perms.access_archive_project(me, pk)
    if not org_perms.can(me, perms.ARCHIVE_EXPORT, project.agency_id):
        raise PermissionDenied("只有本单位的档案员、项目管理人员、纪检监察和内审可以导出工程档案包")
    if services.archive_package_size(project) > services.INLINE_MAX_FILES:
        job = services.archive_package_request(actor=me, project=project)
        return redirect("core:export_detail", pk=job.pk)
    target = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response once streamed)
    services.archive_package_build_now(actor=me, project=project, target=target)
    target.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(
        target, as_attachment=True, filename=f"工程档案-{project.code}-{stamp}.zip", content_type="application/zip"
    )


def _errors(form: Any) -> str:
    return "；".join(str(m) for errors in form.errors.values() for m in errors)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The archive catalogue in force for the user's agency; the archivist adds or overrides rows of the agency."""
    me = _me(request)
    _reader(me)
    agency = getattr(me, "agency", None)
    if agency is None:
        raise PermissionDenied("没有所属单位")
    may_edit = org_perms.can(me, perms.ARCHIVE_CATALOGUE_EDIT, agency.pk)
    form = CatalogueForm(request.POST or None, initial={"active": True, "required": True})
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有本单位的档案员可以维护归档目录")
        if form.is_valid():
            d = form.cleaned_data
            done = call_service(
                form,
                lambda: services.catalogue_item_save(
                    actor=me,
                    agency=agency,
                    code=d["code"],
                    title=d["title"],
                    category=d["category"],
                    retention=d["retention"],
                    required=d["required"],
                    to_city_archive=d["to_city_archive"],
                    source=d["source"] or "",
                    active=d["active"],
                ),
            )
            if done is not None:
                messages.success(request, f"已保存归档目录 {done.code}")
                return redirect("closeout:archive_catalogue")
        status = 400
    rows = sel.catalogue_rows_of_agency(agency)
    doc_names = dict(sel.source_choices())
    return render(
        request,
        "closeout/archives/catalogue.html",
        {
            "pretitle": PRETITLE,
            "rows": [(row, own, doc_names.get(row.source, "须补充上传")) for row, own in rows],
            "form": form,
            "may_edit": may_edit,
            "agency": agency,
        },
        status=status,
    )
