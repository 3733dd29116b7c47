"""招标 pages: one tender with its dates, the bids (amounts shown as 密封 before the opening time, for
everybody), the opening record, the evaluation panel with its replay check, the scores, the ranking with
its breakdown, the publicity and the award notice; the forms of each step; and the bids as JSON. Amounts
are read only through ``selectors.tenders.bid_amount``. Refusals re-render the form with 400."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.money import amount_in_words
from govworks.core.pages import form_page, signed_in_user
from govworks.core.pdf import html_to_pdf
from govworks.core.service_forms import call_service
from govworks.org.models import User
from govworks.procurement import permissions as perms
from govworks.procurement.criteria_field import CriteriaField
from govworks.procurement.models import Bid, EvaluationMethod, ProcurementLot, Supplier, Tender
from govworks.procurement.selectors import tenders as selectors
from govworks.procurement.services import tenders as services
from govworks.projects.models import Expert, Speciality
from govworks.projects.permissions import access_project

PRETITLE = "招标采购 · 招标"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DEFAULT_CRITERIA = [
    {"code": "price", "name": "价格", "weight": 30, "kind": "price"},
    {"code": "tech", "name": "技术方案", "weight": 50, "kind": "technical"},
    {"code": "biz", "name": "商务", "weight": 20, "kind": "commercial"},
]


class TenderForm(LimitedForm):
    lot = forms.ModelChoiceField(label="标段（公开/邀请招标）", queryset=ProcurementLot.objects.none())
    announced_on = forms.DateField(label="公告日期", widget=DATE)
    documents_issued_on = forms.DateField(label="招标文件发出日期", widget=DATE)
    bid_deadline = forms.DateTimeField(label="投标截止时间", widget=DATETIME)
    opening_at = forms.DateTimeField(label="开标时间", widget=DATETIME)
    evaluation_method = forms.ChoiceField(label="评标方法", choices=EvaluationMethod.choices)
    speciality = forms.ChoiceField(label="评标专家专业", choices=Speciality.choices)
    criteria = CriteriaField(
        label="评分因素（综合评分法）",
        initial={"rows": DEFAULT_CRITERIA},
        help_text="每行一个因素：名称、权重、类别；权重合计100分，价格因素有且仅有一个。最低评标价法不填。空行不计。",
    )

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = ProcurementLot.objects.filter(  # type: ignore[attr-defined]
            project=project, method__in=selectors.TENDER_METHODS, tender__isnull=True
        )


class BidForm(LimitedForm):
    supplier = forms.ModelChoiceField(label="投标人", queryset=Supplier.objects.order_by("name"))
    amount = forms.DecimalField(label="投标报价（元）", max_digits=16, decimal_places=2)
    bond_amount = forms.DecimalField(label="投标保证金（元）", max_digits=16, decimal_places=2, initial=0)


class OpenForm(LimitedForm):
    witnesses = forms.CharField(label="监督/见证人员", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    record_file = forms.FileField(label="开标记录", required=False)


class PanelForm(LimitedForm):
    panel_size = forms.IntegerField(label="评标委员会人数", min_value=1, initial=5)


class PanelRedrawForm(LimitedForm):
    reason = forms.CharField(
        label="重新抽取理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：抽中专家因病不能到场、抽取后发现专家与投标人存在利害关系。原抽取结果保留，与重新抽取的结果并列显示。",
    )


class ScoreForm(LimitedForm):
    evaluator = forms.ModelChoiceField(label="评委", queryset=Expert.objects.none())
    bid = forms.ModelChoiceField(label="投标", queryset=Bid.objects.none())
    criterion = forms.ChoiceField(label="评分因素")
    score = forms.DecimalField(label="得分", max_digits=7, decimal_places=2)

    def __init__(self, *args: Any, tender: Tender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        panel = selectors.current_panel(tender)
        self.fields["evaluator"].queryset = Expert.objects.filter(pk__in=panel.panel if panel else [])  # type: ignore[attr-defined]
        self.fields["bid"].queryset = Bid.objects.filter(tender=tender).select_related("supplier")  # type: ignore[attr-defined]
        self.fields["bid"].label_from_instance = lambda b: b.supplier.name  # type: ignore[attr-defined]
        self.fields["criterion"].choices = [(c["code"], c["name"]) for c in tender.criteria if c.get("kind") != "price"]  # type: ignore[attr-defined]


class PublicityForm(LimitedForm):
    start = forms.DateField(label="公示开始", widget=DATE)
    end = forms.DateField(label="公示结束", widget=DATE)


class AwardForm(LimitedForm):
    notice_issued_on = forms.DateField(label="中标通知书发出日期", widget=DATE, initial=timezone.localdate)


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _keeper(user: User, project: Any) -> None:
    if not perms.may_manage_tenders(user, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以办理招标")


def _url(tender: Tender) -> str:
    return reverse("procurement:tender_detail", args=[tender.pk])


@login_required
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    tender = perms.access_tender(me, pk)
    panels = selectors.tender_panels(tender)
    current = next((row for row in panels if row.panel.is_current), None)
    sealed = selectors.is_sealed(tender)
    bids = selectors.bid_rows(tender, viewer=me)
    context = {
        "t": tender,
        "project": tender.lot.project,
        "sealed": sealed,
        "bids": bids,
        "opening": getattr(tender, "opening", None) if hasattr(tender, "opening") else None,
        "panel": current.panel if current else None,
        "panel_experts": current.experts if current else [],
        "replay_ok": current.replay_ok if current else None,
        "panels": panels,
        "scores": selectors.tender_scores(tender),
        "ranking": [] if sealed else tender.ranking,
        "award": selectors.tender_award(tender),
        # signals name bidders: before opening only to whoever recorded every bid (and so knows the names)
        "signals": selectors.tender_integrity_signals(tender) if not any(b.name_sealed for b in bids) else [],
        "can_manage": perms.may_manage_tenders(me, tender.lot.project),
        "pretitle": PRETITLE,
    }
    return render(request, "procurement/tenders/detail.html", context)


@login_required
def award_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The 中标通知书 as a printable A4 PDF, once it has been issued (404 before)."""
    me = _me(request)
    tender = perms.access_tender(me, pk)
    award = selectors.tender_award(tender)
    if award is None or not award.number:
        raise Http404("中标通知书尚未发出")
    notice = selectors.award_notice_facts(tender, award)
    html = render_to_string(
        "procurement/tenders/award_notice_pdf.html",
        {
            "t": tender,
            "project": tender.lot.project,
            "award": award,
            "n": notice,
            "amount_words": amount_in_words(notice.amount),
            "printed_at": timezone.localtime(),
            "printed_by": me,
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="award-{award.number}.pdf"'
    return response


@login_required
def opening_record_download(request: HttpRequest, pk: int) -> FileResponse:
    """The scanned opening record of a tender, to whoever may read the tender."""
    me = _me(request)
    tender = perms.access_tender(me, pk)
    opening = getattr(tender, "opening", None) if hasattr(tender, "opening") else None
    if opening is None or not opening.record_file:
        raise Http404("开标记录不存在")
    return FileResponse(
        opening.record_file.open("rb"), as_attachment=True, filename=(opening.record_file.name or "opening").rsplit("/", 1)[-1]
    )


@login_required
def tender_bids_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The bids as JSON; ``amount`` is null while sealed, and ``supplier`` is 投标人①… (``name_sealed`` true)
    for everybody but the recorder of that bid."""
    me = _me(request)
    tender = perms.access_tender(me, pk)
    rows = selectors.bid_rows(tender, viewer=me)
    return JsonResponse(
        {
            "tender": tender.number,
            "sealed": selectors.is_sealed(tender),
            "bids": [
                {
                    "supplier": r.supplier,
                    "name_sealed": r.name_sealed,
                    "submitted_at": r.submitted_at.isoformat(),
                    "amount": None if r.amount is None else str(r.amount),
                    "bond_amount": str(r.bond_amount),
                }
                for r in rows
            ],
        }
    )


@login_required
def tender_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    me = _me(request)
    project = access_project(me, project_pk)
    _keeper(me, project)
    form = TenderForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        tender = call_service(form, lambda: services.tender_announce(actor=me, **form.cleaned_data))
        if tender:
            messages.success(request, f"{tender}已登记。")
            return redirect(_url(tender))
    return form_page(
        request,
        form,
        title=f"登记招标：{project.name}",
        back=reverse("projects:project_detail", args=[project.pk]),
        pretitle=PRETITLE,
        note="招标文件发出至投标截止不少于20日；投标保证金不超过估算价2%；中标候选人公示不少于3日。",
    )


def _step(request: HttpRequest, pk: int, form_cls: Any, title: str, call: Any, done: str, **form_kw: Any) -> HttpResponse:
    me = _me(request)
    tender = perms.access_tender(me, pk)
    _keeper(me, tender.lot.project)
    kw = {"tender": tender} if form_kw.get("with_tender") else {}
    form = form_cls(request.POST or None, request.FILES or None, **kw)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(me, tender, form.cleaned_data)) is not None:
            messages.success(request, done)
            return redirect(_url(tender))
    return form_page(request, form, title=f"{title}：{tender.number}", back=_url(tender), pretitle=PRETITLE, multipart=True)


@login_required
def bid_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        BidForm,
        "登记投标",
        lambda me, t, d: services.bid_record(actor=me, tender=t, **d),
        "投标已登记，报价密封至开标。",
    )


@login_required
def tender_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, OpenForm, "开标", lambda me, t, d: services.tender_open(actor=me, tender=t, **d), "已开标。")


@login_required
def panel_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        PanelForm,
        "抽取评标委员会",
        lambda me, t, d: services.panel_draw(actor=me, tender=t, **d),
        "评标委员会已抽取。",
    )


@login_required
def panel_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        PanelRedrawForm,
        "重新抽取评标委员会",
        lambda me, t, d: services.panel_redraw(actor=me, tender=t, **d),
        "评标委员会已重新抽取，原抽取结果保留备查。",
    )


@login_required
def score_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        ScoreForm,
        "录入评分",
        lambda me, t, d: services.score_record(actor=me, tender=t, **d),
        "评分已录入。",
        with_tender=True,
    )


@login_required
def publicity_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        PublicityForm,
        "公示中标候选人",
        lambda me, t, d: services.publicity_start(actor=me, tender=t, **d),
        "已开始公示。",
    )


@login_required
def award_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, AwardForm, "发出中标通知书", lambda me, t, d: services.award(actor=me, tender=t, **d), "中标通知书已发出。"
    )


@login_required
@require_POST
def tender_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    tender = perms.access_tender(me, pk)
    _keeper(me, tender.lot.project)
    try:
        services.evaluate(actor=me, tender=tender)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(_url(tender))
    messages.success(request, "评标完成，排序已保存。")
    return redirect(_url(tender))


urlpatterns = [
    path("projects/<int:project_pk>/tenders/new/", tender_create, name="tender_create"),
    path("tenders/<int:pk>/", tender_detail, name="tender_detail"),
    path("tenders/<int:pk>/bids.json", tender_bids_json, name="tender_bids_json"),
    path("tenders/<int:pk>/bids/new/", bid_create, name="bid_create"),
    path("tenders/<int:pk>/open/", tender_open, name="tender_open"),
    path("tenders/<int:pk>/panel/", panel_draw, name="tender_panel_draw"),
    path("tenders/<int:pk>/panel/redraw/", panel_redraw, name="tender_panel_redraw"),
    path("tenders/<int:pk>/scores/new/", score_create, name="tender_score_create"),
    path("tenders/<int:pk>/evaluate/", tender_evaluate, name="tender_evaluate"),
    path("tenders/<int:pk>/publicity/", publicity_create, name="tender_publicity"),
    path("tenders/<int:pk>/award/", award_create, name="tender_award"),
    path("tenders/<int:pk>/award-notice.pdf", award_notice_pdf, name="award_notice_pdf"),
    path("tenders/<int:pk>/opening-record/", opening_record_download, name="opening_record"),
]
