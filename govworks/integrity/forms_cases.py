"""Forms of case handling: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from govworks.core.forms import LimitedForm
from govworks.integrity.models import CaseOutcome
from govworks.org.models import Agency, User
from govworks.projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class ManualSourceForm(LimitedForm):
    agency = forms.ModelChoiceField(label="单位", queryset=Agency.objects.none(), empty_label=None)
    project = forms.ModelChoiceField(label="项目（可不选）", queryset=Project.objects.none(), required=False)
    title = forms.CharField(label="线索标题", max_length=120)
    summary = forms.CharField(label="线索摘要", max_length=2000, widget=_rows(5))

    def __init__(self, *args: Any, agencies: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class CaseOpenForm(LimitedForm):
    title = forms.CharField(label="案件标题", max_length=120)
    summary = forms.CharField(label="案情摘要", max_length=4000, widget=_rows(5))


class AssignForm(LimitedForm):
    handlers = forms.ModelMultipleChoiceField(
        label="承办人", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="本单位纪检监察人员；本案涉及人员须回避，不在此列",
    )  # fmt: skip

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["handlers"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class NoteForm(LimitedForm):
    text = forms.CharField(label="调查记录", max_length=8000, widget=_rows(8))


class EvidenceForm(LimitedForm):
    file = forms.FileField(label="证据文件", help_text="PDF、图片、Word、Excel、OFD 或 ZIP，不超过 50MB")
    description = forms.CharField(label="证据说明", max_length=200)


class PartyForm(LimitedForm):
    person = forms.ModelChoiceField(label="涉及人员", queryset=User.objects.none())
    reason = forms.CharField(label="添加理由", max_length=200)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class InterviewForm(LimitedForm):
    """The red-light interview's fields (``construction.forms.InterviewForm``: 约谈日期, 被约谈人, 约谈记录) plus time,
    place, interviewers and commitments."""

    held_on = forms.DateField(label="约谈日期", widget=DATE, initial=timezone.localdate)
    held_time = forms.TimeField(label="约谈时间", widget=TIME, required=False)
    place = forms.CharField(label="约谈地点", max_length=100)
    interviewees = forms.CharField(label="被约谈人", max_length=200, help_text="如：施工单位项目经理、本单位工程管理岗")
    interviewers = forms.CharField(label="约谈人", max_length=200, help_text="主谈人、记录人")
    minutes = forms.CharField(label="约谈记录", max_length=8000, widget=_rows(6), help_text="谈话内容要点")
    commitments = forms.CharField(label="整改承诺", max_length=4000, widget=_rows(3), required=False)


class RectificationForm(LimitedForm):
    demand = forms.CharField(label="整改要求", max_length=4000, widget=_rows(5))
    deadline = forms.DateField(label="整改期限", widget=DATE)


class VerifyForm(LimitedForm):
    passed = forms.TypedChoiceField(
        label="验证结果", choices=[("1", "整改到位，验证通过"), ("0", "整改不到位，验证未通过")],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    verification = forms.CharField(label="验证意见", max_length=4000, widget=_rows(4))


class ConcludeForm(LimitedForm):
    outcome = forms.ChoiceField(label="结论", choices=CaseOutcome.choices, widget=forms.RadioSelect)
    conclusion = forms.CharField(label="结论意见", max_length=4000, widget=_rows(6))


class CloseForm(LimitedForm):
    confirm = forms.BooleanField(label="确认本案已按结论处理完毕，予以办结")
