"""What the risk centre plugs in (imported from ``IntegrityConfig.ready``): the signal sink that stores every
finding as an alert, the daily job that stores the modules' scans, the menu entry, the 纪检监察 workbench item
(“新预警 N 条”), the Excel export, the audit labels, the case source ``alert`` and the demo seeder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.core.audit_labels import register_audit_actions
from govworks.core.exports import ExportKind, register_export
from govworks.core.registry import (
    NavItem,
    WorkItem,
    register_demo_seeder,
    register_nav,
    register_periodic_job,
    register_workbench_provider,
)
from govworks.core.risk import register_signal_sink
from govworks.integrity import permissions_alerts as perms
from govworks.integrity.case_sources import CaseSource, register_case_source
from govworks.integrity.navigation import SECTION
from govworks.integrity.selectors import alerts as selectors
from govworks.integrity.services import alerts as services
from govworks.org import permissions as org_perms
from govworks.org.roles import Role

register_signal_sink(services.alert_store)
register_periodic_job("integrity.alerts_scan", services.alerts_scan_daily)
register_nav(NavItem(SECTION, _("风险预警"), "integrity:alert_list", "ti-alert-triangle", perms.may_read_alerts, 10))
register_audit_actions(
    {
        "integrity.alert.create": "生成风险预警",
        "integrity.alert.read": "风险预警标记已阅",
        "integrity.alert.exclude": "排除风险预警",
        "integrity.alert.case": "风险预警立案",
    }
)


# ------------------------------------------------------------------------------------------ workbench


def alert_work_items(user: Any) -> list[WorkItem]:
    """纪检监察: “新预警 N 条” when alerts of their agencies wait to be read (one count query; none for others)."""
    if not org_perms.is_signed_in(user) or getattr(user, "is_external", False):
        return []
    agencies = perms.alert_agency_ids(user)
    if not any(Role.DISCIPLINE in org_perms.roles_in(user, a) for a in agencies):
        return []
    n = selectors.new_alert_count(user)
    if not n:
        return []
    return [
        WorkItem(
            title=f"新预警 {n} 条",
            url=reverse("integrity:alert_list") + "?status=new",
            kind="风险预警",
            detail="各业务模块报送及每日扫描发现的廉政风险信号，待阅处",
        )
    ]


register_workbench_provider(alert_work_items)


# ------------------------------------------------------------------------------------------ Excel

HEADERS = [
    "编号",
    "风险等级",
    "预警类型",
    "预警事项",
    "单位",
    "项目编号",
    "项目名称",
    "事实与数据",
    "依据规则",
    "发生日期",
    "发现时间",
    "状态",
    "处理说明",
]


def _rows(user: Any, params: dict[str, Any]) -> Iterator[Sequence[Any]]:
    from govworks.core.rule_seed import rule_name

    labels = dict(selectors.kind_choices())
    qs = selectors.alerts_for(user, selectors.alert_filters_from(params))
    for a in qs.iterator(chunk_size=500):
        yield (
            a.pk,
            a.get_severity_display(),
            labels.get(a.kind, a.kind),
            a.title,
            a.agency.name,
            a.project.code if a.project else "",
            a.project.name if a.project else "",
            "；".join(f"{label}：{value}" for label, value in a.facts),
            rule_name(a.rule_key) if a.rule_key else "",
            a.occurred_on.isoformat(),
            timezone.localtime(a.detected_at).strftime("%Y-%m-%d %H:%M"),
            a.get_status_display(),
            a.status_reason,
        )


register_export(
    ExportKind(
        key="integrity.alerts",
        title="风险预警",
        headers=HEADERS,
        rows=_rows,
        count=lambda user, params: selectors.alerts_for(user, selectors.alert_filters_from(params)).count(),
        allowed=perms.may_read_alerts,
        column_widths=[8, 8, 24, 48, 28, 16, 32, 80, 30, 12, 16, 8, 30],
    )
)


# ------------------------------------------------------------------------------------------ case source


def alert_case_source(user: Any, source_id: int) -> CaseSource:
    """An alert as the person opening a case from it sees it; 404 when they may not read it (also when it names
    them) or may not handle it."""
    alert = perms.access_alert(user, source_id)
    if not perms.may_handle_alert(user, alert):
        raise Http404("预警不存在或您无权处理")
    facts = "；".join(f"{label}：{value}" for label, value in alert.facts)
    return CaseSource(
        kind="alert",
        source_id=alert.pk,
        agency_id=alert.agency_id,
        title=alert.title,
        summary=f"{selectors.kind_label(alert.kind)}（{alert.get_severity_display()}风险）。{facts}",
        url=reverse("integrity:alert_detail", args=[alert.pk]),
        project_id=alert.project_id,
        involved_user_ids=tuple(alert.involved_user_ids or ()),
    )


register_case_source(
    "alert",
    "风险预警",
    alert_case_source,
    on_open=lambda actor, source, case: services.alert_mark_case_opened(source.source_id, case.pk, actor=actor),
)


# ------------------------------------------------------------------------------------------ demo


def seed_alerts_demo() -> str:
    """The demo's alerts: the daily scan run once over the demo data (the alerts reported at the moment of
    action were stored by the earlier seeders' services already)."""
    return "风险预警：" + services.alerts_scan_daily(timezone.localdate())


#: after the close-out seeders (60–64): the scan sees every demo record
register_demo_seeder(75, "风险预警", seed_alerts_demo)
