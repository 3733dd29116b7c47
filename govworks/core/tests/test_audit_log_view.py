"""The audit log stays readable when it matters most (issue 12 item 4): events of no agency (an anonymous failed
sign-in, the nightly chain alarm) do not break /core/audit/, and the log speaks Chinese: action names, object
types and field labels, filters as choices, old → new values in words."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from govworks.core.audit import audit_event_record
from govworks.core.audit_labels import (
    _actions,
    audit_action_choices,
    audit_action_label,
    audit_change_lines,
    audit_value_text,
)
from govworks.core.models import AuditEvent

GOVWORKS = Path(__file__).resolve().parents[2]


def _rows_text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_log_shows_events_of_no_agency_from_a_failed_sign_in_and_the_chain_alarm(client: Client, world: Any) -> None:
    # given an anonymous failed sign-in with an unknown name, through the sign-in page
    response = client.post("/accounts/login/", {"username": "ghost", "password": "wrong-Password1"})
    assert response.status_code == 200
    # and the nightly chain alarm, recorded the way the periodic job records it (no actor, no agency)
    audit_event_record(actor=None, action="audit.chain_broken", summary="审计链校验失败：序号 7，哈希不符")
    assert list(AuditEvent.objects.filter(agency__isnull=True).values_list("action", flat=True).order_by("seq")) == [
        "auth.login_failed",
        "audit.chain_broken",
    ]
    # when the 安全审计员 opens the log
    client.force_login(world.auditadmin)
    response = client.get("/core/audit/")
    # then it shows both, by their Chinese names, with “—” as the unit and “系统” as the actor
    assert response.status_code == 200
    page = _rows_text(response)
    assert "登录失败" in page and "审计链校验失败告警" in page
    assert "账号 ghost 登录失败" in page and "审计链校验失败：序号 7" in page
    rows = [r for r in response.context["events"] if r.event.agency_id is None]
    assert [(r.action_label, r.agency_label, r.event.actor_name) for r in rows] == [
        ("审计链校验失败告警", "—", ""),
        ("登录失败", "—", ""),
    ]


def test_filtered_and_paged_views_of_agencyless_events_render(client: Client, world: Any) -> None:
    for n in range(55):
        audit_event_record(actor=None, action="auth.login_failed", summary=f"账号 ghost{n} 登录失败")
    client.force_login(world.auditadmin)
    first = client.get("/core/audit/", {"action": "auth."})
    assert first.status_code == 200 and first.context["has_more"]
    more = client.get("/core/audit/", {"action": "auth.", "before": first.context["next_before"]}, HTTP_HX_REQUEST="true")
    assert more.status_code == 200 and "ghost0 登录失败" in more.content.decode()


def test_filters_are_choices_in_chinese(client: Client, world: Any) -> None:
    client.force_login(world.auditadmin)
    response = client.get("/core/audit/")
    form = response.context["form"]
    groups = dict(form.fields["action"].choices[1:])
    assert ("auth.", "全部登录与账号安全操作") in groups["登录与账号安全"]
    assert ("org.role.grant", "授予角色") in groups["组织与权限"]
    assert ("projects.project", "项目全生命周期 · 项目") in form.fields["object_type"].choices
    page = response.content.decode()
    assert '<select name="action"' in page and '<option value="org.role.grant">授予角色</option>' in page
    # a prefix of registered codes still filters (links made before the list), and shows the matching events
    audit_event_record(actor=world.sysadmin, action="org.role.grant", summary="授予角色：测试", agency=world.city)
    prefixed = client.get("/core/audit/", {"action": "org.role"})
    assert prefixed.context["form"].is_valid()
    assert [r.action_label for r in prefixed.context["events"]] == ["授予角色"]
    # a value that is neither is refused in Chinese
    bad = client.get("/core/audit/", {"action": "drop table"})
    assert bad.status_code == 200 and bad.context["form"].errors["action"] == [
        "选择一个有效的选项。 drop table 不在可用的选项中。"
    ]


def test_old_and_new_values_read_as_words(client: Client, world: Any) -> None:
    # given events with a field diff of money, a choice, a boolean and an empty value
    audit_event_record(
        actor=world.pm,
        action="projects.project.amounts",
        summary="修改项目金额",
        agency=world.city,
        changes={
            "estimate_amount": {"before": "1200000.00", "after": "1580000.50"},
            "approved_estimate": {"before": None, "after": "1500000.00"},
            "funding_source": {"before": "fiscal", "after": "self"},
            "stage": {"before": "initiation", "after": "construction"},
        },
    )
    audit_event_record(
        actor=world.pm,
        action="projects.project.advance",
        summary="进入施工",
        agency=world.city,
        changes={"skipped": {"before": False, "after": True}},
    )
    # when the auditor reads them
    lines = audit_change_lines(
        object_type="projects.project",
        changes=AuditEvent.objects.get(action="projects.project.amounts").changes,
    )
    # then every line has the field's Chinese label and the values in words
    assert [(line.label, line.before, line.after) for line in lines] == [
        ("估算金额（元）", "1,200,000.00 元", "1,580,000.50 元"),
        ("批复概算（元）", "（空）", "1,500,000.00 元"),
        ("资金来源", "财政拨款", "自筹"),
        ("当前阶段", "立项", "施工"),
    ]
    skipped = audit_change_lines(object_type="projects.stagetransition", changes={"skipped": {"before": False, "after": True}})
    assert [(line.label, line.before, line.after) for line in skipped] == [("跳过", "否", "是")]
    # and on the page, an event about an agency reads with the agency model's labels
    audit_event_record(
        actor=world.sysadmin,
        action="org.agency.update",
        obj=world.sub,
        agency=world.sub,
        summary="修改单位",
        changes={"is_active": {"before": True, "after": False}, "short_name": {"before": "", "after": "后勤中心"}},
    )
    client.force_login(world.auditadmin)
    page = _rows_text(client.get("/core/audit/"))
    assert "修改单位</span>" in page
    assert '启用：<span class="gw-diff-before">是</span> → <span class="gw-diff-after">否</span>' in page
    assert '简称：<span class="gw-diff-before">（空）</span> → <span class="gw-diff-after">后勤中心</span>' in page


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "是"), (False, "否"), (None, "（空）"), ("", "（空）"), (["a", "b"], "a、b"), (Decimal("3"), "3")],
)
def test_value_without_a_field_reads_as_words(value: Any, text: str) -> None:
    assert audit_value_text(value) == text


def test_unregistered_action_shows_its_module_and_code() -> None:
    assert audit_action_label("projects.something_new") == "计划与项目：projects.something_new"
    assert audit_action_label("weird") == "weird"


def test_every_action_the_code_records_has_a_chinese_name() -> None:
    """A guard: each action code written in the source (``action="…"``, ``ACTION = "…"``) is in the catalogue."""
    literal = re.compile(r'(?<!object_type=)"([a-z]+\.[a-z_]+(?:\.[a-z_]+)*)"')
    action_line = re.compile(r"\baction\s*=|ACTION\s*=|action, summary\s*=")
    missing = set()
    for path in GOVWORKS.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if action_line.search(line) and "DomainError" not in line:
                missing |= {code for code in literal.findall(line) if code not in _actions}
        if path.name == "tenders.py":
            missing |= {
                f"procurement.tender.{name}"
                for name in re.findall(r'_audit\(actor, \w+, "([a-z_]+)"', text)
                if f"procurement.tender.{name}" not in _actions
            }
    assert missing == set()
    assert all(label for _, options in audit_action_choices() for _, label in options)
