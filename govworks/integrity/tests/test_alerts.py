"""The risk centre: findings stored once as alerts (sink, daily job), read by 纪检监察 and 内审 of the agency —
never by the people an alert names nor by the three administrators —, handled (已阅, 排除 with a reason, 立案
by the cases area), listed with filters in constant queries, exported, counted for the cockpit and the
纪检监察 workbench, and offered as a case source."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.registry import registry, work_items_for
from govworks.core.risk import signal_report
from govworks.integrity.case_sources import case_source_resolve
from govworks.integrity.models import RiskAlert, RiskAlertChange
from govworks.integrity.selectors.alerts import alert_counts_by_severity, alert_filters_from, alerts_for
from govworks.integrity.services import alerts as services
from govworks.integrity.tests.alert_fixtures import TEST_KIND, finding, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(world: Any) -> Any:
    """world + the city's 内审 (zhengli)."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    world.auditor = UserFactory(username="zhengli", full_name="郑丽", agency=world.city)
    RoleGrantFactory(user=world.auditor, agency=world.city, role="internal_audit")
    return world


def _snapshot() -> Any:
    return (
        list(RiskAlert.objects.order_by("pk").values_list("pk", "status", "status_reason", "status_by_id", "case_id")),
        RiskAlertChange.objects.count(),
        AuditEvent.objects.count(),
    )


# ------------------------------------------------------------------------------------------ store


def test_a_finding_is_stored_once_per_kind_and_fingerprint(rw: Any) -> None:
    alert = report(rw.city, 1, involved_user_ids=(rw.pm.pk, rw.pm.pk))
    assert alert.severity == "medium" and alert.rule_key == "tzyd.large_fund_min_amount"
    assert alert.facts == [["金额", "1,000.00 元"], ["门槛", "300,000.00 元"]]
    assert alert.involved_user_ids == [rw.pm.pk] and alert.status == "new"
    signal_report(finding(rw.city, 1, title="再次报告"))
    assert RiskAlert.objects.count() == 1 and RiskAlert.objects.get().title == "测试预警1"
    assert AuditEvent.objects.filter(action="integrity.alert.create").count() == 1
    report(rw.city, 2, severity="high")
    assert RiskAlert.objects.get(fingerprint="sample:2").severity == "high"


def test_an_unregistered_kind_is_a_programming_error(rw: Any) -> None:
    with pytest.raises(ValueError):
        services.alert_store(finding(rw.city, kind="tests.nobody"))


def test_the_daily_job_stores_each_scan_finding_once(rw: Any, monkeypatch: Any) -> None:
    from govworks.core import risk

    found = [finding(rw.city, n) for n in (1, 2, 3)]
    monkeypatch.setattr(risk, "signals_scan", lambda today: iter(found))
    monkeypatch.setattr(services, "signals_scan", lambda today: iter(found))
    assert "integrity.alerts_scan" in registry.periodic
    assert services.alerts_scan_daily(dt.date.today()) == "检出 3 条风险信号，新增预警 3 条"
    assert services.alerts_scan_daily(dt.date.today()) == "检出 3 条风险信号，新增预警 0 条"
    assert RiskAlert.objects.count() == 3


def test_a_failing_scan_does_not_hide_the_other_kinds_findings(rw: Any, monkeypatch: Any) -> None:
    from govworks.core import risk
    from govworks.core.errors import DomainError

    def broken(today: dt.date) -> Any:
        raise DomainError("rule_parameter.missing", "未配置规则参数“测试”")

    failing = risk.SignalKind(key="tests.broken", label="坏扫描", severity="low", module="tests", scan=broken, order=1)
    working = risk.SignalKind(
        key=TEST_KIND.key,
        label=TEST_KIND.label,
        severity=TEST_KIND.severity,
        module="tests",
        rule_key=TEST_KIND.rule_key,
        scan=lambda today: iter([finding(rw.city, 1), finding(rw.city, 2)]),
        order=2,
    )
    monkeypatch.setattr(risk._registry, "kinds", {failing.key: failing, working.key: working})
    with pytest.raises(RuntimeError, match="坏扫描"):
        services.alerts_scan_daily(dt.date.today())
    assert RiskAlert.objects.filter(kind=TEST_KIND.key).count() == 2


