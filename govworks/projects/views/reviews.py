"""专家论证 and 联审 pages: the shared expert pool, the reproducible random draw and its check, the
experts' scores and opinions, and the parallel opinions of the departments with the consolidated
conclusion. Each view parses input, calls one service or selector and renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm, LimitedModelForm
from govworks.core.pages import form_page, paginate, signed_in_user
from govworks.core.rule_seed import rule_name
from govworks.core.service_forms import call_service
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, ExternalOrganization, User
from govworks.projects import permissions as perms
from govworks.projects.models import Expert, ExpertReview, JointReview, JointReviewSeat, Project, Speciality, Stage
from govworks.projects.selectors import reviews as selectors
from govworks.projects.services import reviews as services
from govworks.projects.services.common import param
from govworks.projects.services.expert_draws import employer_directory

PRETITLE = "专家论证与联审"
MAX_SEATS = 6
MIN_SEATS = 2
#: suggestions for the 部门名称 field (a datalist; any name may be typed)
UNIT_SUGGESTIONS = [
    "财政局",
    "审计局",
    "纪检监察组",
    "住房和城乡建设局",
    "发展和改革委员会",
    "自然资源和规划局",
    "应急管理局",
    "消防救援支队",
]


def _me(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert isinstance(user, User)
    return user


def _stage_label(stage: str) -> str:
    return Stage(stage).label if stage in Stage.values else stage


# ------------------------------------------------------------------------------------------ forms


class ExpertForm(LimitedModelForm):
    """专家入库. The 工作单位 is picked from the supplier register (name and credit code filled in) or typed
    with its credit code when known: the draw matches both against every party of the project."""

    employer_pick = forms.ChoiceField(
        label="从供应商库选择工作单位",
        required=False,
        help_text="专家在某供应商（施工、监理、设计、造价咨询等企业）工作时选择，单位名称和统一社会信用代码自动填入",
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "speciality",
            "title",
            "employer_pick",
            "employer",
            "employer_credit_code",
            "employer_agency",
            "employer_org",
            "conflict_agencies",
            "conflict_orgs",
            "phone",
        ]
        help_texts = {
            "employer": "未从供应商库选择时填写全称；抽取时按名称（忽略空格、括号等）与项目的投标人、合同相对人、施工和监理单位比对",
            "employer_agency": "专家本人在机关单位工作时选择；该单位的项目抽取时自动回避",
            "employer_org": "专家本人在企业工作时选择；该企业参建的项目抽取时自动回避",
            "conflict_agencies": "与专家存在利害关系、须回避的机关单位（可多选）",
            "conflict_orgs": "与专家存在利害关系、须回避的企业（可多选）",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("path")
        orgs = ExternalOrganization.objects.filter(is_active=True).order_by("name")
        self.fields["employer_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["conflict_agencies"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["employer_org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["conflict_orgs"].queryset = orgs  # type: ignore[attr-defined]
        self.directory = {code: name for name, code in employer_directory()}
        self.fields["employer_pick"].choices = [  # type: ignore[attr-defined]
            ("", "—— 不从供应商库选择 ——"),
            *((code, f"{name}（{code}）") for code, name in self.directory.items()),
        ]
        self.fields["employer"].required = False
        for name in ("conflict_agencies", "conflict_orgs"):
            self.fields[name].widget.attrs["size"] = 6

    def clean_employer_credit_code(self) -> str:
        return str(self.cleaned_data.get("employer_credit_code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = data.pop("employer_pick", "")
        if picked:
            data["employer"], data["employer_credit_code"] = self.directory[picked], picked
            self.errors.pop("employer_credit_code", None)
        elif not (data.get("employer") or "").strip():
            self.add_error("employer", "请从供应商库选择工作单位，或填写工作单位全称")
        if data.get("employer_agency") and data.get("employer_org"):
            self.add_error("employer_org", "所在机关和所在企业只能选择其一")
        return data


class ExpertDrawForm(LimitedForm):
    subject = forms.CharField(label="论证事项", max_length=120, help_text="如：可行性研究报告论证、初步设计方案论证")
    speciality = forms.ChoiceField(label="专业", choices=[("", "请选择专业"), *Speciality.choices])
    panel_size = forms.IntegerField(label="抽取人数", min_value=1, max_value=50)


class ExpertRedrawForm(LimitedForm):
    reason = forms.CharField(
        label="重新抽取理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：抽中专家因病不能到场、抽取后发现专家与项目参建单位存在利害关系。原抽取结果保留，与重新抽取的结果并列显示。",
    )


class ExpertOpinionForm(LimitedForm):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.IntegerField(label="评分（0–100）", widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}))
    opinion = forms.CharField(label="书面意见", widget=forms.Textarea(attrs={"rows": 3}))


class ExpertConcludeForm(LimitedForm):
    conclusion = forms.ChoiceField(
        label="论证结论", choices=ExpertReview.Conclusion.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    note = forms.CharField(
        label="论证意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="综合专家意见写明结论依据；修改后通过的须列明修改要求",
    )


class ReviewerField(forms.ModelChoiceField):
    """经办人: shown as “姓名（单位简称）” so namesakes of different agencies can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        agency = (obj.agency.short_name or obj.agency.name) if obj.agency else ""
        return f"{obj.display_name}（{agency}）" if agency else str(obj.display_name)


