"""Rules as data (DESIGN.md §6, DOMAIN.md §5): reading a parameter for an agency on a date, the seed of every
default, and the editing service ``govworks.org.services.rule_parameter_set`` (who may, what values, from when,
with an audit event)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent, RuleParameter
from govworks.core.rule_parameters import SEED, parse_value, rule_parameter_effective, rule_parameters_seed, rule_value
from govworks.org.services import rule_parameter_set
from govworks.org.tests.factories import AgencyFactory

FIELDS = [f.attname for f in RuleParameter._meta.concrete_fields]


def param_rows() -> list[tuple[Any, ...]]:
    """Every column of every parameter row: 'nothing changed' compares these."""
    return list(RuleParameter.objects.order_by("pk").values_list(*FIELDS))


def today() -> dt.date:
    return timezone.localdate()


def extra_row(
    key: str,
    value: str,
    *,
    scope: str,
    agency: Any = None,
    region_code: str = "",
    effective_from: dt.date = dt.date(2000, 1, 1),
    effective_to: dt.date | None = None,
) -> RuleParameter:
    """Test setup: a row of another scope, copying name and type from the deployment default."""
    template = RuleParameter.objects.get(key=key, scope="deployment", effective_to__isnull=True)
    return RuleParameter.objects.create(
        key=key,
        name=template.name,
        category=template.category,
        value=value,
        value_type=template.value_type,
        unit=template.unit,
        scope=scope,
        agency=agency,
        region_code=region_code,
        effective_from=effective_from,
        effective_to=effective_to,
    )


# ---------------------------------------------------------------------------------------- parse_value


@pytest.mark.parametrize(
    ("value_type", "raw", "expected"),
    [
        ("amount", "500000", Decimal("500000")),
        ("amount", "1234.56", Decimal("1234.56")),
        ("percent", "10", Decimal("0.10")),
        ("percent", "3", Decimal("0.03")),
        ("percent", "2.5", Decimal("0.025")),
        ("percent", "100", Decimal("1")),
        ("integer", "20", 20),
        ("boolean", "true", True),
        ("boolean", "false", False),
        ("text", "优/良/中/差", "优/良/中/差"),
    ],
)
def test_parse_value_gives_typed_values(value_type, raw, expected):
    """Given a stored text value, parse_value returns the typed value (percentages as fractions)."""
    result = parse_value(value_type, raw)
    assert result == expected
    assert type(result) is type(expected)


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_parse_percent_is_value_over_100(value):
    """Property: for every percentage 0..100 with two decimals, parse_value gives exactly value/100, within 0..1."""
    result = parse_value("percent", str(value))
    assert result == value / Decimal(100)
    assert Decimal(0) <= result <= Decimal(1)
    assert result * 100 == value


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_integer_and_amount_round_trip(n):
    """Property: integers and whole amounts written as text come back as the same number."""
    assert parse_value("integer", str(n)) == n
    assert parse_value("amount", str(n)) == Decimal(n)


# ---------------------------------------------------------------------------------------- the seed

# (key in DOMAIN.md §5 as the seed names it, typed default, status letter where the table gives one)
DOMAIN_TABLE = [
    ("initiation.higher_review_min_amount", Decimal("500000"), None),
    ("tzyd.large_fund_min_amount", Decimal("300000"), "D"),
    ("tender.mandatory.construction", Decimal("4000000"), "V"),
    ("tender.mandatory.goods", Decimal("2000000"), "V"),
    ("tender.mandatory.services", Decimal("1000000"), "V"),
    ("tender.mandatory.state_funds", Decimal("2000000"), "V"),
    ("tender.mandatory.state_funds_ratio", Decimal("0.10"), "V"),
    ("gp.decentralized_limit.goods_services", Decimal("1000000"), "V"),
    ("gp.decentralized_limit.works", Decimal("1200000"), "V"),
    ("gp.open_tender.goods_services", Decimal("2000000"), "V"),
    ("bid.tender_period_min_days", 20, "M"),
    ("bid.candidate_publicity_min_days", 3, "V"),
    ("bid.contract_sign_max_days", 30, "M"),
    ("bid.bid_bond_max_ratio", Decimal("0.02"), "V"),
    ("bid.performance_bond_max_ratio", Decimal("0.10"), "V"),
    ("single_source.addon_max_ratio", Decimal("0.10"), "V"),
    ("pay.advance_min_ratio", Decimal("0.10"), "V"),
    ("pay.advance_max_ratio", Decimal("0.30"), "V"),
    ("pay.progress_min_ratio", Decimal("0.80"), "V"),
    ("pay.progress_max_ratio", Decimal("0.97"), "V"),
    ("qdep.max_ratio", Decimal("0.03"), "V"),
    ("qdep.defect_period_default_months", 12, "V"),
    ("qdep.defect_period_max_months", 24, "V"),
    ("change.reapproval_cumulative_ratio", Decimal("0.10"), "V"),
    ("change.estimate_overrun_ratio", Decimal("0.10"), "V"),
    ("settle.review_days.below_5m", 20, "V"),
    ("settle.review_days.below_20m", 30, "V"),
    ("settle.review_days.below_50m", 45, "V"),
    ("settle.review_days.from_50m", 60, "V"),
    ("final_accounts.deadline_months", 3, "V"),
    ("final_accounts.extension_small_months", 2, "V"),
    ("final_accounts.extension_large_months", 6, "V"),
    ("archive.transfer_deadline_months", 3, "V"),
    ("light.yellow_lag_points", 10, "V"),
    ("light.red_lag_points", 30, "V"),
    ("light.yellow_overdue_days", 1, "V"),
    ("light.red_overdue_days", 15, "V"),
    ("daily_report.missing_alert_days", 2, "D"),
    ("rectification.default_deadline_days", 7, "D"),
    ("rectification.escalate_after_overdue_days", 3, "D"),
    ("random_inspection.inspectors_per_draw", 2, "V"),
    ("random_inspection.publish_within_days", 20, "V"),
    ("perf.grade_excellent_min", 90, "S"),
    ("perf.grade_good_min", 80, "S"),
    ("perf.grade_fair_min", 60, "S"),
    ("perf.weight_decision", 20, "D"),
    ("perf.weight_process", 20, "D"),
    ("perf.weight_output", 30, "D"),
    ("perf.weight_effect", 30, "D"),
    ("security.password_min_length", 8, "S"),
    ("security.password_min_classes", 3, "S"),
    ("security.lockout_failures", 5, "S"),
    ("security.idle_timeout_minutes", 30, "S"),
    ("security.log_retention_days", 180, "S"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "expected", "status"), DOMAIN_TABLE, ids=[k for k, _, _ in DOMAIN_TABLE])
def test_every_numeric_domain_parameter_is_seeded_by_the_migration(key, expected, status):
    """Given a freshly migrated database (nothing seeded by the test), the deployment-wide default of each numeric
    parameter of DOMAIN.md §5 exists with the table's value, a source, and the table's certainty status."""
    row = RuleParameter.objects.get(key=key, scope="deployment")
    assert rule_value(key) == expected
    assert type(rule_value(key)) is type(expected)
    assert (row.agency_id, row.region_code, row.effective_from, row.effective_to) == (None, "", dt.date(2000, 1, 1), None)
    assert row.source.strip() != ""
    assert row.name.strip() != ""
    if status is not None:
        assert row.status == status


@pytest.mark.django_db
def test_migration_seeded_exactly_the_seed_list_and_seeding_again_adds_nothing():
    """Given the migrated database, there is one deployment row per SEED entry, keys are unique,
    and rule_parameters_seed() is idempotent."""
    keys = [p.key for p in SEED]
    assert len(keys) == len(set(keys))
    assert sorted(RuleParameter.objects.filter(scope="deployment").values_list("key", flat=True)) == sorted(keys)
    before = param_rows()

    assert rule_parameters_seed() == 0

    assert param_rows() == before
    assert rule_value("initiation.public_consultation_required") is True


@pytest.mark.django_db
def test_seeding_recreates_only_missing_defaults():
    """Given two deployment defaults deleted, when seeding, then exactly those two come back with their defaults."""
    RuleParameter.objects.filter(key__in=["qdep.max_ratio", "light.red_lag_points"]).delete()

    assert rule_parameters_seed() == 2

    assert rule_value("qdep.max_ratio") == Decimal("0.03")
    assert rule_value("light.red_lag_points") == 30
    assert RuleParameter.objects.filter(scope="deployment").count() == len(SEED)


def test_seed_defaults_are_consistent():
    """The defaults obey the relations the domain states: weights sum to 100 with 产出+效益 ≥ 60, grade bounds
    descend, ranges are ordered, review periods grow with the amount, and each percentage lies in 0..100."""
    seed = {p.key: p for p in SEED}
    weights = [int(seed[f"perf.weight_{k}"].value) for k in ("decision", "process", "output", "effect")]
    assert sum(weights) == 100
    assert weights[2] + weights[3] >= 60
    assert (
        int(seed["perf.grade_excellent_min"].value)
        > int(seed["perf.grade_good_min"].value)
        > int(seed["perf.grade_fair_min"].value)
    )
    assert Decimal(seed["pay.advance_min_ratio"].value) <= Decimal(seed["pay.advance_max_ratio"].value)
    assert Decimal(seed["pay.progress_min_ratio"].value) <= Decimal(seed["pay.progress_max_ratio"].value)
    assert Decimal(seed["pay.progress_max_ratio"].value) + Decimal(seed["qdep.max_ratio"].value) == 100
    assert int(seed["light.yellow_lag_points"].value) < int(seed["light.red_lag_points"].value)
    assert int(seed["light.yellow_overdue_days"].value) < int(seed["light.red_overdue_days"].value)
    days = [int(seed[f"settle.review_days.{k}"].value) for k in ("below_5m", "below_20m", "below_50m", "from_50m")]
    assert days == sorted(days)
    for p in SEED:
        assert p.value_type in RuleParameter.ValueType.values
        assert p.status in RuleParameter.Status.values
        parsed = parse_value(p.value_type, p.value)
        if p.value_type == "percent":
            assert 0 <= parsed <= 1, p.key
        if p.value_type in ("amount", "integer"):
            assert parsed >= 0, p.key


# ---------------------------------------------------------------------------------------- lookup


@pytest.mark.django_db
def test_missing_parameter_is_refused_never_assumed():
    """Given no row for a key (or a date before every row), when read, then DomainError rule_parameter.missing names key and date."""
    with pytest.raises(DomainError) as caught:
        rule_value("no.such.key", on=dt.date(2026, 3, 1))
    assert caught.value.code == "rule_parameter.missing"
    assert "未配置规则参数“no.such.key”（2026-03-01）" in caught.value.message

    with pytest.raises(DomainError, match=r"未配置规则参数“质量保证金预留比例上限”（1999-12-31）"):
        rule_value("qdep.max_ratio", on=dt.date(1999, 12, 31))


def test_precedence_agency_then_nearest_superior_then_region_then_deployment(world):
    """Given tzyd.large_fund_min_amount = 300000 deployment-wide, when more specific rows are added one by one,
    then each agency reads the most specific one: its own, else its nearest superior's, else its region's,
    else the deployment's."""
    grandchild = AgencyFactory(name="后勤中心维修站", parent=world.sub)  # region 331000, under city → sub
    far_away = AgencyFactory(name="北京某单位", region_code="110000")
    key = "tzyd.large_fund_min_amount"

    def values() -> dict[str, Decimal]:
        return {
            name: rule_value(key, agency=a)
            for name, a in [
                ("none", None),
                ("city", world.city),
                ("sub", world.sub),
                ("grandchild", grandchild),
                ("other", world.other),
                ("far", far_away),
            ]
        }

    d = Decimal
    assert values() == {
        "none": d(300000),
        "city": d(300000),
        "sub": d(300000),
        "grandchild": d(300000),
        "other": d(300000),
        "far": d(300000),
    }

    extra_row(key, "250000", scope="region", region_code="331000")
    assert values() == {
        "none": d(300000),
        "city": d(250000),
        "sub": d(250000),
        "grandchild": d(250000),
        "other": d(250000),
        "far": d(300000),
    }

    rule_parameter_set(
        actor=world.sysadmin, key=key, value="200000", effective_from=today(), agency=world.city, reason="局党组会议决定"
    )
    assert values() == {
        "none": d(300000),
        "city": d(200000),
        "sub": d(200000),
        "grandchild": d(200000),
        "other": d(250000),
        "far": d(300000),
    }

    rule_parameter_set(
        actor=world.sub_sysadmin, key=key, value="150000", effective_from=today(), agency=world.sub, reason="中心办公会决定"
    )
    assert values() == {
        "none": d(300000),
        "city": d(200000),
        "sub": d(150000),
        "grandchild": d(150000),
        "other": d(250000),
        "far": d(300000),
    }

    rule_parameter_set(
        actor=world.sysadmin, key=key, value="100000", effective_from=today(), agency=grandchild, reason="站务会决定"
    )
    assert values() == {
        "none": d(300000),
        "city": d(200000),
        "sub": d(150000),
        "grandchild": d(100000),
        "other": d(250000),
        "far": d(300000),
    }