# ------------------------------------------------------------------------------------------ scope


def test_scope_agencies_of_discipline_and_audit_never_the_people_named_nor_administrators(rw: Any) -> None:
    from govworks.integrity.permissions_alerts import access_alert, alerts_visible_to
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    mine = report(rw.city, 1)
    other = report(rw.other, 2)
    naming = report(rw.city, 3, involved_user_ids=(rw.discipline.pk,))
    assert set(alerts_visible_to(rw.discipline)) == {mine}
    assert set(alerts_visible_to(rw.auditor)) == {mine, naming}
    with pytest.raises(Http404):
        access_alert(rw.discipline, naming.pk)
    with pytest.raises(Http404):
        access_alert(rw.discipline, other.pk)
    for nobody in (rw.pm, rw.leader, rw.sysadmin, rw.secadmin, rw.auditadmin, rw.no_role, rw.contractor, rw.other_pm):
        assert not alerts_visible_to(nobody).exists()
    # an administrator who (wrongly) also holds 纪检监察 still reads nothing
    twin = UserFactory(username="twin", agency=rw.city)
    RoleGrantFactory(user=twin, agency=rw.city, role="discipline")
    RoleGrantFactory(user=twin, agency=rw.sub, role="system_admin")
    assert not alerts_visible_to(twin).exists()


def test_pages_answer_403_or_404_to_everyone_else(rw: Any) -> None:
    alert = report(rw.city, 1, involved_user_ids=(rw.auditor.pk,))
    urls = [reverse("integrity:alert_list"), reverse("integrity:alert_detail", args=[alert.pk])]
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url).status_code == 302
    for person in (rw.pm, rw.sysadmin, rw.secadmin, rw.auditadmin, rw.contractor, rw.other_pm, rw.no_role):
        c = Client()
        c.force_login(person)
        assert c.get(urls[0]).status_code == 403
        assert c.get(urls[1]).status_code in (403, 404)
        assert c.post(reverse("integrity:alert_read", args=[alert.pk])).status_code in (403, 404)
    named = Client()
    named.force_login(rw.auditor)
    assert named.get(urls[0]).status_code == 200
    assert alert.title not in named.get(urls[0]).content.decode()
    assert named.get(urls[1]).status_code == 404
    assert named.post(reverse("integrity:alert_exclude", args=[alert.pk]), {"reason": "与我无关的事"}).status_code == 404
    assert RiskAlert.objects.get().status == "new"


# ------------------------------------------------------------------------------------------ handling


