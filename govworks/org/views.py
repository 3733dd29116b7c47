"""Management pages of the organisation: agencies, departments, positions, people, companies, role
grants, integrity pledges, lockouts and rule parameters. Each view parses input, calls one service or
selector and renders."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.pages import form_page, paginate, query_int, signed_in_user
from govworks.core.rule_parameters import rule_parameter_effective, rule_parameter_pick
from govworks.core.selectors import duties_record_of
from govworks.core.service_forms import call_service
from govworks.org import permissions as perms
from govworks.org import selectors, services
from govworks.org.forms import (
    AgencyForm,
    DepartmentForm,
    ExternalOrganizationForm,
    PledgeForm,
    PositionForm,
    RoleGrantForm,
    RoleRevokeForm,
    RuleParameterForm,
    UserCreateForm,
    UserEditForm,
)
from govworks.org.models import Agency, Department, ExternalOrganization, IntegrityPledge, Position, User
from govworks.org.roles import ExternalKind, Role
from govworks.org.security import lockout_failure_limit


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


_int = query_int
_page = paginate


def _require_viewer(request: HttpRequest) -> None:
    if not perms.can_anywhere(request.user, perms.ORG_VIEW):
        raise PermissionDenied("您没有查看组织机构的权限")


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, pretitle: str = "组织机构", **kwargs: Any
) -> HttpResponse:
    return form_page(request, form, title=title, back=back, pretitle=pretitle, **kwargs)


def _agency_choices(request: HttpRequest) -> list[Agency]:
    return list(perms.agencies_visible_to(request.user).order_by("path").only("id", "name", "path"))


# ---------------------------------------------------------------------------------------- agencies


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    agencies = list(selectors.agency_list_visible_to(user=request.user))
    manageable = perms.agency_ids_where(_me(request), perms.ORG_MANAGE)
    min_depth = min((a.depth for a in agencies), default=0)
    rows = [(a, range(a.depth - min_depth), a.pk in manageable) for a in agencies]
    return render(request, "org/agency_list.html", {"rows": rows})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = perms.access_agency(request.user, pk)
    context = {
        "agency": agency,
        "can_manage": perms.can(request.user, perms.ORG_MANAGE, agency.pk),
        "departments": list(selectors.department_list_visible_to(user=request.user, agency_id=agency.pk)),
        "children": list(perms.agencies_visible_to(request.user).filter(parent=agency).order_by("name")),
        "positions": list(selectors.position_list_visible_to(user=request.user, agency_id=agency.pk)[:100]),
    }
    return render(request, "org/agency_detail.html", context)


@login_required
def agency_create(request: HttpRequest, parent_pk: int) -> HttpResponse:
    parent = perms.access_agency(request.user, parent_pk)
    perms.require(request.user, perms.ORG_MANAGE, parent.pk)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = call_service(form, lambda: services.agency_create(actor=_me(request), parent=parent, **form.cleaned_data))
        if agency:
            messages.success(request, f"已新建下级单位“{agency.name}”。")
            return redirect("org:agency_detail", pk=agency.pk)
    return _form_page(request, form, title=f"新建“{parent.name}”的下级单位", back=reverse("org:agency_detail", args=[parent.pk]))


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = perms.access_agency(request.user, pk)
    perms.require(request.user, perms.ORG_MANAGE, agency.pk)
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.agency_update(actor=_me(request), agency=agency, **form.cleaned_data)):
            messages.success(request, "单位信息已保存。")
            return redirect("org:agency_detail", pk=agency.pk)
    return _form_page(request, form, title=f"修改单位：{agency.name}", back=reverse("org:agency_detail", args=[agency.pk]))


# ---------------------------------------------------------------------------------------- departments


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    agency_id = _int(request.GET.get("agency"))
    departments = selectors.department_list_visible_to(user=request.user, agency_id=agency_id)
    manageable = perms.agency_ids_where(_me(request), perms.ORG_MANAGE)
    return render(
        request,
        "org/department_list.html",
        {
            "page": _page(request, departments),
            "agencies": _agency_choices(request),
            "agency_id": agency_id,
            "manageable": manageable,
        },
    )


@login_required
def department_create(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = perms.access_agency(request.user, agency_pk)
    perms.require(request.user, perms.ORG_MANAGE, agency.pk)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.department_create(actor=_me(request), agency=agency, **form.cleaned_data)):
            messages.success(request, "科室已新建。")
            return redirect("org:agency_detail", pk=agency.pk)
    return _form_page(request, form, title=f"新建科室：{agency.name}", back=reverse("org:agency_detail", args=[agency.pk]))


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = perms.access_department(request.user, pk)
    perms.require(request.user, perms.ORG_MANAGE, department.agency_id)
    form = DepartmentForm(request.POST or None, instance=Department.objects.get(pk=department.pk))
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.department_update(actor=_me(request), department=department, **form.cleaned_data)):
            messages.success(request, "科室已保存。")
            return redirect("org:agency_detail", pk=department.agency_id)
    return _form_page(
        request, form, title=f"修改科室：{department.name}", back=reverse("org:agency_detail", args=[department.agency_id])
    )


# ---------------------------------------------------------------------------------------- positions


@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    agency_id = _int(request.GET.get("agency"))
    text = request.GET.get("q", "").strip()[:50]
    positions = selectors.position_list_visible_to(user=request.user, agency_id=agency_id, text=text)
    return render(
        request,
        "org/position_list.html",
        {
            "page": _page(request, positions),
            "agencies": _agency_choices(request),
            "agency_id": agency_id,
            "q": text,
            "manageable": perms.agency_ids_where(_me(request), perms.ORG_MANAGE),
        },
    )


@login_required
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    position = perms.access_position(request.user, pk)
    subordinates = list(perms.positions_visible_to(request.user).filter(superior=position).select_related("holder"))
    return render(
        request,
        "org/position_detail.html",
        {
            "position": position,
            "subordinates": subordinates,
            "can_manage": perms.can(request.user, perms.ORG_MANAGE, position.agency_id),
        },
    )


@login_required
def position_create(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = perms.access_agency(request.user, agency_pk)
    perms.require(request.user, perms.ORG_MANAGE, agency.pk)
    form = PositionForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        position = call_service(form, lambda: services.position_create(actor=_me(request), agency=agency, **form.cleaned_data))
        if position:
            messages.success(request, "岗位已新建。")
            return redirect("org:position_detail", pk=position.pk)
    return _form_page(request, form, title=f"新建岗位：{agency.name}", back=reverse("org:agency_detail", args=[agency.pk]))


@login_required
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = perms.access_position(request.user, pk)
    perms.require(request.user, perms.ORG_MANAGE, position.agency_id)
    form = PositionForm(request.POST or None, instance=Position.objects.get(pk=position.pk), agency=position.agency)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.position_update(actor=_me(request), position=position, **form.cleaned_data)):
            messages.success(request, "岗位说明书已保存。")
            return redirect("org:position_detail", pk=position.pk)
    return _form_page(request, form, title=f"修改岗位：{position.title}", back=reverse("org:position_detail", args=[position.pk]))


# ---------------------------------------------------------------------------------------- people


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    agency_id = _int(request.GET.get("agency"))
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    text = request.GET.get("q", "").strip()[:50]
    page = _page(request, selectors.user_list_visible_to(user=request.user, agency_id=agency_id, role=role, text=text))
    grants = selectors.grants_of_users(list(page.object_list))
    rows = [(u, grants.get(u.pk, [])) for u in page.object_list]
    me = _me(request)
    return render(
        request,
        "org/user_list.html",
        {
            "page": page,
            "rows": rows,
            "agencies": _agency_choices(request),
            "agency_id": agency_id,
            "role": role,
            "roles": Role.choices,
            "q": text,
            "manageable": perms.agency_ids_where(me, perms.ORG_MANAGE),
        },
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = perms.access_user(request.user, pk)
    owner_agency = person.owner_agency_id
    locked = AccessAttempt.objects.filter(
        username=person.username, failures_since_start__gte=lockout_failure_limit(request, {"username": person.username})
    ).first()
    return render(
        request,
        "org/user_detail.html",
        {
            "person": person,
            "grants": list(selectors.role_grant_list_visible_to(user=request.user, include_revoked=True).filter(user=person)),
            "pledges": list(selectors.pledge_list_visible_to(user=request.user).filter(user=person)),
            "positions": list(person.positions.select_related("agency", "department")),
            "recent": duties_record_of(user=person, limit=15),
            "can_manage": perms.can(request.user, perms.ORG_MANAGE, owner_agency),
            "can_reset": perms.can(
                request.user,
                perms.ADMIN_ACCOUNT_RESET if perms.is_administrator(person) else perms.ORG_MANAGE,
                owner_agency,
            ),
            "can_reset_2fa": perms.can(request.user, perms.TWO_FACTOR_RESET, owner_agency),
            "can_unlock": perms.can(request.user, perms.ACCOUNT_UNLOCK, owner_agency),
            "attempt": locked,
        },
    )


@never_cache
@login_required
def user_create(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = perms.access_agency(request.user, agency_pk)
    perms.require(request.user, perms.ORG_MANAGE, agency.pk)
    form = UserCreateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        result = call_service(form, lambda: services.user_create(actor=_me(request), agency=agency, **form.cleaned_data))
        if result:
            person, slip = result
            return render(request, "org/user_created.html", {"person": person, "slip": slip})
    return _form_page(
        request,
        form,
        title=f"开设账号：{agency.name}",
        back=reverse("org:agency_detail", args=[agency.pk]),
        note="账号开设后开具一次性激活码密封单（只印在打印件上，仅此一次），由本人自行设置密码；系统不向任何人显示密码。",
    )


@never_cache
@login_required
def external_user_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = perms.access_external_org(request.user, org_pk)
    perms.require(request.user, perms.ORG_MANAGE, org.registered_by_id)
    form = UserCreateForm(request.POST or None, agency=None)
    if request.method == "POST" and form.is_valid():
        result = call_service(form, lambda: services.user_create(actor=_me(request), external_org=org, **form.cleaned_data))
        if result:
            person, slip = result
            return render(request, "org/user_created.html", {"person": person, "slip": slip})
    return _form_page(
        request, form, title=f"开设外部人员账号：{org.name}", back=reverse("org:external_org_detail", args=[org.pk])
    )


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = perms.access_user(request.user, pk)
    owner = person.owner_agency_id
    perms.require(request.user, perms.ORG_MANAGE, owner)
    form = UserEditForm(request.POST or None, instance=User.objects.get(pk=person.pk), agency=person.agency)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.user_update(actor=_me(request), user=person, **form.cleaned_data)):
            messages.success(request, "账号信息已保存。")
            return redirect("org:user_detail", pk=person.pk)
    return _form_page(request, form, title=f"修改账号：{person.display_name}", back=reverse("org:user_detail", args=[person.pk]))


@never_cache
@login_required
@require_POST
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = perms.access_user(request.user, pk)
    try:
        slip = services.user_password_reset(actor=_me(request), user=person)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("org:user_detail", pk=person.pk)
    return render(request, "org/user_created.html", {"person": person, "slip": slip, "reset": True})


@never_cache
@login_required
@require_POST
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """安全管理员: remove a person's TOTP device and recovery codes (lost phone), with a reason."""
    person = perms.access_user(request.user, pk)
    try:
        services.two_factor_reset(actor=_me(request), user=person, reason=str(request.POST.get("reason", ""))[:200])
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"已重置 {person.display_name} 的双因素认证，本人下次登录须重新启用。")
    return redirect("org:user_detail", pk=person.pk)


