"""Forms of the completion acceptance and the defect period (each maps onto one service's arguments)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from govworks.closeout.models import AcceptanceParty, PartyRole
from govworks.construction.models import RectificationNotice
from govworks.core.forms import LimitedForm
from govworks.finance.models import FundingSource, WageDeposit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT3 = forms.Textarea(attrs={"rows": 3})


class DeclareForm(LimitedForm):
    note = forms.CharField(label="竣工报告摘要", widget=TEXT3, help_text="完成的工程内容、施工单位自检结论")
    file = forms.FileField(label="工程竣工报告（扫描件）", required=False)


class OrganiseForm(LimitedForm):
    scheduled_on = forms.DateField(label="验收日期", widget=DATE)
    location = forms.CharField(label="验收地点", max_length=120)
    survey = forms.CharField(label="勘察单位", max_length=120, required=False, help_text="无勘察设计合同时填写单位名称")
    design = forms.CharField(label="设计单位", max_length=120, required=False, help_text="无勘察设计合同时填写单位名称")
    contractor = forms.CharField(label="施工单位", max_length=120, required=False, help_text="无已签订的主体施工合同时填写")
    supervisor = forms.CharField(label="监理单位", max_length=120, required=False, help_text="无已签订的监理合同时填写")
    archive_pre_required = forms.BooleanField(label="列入城建档案接收范围，须先经城建档案预验收", required=False)

    def party_names(self) -> dict[str, str]:
        return {r: self.cleaned_data.get(r, "") for r in ("survey", "design", "contractor", "supervisor")}


class SupervisionNoticeForm(LimitedForm):
    notified_on = forms.DateField(label="书面通知日期", widget=DATE)
    body = forms.CharField(label="质量监督机构", max_length=120, help_text="负责监督该工程的工程质量监督机构")
    file = forms.FileField(label="验收通知书及送达回执", help_text="写明验收时间、地点及验收组名单（PDF 或图片）")


class ArchivePreForm(LimitedForm):
    on = forms.DateField(label="预验收日期", widget=DATE)
    reference = forms.CharField(label="档案认可文件编号", max_length=60)


class OpinionForm(LimitedForm):
    opinion = forms.ChoiceField(
        label="意见",
        choices=[(AcceptanceParty.Opinion.AGREE, "同意验收"), (AcceptanceParty.Opinion.DISAGREE, "不同意验收")],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label="意见说明", widget=TEXT3, required=False, help_text="不同意验收时须写明理由")
    representative = forms.CharField(label="签署代表", max_length=60, required=False)


class ProblemForm(LimitedForm):
    finding = forms.CharField(label="问题描述", widget=TEXT3)
    requirement = forms.CharField(label="整改要求", widget=TEXT3, required=False)
    raised_by_role = forms.ChoiceField(label="提出方", choices=PartyRole.choices)
    severity = forms.ChoiceField(label="严重程度", choices=RectificationNotice.Severity.choices)
    deadline = forms.DateField(label="整改期限", widget=DATE, required=False, help_text="不填按整改默认期限")


class ConcludeForm(LimitedForm):
    passed = forms.TypedChoiceField(
        label="验收结论",
        choices=[("1", "合格"), ("0", "不合格")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="验收结论意见", widget=TEXT3)


class FilingForm(LimitedForm):
    filed_on = forms.DateField(label="备案日期", widget=DATE)
    number = forms.CharField(label="备案编号", max_length=60)
    authority = forms.CharField(label="备案机关", max_length=120)
    file = forms.FileField(label="竣工验收备案表（盖章扫描件）")


class DefectForm(LimitedForm):
    finding = forms.CharField(label="缺陷描述", widget=TEXT3)
    location = forms.CharField(label="部位", max_length=120, required=False)
    severity = forms.ChoiceField(label="严重程度", choices=RectificationNotice.Severity.choices)
    deadline = forms.DateField(label="修复期限", widget=DATE, required=False, help_text="不填按整改默认期限")


class DeductionsForm(LimitedForm):
    lines = forms.CharField(
        label="扣除明细",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="每行一项：缺陷通知单编号（可空）| 扣除理由 | 金额（元）；无扣除留空",
    )

    def __init__(self, *args: Any, defects: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defects = defects

    def clean_lines(self) -> list[tuple[Any, str, Decimal]]:
        out = []
        for n, raw in enumerate((self.cleaned_data.get("lines") or "").splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(f"第{n}行须为“编号 | 理由 | 金额”三项")
            number, reason, amount_text = parts
            defect = None
            if number:
                defect = self.defects.get(number)
                if defect is None:
                    raise forms.ValidationError(f"第{n}行：本缺陷责任期没有编号为{number}的缺陷")
            try:
                amount = Decimal(amount_text.replace(",", ""))
            except InvalidOperation:
                raise forms.ValidationError(f"第{n}行：金额“{amount_text}”不是数字") from None
            out.append((defect, reason, amount))
        return out


class DepositRequestForm(LimitedForm):
    source: forms.ModelChoiceField = forms.ModelChoiceField(label="资金来源", queryset=FundingSource.objects.none())

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]


class WageStartForm(LimitedForm):
    deposit: forms.ModelChoiceField = forms.ModelChoiceField(label="工资保证金", queryset=WageDeposit.objects.none())
    publicity_from = forms.DateField(label="公示开始日期", widget=DATE)
    pledge_note = forms.CharField(label="无拖欠承诺及公示方式", max_length=200)

    def __init__(self, *args: Any, deposits: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deposit"].queryset = deposits  # type: ignore[attr-defined]


class WageReturnForm(LimitedForm):
    returned_on = forms.DateField(label="返还日期", widget=DATE)
    reference = forms.CharField(label="返还凭证/保函解除文件编号", max_length=60)
