"""供应商库 pages: the shared register with its filters and Excel export, a supplier's profile (contacts,
bank accounts, qualifications, 履约评价 with the trend, grey/black listings, credit score and whether an
award is possible today), and the forms that add to it. Each view parses input, calls one service or
selector and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.exports import export_job_request
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.procurement import forms
from govworks.procurement import permissions as perms
from govworks.procurement.models import Supplier
from govworks.procurement.selectors import suppliers as selectors
from govworks.procurement.services import suppliers as services
from govworks.projects.models import Project

PRETITLE = "招标采购 · 供应商库"
EXPORT_KIND = "procurement.suppliers"


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _reader(request: HttpRequest) -> User:
    me = _me(request)
    if not perms.may_read_register(me):
        raise PermissionDenied("供应商库仅供机关工作人员查看")
    return me


def _acting_agency(me: User, action: str) -> Agency:
    agency_id = perms.acting_agency_id(me, action)
    if agency_id is None:
        raise PermissionDenied(f"您没有“{org_perms.ACTION_LABELS[action]}”的权限")
    return Agency.objects.get(pk=agency_id)


def _keeper(request: HttpRequest, pk: int) -> tuple[User, Supplier]:
    me = _me(request)
    supplier = perms.access_supplier(me, pk)
    if not perms.may_edit_supplier(me, supplier):
        raise PermissionDenied(f"供应商“{supplier.name}”由{supplier.registered_by}登记，只能由该单位维护")
    return me, supplier


def _filters(data: Any) -> dict[str, str]:
    form = forms.SupplierFilterForm(data)
    if not form.is_valid():
        return {"status": "", "expiry": "", "q": ""}
    return {"status": form.cleaned_data["status"], "expiry": form.cleaned_data["expiry"], "q": form.cleaned_data["q"].strip()}


# ------------------------------------------------------------------------------------------ register


@login_required
def supplier_list(request: HttpRequest) -> HttpResponse:
    me = _reader(request)
    f = _filters(request.GET)
    today = timezone.localdate()
    qs = selectors.supplier_list_visible_to(user=me, status=f["status"], expiry=f["expiry"], text=f["q"], on=today)
    page = paginate(request, qs)
    rows = [selectors.supplier_row(s, today) for s in page]
    return render(
        request,
        "procurement/suppliers/supplier_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": f,
            "status_choices": selectors.STATUS_CHOICES,
            "expiry_choices": selectors.EXPIRY_CHOICES,
            "can_register": org_perms.can_anywhere(me, perms.SUPPLIER_REGISTER),
            "today": today,
        },
    )


@login_required
@require_POST
def supplier_export(request: HttpRequest) -> HttpResponse:
    me = _reader(request)
    params = {k: v for k, v in _filters(request.POST).items() if v}
    try:
        job = export_job_request(actor=me, kind=EXPORT_KIND, params=params)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    return redirect("core:export_detail", pk=job.pk)


@login_required
def supplier_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    agency = _acting_agency(me, perms.SUPPLIER_REGISTER)
    form = forms.SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        supplier = call_service(form, lambda: services.supplier_create(actor=me, agency=agency, **form.cleaned_data))
        if supplier:
            messages.success(request, f"供应商“{supplier.name}”已登记。")
            return redirect("procurement:supplier_detail", pk=supplier.pk)
    return form_page(
        request,
        form,
        title="登记供应商",
        back=reverse("procurement:supplier_list"),
        pretitle=PRETITLE,
        note=f"供应商库全平台共享，以统一社会信用代码识别，同一企业只登记一次。本次以“{agency}”名义登记，此后由本单位维护。",
    )


@login_required
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    supplier = perms.access_supplier(me, pk)
    profile = selectors.supplier_profile(supplier=supplier, viewer=me)
    listing_agencies = org_perms.agency_ids_where(me, perms.SUPPLIER_LISTING)
    return render(
        request,
        "procurement/suppliers/supplier_detail.html",
        {
            "p": profile,
            "supplier": supplier,
            "chart": profile.chart(),
            "can_edit": perms.may_edit_supplier(me, supplier),
            "can_evaluate": org_perms.can_anywhere(me, perms.SUPPLIER_EVALUATE),
            "can_list": bool(listing_agencies),
            "liftable": {x.pk for x in profile.listings if x.decided_by_id in listing_agencies and x.lifted_at is None},
        },
    )


@login_required
def supplier_update(request: HttpRequest, pk: int) -> HttpResponse:
    me, supplier = _keeper(request, pk)
    initial = {name: getattr(supplier, name) for name in services.SUPPLIER_FIELDS}
    form = forms.SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.supplier_update(actor=me, supplier=supplier, **form.cleaned_data)):
            messages.success(request, "供应商信息已修改。")
            return redirect("procurement:supplier_detail", pk=supplier.pk)
    back = reverse("procurement:supplier_detail", args=[supplier.pk])
    return form_page(request, form, title=f"修改供应商：{supplier.name}", back=back, pretitle=PRETITLE)


def _child_form(request: HttpRequest, pk: int, form_class: Any, title: str, call: Any, done: str, note: str = "") -> HttpResponse:
    me, supplier = _keeper(request, pk)
    form = form_class(request.POST or None)
    back = reverse("procurement:supplier_detail", args=[supplier.pk])
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(actor=me, supplier=supplier, **form.cleaned_data)):
            messages.success(request, done)
            return redirect(back)
    return form_page(request, form, title=f"{title}：{supplier.name}", back=back, pretitle=PRETITLE, note=note)


@login_required
def supplier_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form(request, pk, forms.ContactForm, "新增联系人", services.supplier_contact_add, "联系人已添加。")


@login_required
def supplier_bank_account_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form(
        request,
        pk,
        forms.BankAccountForm,
        "新增银行账户",
        services.supplier_bank_account_add,
        "银行账户已添加。",
        note="付款只付至登记在册的银行账户；账户名称须与单位名称一致。",
    )


@login_required
def supplier_qualification_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form(
        request,
        pk,
        forms.QualificationForm,
        "登记资质",
        services.qualification_add,
        "资质已登记。",
        note="资质过期（有效期至次日起）的供应商不能授予相应类别的合同；换证后请登记新证书。",
    )


@login_required
def supplier_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    supplier = perms.access_supplier(me, pk)
    agency = _acting_agency(me, perms.SUPPLIER_EVALUATE)
    projects = Project.objects.filter(agency=agency).order_by("-id")
    form = forms.EvaluationForm(request.POST or None, projects=projects, initial={"evaluated_on": timezone.localdate()})
    back = reverse("procurement:supplier_detail", args=[supplier.pk])
    if request.method == "POST" and form.is_valid():
        call = lambda: services.supplier_evaluate(actor=me, supplier=supplier, agency=agency, **form.cleaned_data)  # noqa: E731
        if call_service(form, call):
            messages.success(request, "履约评价已录入。")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"履约评价：{supplier.name}",
        back=back,
        pretitle=PRETITLE,
        note=f"以“{agency}”名义评价；评价计入供应商信用分（近一年权重1.0，一至二年0.6，二至三年0.3）。",
    )


@login_required
def supplier_listing_add(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    supplier = perms.access_supplier(me, pk)
    agency = _acting_agency(me, perms.SUPPLIER_LISTING)
    form = forms.ListingForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    back = reverse("procurement:supplier_detail", args=[supplier.pk])
    if request.method == "POST" and form.is_valid():
        call = lambda: services.supplier_listing_add(actor=me, supplier=supplier, agency=agency, **form.cleaned_data)  # noqa: E731
        if call_service(form, call):
            messages.success(request, "已列入名单。")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"列入灰名单/黑名单：{supplier.name}",
        back=back,
        pretitle=PRETITLE,
        note="名单全平台生效。列入黑名单期间不得授予合同，授标被拒绝的情况推送纪检监察。须有决定文书。",
    )


@login_required
def supplier_listing_lift(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    listing = perms.access_listing(me, pk)
    if not org_perms.can(me, perms.SUPPLIER_LISTING, listing.decided_by_id):
        raise PermissionDenied(f"该名单由{listing.decided_by}登记，只能由该单位的科室负责人或纪检监察移出")
    form = forms.ListingLiftForm(request.POST or None)
    back = reverse("procurement:supplier_detail", args=[listing.supplier_id])
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.supplier_listing_lift(actor=me, listing=listing, **form.cleaned_data)):
            messages.success(request, "已移出名单。")
            return redirect(back)
    return form_page(
        request, form, title=f"移出{listing.get_kind_display()}：{listing.supplier.name}", back=back, pretitle=PRETITLE
    )


urlpatterns = [
    path("suppliers/", supplier_list, name="supplier_list"),
    path("suppliers/export/", supplier_export, name="supplier_export"),
    path("suppliers/new/", supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/", supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", supplier_update, name="supplier_update"),
    path("suppliers/<int:pk>/contacts/new/", supplier_contact_add, name="supplier_contact_add"),
    path("suppliers/<int:pk>/bank-accounts/new/", supplier_bank_account_add, name="supplier_bank_account_add"),
    path("suppliers/<int:pk>/qualifications/new/", supplier_qualification_add, name="supplier_qualification_add"),
    path("suppliers/<int:pk>/evaluations/new/", supplier_evaluate, name="supplier_evaluate"),
    path("suppliers/<int:pk>/listings/new/", supplier_listing_add, name="supplier_listing_add"),
    path("listings/<int:pk>/lift/", supplier_listing_lift, name="supplier_listing_lift"),
]
