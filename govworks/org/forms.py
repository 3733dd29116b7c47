"""Forms of the organisation pages. They parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from govworks.core.forms import LimitedForm, LimitedModelForm
from govworks.core.models import RuleParameter
from govworks.org.models import Agency, Department, ExternalOrganization, Position, User
from govworks.org.roles import Role
from govworks.org.rules import credit_code_problem


class CreditCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "统一社会信用代码")
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("help_text", "18位，末位为校验码")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = (value or "").strip().upper()
        cleaned = str(super().clean(value))
        problem = credit_code_problem(cleaned)
        if problem:
            raise forms.ValidationError(problem)
        return cleaned


class AgencyForm(LimitedModelForm):
    credit_code = CreditCodeField()
    code = forms.CharField(
        label="单位代码",
        required=False,
        max_length=10,
        help_text="项目编号的前缀，如 LJJG-2026-0009；2–10 位大写英文字母或数字。新建时留空则取统一社会信用代码中的组织机构代码；已有编号后不能修改",
    )

    class Meta:
        model = Agency
        fields = ["name", "short_name", "code", "credit_code", "level", "region_code", "address", "is_active"]

    def clean_code(self) -> str:
        return str(self.cleaned_data.get("code") or "").strip().upper()

    def clean_region_code(self) -> str:
        code = self.cleaned_data.get("region_code", "")
        if code and (len(code) != 6 or not code.isdigit()):
            raise forms.ValidationError("行政区划代码应为6位数字")
        return str(code)


class DepartmentForm(LimitedModelForm):
    class Meta:
        model = Department
        fields = ["name", "is_construction", "phone", "is_active"]


class ExternalOrganizationForm(LimitedModelForm):
    credit_code = CreditCodeField()

    class Meta:
        model = ExternalOrganization
        fields = ["name", "credit_code", "kind", "legal_representative", "phone", "address", "is_active"]


class PositionForm(LimitedModelForm):
    class Meta:
        model = Position
        fields = ["title", "department", "superior", "holder", "duties", "kpis", "key_tasks_year", "key_tasks"]
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 5}),
            "kpis": forms.Textarea(attrs={"rows": 3}),
            "key_tasks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]
        superiors = Position.objects.filter(agency=agency)
        if self.instance.pk:
            superiors = superiors.exclude(pk=self.instance.pk)
        self.fields["superior"].queryset = superiors  # type: ignore[attr-defined]
        self.fields["holder"].queryset = User.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]

    def clean_key_tasks_year(self) -> int | None:
        year = self.cleaned_data.get("key_tasks_year")
        this_year = timezone.localdate().year
        if year is not None and not (2000 <= year <= this_year + 1):
            raise forms.ValidationError(f"年度应在2000至{this_year + 1}之间")
        return year


class UserCreateForm(LimitedModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "department", "title", "phone", "email"]

    def __init__(self, *args: Any, agency: Agency | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        if agency is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = Department.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone", "")).strip()
        if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            raise forms.ValidationError("手机号应为以1开头的11位数字")
        return phone


class UserEditForm(UserCreateForm):
    class Meta(UserCreateForm.Meta):
        fields = ["full_name", "department", "title", "phone", "email", "is_active"]


class RoleGrantForm(LimitedForm):
    user = forms.ModelChoiceField(label="人员", queryset=User.objects.none())
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    note = forms.CharField(label="授权依据", max_length=200, required=False, help_text="如任职文件、会议纪要")

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"  # type: ignore[attr-defined]


class RoleRevokeForm(LimitedForm):
    reason = forms.CharField(label="撤销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PledgeForm(LimitedForm):
    user = forms.ModelChoiceField(label="承诺人", queryset=User.objects.none(), required=False)
    year = forms.IntegerField(label="年度")
    signed_on = forms.DateField(label="签订日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    file = forms.FileField(label="承诺书扫描件（PDF/JPG/PNG，不超过10MB）")

    def __init__(self, *args: Any, users: QuerySet[User] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"] = forms.IntegerField(
            label="年度",
            initial=this_year,
            min_value=this_year - 5,
            max_value=this_year + 1,
            error_messages={"min_value": f"年度不能早于{this_year - 5}年", "max_value": f"年度不能晚于{this_year + 1}年"},
        )
        if users is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = users  # type: ignore[attr-defined]
            self.fields["user"].required = True
            self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"  # type: ignore[attr-defined]


class RuleParameterForm(LimitedForm):
    value = forms.CharField(label="新取值", max_length=200)
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    agency = forms.ModelChoiceField(
        label="适用单位", queryset=Agency.objects.none(), required=False, empty_label="全平台（默认值）"
    )
    reason = forms.CharField(label="调整依据", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, parameter: RuleParameter, agencies: QuerySet[Agency], allow_deployment: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if not allow_deployment:
            self.fields["agency"].required = True
            self.fields["agency"].empty_label = None  # type: ignore[attr-defined]
        if parameter.value_type == RuleParameter.ValueType.BOOLEAN:
            self.fields["value"] = forms.ChoiceField(label="新取值", choices=[("true", "是"), ("false", "否")])
        elif parameter.unit:
            self.fields["value"].help_text = f"单位：{parameter.unit}" + (
                "（填写百分数，如 10 表示 10%）" if parameter.value_type == "percent" else ""
            )
        self.fields["effective_from"].initial = timezone.localdate()
