"""投诉举报 for the public, without signing in: the form at ``/jubao/`` (pick the agency, then the project from its
public list or type it; named or anonymous; attachments; the offline CAPTCHA), the page that shows the tracking
code and the query password once, and ``/jubao/query/`` where the reporter follows progress and reads the
published reply. Both the form and the query are limited per source and hour."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govworks.core.forms import LimitedForm
from govworks.core.middleware import client_ip
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.core.service_forms import call_service
from govworks.integrity import rules_complaints as rules
from govworks.integrity.models import complaints as m
from govworks.integrity.selectors import complaints as sel
from govworks.integrity.services import complaints as services
from govworks.portal import captcha

#: the reporter's query: at most this many tries per source and hour (guessing codes and passwords is futile)
QUERY_RULE = "complaint.query_hourly_limit_per_source"
CAPTCHA_MESSAGE = "验证码不正确或已过期：请按图片重新输入（验证码 10 分钟内有效，只能使用一次）"


class ComplaintForm(LimitedForm):
    project = forms.TypedChoiceField(label="涉及项目", required=False, coerce=int, empty_value=None)
    project_text = forms.CharField(label="涉及项目（列表中没有时填写）", max_length=m.PROJECT_TEXT_MAX, required=False)
    subject = forms.CharField(label="举报主题", max_length=m.SUBJECT_MAX)
    content = forms.CharField(label="举报内容", max_length=m.CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    mode = forms.ChoiceField(label="举报方式", choices=[("anonymous", "匿名举报"), ("named", "实名举报")], initial="anonymous")
    name = forms.CharField(label="姓名", max_length=m.NAME_MAX, required=False)
    phone = forms.CharField(label="联系电话", max_length=m.PHONE_MAX, required=False)
    contact = forms.CharField(label="身份证号或电子邮箱", max_length=m.CONTACT_MAX, required=False)
    captcha = forms.CharField(label="验证码", max_length=10)

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.ChoiceField)
        project.choices = [("", "（不选，或在下方填写）")] + [(p.pk, f"{p.code} {p.name}") for p in projects]
        self.fields["attachments"] = forms.CharField(label="附件", required=False)  # the files come from request.FILES


class QueryForm(LimitedForm):
    code = forms.CharField(label="查询码", max_length=32)
    password = forms.CharField(label="查询密码", max_length=32, widget=forms.PasswordInput)


def _agency(request: HttpRequest) -> Any:
    raw = request.POST.get("agency") if request.method == "POST" else request.GET.get("agency")
    try:
        return sel.public_agencies().filter(pk=int(raw or "")).first()
    except ValueError:
        return None


def _form_page(request: HttpRequest, agency: Any, form: ComplaintForm | None, *, status: int = 200) -> HttpResponse:
    projects = list(sel.public_projects(agency.pk)) if agency else []
    return render(
        request,
        "portal/complaints/form.html",
        {
            "agencies": sel.public_agencies(),
            "agency": agency,
            "form": form or ComplaintForm(projects=projects),
            "limits": {
                "attachments": services.MAX_ATTACHMENTS,
                "attachment_mb": services.MAX_ATTACHMENT_BYTES // 1048576,
                "types": "、".join(t.lstrip(".").upper() for t in services.ATTACHMENT_TYPES),
                "hourly": services.hourly_limit(),
                # the agency's own deadlines when it set them (the service computes the dates with the same)
                "accept_days": rule_value(services.ACCEPT_RULE, agency=agency),
                "reply_days": rule_value(services.REPLY_RULE, agency=agency),
            },
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    """GET: choose the agency, then the form. POST: check the CAPTCHA (used up either way), then file the
    complaint; a refusal re-renders the form with the reason on its field and stores nothing."""
    agency = _agency(request)
    if request.method != "POST":
        return _form_page(request, agency, None)
    projects = list(sel.public_projects(agency.pk)) if agency else []
    form = ComplaintForm(request.POST, projects=projects)
    passed = captcha.check(request.session, request.POST.get("captcha", ""))
    if agency is None:
        return _form_page(request, None, None, status=400)
    if not form.is_valid():
        return _form_page(request, agency, form, status=400)
    if not passed:
        form.add_error("captcha", CAPTCHA_MESSAGE)
        return _form_page(request, agency, form, status=400)
    data = form.cleaned_data
    project = next((p for p in projects if p.pk == data["project"]), None)
    done = call_service(
        form,
        lambda: services.complaint_submit(
            agency=agency,
            project=project,
            project_text=data["project_text"],
            subject=data["subject"],
            content=data["content"],
            anonymous=data["mode"] != "named",
            name=data["name"],
            phone=data["phone"],
            contact=data["contact"],
            files=request.FILES.getlist("attachments"),
            source_ip=client_ip(request),
        ),
    )
    if done is None:
        return _form_page(request, agency, form, status=400)
    response = render(
        request,
        "portal/complaints/submitted.html",
        {"code": done.tracking_code, "password": done.query_password, "complaint": done.complaint},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def captcha_image(request: HttpRequest) -> HttpResponse:
    """A new challenge for this session, as a PNG (the previous one is replaced)."""
    response = HttpResponse(captcha.render_png(captcha.new_challenge(request.session)), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


def _query_allowed(request: HttpRequest, limit: int) -> bool:
    key = "portal.jubao.query." + (services.source_digest(client_ip(request)) or "unknown")
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= limit


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_query(request: HttpRequest) -> HttpResponse:
    """Code + password → progress and the published answer. A wrong code and a wrong password get the same
    message, so nobody can tell which codes exist."""
    form = QueryForm(request.POST or None)
    complaint = None
    status = 200
    if request.method == "POST" and form.is_valid():
        limit = int(rule_value(QUERY_RULE))
        if not _query_allowed(request, limit):
            form.add_error(None, f"查询过于频繁：按规则“{rule_name(QUERY_RULE)}”，同一来源每小时最多查询 {limit} 次，请稍后再试")
            status = 429
        else:
            complaint = sel.reporter_query(form.cleaned_data["code"], form.cleaned_data["password"])
            if complaint is None:
                form.add_error(None, "查询码或查询密码不正确")
                status = 400
    elif request.method == "POST":
        status = 400
    response = render(
        request,
        "portal/complaints/query.html",
        {"form": form, "c": complaint, "answered": complaint is not None and complaint.status in rules.ANSWERED},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