def test_read_exclude_and_case_opened_each_with_history_and_audit(rw: Any) -> None:
    alert = report(rw.city, 1)
    services.alert_mark_read(actor=rw.discipline, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.status == "read" and alert.status_by == rw.discipline
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.alert_mark_read(actor=rw.discipline, alert_id=alert.pk)
    assert "只有“新”预警" in err.value.message and _snapshot() == before
    services.alert_exclude(actor=rw.auditor, alert_id=alert.pk, reason="地址为政府办公楼，多家单位共用")
    alert.refresh_from_db()
    assert alert.status == "excluded" and alert.status_reason == "地址为政府办公楼，多家单位共用"
    history = list(RiskAlertChange.objects.filter(alert=alert).values_list("before", "after", "actor_id"))
    assert history == [("new", "read", rw.discipline.pk), ("read", "excluded", rw.auditor.pk)]
    assert list(
        AuditEvent.objects.filter(action__startswith="integrity.alert.").order_by("seq").values_list("action", flat=True)
    ) == [
        "integrity.alert.create",
        "integrity.alert.read",
        "integrity.alert.exclude",
    ]
    before = _snapshot()
    with pytest.raises(DomainError):
        services.alert_mark_case_opened(alert.pk, 7)
    assert _snapshot() == before

    other = report(rw.city, 2)
    services.alert_mark_case_opened(other.pk, 7, actor=rw.discipline)
    services.alert_mark_case_opened(other.pk, 7)  # the same case again: nothing more
    other.refresh_from_db()
    assert other.status == "case" and other.case_id == 7
    assert RiskAlertChange.objects.filter(alert=other).count() == 1
    with pytest.raises(DomainError) as err:
        services.alert_mark_case_opened(other.pk, 8)
    assert "已立案（案件7）" in err.value.message


@pytest.mark.parametrize("reason", ["", "   ", "太短", "长" * 1001])
def test_exclude_without_a_proper_reason_changes_nothing(rw: Any, reason: str) -> None:
    alert = report(rw.city, 1)
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.alert_exclude(actor=rw.discipline, alert_id=alert.pk, reason=reason)
    assert err.value.field == "reason" and "理由" in err.value.message
    assert _snapshot() == before


def test_people_who_may_not_handle_change_nothing(rw: Any) -> None:
    alert = report(rw.city, 1, involved_user_ids=(rw.discipline.pk,))
    before = _snapshot()
    for person in (rw.discipline, rw.pm, rw.sysadmin, rw.other_pm):
        with pytest.raises(PermissionDenied):
            services.alert_mark_read(actor=person, alert_id=alert.pk)
        with pytest.raises(PermissionDenied):
            services.alert_exclude(actor=person, alert_id=alert.pk, reason="不构成风险，已核实")
        with pytest.raises(PermissionDenied):
            services.alert_mark_case_opened(alert.pk, 3, actor=person)
    assert _snapshot() == before


def test_the_pages_mark_read_and_exclude_with_a_reason(rw: Any) -> None:
    alert = report(rw.city, 1)
    c = Client()
    c.force_login(rw.discipline)
    page = c.get(reverse("integrity:alert_detail", args=[alert.pk])).content.decode()
    assert "测试预警1" in page and "1,000.00 元" in page
    assert "三重一大" in page and "300000" in page.replace(",", "")  # the rule by its name, with the agency's value
    assert "/integrity/cases/new/?source=alert&amp;id=" + str(alert.pk) in page
    assert c.post(reverse("integrity:alert_read", args=[alert.pk])).status_code == 302
    before = _snapshot()
    refused = c.post(reverse("integrity:alert_exclude", args=[alert.pk]), {"reason": "短"})
    assert refused.status_code == 400 and "排除理由：至少4个字" in refused.content.decode()
    assert _snapshot() == before
    assert c.post(reverse("integrity:alert_exclude", args=[alert.pk]), {"reason": "经核实，不构成风险"}).status_code == 302
    page = c.get(reverse("integrity:alert_detail", args=[alert.pk])).content.decode()
    assert "经核实，不构成风险" in page and "已阅 → 已排除" in page


def test_the_list_filters(rw: Any) -> None:
    report(rw.city, 1, severity="high", title="高风险事项")
    low = report(rw.city, 2, severity="low", title="低风险事项", occurred_on=dt.date.today() - dt.timedelta(days=40))
    services.alert_mark_read(actor=rw.discipline, alert_id=low.pk)
    user = rw.discipline

    def titles(**params: str) -> list[str]:
        return [a.title for a in alerts_for(user, alert_filters_from(params))]

    assert titles(severity="high") == ["高风险事项"]
    assert titles(status="read") == ["低风险事项"]
    assert titles(kind=TEST_KIND.key, agency=str(rw.city.pk)) == ["低风险事项", "高风险事项"]
    assert titles(date_to=(dt.date.today() - dt.timedelta(days=30)).isoformat()) == ["低风险事项"]
    assert titles(date_from="not-a-date", severity="bogus", kind="nope") == ["低风险事项", "高风险事项"]
    assert titles(project="高风险") == []  # matches projects and objects, not titles
    c = Client()
    c.force_login(user)
    body = c.get(reverse("integrity:alert_list") + "?severity=high").content.decode()
    assert "高风险事项" in body and "低风险事项" not in body and 'data-echarts="chart-alerts-data"' in body


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_keeps_its_queries_constant(rw: Any, rows: int, django_assert_max_num_queries: Any) -> None:
    from govworks.projects.tests.conftest import make_project  # noqa: F401

    for n in range(rows):
        report(rw.city, n, involved_user_ids=(rw.pm.pk,))
    c = Client()
    c.force_login(rw.discipline)
    c.get(reverse("integrity:alert_list"))  # warm the per-process caches
    with django_assert_max_num_queries(20):
        response = c.get(reverse("integrity:alert_list"))
    assert response.status_code == 200 and response.content.decode().count('data-testid="alert-row"') == rows


def test_the_export_is_a_background_job_with_inert_cells(rw: Any) -> None:
    from govworks.core.exports import export_kind

    report(rw.city, 1, title='=HYPERLINK("http://x")')
    report(rw.city, 2, involved_user_ids=(rw.discipline.pk,))
    spec = export_kind("integrity.alerts")
    rows = list(spec.rows(rw.discipline, {}))
    assert len(rows) == 1 and rows[0][3].startswith("=HYPERLINK") and spec.count(rw.discipline, {}) == 1
    assert not spec.allowed(rw.pm) and not spec.allowed(rw.sysadmin)
    c = Client()
    c.force_login(rw.discipline)
    response = c.post(reverse("integrity:alert_export"), {"severity": "medium"})
    assert response.status_code == 302 and "/exports/" in response["Location"]
    other = Client()
    other.force_login(rw.pm)
    assert other.post(reverse("integrity:alert_export")).status_code == 403


def test_cockpit_counts_and_the_discipline_workbench(rw: Any) -> None:
    report(rw.city, 1, severity="high")
    report(rw.city, 2, severity="high")
    excluded = report(rw.city, 3, severity="low")
    services.alert_exclude(actor=rw.discipline, alert_id=excluded.pk, reason="经核实不构成风险")
    report(rw.other, 4, severity="medium")
    assert alert_counts_by_severity([rw.city.pk]) == {"high": 2, "medium": 0, "low": 0}
    assert alert_counts_by_severity([]) == {"high": 0, "medium": 0, "low": 0}
    items = [i for i in work_items_for(rw.discipline) if i.kind == "风险预警"]
    assert [i.title for i in items] == ["新预警 2 条"]
    assert not [i for i in work_items_for(rw.auditor) if i.kind == "风险预警"]  # 内审 reads the list, no work item
    assert not [i for i in work_items_for(rw.sysadmin) if i.kind == "风险预警"]


def test_the_alert_is_a_case_source_for_those_who_may_handle_it(rw: Any) -> None:
    alert = report(rw.city, 1, involved_user_ids=(rw.pm.pk,), project_id=None)
    source = case_source_resolve(rw.discipline, "alert", alert.pk)
    assert source.agency_id == rw.city.pk and source.involved_user_ids == (rw.pm.pk,)
    assert "测试信号" in source.summary and source.url == reverse("integrity:alert_detail", args=[alert.pk])
    for person in (rw.pm, rw.sysadmin, rw.other_pm):
        with pytest.raises(Http404):
            case_source_resolve(person, "alert", alert.pk)


def test_opening_a_case_from_an_alert_marks_it_case_opened(rw: Any) -> None:
    from govworks.integrity.services.cases import case_open

    alert = report(rw.city, 2, involved_user_ids=(rw.pm.pk,), project_id=None)
    source = case_source_resolve(rw.discipline, "alert", alert.pk)
    case = case_open(actor=rw.discipline, source=source, title="预警立案测试", summary="从风险预警立案，核查有关情况。")
    alert.refresh_from_db()
    assert alert.status == RiskAlert.Status.CASE and alert.case_id == case.pk
    assert list(case.parties.values_list("user_id", flat=True)) == [rw.pm.pk]


def test_an_excluded_alert_cannot_become_a_case_and_nothing_changes(rw: Any) -> None:
    from govworks.integrity.models import Case
    from govworks.integrity.services.alerts import alert_exclude
    from govworks.integrity.services.cases import case_open

    alert = report(rw.city, 3, project_id=None)
    source = case_source_resolve(rw.discipline, "alert", alert.pk)
    alert_exclude(actor=rw.discipline, alert_id=alert.pk, reason="经核实属于正常业务，不构成风险")
    before = (_snapshot(), Case.objects.count())
    with pytest.raises(DomainError):
        case_open(actor=rw.discipline, source=source, title="预警立案测试", summary="从风险预警立案，核查有关情况。")
    assert (_snapshot(), Case.objects.count()) == before
