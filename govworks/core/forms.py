"""Forms of the kernel pages."""

from __future__ import annotations

from django import forms


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=100)
    action = forms.CharField(label="操作（前缀）", required=False, max_length=80, help_text="如 auth. 或 org.role")
    object_type = forms.CharField(label="对象类型", required=False, max_length=80)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label="摘要包含", required=False, max_length=100)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data