# ---------------------------------------------------------------------------------------- security notices


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """My account-security notices (openings, reset codes, grants …); POST marks them read."""
    me = _me(request)
    if request.method == "POST":
        count = services.security_notice_read(actor=me)
        messages.success(request, f"已将 {count} 条账号安全提醒标记为已阅。")
        return redirect("org:notice_list")
    return render(request, "org/notice_list.html", {"page": _page(request, selectors.security_notices_of(user=me))})


# ---------------------------------------------------------------------------------------- external organisations


@login_required
def external_org_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in ExternalKind.values else ""
    text = request.GET.get("q", "").strip()[:50]
    if not perms.readable_agency_ids(request.user) and not _me(request).is_external:
        raise PermissionDenied("您没有查看外部单位的权限")
    page = _page(request, selectors.external_org_list_visible_to(user=request.user, kind=kind, text=text))
    me = _me(request)
    return render(
        request,
        "org/external_org_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": ExternalKind.choices,
            "q": text,
            "register_agencies": sorted(perms.agency_ids_where(me, perms.ORG_MANAGE)),
        },
    )


@login_required
def external_org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = perms.access_external_org(request.user, pk)
    return render(
        request,
        "org/external_org_detail.html",
        {
            "org": org,
            "people": list(perms.users_visible_to(request.user).filter(external_org=org)),
            "can_manage": perms.can(request.user, perms.ORG_MANAGE, org.registered_by_id),
        },
    )


