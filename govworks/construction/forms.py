"""Forms of construction supervision: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from govworks.construction import reference
from govworks.construction.models import (
    DailyReport,
    InspectionKind,
    RectificationNotice,
    SafetyIncident,
    ScheduleTask,
    SiteMeeting,
    StagedPhoto,
)
from govworks.core.forms import LimitedForm
from govworks.org.models import User
from govworks.org.permissions import business_people

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT3 = forms.Textarea(attrs={"rows": 3})


class SiteForm(LimitedForm):
    latitude = forms.DecimalField(
        label="纬度", max_digits=9, decimal_places=6, required=False, help_text="如 30.245120（用于核验照片位置）"
    )
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False, help_text="如 120.171230")
    radius_m = forms.IntegerField(label="现场范围（米）", initial=500, min_value=50, max_value=20000)
    liaison = forms.ModelChoiceField(label="项目联络员", required=False, queryset=User.objects.none())
    leader = forms.ModelChoiceField(label="责任领导（红灯约谈）", required=False, queryset=User.objects.none())

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = business_people(User.objects.filter(agency_id=project.agency_id, is_active=True)).order_by("full_name")
        self.fields["liaison"].queryset = people  # type: ignore[attr-defined]
        self.fields["leader"].queryset = people  # type: ignore[attr-defined]
        for name in ("liaison", "leader"):
            self.fields[name].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class TaskForm(LimitedForm):
    code = forms.CharField(label="编号", max_length=20)
    name = forms.CharField(label="工作名称", max_length=120)
    is_milestone = forms.BooleanField(label="里程碑节点", required=False)
    planned_start = forms.DateField(label="计划开始", widget=DATE)
    planned_end = forms.DateField(label="计划完成", widget=DATE)
    weight = forms.DecimalField(label="权重", max_digits=7, decimal_places=2, initial=1, min_value=0)
    predecessors = forms.ModelMultipleChoiceField(label="前置工作", required=False, queryset=ScheduleTask.objects.none())

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = ScheduleTask.objects.filter(project=project)  # type: ignore[attr-defined]


class TaskReviseForm(LimitedForm):
    planned_start = forms.DateField(label="计划开始", widget=DATE)
    planned_end = forms.DateField(label="计划完成", widget=DATE)
    weight = forms.DecimalField(label="权重", max_digits=7, decimal_places=2, min_value=0)
    reason = forms.CharField(label="调整原因", widget=TEXT3)


class ImportForm(LimitedForm):
    file = forms.FileField(label="进度计划Excel（.xlsx）", help_text="可先导出现有计划作为模板；按“编号”新增或调整")


class ProgressForm(LimitedForm):
    task = forms.ModelChoiceField(label="工作", queryset=ScheduleTask.objects.none())
    as_of = forms.DateField(label="截至日期", widget=DATE, initial=timezone.localdate)
    percent = forms.DecimalField(label="完成百分比（%）", max_digits=5, decimal_places=2, min_value=0, max_value=100)
    note = forms.CharField(label="说明", required=False, widget=TEXT3)

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = ScheduleTask.objects.filter(project=project)  # type: ignore[attr-defined]


class InterviewForm(LimitedForm):
    held_on = forms.DateField(label="约谈日期", widget=DATE, initial=timezone.localdate)
    interviewees = forms.CharField(label="被约谈人", max_length=200, help_text="如：施工单位项目经理、监理单位总监")
    minutes = forms.CharField(label="约谈记录", widget=forms.Textarea(attrs={"rows": 5}))


class RecoveryForm(LimitedForm):
    measures = forms.CharField(
        label="赶工措施", widget=forms.Textarea(attrs={"rows": 5}), help_text="增加人员机械、调整工序、延长作业时间等"
    )
    target_on = forms.DateField(label="追回进度日期", widget=DATE)


class ReasonForm(LimitedForm):
    reason = forms.CharField(label="依据/原因", widget=TEXT3)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos at once, from the gallery or the camera: ``accept="image/*"`` lets the phone offer
    both (no ``capture`` attribute, which would force the camera)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class DailyReportForm(LimitedForm):
    report_date = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    weather = forms.ChoiceField(label="天气", choices=DailyReport.Weather.choices)
    temperature = forms.CharField(label="气温", max_length=20, required=False, help_text="如 12~18℃")
    manpower = forms.CharField(
        label="分工种人数", widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一个工种，如：木工 6", required=False
    )
    work_done = forms.CharField(label="当日完成工作", widget=TEXT3)
    problems = forms.CharField(label="存在问题", widget=TEXT3, required=False)
    photos = MultipleImageField(label="现场照片", required=False, help_text="可从相册选择或直接拍照，可多选；每份记录最多12张")
    staged = forms.ModelMultipleChoiceField(
        label="已上传的照片", required=False, queryset=StagedPhoto.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, staged: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staged"].queryset = StagedPhoto.objects.filter(pk__in=[p.pk for p in staged])  # type: ignore[attr-defined]

    def clean_manpower(self) -> dict[str, str]:
        crew: dict[str, str] = {}
        for line in self.cleaned_data["manpower"].splitlines():
            parts = line.replace("：", " ").replace(":", " ").split()
            if len(parts) >= 2:
                crew[parts[0]] = parts[-1]
            elif parts:
                raise forms.ValidationError(f"“{line}”应为“工种 人数”")
        return crew


class DiaryForm(LimitedForm):
    diary_date = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    content = forms.CharField(label="监理工作情况", widget=forms.Textarea(attrs={"rows": 5}))
    issues = forms.CharField(label="发现问题及处理", widget=TEXT3, required=False)


class InspectionForm(LimitedForm):
    """One row per checklist item: 合格 (ticked by default), the problem and its severity when not."""

    inspected_on = forms.DateField(label="检查日期", widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(label="检查结论", widget=TEXT3, required=False)

    def __init__(self, *args: Any, project: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = reference.checklist(project.project_type, kind)
        for i, item in enumerate(self.items):
            self.fields[f"ok_{i}"] = forms.BooleanField(label=f"{item} — 合格", required=False, initial=True)
            self.fields[f"note_{i}"] = forms.CharField(label="问题（不合格时填写）", required=False, max_length=300)
            self.fields[f"severity_{i}"] = forms.ChoiceField(
                label="严重程度", choices=RectificationNotice.Severity.choices, initial=RectificationNotice.Severity.GENERAL
            )

    def results(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        d = self.cleaned_data
        rows = [{"item": item, "ok": d[f"ok_{i}"], "note": d[f"note_{i}"]} for i, item in enumerate(self.items)]
        severities = {item: d[f"severity_{i}"] for i, item in enumerate(self.items)}
        return rows, severities


class NoticeForm(LimitedForm):
    finding = forms.CharField(label="问题描述", widget=TEXT3)
    requirement = forms.CharField(label="整改要求", widget=TEXT3, required=False)
    severity = forms.ChoiceField(label="严重程度", choices=RectificationNotice.Severity.choices)
    deadline = forms.DateField(label="整改期限", widget=DATE, required=False, help_text="不填按本单位规则参数“整改默认期限”")
    responsible_party = forms.CharField(label="责任方", max_length=120, required=False, help_text="不填为本项目施工单位")
    stop_work = forms.BooleanField(label="下达工程暂停令（仅重大隐患）", required=False)


class ReplyForm(LimitedForm):
    text = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label="整改佐证（照片或文件）", required=False)


class VerifyForm(LimitedForm):
    passed = forms.TypedChoiceField(
        label="复查结论",
        choices=[("1", "合格，销项"), ("0", "不合格，重新整改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label="复查意见", widget=TEXT3)
    new_deadline = forms.DateField(label="新整改期限（不合格时）", widget=DATE, required=False)


class MeetingForm(LimitedForm):
    ROWS = 4
    kind = forms.ChoiceField(label="类别", choices=SiteMeeting.Kind.choices)
    held_on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    agenda = forms.CharField(label="议题", widget=TEXT3)
    attendees = forms.CharField(label="参会人员", widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label="议定事项", widget=TEXT3, required=False)

    def __init__(self, *args: Any, project: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        cond = Q(agency_id=project.agency_id)
        orgs = [o for o in (parties.contractor_org_id, parties.supervisor_org_id) if o]
        if orgs:
            cond |= Q(external_org_id__in=orgs)
        people = business_people(User.objects.filter(cond, is_active=True)).order_by("agency_id", "full_name")
        for i in range(self.ROWS):
            self.fields[f"action_text_{i}"] = forms.CharField(label=f"督办事项{i + 1}", required=False, max_length=200)
            self.fields[f"action_owner_{i}"] = forms.ModelChoiceField(label="责任人", required=False, queryset=people)
            self.fields[f"action_owner_{i}"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
            self.fields[f"action_due_{i}"] = forms.DateField(label="完成期限", required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        actions = []
        for i in range(self.ROWS):
            text, owner, due = data.get(f"action_text_{i}"), data.get(f"action_owner_{i}"), data.get(f"action_due_{i}")
            if text:
                if owner is None or due is None:
                    self.add_error(f"action_text_{i}", "督办事项须指定责任人和完成期限")
                else:
                    actions.append({"text": text, "owner": owner, "due_on": due})
        data["actions"] = actions
        return data


class DoneForm(LimitedForm):
    note = forms.CharField(label="完成情况", max_length=300)


class IncidentForm(LimitedForm):
    occurred_on = forms.DateField(label="发生日期", widget=DATE, initial=timezone.localdate)
    severity = forms.ChoiceField(
        label="等级", choices=SafetyIncident.Severity.choices, help_text="较大及以上事故立即亮红灯并暂停拨款"
    )
    injuries = forms.IntegerField(label="受伤人数", min_value=0, initial=0)
    deaths = forms.IntegerField(label="死亡人数", min_value=0, initial=0)
    description = forms.CharField(label="经过", widget=TEXT3)
    cause = forms.CharField(label="原因", widget=TEXT3)
    measures = forms.CharField(label="处置措施", widget=TEXT3)


KINDS = dict(InspectionKind.choices)
