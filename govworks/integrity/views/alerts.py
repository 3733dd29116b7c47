"""Risk centre pages (风险预警中心): the alert list (filters, weekly trend, Excel export as a background job),
an alert's page (facts, the rule as effective for its agency, the object link, history) and its actions
(已阅, 排除 with a reason, 立案 — a link to the case-open page of the cases area). A refusal answers 400 with
the reason and changes nothing; an alert the reader may not see answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.exports import export_job_request
from govworks.core.forms import LimitedForm
from govworks.core.pages import page_links, paginate, signed_in_user
from govworks.core.risk import SEVERITY_LABELS, SEVERITY_ORDER
from govworks.integrity import permissions_alerts as perms
from govworks.integrity.models import RiskAlert
from govworks.integrity.selectors import alerts as selectors
from govworks.integrity.services import alerts as services
from govworks.org.models import Agency

PRETITLE = "廉政监督"
EXPORT_KIND = "integrity.alerts"


class ExcludeForm(LimitedForm):
    reason = forms.CharField(
        label="排除理由",
        min_length=services.REASON_MIN,
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"排除理由：必填（至少{services.REASON_MIN}个字）",
            "min_length": f"排除理由：至少{services.REASON_MIN}个字",
            "max_length": f"排除理由：不能超过{services.REASON_MAX}个字",
        },
    )


def _reader(request: HttpRequest) -> Any:
    me = signed_in_user(request)
    if not perms.may_read_alerts(me):
        raise PermissionDenied("只有纪检监察和内审人员可以查看风险预警")
    return me


def case_open_url(alert: RiskAlert) -> str:
    """立案 link: the case-open page of the cases area, with the alert as the case's source."""
    return f"{reverse('integrity:case_open')}?source=alert&id={alert.pk}"


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """风险预警: every alert of the reader's agencies, filtered, paginated; the weekly trend above."""
    me = _reader(request)
    filters = selectors.alert_filters_from(request.GET)
    page = paginate(request, selectors.alerts_for(me, filters))
    agencies = Agency.objects.filter(pk__in=perms.alert_agency_ids(me)).order_by("path")
    labels = dict(selectors.kind_choices())
    rows = [(a, labels.get(a.kind, a.kind)) for a in page]
    return render(
        request,
        "integrity/alerts/list.html",
        {
            "page": page,
            "rows": rows,
            "links": page_links(page),
            "filters": filters,
            "params": filters.as_params(),
            "agencies": agencies,
            "kinds": selectors.kind_choices(),
            "severities": sorted(SEVERITY_LABELS.items(), key=lambda s: SEVERITY_ORDER[s[0]]),
            "statuses": RiskAlert.Status.choices,
            "chart": selectors.alert_trend(me, filters),
            "pretitle": PRETITLE,
        },
    )


@login_required
@require_POST
def alert_export(request: HttpRequest) -> HttpResponse:
    """导出Excel: the list with the page's filters, as a background export job."""
    me = _reader(request)
    params = selectors.alert_filters_from(request.POST).as_params()
    try:
        job = export_job_request(actor=me, kind=EXPORT_KIND, params=params)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    return redirect("core:export_detail", pk=job.pk)


def _detail(
    request: HttpRequest, me: Any, alert: RiskAlert, *, form: Any = None, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "integrity/alerts/detail.html",
        {
            "alert": alert,
            "kind_label": selectors.kind_label(alert.kind),
            "rule": selectors.alert_rule(alert),
            "history": selectors.alert_history(alert),
            "may_handle": perms.may_handle_alert(me, alert),
            "exclude_form": form or ExcludeForm(),
            "case_url": case_open_url(alert),
            "error": error,
            "pretitle": PRETITLE,
        },
        status=status,
    )


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _reader(request)
    return _detail(request, me, perms.access_alert(me, pk))


@login_required
@require_POST
def alert_read(request: HttpRequest, pk: int) -> HttpResponse:
    """已阅."""
    me = _reader(request)
    alert = perms.access_alert(me, pk)
    try:
        services.alert_mark_read(actor=me, alert_id=alert.pk)
    except DomainError as err:
        return _detail(request, me, alert, error=err.message, status=400)
    messages.success(request, "已标记为已阅")
    return redirect("integrity:alert_detail", pk=alert.pk)


@login_required
@require_POST
def alert_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    """排除 with a reason."""
    me = _reader(request)
    alert = perms.access_alert(me, pk)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        return _detail(request, me, alert, form=form, status=400)
    try:
        services.alert_exclude(actor=me, alert_id=alert.pk, reason=form.cleaned_data["reason"])
    except DomainError as err:
        return _detail(request, me, alert, form=form, error=err.message, status=400)
    messages.success(request, "预警已排除")
    return redirect("integrity:alert_detail", pk=alert.pk)