@login_required
def external_org_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    agency_id = perms.acting_agency_id(me, perms.ORG_MANAGE)
    if agency_id is None:
        raise PermissionDenied("只有系统管理员可以登记外部单位")
    registered_by = Agency.objects.get(pk=agency_id)
    form = ExternalOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = call_service(form, lambda: services.external_org_create(actor=me, registered_by=registered_by, **form.cleaned_data))
        if org:
            messages.success(request, f"已登记外部单位“{org.name}”。")
            return redirect("org:external_org_detail", pk=org.pk)
    return _form_page(
        request, form, title="登记外部单位", back=reverse("org:external_org_list"), note=f"登记单位：{registered_by.name}"
    )


@login_required
def external_org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = perms.access_external_org(request.user, pk)
    perms.require(request.user, perms.ORG_MANAGE, org.registered_by_id)
    form = ExternalOrganizationForm(request.POST or None, instance=ExternalOrganization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.external_org_update(actor=_me(request), org=org, **form.cleaned_data)):
            messages.success(request, "外部单位已保存。")
            return redirect("org:external_org_detail", pk=org.pk)
    return _form_page(request, form, title=f"修改外部单位：{org.name}", back=reverse("org:external_org_detail", args=[org.pk]))


# ---------------------------------------------------------------------------------------- role grants


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    grantable = perms.agency_ids_where(me, perms.ROLE_GRANT)
    if not grantable:
        raise PermissionDenied("只有安全管理员可以管理角色授权")
    agency_id = _int(request.GET.get("agency"))
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    include_revoked = request.GET.get("revoked") == "1"
    grants = selectors.role_grant_list_visible_to(user=me, agency_id=agency_id, role=role, include_revoked=include_revoked)
    return render(
        request,
        "org/grant_list.html",
        {
            "page": _page(request, grants),
            "agencies": _agency_choices(request),
            "agency_id": agency_id,
            "role": role,
            "roles": Role.choices,
            "grantable": grantable,
            "revoked": include_revoked,
            "grant_agencies": list(Agency.objects.filter(id__in=grantable).order_by("path")),
        },
    )