class JointReviewForm(LimitedForm):
    """Stage, subject, due date and 2–6 rows of (部门名称, 经办人)."""

    stage = forms.ChoiceField(label="阶段", choices=Stage.choices, widget=forms.Select(attrs={"class": "form-select"}))
    subject = forms.CharField(
        label="联审事项",
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：立项联审、初步设计概算联审"}),
    )
    due_on = forms.DateField(
        label="意见反馈期限", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_SEATS + 1):
            required = i <= MIN_SEATS
            self.fields[f"unit_{i}"] = forms.CharField(
                label=f"部门名称 {i}",
                max_length=60,
                required=required,
                widget=forms.TextInput(
                    attrs={"list": "gw-units", "class": "form-control form-control-sm", "aria-label": f"部门名称 {i}"}
                ),
            )
            self.fields[f"reviewer_{i}"] = ReviewerField(
                label=f"经办人 {i}",
                queryset=reviewers,
                required=required,
                empty_label="请选择经办人",
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": f"经办人 {i}"}),
            )

    def head_fields(self) -> list[Any]:
        return [self["stage"], self["subject"], self["due_on"]]

    def rows(self) -> list[tuple[int, Any, Any]]:
        return [(i, self[f"unit_{i}"], self[f"reviewer_{i}"]) for i in range(1, MAX_SEATS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(MIN_SEATS + 1, MAX_SEATS + 1):
            unit, reviewer = (data.get(f"unit_{i}") or "").strip(), data.get(f"reviewer_{i}")
            if unit and not reviewer and f"reviewer_{i}" not in self.errors:
                self.add_error(f"reviewer_{i}", "请选择该部门的经办人")
            if reviewer and not unit:
                self.add_error(f"unit_{i}", "请填写部门名称")
        return data

    def seats(self) -> list[tuple[str, User]]:
        data = self.cleaned_data
        return [
            (data[f"unit_{i}"].strip(), data[f"reviewer_{i}"])
            for i in range(1, MAX_SEATS + 1)
            if (data.get(f"unit_{i}") or "").strip() and data.get(f"reviewer_{i}")
        ]


class JointOpinionForm(LimitedForm):
    opinion = forms.ChoiceField(
        label="意见", choices=JointReviewSeat.Opinion.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    comment = forms.CharField(
        label="意见内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="有条件同意须写明条件，不同意须写明理由",
    )


# ------------------------------------------------------------------------------------------ expert pool


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.is_external or not org_perms.business_readable_agency_ids(me):
        raise PermissionDenied("专家库仅供机关工作人员查看")
    speciality = request.GET.get("speciality", "")
    speciality = speciality if speciality in Speciality.values else ""
    text = request.GET.get("q", "").strip()[:50]
    page = paginate(request, selectors.expert_list_visible_to(user=me, speciality=speciality, text=text))
    return render(
        request,
        "projects/reviews/expert_list.html",
        {
            "page": page,
            "speciality": speciality,
            "specialities": Speciality.choices,
            "q": text,
            "can_manage": org_perms.can_anywhere(me, perms.EXPERT_POOL_MANAGE),
        },
    )


@login_required
def expert_create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if not org_perms.can_anywhere(me, perms.EXPERT_POOL_MANAGE):
        raise PermissionDenied("您没有管理专家库的权限")
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = call_service(form, lambda: services.expert_create(actor=me, **form.cleaned_data))
        if expert:
            messages.success(request, f"专家“{expert.name}”已入库。")
            return redirect(f"{reverse('projects:expert_list')}?speciality={expert.speciality}")
    return form_page(
        request,
        form,
        title="专家入库",
        back=reverse("projects:expert_list"),
        pretitle=PRETITLE,
        note=(
            "专家库全平台共享。请如实登记工作单位（可从供应商库选择）和利害关系单位：抽取时，项目建设单位的人员、"
            "项目合同相对人、投标人、施工和监理单位的人员（按统一社会信用代码和单位名称比对），以及与其有利害关系的专家一律自动回避。"
        ),
    )


# ------------------------------------------------------------------------------------------ expert review


@login_required
def expert_review_draw(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project: Project = perms.access_project(me, pk)
    org_perms.require(me, perms.REVIEW_ORGANIZE, project.agency_id)
    minimum = int(param("expert_review.panel_min_size", project.agency))
    form = ExpertDrawForm(request.POST or None, initial={"panel_size": minimum})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = call_service(
            form,
            lambda: services.expert_review_draw(
                actor=me,
                project=project,
                stage=project.stage,
                subject=data["subject"].strip(),
                speciality=data["speciality"],
                panel_size=data["panel_size"],
            ),
        )
        if review:
            messages.success(request, f"已随机抽取 {review.panel_size} 名专家，抽取种子和候选快照已保存，可随时复核。")
            return redirect("projects:expert_review_detail", review_pk=review.pk)
    return form_page(
        request,
        form,
        title=f"抽取论证专家：{project.name}",
        back=reverse("projects:project_detail", args=[project.pk]),
        pretitle=f"{project.code} · {_stage_label(project.stage)}阶段",
        note=(
            f"从专家库中该专业的在库专家中随机抽取，不少于 {minimum} 人（“{rule_name('expert_review.panel_min_size')}”）。"
            "本单位及上级主管单位人员、项目各方（合同相对人、投标人、施工和监理单位，按统一社会信用代码和单位名称比对）的人员，"
            "以及与其有利害关系的专家自动回避；抽取种子、候选快照和项目各方随结果保存，任何人可复核。"
        ),
    )


def _expert_review_response(
    request: HttpRequest,
    review: ExpertReview,
    *,
    opinion_form: ExpertOpinionForm | None = None,
    conclude_form: ExpertConcludeForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    me = _me(request)
    page = selectors.expert_review_page(review=review)
    can_organize = (
        org_perms.can(me, perms.REVIEW_ORGANIZE, review.project.agency_id) and review.status == ExpertReview.Status.DRAWN
    )
    forms_by_expert: dict[int, ExpertOpinionForm] = {}
    if can_organize:
        for member in page.missing:
            bound = opinion_form is not None and opinion_form.data.get("expert") == str(member.expert_id)
            forms_by_expert[member.expert_id] = (
                opinion_form  # type: ignore[assignment]
                if bound
                else ExpertOpinionForm(initial={"expert": member.expert_id}, auto_id=f"id_e{member.expert_id}_%s")
            )
    rows = [(m, forms_by_expert.get(m.expert_id)) for m in page.panel]
    history = selectors.expert_review_draw_history(review=review)
    return render(
        request,
        "projects/reviews/expert_review_detail.html",
        {
            "review": review,
            "project": review.project,
            "stage_label": _stage_label(review.stage),
            "page": page,
            "rows": rows,
            "can_organize": can_organize,
            "can_redraw": can_organize and page.given_count == 0,
            "history": history,
            "conclude_form": conclude_form or (ExpertConcludeForm() if can_organize and page.opinions_complete else None),
            "error": error,
        },
        status=status,
    )


@login_required
def expert_review_detail(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = perms.access_expert_review(request.user, review_pk)
    return _expert_review_response(request, review)


@login_required
def expert_review_redraw(request: HttpRequest, review_pk: int) -> HttpResponse:
    """Re-draw the panel of a review for a written reason; the first draw stays on record beside it."""
    me = _me(request)
    review = perms.access_expert_review(me, review_pk)
    org_perms.require(me, perms.REVIEW_ORGANIZE, review.project.agency_id)
    form = ExpertRedrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = call_service(
            form, lambda: services.expert_review_redraw(actor=me, review=review, reason=form.cleaned_data["reason"])
        )
        if new:
            messages.success(request, "已重新抽取专家，原抽取结果保留并与本次结果并列显示。")
            return redirect("projects:expert_review_detail", review_pk=new.pk)
    return form_page(
        request,
        form,
        title=f"重新抽取论证专家：{review.subject}",
        back=reverse("projects:expert_review_detail", args=[review.pk]),
        pretitle=f"{review.project.code} · {_stage_label(review.stage)}阶段",
        note="重新抽取使用新的随机种子，按同样的回避规则从当前专家库抽取同样人数。原抽取结果不删除，标为“已重新抽取”，与新结果并列显示，备纪检监察核查。",
    )


@login_required
@require_POST
def expert_opinion_record(request: HttpRequest, review_pk: int) -> HttpResponse:
    me = _me(request)
    review = perms.access_expert_review(me, review_pk)
    org_perms.require(me, perms.REVIEW_ORGANIZE, review.project.agency_id)
    form = ExpertOpinionForm(request.POST, auto_id=f"id_e{request.POST.get('expert', '')}_%s")
    if form.is_valid():
        data = form.cleaned_data
        expert = selectors.panel_expert(review=review, expert_id=data["expert"])
        if expert is None:
            form.add_error(None, "该专家不是本次论证抽中的专家")
        elif call_service(
            form,
            lambda: services.expert_opinion_record(
                actor=me, review=review, expert=expert, score=data["score"], opinion=data["opinion"]
            ),
        ):
            messages.success(request, f"已录入专家 {expert.name} 的论证意见。")
            return redirect("projects:expert_review_detail", review_pk=review.pk)
    error = "；".join(str(e) for e in form.non_field_errors()) or "未能录入专家意见，请按提示修改后重新提交。"
    return _expert_review_response(request, review, opinion_form=form, error=error, status=400)


@login_required
@require_POST
def expert_review_conclude(request: HttpRequest, review_pk: int) -> HttpResponse:
    me = _me(request)
    review = perms.access_expert_review(me, review_pk)
    org_perms.require(me, perms.REVIEW_ORGANIZE, review.project.agency_id)
    form = ExpertConcludeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            lambda: services.expert_review_conclude(actor=me, review=review, conclusion=data["conclusion"], note=data["note"]),
        )
        if done:
            messages.success(request, f"专家论证结论：{done.get_conclusion_display()}。")
            return redirect("projects:expert_review_detail", review_pk=review.pk)
    error = "；".join(str(e) for e in form.non_field_errors()) or "未能形成论证结论，请按提示修改后重新提交。"
    return _expert_review_response(request, review, conclude_form=form, error=error, status=400)


# ------------------------------------------------------------------------------------------ joint review


@login_required
def joint_review_request(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    project: Project = perms.access_project(me, pk)
    org_perms.require(me, perms.REVIEW_ORGANIZE, project.agency_id)
    reviewers = selectors.joint_reviewer_choices(user=me)
    initial = {"stage": project.stage, "due_on": timezone.localdate() + dt.timedelta(days=7)}
    form = JointReviewForm(request.POST or None, reviewers=reviewers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = call_service(
            form,
            lambda: services.joint_review_request(
                actor=me,
                project=project,
                stage=data["stage"],
                subject=data["subject"].strip(),
                due_on=data["due_on"],
                seats=form.seats(),
            ),
        )
        if review:
            messages.success(request, "联审已发起，各部门经办人将在工作台看到待办。")
            return redirect("projects:joint_review_detail", review_pk=review.pk)
    return render(
        request,
        "projects/reviews/joint_review_form.html",
        {"form": form, "project": project, "units": UNIT_SUGGESTIONS, "min_seats": MIN_SEATS, "max_seats": MAX_SEATS},
        status=400 if form.is_bound and form.errors else 200,
    )


def _joint_review_response(
    request: HttpRequest,
    review: JointReview,
    *,
    opinion_form: JointOpinionForm | None = None,
    form_seat: int | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    me = _me(request)
    seats = selectors.joint_review_seats(review=review)
    is_open = review.status == JointReview.Status.OPEN
    rows = []
    for seat in seats:
        form = None
        if is_open and not seat.opinion and seat.reviewer_id == me.pk:
            form = (
                opinion_form
                if opinion_form is not None and form_seat == seat.pk
                else JointOpinionForm(auto_id=f"id_s{seat.pk}_%s")
            )
        rows.append((seat, form))
    answered = sum(1 for s in seats if s.opinion)
    can_organize = org_perms.can(me, perms.REVIEW_ORGANIZE, review.project.agency_id)
    return render(
        request,
        "projects/reviews/joint_review_detail.html",
        {
            "review": review,
            "project": review.project,
            "stage_label": _stage_label(review.stage),
            "rows": rows,
            "answered": answered,
            "total": len(seats),
            "dissent": [s for s in seats if s.opinion == JointReviewSeat.Opinion.DISAGREE],
            "can_conclude": can_organize and is_open and seats and answered == len(seats),
            "can_organize": can_organize,
            "can_see_project": review.project.agency_id in org_perms.business_readable_agency_ids(me),
            "overdue": is_open and review.due_on < timezone.localdate(),
            "error": error,
        },
        status=status,
    )


@login_required
def joint_review_detail(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = selectors.joint_review_access(user=request.user, pk=review_pk)
    return _joint_review_response(request, review)


@login_required
@require_POST
def joint_review_opinion(request: HttpRequest, seat_pk: int) -> HttpResponse:
    me = _me(request)
    seat = selectors.joint_seat_access(user=me, pk=seat_pk)
    if seat.reviewer_id != me.pk:
        raise PermissionDenied("只有该部门的联审经办人可以填写意见")
    form = JointOpinionForm(request.POST, auto_id=f"id_s{seat.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form, lambda: services.joint_review_opinion(actor=me, seat=seat, opinion=data["opinion"], comment=data["comment"])
        ):
            messages.success(request, f"{seat.unit}的联审意见已提交。")
            return redirect("projects:joint_review_detail", review_pk=seat.review_id)
    error = "；".join(str(e) for e in form.non_field_errors()) or "未能提交联审意见，请按提示修改后重新提交。"
    return _joint_review_response(request, seat.review, opinion_form=form, form_seat=seat.pk, error=error, status=400)


@login_required
@require_POST
def joint_review_conclude(request: HttpRequest, review_pk: int) -> HttpResponse:
    me = _me(request)
    review = perms.access_joint_review(me, review_pk)
    org_perms.require(me, perms.REVIEW_ORGANIZE, review.project.agency_id)
    try:
        done = services.joint_review_conclude(actor=me, review=review)
    except DomainError as err:
        return _joint_review_response(request, review, error=err.message, status=400)
    messages.success(request, f"联审综合结论：{done.get_conclusion_display()}。")
    return redirect("projects:joint_review_detail", review_pk=review.pk)


urlpatterns = [
    path("experts/", expert_list, name="expert_list"),
    path("experts/new/", expert_create, name="expert_create"),
    path("<int:pk>/expert-reviews/new/", expert_review_draw, name="expert_review_draw"),
    path("expert-reviews/<int:review_pk>/", expert_review_detail, name="expert_review_detail"),
    path("expert-reviews/<int:review_pk>/opinion/", expert_opinion_record, name="expert_opinion_record"),
    path("expert-reviews/<int:review_pk>/conclude/", expert_review_conclude, name="expert_review_conclude"),
    path("expert-reviews/<int:review_pk>/redraw/", expert_review_redraw, name="expert_review_redraw"),
    path("<int:pk>/joint-reviews/new/", joint_review_request, name="joint_review_request"),
    path("joint-reviews/<int:review_pk>/", joint_review_detail, name="joint_review_detail"),
    path("joint-seats/<int:seat_pk>/opinion/", joint_review_opinion, name="joint_review_opinion"),
    path("joint-reviews/<int:review_pk>/conclude/", joint_review_conclude, name="joint_review_conclude"),
]