def test_more_specific_region_wins_over_its_province(world):
    """Given a province-wide row (330000, from 2024) and a city-wide row (331000, older, from 2020),
    when an agency of region 331000 reads the parameter, then the city's row applies (more specific region),
    whatever their dates; an agency elsewhere in the province (330100) gets the province's."""
    key = "rectification.default_deadline_days"
    extra_row(key, "10", scope="region", region_code="331000", effective_from=dt.date(2020, 1, 1))
    extra_row(key, "5", scope="region", region_code="330000", effective_from=dt.date(2024, 1, 1))
    hangzhou = AgencyFactory(name="杭州某单位", region_code="330100")

    assert rule_value(key, agency=world.city) == 10
    assert rule_value(key, agency=hangzhou) == 5
    assert rule_value(key) == 7


def test_effective_dates_and_bounds_of_rows(world):
    """Given an agency row valid 2025-01-01..2025-12-31, then it applies exactly on those days (both bounds
    included) and the deployment default before and after."""
    key = "daily_report.missing_alert_days"
    extra_row(key, "5", scope="agency", agency=world.city, effective_from=dt.date(2025, 1, 1), effective_to=dt.date(2025, 12, 31))

    assert rule_value(key, agency=world.city, on=dt.date(2024, 12, 31)) == 2
    assert rule_value(key, agency=world.city, on=dt.date(2025, 1, 1)) == 5
    assert rule_value(key, agency=world.city, on=dt.date(2025, 12, 31)) == 5
    assert rule_value(key, agency=world.city, on=dt.date(2026, 1, 1)) == 2