@login_required
def grant_create(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = perms.access_agency(request.user, agency_pk)
    perms.require(request.user, perms.ROLE_GRANT, agency.pk)
    candidates = (
        perms.users_visible_to(request.user).filter(is_active=True, external_org__isnull=True).exclude(pk=_me(request).pk)
    )
    form = RoleGrantForm(request.POST or None, users=candidates.order_by("username"))
    if request.method == "POST" and form.is_valid():
        grant = call_service(
            form,
            lambda: services.role_grant(
                actor=_me(request),
                user=form.cleaned_data["user"],
                agency=agency,
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
            ),
        )
        if grant:
            messages.success(request, f"已授予 {grant.user.display_name}“{grant.get_role_display()}”。")
            return redirect(f"{reverse('org:grant_list')}?agency={agency.pk}")
    return _form_page(
        request,
        form,
        title=f"角色授权：{agency.name}",
        back=reverse("org:grant_list"),
        pretitle="系统管理",
        note="三员分立：系统管理员、安全管理员、安全审计员不得兼任，也不得承担业务角色；不能为自己授权。",
    )


@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = perms.access_role_grant(request.user, pk)
    perms.require(request.user, perms.ROLE_GRANT, grant.agency_id)
    form = RoleRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.role_revoke(actor=_me(request), grant=grant, reason=form.cleaned_data["reason"])):
            messages.success(request, "授权已撤销。")
            return redirect("org:grant_list")
    return _form_page(request, form, title=f"撤销授权：{grant}", back=reverse("org:grant_list"), pretitle="系统管理")


# ---------------------------------------------------------------------------------------- integrity pledges


@login_required
def pledge_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.is_external:
        raise PermissionDenied("外部单位人员不使用本页面")
    year = _int(request.GET.get("year")) or timezone.localdate().year
    agency_id = _int(request.GET.get("agency"))
    pledges = selectors.pledge_list_visible_to(user=me, year=year, agency_id=agency_id)
    missing = list(selectors.staff_without_pledge(user=me, year=year, agency_id=agency_id)[:200])
    return render(
        request,
        "org/pledge_list.html",
        {
            "page": _page(request, pledges),
            "missing": missing,
            "year": year,
            "agency_id": agency_id,
            "agencies": _agency_choices(request),
            "can_record": perms.can_anywhere(me, perms.PLEDGE_RECORD),
            "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)),
        },
    )


@login_required
def pledge_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.is_external:
        raise PermissionDenied("外部单位人员不使用本页面")
    recordable = perms.agency_ids_where(me, perms.PLEDGE_RECORD)
    users = (
        perms.users_visible_to(me).filter(agency_id__in=recordable, is_active=True).order_by("username") if recordable else None
    )
    form = PledgeForm(request.POST or None, request.FILES or None, users=users)
    if request.method == "POST" and form.is_valid():
        whom = form.cleaned_data.get("user") or me
        pledge = call_service(
            form,
            lambda: services.pledge_record(
                actor=me,
                user=whom,
                year=form.cleaned_data["year"],
                signed_on=form.cleaned_data["signed_on"],
                file=form.cleaned_data["file"],
            ),
        )
        if pledge:
            messages.success(request, f"已登记 {whom.display_name} {pledge.year}年度廉政承诺书。")
            return redirect("org:pledge_list")
    return _form_page(request, form, title="登记廉政承诺书", back=reverse("org:pledge_list"), multipart=True)


