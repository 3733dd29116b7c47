"""Forms of the kernel pages."""

from __future__ import annotations

from typing import Any

from django import forms

from govworks.core.audit_labels import audit_action_choices, audit_action_codes, audit_object_type_choices
from govworks.core.text_limits import text_fields_limit


class _ActionChoiceField(forms.ChoiceField):
    """An action from the catalogue, or a prefix of registered codes (``org.role`` for every role action: links
    and bookmarks made before the filter became a list keep working)."""

    def valid_value(self, value: Any) -> bool:
        if super().valid_value(value):
            return True
        text = str(value).rstrip(".")
        return bool(text) and any(code.startswith(text + ".") for code in audit_action_codes())


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=100)
    action = _ActionChoiceField(label="操作", required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    object_type = forms.ChoiceField(
        label="对象类型", required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label="摘要包含", required=False, max_length=100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # the catalogue is filled by every module's AppConfig.ready: read it when the form is made
        self.fields["action"].choices = [("", "全部操作"), *audit_action_choices()]  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [("", "全部对象"), *audit_object_type_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data


class LimitedForm(forms.Form):
    """The base of every GovWorks form: each text field has a length limit with a message naming its label
    (``core.text_limits``; the same limit the models' save guard enforces)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text_fields_limit(self)


class LimitedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """``LimitedForm`` for model forms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text_fields_limit(self)