def test_lookup_is_one_query(world, count_queries):
    """Reading a parameter for an agency three levels deep costs one query."""
    grandchild = AgencyFactory(name="三级单位", parent=world.sub)
    assert count_queries(lambda: rule_parameter_effective("qdep.max_ratio", agency=grandchild)) == 1


# ---------------------------------------------------------------------------------------- rule_parameter_set


def test_future_value_does_not_apply_today_and_closes_the_old_row(world):
    """Given qdep.max_ratio = 3% deployment-wide, when the top system admin sets 2.5% from 30 days ahead,
    then today (and day 29) still read 3%, day 30 reads 2.5%, the old row is closed the day before,
    and one audit event records before/after, date and reason."""
    start = today() + dt.timedelta(days=30)
    old = RuleParameter.objects.get(key="qdep.max_ratio", scope="deployment")
    events_before = AuditEvent.objects.count()

    row = rule_parameter_set(
        actor=world.sysadmin, key="qdep.max_ratio", value=" 2.5 ", effective_from=start, agency=None, reason="财政部新文件"
    )

    assert rule_value("qdep.max_ratio") == Decimal("0.03")
    assert rule_value("qdep.max_ratio", agency=world.city, on=start - dt.timedelta(days=1)) == Decimal("0.03")
    assert rule_value("qdep.max_ratio", agency=world.city, on=start) == Decimal("0.025")
    old.refresh_from_db()
    assert (old.value, old.effective_from, old.effective_to) == ("3", dt.date(2000, 1, 1), start - dt.timedelta(days=1))
    assert (row.value, row.scope, row.agency_id, row.effective_from, row.effective_to) == ("2.5", "deployment", None, start, None)
    assert (row.name, row.value_type, row.unit, row.status) == ("质量保证金预留比例上限", "percent", "%", "V")
    assert row.source == old.source
    assert RuleParameter.objects.filter(key="qdep.max_ratio").count() == 2

    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.get(action="core.rule_parameter.set")
    assert (event.actor_id, event.agency_id, event.object_type, event.object_id) == (
        world.sysadmin.pk,
        None,
        "core.ruleparameter",
        str(row.pk),
    )
    assert event.changes == {
        "value": {"before": "3", "after": "2.5"},
        "effective_from": {"before": None, "after": start.isoformat()},
    }
    assert event.reason == "财政部新文件"
    assert event.summary == f"调整规则参数“质量保证金预留比例上限”（qdep.max_ratio）为 2.5%，{start:%Y-%m-%d} 起生效"


