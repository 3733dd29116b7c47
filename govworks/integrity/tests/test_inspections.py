"""双随机一公开: the draw replayed (same seed+snapshot → same result; tampered → 不一致), conflicts excluded with the
reason kept, ≥ 2 inspectors enforced naming the rule, re-draw needs a reason (refusal changes nothing), results
entered by the drawn inspectors, published on the portal, late entries marked overdue, the anonymous portal page
without private fields, the workbench, permissions and constant queries on the list pages."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govworks.construction.tests.conftest import cw, site_project  # noqa: F401  (fixtures)
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.integrity import rules_inspections as rules
from govworks.integrity.models import InspectionDraw, InspectionItem, InspectionPlan, InspectionResult, Inspector
from govworks.integrity.services import inspections as services
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def iw(cw: Any, site_project: Any) -> Any:  # noqa: F811
    """cw + the site project, an item list, a register: 4 clean inspectors (吴海燕, 郑丽, 刘静, 赵立新), 李明 (the
    project's manager), 无角色 employed by the contractor, 孙国平 declaring a conflict with the supervisor."""
    w = cw
    w.project = site_project
    w.key_item = services.item_create(
        actor=w.discipline, agency=w.city, name="工程质量安全", kind="key", ratio=Decimal("100"), basis="《建设工程质量管理条例》"
    )
    w.general_item = services.item_create(
        actor=w.discipline, agency=w.city, name="文明施工", kind="general", ratio=Decimal("20"), basis="本单位规定"
    )
    w.inspectors = {}
    for person in (w.discipline, w.auditor, w.finance, w.leader):
        w.inspectors[person.username] = services.inspector_add(actor=w.discipline, agency=w.city, person=person)
    w.inspectors["liming"] = services.inspector_add(actor=w.discipline, agency=w.city, person=w.pm)
    w.inspectors["norole"] = services.inspector_add(
        actor=w.discipline, agency=w.city, person=w.no_role, employer_name="临江建工集团（有限公司）"
    )
    w.inspectors["sungp"] = services.inspector_add(
        actor=w.discipline, agency=w.city, person=w.principal, conflict_orgs=[w.supervisor_org], conflict_note="配偶在该公司任职"
    )
    return w


def _plan(w: Any, **kw: Any) -> InspectionPlan:
    fields = {
        "title": "在建项目质量安全抽查",
        "items": [w.key_item],
        "object_kind": "project",
        "ratio": Decimal("100"),
        "inspectors_per_object": 2,
        "period_start": dt.date.today() - dt.timedelta(days=10),
        "period_end": dt.date.today() - dt.timedelta(days=1),
        "rules_text": "公开摇号，全程留痕；有利害关系的回避。",
    }
    fields.update(kw)
    return services.plan_create(actor=w.discipline, agency=w.city, **fields)


def _drawn_users(draw: InspectionDraw, key: str) -> list[int]:
    by_id = {i["id"]: i["user"] for i in draw.snapshot["inspectors"]}
    row = next(r for r in draw.result["objects"] if r["object"] == key)
    return [by_id[i] for i in row["inspectors"]]


# ------------------------------------------------------------------------------------------------ the draw


def test_draw_stores_seed_snapshot_hash_and_replays(iw: Any) -> None:
    draw = services.plan_draw(actor=iw.discipline, plan=_plan(iw))
    assert len(draw.seed) == 32 and len(draw.result_hash) == 64
    assert [o["key"] for o in draw.snapshot["objects"]] == [f"project:{iw.project.pk}"]
    assert len(draw.snapshot["inspectors"]) == 7
    assert rules.draw_hash(draw.seed, draw.parameters, draw.snapshot, draw.result) == draw.result_hash
    # the same seed and snapshot give the same result, every time
    for _ in range(3):
        assert rules.draw(draw.seed, draw.parameters, draw.snapshot) == draw.result
    assert services.draw_replay(draw) == (True, services.draw_replay(draw)[1])
    assert services.draw_replay(draw)[0] is True
    # a tampered snapshot (an inspector's employer changed) no longer matches
    tampered = copy.deepcopy(draw.snapshot)
    tampered["inspectors"][0]["employer_name"] = "别的单位"
    consistent, why = rules.replay(draw.seed, draw.parameters, tampered, draw.result, draw.result_hash)
    assert consistent is False and "SHA-256" in why
    # stored in the database and read back through the replay page: 不一致
    InspectionDraw.objects.filter(pk=draw.pk).update(snapshot=tampered)
    from django.test import Client

    client = Client()
    client.force_login(iw.auditor)
    page = client.get(reverse("integrity:inspection_replay", args=[draw.pk]))
    assert page.status_code == 200
    assert "不一致" in page.content.decode()


def test_replay_page_says_consistent(iw: Any, client: Any) -> None:
    draw = services.plan_draw(actor=iw.discipline, plan=_plan(iw))
    client.force_login(iw.auditor)
    body = client.get(reverse("integrity:inspection_replay", args=[draw.pk])).content.decode()
    assert "一致" in body and "不一致" not in body


def test_conflicts_excluded_with_reason(iw: Any) -> None:
    draw = services.plan_draw(actor=iw.discipline, plan=_plan(iw))
    key = f"project:{iw.project.pk}"
    reasons = {row["inspector"]: row["reason"] for row in draw.result["excluded"] if row["object"] == key}
    assert reasons[iw.inspectors["liming"].pk] == "为检查对象项目的负责人或责任人"
    assert reasons[iw.inspectors["norole"].pk] == f"工作单位为检查对象的施工单位“{iw.contractor_org.name}”"
    assert reasons[iw.inspectors["sungp"].pk] == f"申报与监理单位“{iw.supervisor_org.name}”存在利害关系"
    drawn = _drawn_users(draw, key)
    assert len(drawn) == 2
    assert not {iw.pm.pk, iw.no_role.pk, iw.principal.pk} & set(drawn)
    assert set(draw.inspector_users.values_list("pk", flat=True)) == set(drawn)


def test_too_few_inspectors_left_refuses_naming_the_rule(iw: Any) -> None:
    plan = _plan(iw, inspectors_per_object=5)
    before = (InspectionDraw.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        services.plan_draw(actor=iw.discipline, plan=plan)
    assert "回避后可选检查人员只有" in err.value.message and "不足 5 名" in err.value.message
    assert "双随机每次抽取检查人员数（不少于）" in err.value.message
    assert (InspectionDraw.objects.count(), AuditEvent.objects.count()) == before


def test_at_least_two_inspectors_per_object(iw: Any) -> None:
    before = (InspectionPlan.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        _plan(iw, inspectors_per_object=1)
    assert err.value.code == "inspection.inspectors_min"
    assert "双随机每次抽取检查人员数（不少于）" in err.value.message and "不少于 2 名" in err.value.message
    assert (InspectionPlan.objects.count(), AuditEvent.objects.count()) == before


def test_general_item_ratio_capped_key_item_not(iw: Any) -> None:
    before = (InspectionItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        services.item_create(actor=iw.discipline, agency=iw.city, name="档案", kind="general", ratio=Decimal("20.01"), basis="x")
    assert "双随机一般检查事项抽查比例上限" in err.value.message and "20" in err.value.message
    assert (InspectionItem.objects.count(), AuditEvent.objects.count()) == before
    item = services.item_create(actor=iw.discipline, agency=iw.city, name="安全", kind="key", ratio=Decimal("80"), basis="x")
    assert item.ratio == Decimal("80")
    with pytest.raises(DomainError) as err:
        _plan(iw, items=[iw.general_item], ratio=Decimal("50"))
    assert "最高比例 20%" in err.value.message


def test_redraw_needs_reason_and_both_stay_visible(iw: Any, client: Any) -> None:
    plan = _plan(iw)
    first = services.plan_draw(actor=iw.discipline, plan=plan)
    before = (InspectionDraw.objects.count(), AuditEvent.objects.count(), first.result_hash)
    with pytest.raises(DomainError) as err:
        services.plan_draw(actor=iw.discipline, plan=plan, reason="  ")
    assert err.value.code == "inspection.redraw_reason"
    first.refresh_from_db()
    assert (InspectionDraw.objects.count(), AuditEvent.objects.count(), first.result_hash) == before and first.is_current
    # through the page: 400 with the reason, nothing changed
    client.force_login(iw.discipline)
    response = client.post(reverse("integrity:inspection_draw", args=[plan.pk]), {"reason": ""})
    assert response.status_code == 400 and "重新抽取须写明理由" in response.content.decode()
    assert InspectionDraw.objects.count() == before[0]
    second = services.plan_draw(actor=iw.discipline, plan=plan, reason="原抽中检查人员因公出差无法到场")
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.number == 2
    page = client.get(reverse("integrity:inspection_plan", args=[plan.pk])).content.decode()
    assert page.count('data-testid="draw-history-row"') == 2 and "原抽中检查人员因公出差无法到场" in page
    assert AuditEvent.objects.filter(action="integrity.inspection.redraw").count() == 1


# ------------------------------------------------------------------------------------------------ results


def test_result_entered_by_drawn_inspector_is_published(iw: Any, client: Any) -> None:
    plan = _plan(iw)
    draw = services.plan_draw(actor=iw.discipline, plan=plan)
    key = f"project:{iw.project.pk}"
    drawn = _drawn_users(draw, key)
    from govworks.org.models import User

    outsider = User.objects.get(pk=iw.pm.pk)  # the project manager: never drawn (conflict)
    before = (InspectionResult.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        services.result_enter(actor=outsider, draw=draw, object_key=key, outcome="no_issue", findings="现场检查未发现问题")
    assert "谁检查、谁录入" in err.value.message
    assert (InspectionResult.objects.count(), AuditEvent.objects.count()) == before
    from govworks.core.registry import work_items_for

    inspector = User.objects.get(pk=drawn[0])
    assert any(i.kind == "双随机抽查" for i in work_items_for(inspector))
    client.force_login(inspector)
    response = client.post(
        reverse("integrity:inspection_result", args=[draw.pk]),
        {
            "object_key": key,
            "outcome": "rectify",
            "findings": "现场临边防护缺失，已责令限期整改",
            "internal_note": "内部：约谈项目经理",
        },
    )
    assert response.status_code == 302
    result = InspectionResult.objects.get()
    assert result.published_at is not None and result.entered_by == inspector and not result.is_overdue
    assert result.due_on == services.result_due_on(plan)
    assert not any(i.kind == "双随机抽查" for i in work_items_for(inspector))
    from govworks.integrity.selectors.inspections import published_inspection_results

    assert list(published_inspection_results(agency_id=iw.city.pk, year=plan.period_start.year)) == [result]
    assert list(published_inspection_results(agency_id=iw.other.pk)) == []
    # a re-draw after results is refused
    with pytest.raises(DomainError):
        services.plan_draw(actor=iw.discipline, plan=plan, reason="希望重新抽取一次看看")


def test_late_entry_accepted_and_marked_overdue(iw: Any) -> None:
    long_ago = dt.date.today() - dt.timedelta(days=120)
    plan = _plan(iw, period_start=long_ago - dt.timedelta(days=10), period_end=long_ago)
    draw = services.plan_draw(actor=iw.discipline, plan=plan)
    key = f"project:{iw.project.pk}"
    from govworks.org.models import User

    result = services.result_enter(
        actor=User.objects.get(pk=_drawn_users(draw, key)[1]), draw=draw, object_key=key, outcome="no_issue",
        findings="资料齐全，未发现问题",
    )  # fmt: skip
    assert result.is_overdue and result.published_at is not None


def test_anonymous_portal_shows_results_without_private_fields(iw: Any, client: Any) -> None:
    from govworks.org.models import User as U

    for username, name in (("zhengli", "郑丽"), ("liujing", "刘静"), ("zhaolx", "赵立新"), ("wuhy", "吴海燕")):
        U.objects.filter(username=username).update(full_name=name)
    plan = _plan(iw)
    draw = services.plan_draw(actor=iw.discipline, plan=plan)
    key = f"project:{iw.project.pk}"
    from govworks.org.models import User

    inspector = User.objects.get(pk=_drawn_users(draw, key)[0])
    User.objects.filter(pk=inspector.pk).update(phone="13900001111")
    assert client.get(reverse("portal:inspection_detail", args=[plan.pk])).status_code == 404  # nothing published yet
    services.result_enter(
        actor=inspector, draw=draw, object_key=key, outcome="no_issue", findings="公开：未发现问题",
        internal_note="机密备注：举报线索待核",
    )  # fmt: skip
    listing = client.get(reverse("portal:inspection_list"))
    assert listing.status_code == 200 and plan.title in listing.content.decode()
    body = client.get(reverse("portal:inspection_detail", args=[plan.pk])).content.decode()
    assert "公开：未发现问题" in body and "一致" in body and "不一致" not in body
    assert inspector.display_name in body  # public officials: named (谁检查、谁公开)
    for private in (
        "13900001111", "机密备注", "配偶在该公司任职", inspector.username, iw.contractor_org.legal_representative or "@@",
        "申报与", "工作单位为",
    ):  # fmt: skip
        assert private not in body, private
    assert client.get(reverse("portal:inspection_list") + "?agency=99999999999999&year=abcd").status_code == 200


# ------------------------------------------------------------------------------------------------ who


def test_who_may_see_and_act(iw: Any, client: Any) -> None:
    plan = _plan(iw)
    client.force_login(iw.sysadmin)
    assert client.get(reverse("integrity:inspection_list")).status_code == 403
    assert client.get(reverse("integrity:inspection_plan", args=[plan.pk])).status_code == 404
    client.force_login(iw.pm)  # a business person, not drawn, no reading role
    assert client.get(reverse("integrity:inspection_list")).status_code == 200
    assert client.get(reverse("integrity:inspection_plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("integrity:inspection_plan_new")).status_code == 403
    assert client.post(reverse("integrity:inspection_draw", args=[plan.pk])).status_code == 404
    client.force_login(iw.auditor)  # 内审 reads, does not draw
    assert client.get(reverse("integrity:inspection_plan", args=[plan.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        services.plan_draw(actor=iw.auditor, plan=plan)
    assert not InspectionDraw.objects.exists()
    with pytest.raises(DomainError):
        services.inspector_add(actor=iw.discipline, agency=iw.city, person=iw.sysadmin)
    with pytest.raises(DomainError):
        services.inspector_add(actor=iw.discipline, agency=iw.city, person=iw.contractor)
    assert Inspector.objects.count() == 7
    client.logout()
    assert client.get(reverse("integrity:inspection_list")).status_code == 302


def test_management_pages_through_the_forms(iw: Any, client: Any) -> None:
    client.force_login(iw.discipline)
    for name in ("inspection_list", "inspection_items", "inspection_inspectors", "inspection_objects", "inspection_plan_new"):
        assert client.get(reverse(f"integrity:{name}")).status_code == 200, name
    objects = client.get(reverse("integrity:inspection_objects") + "?kind=contractor").content.decode()
    assert iw.contractor_org.name in objects
    bad = client.post(reverse("integrity:inspection_item_new"), {"name": "x", "kind": "general", "ratio": "35", "basis": "y"})
    assert bad.status_code == 400 and "双随机一般检查事项抽查比例上限" in bad.content.decode()
    response = client.post(
        reverse("integrity:inspection_plan_new"),
        {
            "title": "计划", "items": [iw.key_item.pk], "object_kind": "project", "ratio": "100", "inspectors_per_object": "1",
            "period_start": "2026-01-05", "period_end": "2026-01-20", "rules_text": "细则",
        },
    )  # fmt: skip
    assert response.status_code == 400 and "不少于 2 名" in response.content.decode()
    assert not InspectionPlan.objects.exists()


def test_audit_actions_named() -> None:
    from govworks.core.audit_labels import audit_action_label

    for action in (
        "integrity.inspection_item.create", "integrity.inspector.add", "integrity.inspection_plan.create",
        "integrity.inspection.draw", "integrity.inspection.redraw", "integrity.inspection_result.enter",
    ):  # fmt: skip
        assert audit_action_label(action) != action


def _count_queries(client: Any, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: the session and the person's scope are read once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_constant_queries(iw: Any, client: Any) -> None:
    from govworks.org.models import User

    key = f"project:{iw.project.pk}"

    def publish(n: int) -> None:
        for _ in range(n):
            plan = _plan(iw)
            draw = services.plan_draw(actor=iw.discipline, plan=plan)
            services.result_enter(
                actor=User.objects.get(pk=_drawn_users(draw, key)[0]), draw=draw, object_key=key, outcome="no_issue",
                findings="未发现问题，资料齐全",
            )  # fmt: skip

    publish(2)
    client.force_login(iw.discipline)
    small = (
        _count_queries(client, reverse("integrity:inspection_list")),
        _count_queries(client, reverse("portal:inspection_list")),
    )
    publish(18)
    large = (
        _count_queries(client, reverse("integrity:inspection_list")),
        _count_queries(client, reverse("portal:inspection_list")),
    )
    assert large == small


def test_register_pages_constant_queries(iw: Any, client: Any) -> None:
    from govworks.org.tests.factories import ExternalOrganizationFactory, UserFactory

    def grow(start: int, n: int) -> None:
        for k in range(start, start + n):
            services.item_create(
                actor=iw.discipline, agency=iw.city, name=f"事项{k}", kind="key", ratio=Decimal("10"), basis="依据"
            )
            person = UserFactory(username=f"insp{k}", full_name=f"检查员{k}", agency=iw.city)
            org = ExternalOrganizationFactory(name=f"关联企业{k}有限公司", registered_by=iw.city)
            services.inspector_add(actor=iw.discipline, agency=iw.city, person=person, conflict_orgs=[org])

    client.force_login(iw.discipline)
    urls = [reverse("integrity:inspection_items"), reverse("integrity:inspection_inspectors")]
    small = [_count_queries(client, u) for u in urls]
    grow(0, 18)
    assert [_count_queries(client, u) for u in urls] == small


def test_register_pages_only_for_readers(iw: Any, client: Any) -> None:
    """The item list and the inspector register: 纪检监察 and 内审 read them; a business person without a reading
    role, and the system administrator, are refused with the register named."""
    for user, status in ((iw.discipline, 200), (iw.auditor, 200), (iw.pm, 403), (iw.sysadmin, 403)):
        client.force_login(user)
        for name, register in (("inspection_items", "随机抽查事项清单"), ("inspection_inspectors", "执法检查人员名录库")):
            response = client.get(reverse(f"integrity:{name}"))
            assert response.status_code == status, (user.username, name)
            if status == 403:
                assert register in response.content.decode()


def test_draw_pages_start_from_the_visible_plans(iw: Any, client: Any) -> None:
    """The replay page and the result entry fetch the draw among the plans the person may read: the project
    manager (not drawn, no reading role) and the system administrator get 404 and nothing is written."""
    draw = services.plan_draw(actor=iw.discipline, plan=_plan(iw))
    key = f"project:{iw.project.pk}"

    def counts() -> tuple[int, int]:
        return InspectionResult.objects.count(), AuditEvent.objects.filter(action__startswith="integrity.").count()

    before = counts()
    for user in (iw.pm, iw.sysadmin):
        client.force_login(user)
        assert client.get(reverse("integrity:inspection_replay", args=[draw.pk])).status_code == 404
        response = client.post(
            reverse("integrity:inspection_result", args=[draw.pk]),
            {"object_key": key, "outcome": "no_issue", "findings": "未发现问题，资料齐全"},
        )
        assert response.status_code == 404
    assert counts() == before
    client.force_login(iw.auditor)
    assert client.get(reverse("integrity:inspection_replay", args=[draw.pk])).status_code == 200


def test_ratio_cap_written_as_people_write_it(iw: Any) -> None:
    """The cap of the rule (20 %, read as the fraction 0.2) is named as “20%”, not “2E+1%” or “20.0%”; the
    comparison is exact (20.00 passes, 20.01 does not)."""
    assert rules.percent(Decimal("20.0")) == "20" and rules.percent(Decimal("12.50")) == "12.5"
    with pytest.raises(DomainError) as err:
        services.item_create(actor=iw.discipline, agency=iw.city, name="档案", kind="general", ratio=Decimal("20.01"), basis="x")
    assert "不得超过 20%（规则“双随机一般检查事项抽查比例上限”）" in err.value.message and "E+" not in err.value.message
    item = services.item_create(
        actor=iw.discipline, agency=iw.city, name="档案", kind="general", ratio=Decimal("20.00"), basis="x"
    )
    assert item.ratio == Decimal("20")
