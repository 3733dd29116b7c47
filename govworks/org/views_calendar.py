"""The working-day calendar page (工作日历): the 法定节假日 and 调休上班 days of a year, added and removed by
a top agency's 系统管理员 through ``services.working_day_add`` / ``working_day_remove``. Only 系统管理员
see the page (the calendar is the platform's, the same for every agency)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.forms import LimitedForm
from govworks.core.models import WorkingCalendarDay
from govworks.core.pages import query_int, signed_in_user
from govworks.core.service_forms import call_service
from govworks.core.workdays import calendar_years_missing
from govworks.org import permissions as perms
from govworks.org import services
from govworks.org.models import Agency, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEEKDAYS = "一二三四五六日"


class WorkingDayForm(LimitedForm):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    kind = forms.ChoiceField(label="类型", choices=WorkingCalendarDay.Kind.choices)
    name = forms.CharField(label="名称", max_length=40, help_text="如：国庆节、国庆节调休上班")
    reason = forms.CharField(label="依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")


class RemoveForm(LimitedForm):
    reason = forms.CharField(label="删除原因", max_length=200)


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _require_sysadmin(user: User) -> bool:
    """Only 系统管理员 see the calendar; returns whether they may change it (a top agency's)."""
    agencies = perms.agency_ids_where(user, perms.CALENDAR_EDIT)
    if not agencies:
        raise PermissionDenied("只有系统管理员可以查看和维护工作日历")
    return Agency.objects.filter(parent__isnull=True, id__in=agencies).exists()


@login_required
def working_calendar(request: HttpRequest) -> HttpResponse:
    """The calendar of a year (?year=, default this year), with the add form for a top agency's 系统管理员."""
    me = _me(request)
    can_edit = _require_sysadmin(me)
    today = timezone.localdate()
    year = query_int(request.GET.get("year") or request.POST.get("year")) or today.year
    if not 2000 <= year <= 2100:
        raise Http404("年份超出范围")
    form = WorkingDayForm(request.POST or None, initial={"date": dt.date(year, 1, 1) if year != today.year else today})
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有顶级单位的系统管理员可以维护工作日历（全平台通用）")
        if form.is_valid():
            data = form.cleaned_data
            row = call_service(
                form,
                lambda: services.working_day_add(
                    actor=me, day=data["date"], kind=data["kind"], name=data["name"], reason=data["reason"]
                ),
            )
            if row is not None:
                messages.success(request, f"已登记 {row.date:%Y-%m-%d} 为{row.get_kind_display()}（{row.name}）。")
                return redirect(f"{reverse('org:working_calendar')}?year={row.date.year}")
        status = 400
    days = list(WorkingCalendarDay.objects.filter(date__year=year).order_by("date"))
    rows: list[dict[str, Any]] = [{"day": d, "weekday": WEEKDAYS[d.date.weekday()]} for d in days]
    return render(
        request,
        "org/working_calendar.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "rows": rows,
            "holidays": sum(1 for d in days if d.kind == WorkingCalendarDay.Kind.HOLIDAY),
            "workdays": sum(1 for d in days if d.kind == WorkingCalendarDay.Kind.WORKDAY),
            "missing": calendar_years_missing([year, year + 1]),
            "form": form if can_edit else None,
            "remove_form": RemoveForm(auto_id="remove_%s"),
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_POST
def working_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    _require_sysadmin(me)
    row = WorkingCalendarDay.objects.filter(pk=pk).first()
    if row is None:
        raise Http404("工作日历中没有这一天")
    back = f"{reverse('org:working_calendar')}?year={row.date.year}"
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写删除原因")
        return redirect(back)
    services.working_day_remove(actor=me, day=row, reason=form.cleaned_data["reason"])
    messages.success(request, f"已删除 {row.date:%Y-%m-%d} 的{row.get_kind_display()}（{row.name}）。")
    return redirect(back)
