"""Forms of the supplier register: they parse input only; every rule is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms

from govworks.core.forms import LimitedForm
from govworks.org.models import ExternalOrganization
from govworks.procurement.models import SupplierCategory, SupplierListing
from govworks.procurement.selectors.suppliers import EXPIRY_CHOICES, STATUS_CHOICES
from govworks.projects.models import Project

DATE = {"type": "date"}


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


class SupplierForm(LimitedForm):
    """Checked here only for shape; the 统一社会信用代码 check and duplicates are the service's."""

    name = forms.CharField(label="单位名称", max_length=120)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, help_text="18位，字母须大写")
    category = forms.ChoiceField(label="主营类别", choices=[("", "请选择"), *SupplierCategory.choices])
    legal_representative = forms.CharField(label="法定代表人", max_length=40)
    registered_capital = forms.DecimalField(label="注册资本（元）", required=False, max_digits=16, decimal_places=2, min_value=0)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="注册地址", max_length=200, required=False)
    external_org = forms.ModelChoiceField(
        label="对应外部单位账号",
        queryset=ExternalOrganization.objects.none(),
        required=False,
        help_text="该企业已在组织机构中登记为外部单位（有人员账号）时选择；统一社会信用代码须一致",
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["external_org"].queryset = ExternalOrganization.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]

    def clean_credit_code(self) -> str:
        return str(self.cleaned_data["credit_code"]).strip().upper()


class ContactForm(LimitedForm):
    name = forms.CharField(label="姓名", max_length=40)
    title = forms.CharField(label="职务", max_length=40, required=False)
    phone = forms.CharField(label="手机号", max_length=30)
    email = forms.EmailField(label="电子邮箱", required=False)
    is_primary = forms.BooleanField(label="主要联系人", required=False)


class BankAccountForm(LimitedForm):
    bank_name = forms.CharField(label="开户银行", max_length=80, help_text="写到支行，如：中国建设银行临江分行营业部")
    account_name = forms.CharField(label="账户名称", max_length=120, help_text="须与单位名称一致")
    account_number = forms.CharField(label="银行账号", max_length=40)
    is_default = forms.BooleanField(label="默认收款账户", required=False)


class QualificationForm(LimitedForm):
    kind = forms.CharField(label="资质名称", max_length=80, help_text="如：建筑工程施工总承包、消防设施工程专业承包")
    category = forms.ChoiceField(label="适用类别", choices=[("", "请选择"), *SupplierCategory.choices])
    grade = forms.CharField(label="资质等级", max_length=20, help_text="如：一级、二级、甲级")
    certificate_number = forms.CharField(label="证书编号", max_length=60)
    issued_by = forms.CharField(label="发证机关", max_length=80, required=False)
    issued_on = _date_field("发证日期")
    expires_on = _date_field("有效期至", help_text="到期当日仍有效，次日起过期")


class EvaluationForm(LimitedForm):
    contract_name = forms.CharField(label="合同名称", max_length=120)
    project = forms.ModelChoiceField(
        label="项目", queryset=Project.objects.none(), required=False, help_text="本单位的项目（可不选）"
    )
    score = forms.IntegerField(label="评分（0–100）", widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}))
    comment = forms.CharField(label="评价意见", widget=forms.Textarea(attrs={"rows": 3}))
    evaluated_on = _date_field("评价日期")

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class ListingForm(LimitedForm):
    kind = forms.ChoiceField(label="名单", choices=SupplierListing.Kind.choices)
    reason = forms.CharField(label="列入事由", widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = _date_field("起始日期", help_text="起止日期当天均在名单期内")
    ends_on = _date_field("截止日期", required=False, help_text="不填为长期")
    deciding_authority = forms.CharField(label="决定机关", max_length=80, help_text="如：临江市住房和城乡建设局")
    deciding_document = forms.CharField(
        label="决定文书", max_length=120, required=False, help_text="文号，如：临建罚〔2026〕12号"
    )


class ListingLiftForm(LimitedForm):
    reason = forms.CharField(label="移出理由", widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.CharField(label="决定文书", max_length=120, required=False, help_text="移出所依据的文号")


class SupplierFilterForm(LimitedForm):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *STATUS_CHOICES], required=False)
    expiry = forms.ChoiceField(label="资质", choices=[("", "全部"), *EXPIRY_CHOICES], required=False)
    q = forms.CharField(label="名称、信用代码或法定代表人", max_length=50, required=False)