def test_agency_value_from_today_and_correction_on_the_same_day(world):
    """Given no city row, when the city admin sets tzyd.large_fund_min_amount = 200000 from today and then corrects
    it to 250000 for the same day, then one agency row exists with 250000 (status D), and the second event
    records before 200000 → after 250000."""
    key = "tzyd.large_fund_min_amount"
    first = rule_parameter_set(
        actor=world.sysadmin, key=key, value="200000", effective_from=today(), agency=world.city, reason="党组会"
    )
    second = rule_parameter_set(
        actor=world.sysadmin, key=key, value="250000", effective_from=today(), agency=world.city, reason="更正"
    )

    assert first.pk == second.pk
    rows = list(
        RuleParameter.objects.filter(key=key, scope="agency").values_list(
            "agency_id", "value", "effective_from", "effective_to", "status"
        )
    )
    assert rows == [(world.city.pk, "250000", today(), None, "D")]
    assert rule_value(key, agency=world.city) == Decimal("250000")
    assert rule_value(key) == Decimal("300000")
    assert second.display_value == "250,000.00 元"
    events = list(AuditEvent.objects.filter(action="core.rule_parameter.set").order_by("seq"))
    assert [e.changes["value"] for e in events] == [{"before": None, "after": "200000"}, {"before": "200000", "after": "250000"}]
    assert [e.agency_id for e in events] == [world.city.pk, world.city.pk]
    assert [e.reason for e in events] == ["党组会", "更正"]