@login_required
def pledge_download(request: HttpRequest, pk: int) -> FileResponse:
    pledge: IntegrityPledge = perms.access_pledge(request.user, pk)
    return FileResponse(pledge.file.open("rb"), as_attachment=False, filename=(pledge.file.name or "pledge").rsplit("/", 1)[-1])


# ---------------------------------------------------------------------------------------- lockouts


@login_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    agencies = perms.agency_ids_where(me, perms.ACCOUNT_UNLOCK)
    if not agencies:
        raise PermissionDenied("只有安全管理员可以解锁账号")
    attempts = {a.username: a for a in AccessAttempt.objects.filter(failures_since_start__gte=lockout_failure_limit(request))}
    people = list(
        User.objects.filter(
            Q(agency_id__in=agencies) | Q(external_org__registered_by_id__in=agencies), username__in=list(attempts)
        ).select_related("agency", "department", "external_org")
    )
    rows = [(p, attempts[p.username]) for p in people]
    return render(request, "org/lockout_list.html", {"rows": rows})


@login_required
@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = perms.access_user(request.user, pk)
    services.account_unlock(actor=_me(request), user=person)
    messages.success(request, f"账号 {person.username} 已解锁。")
    return redirect("org:lockout_list")


# ---------------------------------------------------------------------------------------- rule parameters


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    """Every parameter with the value in force for the chosen agency today, grouped by category."""
    me = _me(request)
    if not perms.can_anywhere(me, perms.RULE_PARAMETER_VIEW):
        raise PermissionDenied("您没有查看规则参数的权限")
    agencies = _agency_choices(request)
    agency_id = _int(request.GET.get("agency")) or (me.agency_id if me.agency_id in {a.pk for a in agencies} else None)
    agency = next((a for a in agencies if a.pk == agency_id), None)
    today = timezone.localdate()
    rows = list(RuleParameter.objects.filter(effective_from__lte=today).exclude(effective_to__lt=today).select_related("agency"))
    by_key: dict[str, list[RuleParameter]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    categories: dict[str, list[Any]] = {}
    for base in sorted((r for r in rows if r.scope == RuleParameter.Scope.DEPLOYMENT), key=lambda r: (r.category, r.key)):
        current = rule_parameter_pick(by_key[base.key], agency) or base
        categories.setdefault(base.category, []).append((base, current))
    return render(
        request,
        "org/parameter_list.html",
        {
            "categories": categories,
            "agencies": agencies,
            "agency": agency,
            "can_edit": perms.can_anywhere(me, perms.RULE_PARAMETER_EDIT),
            "can_edit_security": perms.can_anywhere(me, perms.SECURITY_PARAMETER_EDIT),
        },
    )


@login_required
def parameter_edit(request: HttpRequest, key: str) -> HttpResponse:
    me = _me(request)
    action, owner = services.parameter_edit_action(key)
    editable = perms.agency_ids_where(me, action)
    if not editable:
        raise PermissionDenied(f"只有{owner}可以修改该项参数")
    try:
        parameter = rule_parameter_effective(key)
    except DomainError:
        raise Http404("没有这个规则参数") from None
    top = Agency.objects.filter(id__in=editable, parent__isnull=True).exists()
    form = RuleParameterForm(
        request.POST or None,
        parameter=parameter,
        agencies=Agency.objects.filter(id__in=editable).order_by("path"),
        allow_deployment=top,
    )
    if request.method == "POST" and form.is_valid():
        row = call_service(
            form,
            lambda: services.rule_parameter_set(
                actor=me,
                key=key,
                value=str(form.cleaned_data["value"]),
                effective_from=form.cleaned_data["effective_from"],
                agency=form.cleaned_data.get("agency"),
                reason=form.cleaned_data["reason"],
            ),
        )
        if row:
            messages.success(request, f"规则参数“{row.name}”已调整为 {row.display_value}。")
            return redirect("org:parameter_list")
    history = list(
        RuleParameter.objects.filter(key=key).select_related("agency").order_by("scope", "agency__path", "-effective_from")
    )
    return render(
        request,
        "org/parameter_edit.html",
        {"form": form, "parameter": parameter, "history": history},
        status=400 if form.is_bound and form.errors else 200,
    )
