"""Forms of the annual plan pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from govworks.core.forms import LimitedForm
from govworks.org.models import Agency, Department, User
from govworks.projects.models import AnnualPlan, ProjectType
from govworks.projects.models.projects import FundingSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT_ERRORS = {"invalid": "请填写数字金额（元）", "max_digits": "金额位数过多", "max_decimal_places": "金额最多保留两位小数"}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class PlanFilterForm(LimitedForm):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    agency = forms.IntegerField(label="单位", required=False, min_value=1)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *AnnualPlan.Status.choices])


class PlanCreateForm(LimitedForm):
    agency = forms.ModelChoiceField(label="编制单位", queryset=Agency.objects.none(), empty_label=None)
    year = forms.IntegerField(label="计划年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=120, help_text="如“2026年度机关工程建设计划”")

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if not self.is_bound:
            year = timezone.localdate().year + 1
            self.initial.setdefault("year", year)
            self.initial.setdefault("title", f"{year}年度工程建设计划")


class PlanItemForm(LimitedForm):
    name = forms.CharField(label="项目名称", max_length=120)
    project_type = forms.ChoiceField(label="项目类型", choices=ProjectType.choices)
    location = forms.CharField(label="建设地点", max_length=200)
    estimated_amount = forms.DecimalField(
        label="估算金额（元）", max_digits=16, decimal_places=2, min_value=0.01, error_messages=AMOUNT_ERRORS
    )
    funding_source = forms.ChoiceField(label="资金来源", choices=FundingSource.choices)
    planned_start = forms.DateField(label="计划开工", widget=DATE)
    planned_end = forms.DateField(label="计划竣工", widget=DATE)
    department = forms.ModelChoiceField(label="责任科室", queryset=Department.objects.none())
    responsible = forms.ModelChoiceField(label="责任人", queryset=User.objects.none())
    expected_outcome = forms.CharField(label="预期成效", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, departments: QuerySet[Department], people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = people  # type: ignore[attr-defined]
        self.fields["responsible"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("planned_start") and data.get("planned_end") and data["planned_end"] < data["planned_start"]:
            self.add_error("planned_end", "计划竣工日期不能早于计划开工日期")
        return data


class PlanImportForm(LimitedForm):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="请用下载的模板填写。导入会替换计划中原有的全部项目；任何一行有问题则整批不导入。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not (file.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("只接受 Excel 2007 及以上格式（.xlsx）的文件，请用下载的模板填写后上传")
        if (file.size or 0) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"文件不能超过 {MAX_IMPORT_BYTES // 1048576}MB（当前 {(file.size or 0) / 1048576:.1f}MB）"
            )
        return file


class PlanReturnForm(LimitedForm):
    comment = forms.CharField(
        label="退回意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="写明需要下级单位修改的内容。"
    )


class PlanReviseForm(LimitedForm):
    reason = forms.CharField(
        label="修订原因",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="修订版复制现有项目，修改后须重新提交会议决策并备案；原计划在修订版决策通过前继续有效。",
    )