def test_superior_admin_may_set_a_subordinates_value(world):
    """Administration reaches down the tree: the city's system admin sets a value for the subordinate agency."""
    row = rule_parameter_set(
        actor=world.sysadmin,
        key="light.red_lag_points",
        value="20",
        effective_from=today(),
        agency=world.sub,
        reason="后勤中心试点",
    )
    assert (row.agency_id, row.value) == (world.sub.pk, "20")
    assert rule_value("light.red_lag_points", agency=world.sub) == 20
    assert rule_value("light.red_lag_points", agency=world.city) == 30


def test_earlier_start_than_a_scheduled_value_is_refused(world):
    """Given a value scheduled from day +30, when another value is set from day +10, then it is refused
    (core.rule_parameter_future) and nothing changed."""
    rule_parameter_set(
        actor=world.sysadmin,
        key="qdep.max_ratio",
        value="2.5",
        effective_from=today() + dt.timedelta(days=30),
        agency=None,
        reason="新文件",
    )
    before_rows, before_events = param_rows(), AuditEvent.objects.count()
    start = today() + dt.timedelta(days=10)

    with pytest.raises(DomainError) as caught:
        rule_parameter_set(
            actor=world.sysadmin, key="qdep.max_ratio", value="2", effective_from=start, agency=None, reason="再改"
        )

    assert caught.value.code == "core.rule_parameter_future"
    assert f"该参数已有晚于 {start:%Y-%m-%d} 生效的取值" in caught.value.message
    assert param_rows() == before_rows
    assert AuditEvent.objects.count() == before_events


