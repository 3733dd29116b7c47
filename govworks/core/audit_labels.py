"""What the audit log viewer shows a person instead of codes: the Chinese name of each action (a catalogue each
module fills from its ``AppConfig.ready`` with ``register_audit_actions``), of each object type (the model's
verbose_name), of each changed field (the model field's verbose_name, or a label the module registered) and the
old → new values in words (是/否, a choice by its label, money with thousands separators and 元).

An action nobody registered is still shown, by the name of its module and its code, so a new action never
breaks the log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from govworks.core.money import yuan_text

# module prefixes of action codes → the name the filter shows for all actions of the module
MODULE_LABELS: dict[str, str] = {
    "auth": "登录与账号安全",
    "audit": "审计链",
    "system": "系统任务",
    "export": "数据导出",
    "core": "系统参数",
    "org": "组织与权限",
    "projects": "计划与项目",
    "procurement": "采购与合同",
    "construction": "施工监管",
    "finance": "资金与支付",
    "closeout": "竣工与结算",
    "integrity": "廉政风险",
    "portal": "阳光公示",
    "cockpit": "驾驶舱",
    "smartsite": "智慧工地",
    "forecast": "预测分析",
}

_actions: dict[str, str] = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.idle_timeout": "空闲超时退出",
    "auth.lockout": "账号锁定",
    "auth.unlock": "解除锁定",
    "auth.login_refused_locked": "锁定期间登录被拒",
    "auth.password_change": "修改密码",
    "auth.throttled": "登录过于频繁被限制",
    "auth.unlock_by_time": "管理员账号锁定到期自动解除",
    "auth.unlock_on_server": "在服务器上解除锁定",
    "auth.account_code_redeem": "用一次性激活码设置密码",
    "auth.account_code_failed": "一次性激活码验证失败",
    "auth.two_factor_enrol": "启用双因素认证",
    "auth.two_factor_pass": "双因素认证通过",
    "auth.two_factor_failed": "双因素认证失败",
    "auth.two_factor_recovery": "使用恢复码登录",
    "auth.two_factor_reset": "重置双因素认证",
    "audit.chain_broken": "审计链校验失败告警",
    "audit.key_rotated": "更换审计链密钥",
    "audit.checkpoints_exported": "导出审计检查点",
    "audit.archived": "归档审计日志",
    "audit.archive_downloaded": "下载审计日志归档",
    "audit.pruned": "清理已归档的审计日志",
    "security.field_key_rotated": "更换敏感字段加密密钥",
    "core.working_calendar.add": "添加工作日历日期",
    "core.working_calendar.remove": "删除工作日历日期",
    "system.job": "定时任务",
    "export.request": "申请导出",
    "core.rule_parameter.set": "设置规则参数",
}
# field names that are not model fields (or belong to no one model), shown by these labels
_fields: dict[str, str] = {
    "params": "导出条件",
    "reason": "原因",
    "status": "状态",
    "value": "取值",
    "effective_from": "生效日期",
    "note": "说明",
}
BOOLEAN_WORDS = {True: "是", False: "否"}
EMPTY = "（空）"


def register_audit_actions(labels: Mapping[str, str]) -> None:
    """Add action codes → Chinese names (called from a module's ``AppConfig.ready``)."""
    _actions.update(labels)


def register_audit_fields(labels: Mapping[str, str]) -> None:
    """Add labels for changed keys that are not fields of the event's model (e.g. ``milestones``)."""
    _fields.update(labels)


def audit_action_label(code: str) -> str:
    """The Chinese name of an action code; an unregistered code shows as its module's name and the code."""
    if code in _actions:
        return _actions[code]
    module = code.split(".", 1)[0]
    return f"{MODULE_LABELS[module]}：{code}" if module in MODULE_LABELS else code


def audit_action_codes() -> list[str]:
    """Every registered action code."""
    return sorted(_actions)


def audit_action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The filter's choices, grouped by module: first “all actions of the module” (the code prefix), then each
    registered action by its name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in sorted(_actions.items()):
        module = code.split(".", 1)[0]
        groups.setdefault(module, []).append((code, label))
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for module, title in MODULE_LABELS.items():
        if module in groups:
            out.append((title, [(f"{module}.", f"全部{title}操作"), *groups[module]]))
    return out


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def audit_object_type_label(object_type: str) -> str:
    """The model's verbose_name for ``app_label.model`` (the event's object type)."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def audit_object_type_choices() -> list[tuple[str, str]]:
    """Every GovWorks model as a filter choice, by module and verbose_name."""
    out = []
    for model in apps.get_models():
        if not model.__module__.startswith("govworks."):
            continue
        app = model._meta.app_config
        out.append((model._meta.label_lower, f"{app.verbose_name} · {model._meta.verbose_name}"))
    return sorted(out, key=lambda choice: choice[1])


@dataclass(frozen=True)
class ChangeLine:
    """One changed field as shown: its label and the old and new values in words."""

    label: str
    before: str
    after: str


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        try:
            field = model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            return None
    return field if isinstance(field, models.Field) else None


def _money(text: str) -> str | None:
    try:
        return yuan_text(Decimal(text))
    except (InvalidOperation, ValueError, TypeError):
        return None


def audit_value_text(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    """One stored value in words: 是/否, a choice's label, money as “1,200,000.00 元”, lists joined."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return BOOLEAN_WORDS[value]
    if field is not None and field.choices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        if isinstance(value, list):
            return "、".join(labels.get(str(v), str(v)) for v in value) or EMPTY
        if str(value) in labels:
            return labels[str(value)]
    if isinstance(field, models.BooleanField) and str(value).lower() in ("true", "false"):
        return BOOLEAN_WORDS[str(value).lower() == "true"]
    if isinstance(field, models.DecimalField) and field.decimal_places == 2:
        money = _money(str(value))
        if money is not None:
            return money
    if isinstance(value, list):
        return "、".join(audit_value_text(v) for v in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(f"{_fields.get(k, k)}：{audit_value_text(v)}" for k, v in value.items()) or EMPTY
    return str(value)


def audit_change_lines(*, object_type: str, changes: Mapping[str, Any] | None) -> list[ChangeLine]:
    """The event's field diff as lines a person reads: field label, old → new value in words."""
    if not changes:
        return []
    model = _model(object_type)
    # PostgreSQL's jsonb does not keep the keys' order: show the fields in the model's order, others after
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model is not None else {}
    lines = []
    for name, change in sorted(changes.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else ""
        if not label or label == name.replace("_", " "):  # no verbose_name given: a registered label, else the key
            label = _fields.get(name, name)
        if isinstance(change, Mapping) and ("before" in change or "after" in change):
            before, after = change.get("before"), change.get("after")
        else:
            before, after = None, change
        lines.append(ChangeLine(label, audit_value_text(before, field), audit_value_text(after, field)))
    return lines
