"""Forms of the project pages (plans, meetings, approvals and reviews keep theirs next to their views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from govworks.core.forms import LimitedForm
from govworks.org.models import Department, User
from govworks.projects.models import DocumentType, HigherReview, ProjectType
from govworks.projects.models.projects import FundingSource, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT_ERRORS = {"invalid": "请填写数字金额（元）", "max_digits": "金额位数过多", "max_decimal_places": "金额最多保留两位小数"}


class ProjectFilterForm(LimitedForm):
    q = forms.CharField(label="编号/名称/地点", required=False, max_length=50)
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部阶段"), *Stage.choices])
    project_type = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *ProjectType.choices])
    agency = forms.IntegerField(label="单位", required=False, min_value=1)
    outside_plan = forms.BooleanField(label="仅计划外", required=False)


class OutsidePlanProjectForm(LimitedForm):
    name = forms.CharField(label="项目名称", max_length=120)
    project_type = forms.ChoiceField(label="项目类型", choices=ProjectType.choices)
    location = forms.CharField(label="建设地点", max_length=200)
    estimate_amount = forms.DecimalField(
        label="估算金额（元）", max_digits=16, decimal_places=2, min_value=0.01, error_messages=AMOUNT_ERRORS
    )
    funding_source = forms.ChoiceField(label="资金来源", choices=FundingSource.choices)
    planned_start = forms.DateField(label="计划开工", widget=DATE)
    planned_end = forms.DateField(label="计划竣工", widget=DATE)
    department = forms.ModelChoiceField(label="责任科室", queryset=Department.objects.none())
    manager = forms.ModelChoiceField(label="项目负责人", queryset=User.objects.none())
    outside_plan_reason = forms.CharField(
        label="计划外立项理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        help_text="不少于10个字。计划外项目会提示纪检监察关注。",
        error_messages={"min_length": "计划外立项理由不少于10个字（当前%(show_value)d个字）"},
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
        self.fields["manager"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("planned_start") and data.get("planned_end") and data["planned_end"] < data["planned_start"]:
            self.add_error("planned_end", "计划竣工日期不能早于计划开工日期")
        return data


class FromPlanForm(LimitedForm):
    manager = forms.ModelChoiceField(label="项目负责人", queryset=User.objects.none())

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
        self.fields["manager"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"  # type: ignore[attr-defined]


class AdvanceForm(LimitedForm):
    note = forms.CharField(label="办结说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(LimitedForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AmountsForm(LimitedForm):
    approved_estimate = forms.DecimalField(
        label="批复概算（元）", max_digits=16, decimal_places=2, required=False, error_messages=AMOUNT_ERRORS
    )
    budget_amount = forms.DecimalField(
        label="施工图预算（元）", max_digits=16, decimal_places=2, required=False, error_messages=AMOUNT_ERRORS
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("approved_estimate") is None and data.get("budget_amount") is None:
            raise forms.ValidationError("请至少填写一项金额")
        return data


class DocumentUploadForm(LimitedForm):
    doc_type = forms.ModelChoiceField(label="文件类型", queryset=DocumentType.objects.none())
    file = forms.FileField(label="文件（PDF、Word、Excel、图片、DWG、ZIP，不超过100MB）")
    note = forms.CharField(label="版本说明", max_length=200, required=False)

    def __init__(self, *args: Any, doc_types: QuerySet[DocumentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].queryset = doc_types  # type: ignore[attr-defined]


class ResponsibilityForm(LimitedForm):
    responsible = forms.ModelChoiceField(label="责任人", queryset=User.objects.none())
    department = forms.ModelChoiceField(label="责任科室", queryset=Department.objects.none(), required=False)

    def __init__(self, *args: Any, people: QuerySet[User], departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people  # type: ignore[attr-defined]
        self.fields["responsible"].label_from_instance = lambda u: f"{u.display_name}（{u.title or u.username}）"  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class HigherReviewForm(LimitedForm):
    body = forms.ChoiceField(label="审议机构", choices=HigherReview.Body.choices)
    meeting_date = forms.DateField(label="会议日期", widget=DATE)
    document_number = forms.CharField(label="纪要/文件编号", max_length=60)
    conclusion = forms.ChoiceField(label="审议结论", choices=HigherReview.Conclusion.choices)
    file = forms.FileField(label="会议纪要或批复文件（PDF/Word/图片）")