REFUSED_VALUES = [
    # (key, value, agency, reason, code, message part)
    ("qdep.max_ratio", "2", None, "   ", "core.rule_parameter_reason", "请填写调整依据或原因"),
    ("qdep.max_ratio", "2", "city", "", "core.rule_parameter_reason", "请填写调整依据或原因"),
    (
        "tzyd.large_fund_min_amount",
        "abc",
        "city",
        "党组会",
        "core.rule_parameter_value",
        "“三重一大大额资金起点”的取值“abc”不是有效的金额（元）",
    ),
    ("tzyd.large_fund_min_amount", "", "city", "党组会", "core.rule_parameter_value", "不是有效的金额（元）"),
    ("tzyd.large_fund_min_amount", "30万", "city", "党组会", "core.rule_parameter_value", "不是有效的金额（元）"),
    (
        "tzyd.large_fund_min_amount",
        "-100",
        "city",
        "党组会",
        "core.rule_parameter_value",
        "“三重一大大额资金起点”不能为负数（填写的是 -100）",
    ),
    (
        "qdep.max_ratio",
        "101",
        None,
        "新文件",
        "core.rule_parameter_value",
        "“质量保证金预留比例上限”须在 0% 到 100% 之间（填写的是 101%）",
    ),
    ("qdep.max_ratio", "100.01", None, "新文件", "core.rule_parameter_value", "须在 0% 到 100% 之间（填写的是 100.01%）"),
    ("qdep.max_ratio", "-1", None, "新文件", "core.rule_parameter_value", "须在 0% 到 100% 之间（填写的是 -1%）"),
    ("qdep.max_ratio", "三", None, "新文件", "core.rule_parameter_value", "不是有效的比例（%）"),
    (
        "bid.tender_period_min_days",
        "1.5",
        "city",
        "办法",
        "core.rule_parameter_value",
        "“招标文件发出至投标截止最短天数”的取值“1.5”不是有效的整数",
    ),
    ("bid.tender_period_min_days", "-3", "city", "办法", "core.rule_parameter_value", "不能为负数（填写的是 -3）"),
    ("initiation.public_consultation_required", "yes", "city", "办法", "core.rule_parameter_value", "只能取“是”或“否”"),
    ("no.such.key", "1", "city", "办法", "core.rule_parameter_unknown", "没有规则参数 no.such.key"),
]


@pytest.mark.parametrize(("key", "value", "agency", "reason", "code", "message"), REFUSED_VALUES)
def test_bad_input_is_refused_and_nothing_changes(world, key, value, agency, reason, code, message):
    """Given the seeded parameters, when the admin submits an empty reason, a malformed, negative or out-of-range
    value, or an unknown key, then DomainError with a Chinese message, and no row nor audit event changed."""
    before_rows, before_events = param_rows(), AuditEvent.objects.count()

    with pytest.raises(DomainError) as caught:
        rule_parameter_set(
            actor=world.sysadmin,
            key=key,
            value=value,
            effective_from=today(),
            agency=getattr(world, agency) if agency else None,
            reason=reason,
        )

    assert caught.value.code == code
    assert message in caught.value.message
    assert param_rows() == before_rows
    assert AuditEvent.objects.count() == before_events


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("tzyd.large_fund_min_amount", "NaN"),
        ("tzyd.large_fund_min_amount", "Infinity"),
        ("qdep.max_ratio", "NaN"),
        ("bid.tender_period_min_days", "NaN"),
    ],
)
def test_not_a_number_values_are_refused_as_domain_errors(world, key, value):
    """Given an amount, percentage or integer parameter, when 'NaN' or 'Infinity' is submitted (Decimal parses
    both), then it is refused with the clerk's message like any other malformed value, and nothing changed."""
    before_rows, before_events = param_rows(), AuditEvent.objects.count()

    with pytest.raises(DomainError) as caught:
        rule_parameter_set(actor=world.sysadmin, key=key, value=value, effective_from=today(), agency=world.city, reason="测试")

    assert caught.value.code == "core.rule_parameter_value"
    assert param_rows() == before_rows
    assert AuditEvent.objects.count() == before_events


