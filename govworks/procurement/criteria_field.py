"""The scoring factors of a 综合评分法 tender (评分因素) as rows a clerk fills in — name, weight, kind — instead of
typed JSON. Blank rows are ignored; a half-filled row is refused naming its row number. The weights' total (100)
and the one price factor are checked by the tender service (``tender_announce``), which names the rule."""

from __future__ import annotations

from typing import Any

from django import forms

#: rows shown on the form (a tender rarely has more than five factors)
ROWS = 6
KINDS = [("price", "价格"), ("technical", "技术"), ("commercial", "商务")]


class CriteriaWidget(forms.MultiWidget):
    """A table of ``ROWS`` rows (name, weight, kind)."""

    template_name = "procurement/widgets/criteria.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: list[forms.Widget] = []
        for _ in range(ROWS):
            widgets += [
                forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "maxlength": "30", "placeholder": "如：技术方案"}
                ),
                forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": "0", "max": "100", "step": "1"}),
                forms.Select(choices=[("", "请选择"), *KINDS], attrs={"class": "form-select form-select-sm"}),
            ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        rows = (value or {}).get("rows", []) if isinstance(value, dict) else []
        flat: list[Any] = []
        for row in rows[:ROWS]:
            flat += [row.get("name", ""), row.get("weight", ""), row.get("kind", "")]
        return flat + [None] * (3 * ROWS - len(flat))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        context["widget"]["rows"] = [(i + 1, subwidgets[3 * i : 3 * i + 3]) for i in range(ROWS)]
        return context


class CriteriaField(forms.MultiValueField):
    """Cleans the rows into ``[{code, name, weight, kind}]`` (codes c1, c2 … by row)."""

    widget = CriteriaWidget

    def __init__(self, **kwargs: Any) -> None:
        fields: list[forms.Field] = []
        for _ in range(ROWS):
            fields += [
                forms.CharField(max_length=30, required=False),
                forms.IntegerField(min_value=0, max_value=100, required=False),
                forms.ChoiceField(choices=KINDS, required=False),
            ]
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)
        self.error_messages["incomplete"] = "请完整填写评分因素"

    def clean(self, value: Any) -> Any:
        if isinstance(value, list):  # name the row of a weight that is not a whole number from 0 to 100
            for i in range(ROWS):
                raw = value[3 * i + 1] if len(value) > 3 * i + 1 else None
                if raw not in (None, "") and not (str(raw).isdigit() and 0 <= int(raw) <= 100):
                    raise forms.ValidationError(f"第{i + 1}行：权重须为 0 到 100 的整数（填写的是 {raw}）")
        return super().clean(value)

    def compress(self, data_list: list[Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for i in range(ROWS):
            name, weight, kind = [*data_list[3 * i : 3 * i + 3], None, None, None][:3] if data_list else (None, None, None)
            name = (name or "").strip()
            if not name and weight is None and not kind:
                continue
            if not name:
                raise forms.ValidationError(f"第{i + 1}行：请填写评分因素名称")
            if weight is None:
                raise forms.ValidationError(f"第{i + 1}行“{name}”：请填写权重（0 到 100 的整数）")
            if not kind:
                raise forms.ValidationError(f"第{i + 1}行“{name}”：请选择类别（价格、技术或商务）")
            rows.append({"code": f"c{i + 1}", "name": name, "weight": weight, "kind": kind})
        return rows