REFUSED_ACTORS = [
    # (actor, agency or None for deployment-wide, message part)
    ("pm", "city", "您在该单位没有“修改规则参数”的权限"),
    ("pm", None, "只有顶级单位的系统管理员可以修改全平台规则参数"),
    ("no_role", "city", "没有“修改规则参数”的权限"),
    ("secadmin", "city", "没有“修改规则参数”的权限"),
    ("auditadmin", "city", "没有“修改规则参数”的权限"),
    ("leader", None, "只有顶级单位的系统管理员"),
    ("sub_sysadmin", None, "只有顶级单位的系统管理员可以修改全平台规则参数"),
    ("sub_sysadmin", "city", "没有“修改规则参数”的权限"),
    ("other_sysadmin", "city", "没有“修改规则参数”的权限"),
    ("other_sysadmin", "sub", "没有“修改规则参数”的权限"),
    ("contractor", "city", "没有“修改规则参数”的权限"),
    ("contractor", None, "只有顶级单位的系统管理员"),
]


@pytest.mark.parametrize(("actor", "agency", "message"), REFUSED_ACTORS)
def test_only_the_right_system_admin_may_set(world, actor, agency, message):
    """Given a valid change, when someone who is not a system admin over that scope submits it (business roles,
    the other two administrators, a subordinate's admin for the deployment or its superior, a sibling agency's
    admin, an external user), then PermissionDenied and no row nor audit event changed."""
    before_rows, before_events = param_rows(), AuditEvent.objects.count()

    with pytest.raises(PermissionDenied) as caught:
        rule_parameter_set(
            actor=getattr(world, actor),
            key="qdep.max_ratio",
            value="2",
            effective_from=today(),
            agency=getattr(world, agency) if agency else None,
            reason="调整",
        )

    assert message in str(caught.value)
    assert param_rows() == before_rows
    assert AuditEvent.objects.count() == before_events


def test_audit_trail_of_parameter_changes_verifies(world):
    """Given several parameter changes, the audit chain that records them verifies."""
    from govworks.core.audit import audit_chain_verify

    rule_parameter_set(
        actor=world.sysadmin, key="light.yellow_lag_points", value="8", effective_from=today(), agency=world.city, reason="一"
    )
    rule_parameter_set(
        actor=world.sysadmin,
        key="light.yellow_lag_points",
        value="12",
        effective_from=today() + dt.timedelta(days=1),
        agency=world.city,
        reason="二",
    )
    rule_parameter_set(
        actor=world.sysadmin, key="pay.advance_max_ratio", value="25", effective_from=today(), agency=None, reason="三"
    )

    assert audit_chain_verify().ok
    assert AuditEvent.objects.filter(action="core.rule_parameter.set").count() == 3


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_any_valid_amount_set_is_read_back_exactly(world, amount):
    """Property: whatever non-negative amount with two decimals the admin sets for the city from today, the city
    then reads exactly that Decimal and the deployment default stays 500000."""
    rule_parameter_set(
        actor=world.sysadmin,
        key="initiation.higher_review_min_amount",
        value=str(amount),
        effective_from=today(),
        agency=world.city,
        reason="属性测试",
    )
    assert rule_value("initiation.higher_review_min_amount", agency=world.city) == amount
    assert rule_value("initiation.higher_review_min_amount") == Decimal("500000")
