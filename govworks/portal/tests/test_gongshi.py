"""阳光公示 (issue 14 item 5): publication waits for the record's approval, a withdrawal keeps the entry listed
with its reason and hides its content, a refused withdrawal changes nothing, the lists keep a constant number of
queries, the feed is valid escaped Atom, the pages are cached under a stamp that moves with the data, and the
anonymous crawl of every /gongshi/ page shows none of the private values of the demo."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.portal.models import PortalWithdrawal
from govworks.portal.services.gongshi import withdraw_publication
from govworks.portal.tests.private_fields import private_values

pytestmark = pytest.mark.django_db

INITIATION = "project.initiation"


def approve_initiation(lifecycle: Any, project: Any) -> None:
    """The 立项审批 chain under 50万: 科室负责人 then 分管领导, through the approval services."""
    from govworks.projects.services.approvals import approval_decide, approval_submit

    request = approval_submit(
        actor=lifecycle.pm, agency=lifecycle.city, kind=INITIATION, subject=project, title=f"{project.name}立项",
        amount=project.estimate_amount, project=project,
    )  # fmt: skip
    approval_decide(actor=lifecycle.head, request=request, approve=True, opinion="同意")
    request.refresh_from_db()
    approval_decide(actor=lifecycle.leader, request=request, approve=True, opinion="同意")
    request.refresh_from_db()
    assert request.status == "approved"


def anonymous() -> Client:
    return Client()


def text(response: Any) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------ publication after approval


def test_a_project_is_public_only_after_its_initiation_is_approved(lifecycle: Any, make_project: Any) -> None:
    project = make_project(name="市民中心配电房改造")
    url = reverse("portal:gongshi_project", args=[project.pk])
    listing = reverse("portal:gongshi_list", args=["project"])

    # not yet approved: not listed, no page
    assert "市民中心配电房改造" not in text(anonymous().get(listing))
    assert anonymous().get(url).status_code == 404

    approve_initiation(lifecycle, project)

    page = anonymous().get(url)
    assert page.status_code == 200
    assert "市民中心配电房改造" in text(page)
    assert "380,000.00" in text(page)  # amount, funding, period: the initiation's public facts
    assert "财政拨款" in text(page)
    assert "市民中心配电房改造" in text(anonymous().get(listing))
    # the manager (a private person) is never shown
    assert lifecycle.pm.full_name not in text(page)


def test_a_draft_plan_is_not_shown_and_the_decided_plan_is(world: Any) -> None:
    from govworks.org.tests.factories import DepartmentFactory
    from govworks.projects.services import plans as plan_services
    from govworks.projects.tests.test_plans import decide, make_plan

    dept = DepartmentFactory(agency=world.sub, name="综合科")
    plan = make_plan(world.sub_pm, world.sub, dept, items=2)
    listing = reverse("portal:gongshi_list", args=["plan"])
    detail = reverse("portal:gongshi_plan", args=[plan.pk])

    assert plan.title not in text(anonymous().get(listing))
    assert anonymous().get(detail).status_code == 404
    plan_services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    assert anonymous().get(detail).status_code == 404  # submitted is not approved

    decide(plan, organizer=world.sub_pm)

    assert plan.title in text(anonymous().get(listing))
    page = anonymous().get(detail)
    assert page.status_code == 200
    assert "办公楼维修工程1" in text(page) and "1,200,000.00" in text(page)
    assert world.sub_pm.full_name not in text(page)  # the responsible person of each item stays internal


# ------------------------------------------------------------------------------ withdrawal


def test_withdrawal_keeps_the_entry_with_its_reason_and_hides_the_content(lifecycle: Any, make_project: Any) -> None:
    project = make_project(name="机关幼儿园围墙改造")
    approve_initiation(lifecycle, project)
    listing = reverse("portal:gongshi_list", args=["project"])
    assert "机关幼儿园围墙改造" in text(anonymous().get(listing))  # cached now

    events = AuditEvent.objects.filter(action="portal.withdraw").count()
    withdraw_publication(
        actor=lifecycle.leader, record_type="project", record_id=project.pk, reason="立项批复文号有误，更正后重新公示"
    )

    page = text(anonymous().get(listing))  # the stamp moved: rendered afresh
    assert "机关幼儿园围墙改造" not in page
    assert "已撤回：立项批复文号有误，更正后重新公示" in page
    detail = text(anonymous().get(reverse("portal:gongshi_project", args=[project.pk])))
    assert "已撤回：立项批复文号有误" in detail and "机关幼儿园围墙改造" not in detail and "380,000.00" not in detail
    feed = text(anonymous().get(reverse("portal:gongshi_feed")))
    assert "机关幼儿园围墙改造" not in feed and "已撤回" in feed
    assert AuditEvent.objects.filter(action="portal.withdraw").count() == events + 1


def _state() -> tuple[int, int]:
    return PortalWithdrawal.objects.count(), AuditEvent.objects.filter(action="portal.withdraw").count()


@pytest.mark.parametrize("reason", ["", "   ", "错"])
def test_a_withdrawal_without_a_reason_is_refused_and_changes_nothing(lifecycle: Any, make_project: Any, reason: str) -> None:
    project = make_project()
    approve_initiation(lifecycle, project)
    before = _state()
    with pytest.raises(DomainError) as err:
        withdraw_publication(actor=lifecycle.leader, record_type="project", record_id=project.pk, reason=reason)
    assert err.value.field == "reason" and "撤回原因" in err.value.message
    assert _state() == before
    assert "机关食堂修缮" in text(anonymous().get(reverse("portal:gongshi_project", args=[project.pk])))


def test_withdrawal_is_refused_to_administrators_other_agencies_and_unpublished_records(
    lifecycle: Any, make_project: Any
) -> None:
    draft = make_project(name="未立项项目")
    project = make_project(name="已立项项目")
    approve_initiation(lifecycle, project)
    before = _state()
    for actor in (lifecycle.sysadmin, lifecycle.auditadmin, lifecycle.other_pm, lifecycle.no_role, lifecycle.discipline):
        with pytest.raises(PermissionDenied):
            withdraw_publication(actor=actor, record_type="project", record_id=project.pk, reason="不宜公开的原因")
    with pytest.raises(DomainError) as err:
        withdraw_publication(actor=lifecycle.pm, record_type="project", record_id=draft.pk, reason="不宜公开的原因")
    assert err.value.code == "portal.withdraw.not_public"
    assert _state() == before
    withdraw_publication(actor=lifecycle.pm, record_type="project", record_id=project.pk, reason="不宜公开的原因")
    with pytest.raises(DomainError) as err:
        withdraw_publication(actor=lifecycle.leader, record_type="project", record_id=project.pk, reason="再次撤回试试")
    assert err.value.code == "portal.withdraw.duplicate"


def test_the_withdraw_page_signed_in_only(client: Any, lifecycle: Any, make_project: Any) -> None:
    project = make_project(name="食堂排烟改造")
    approve_initiation(lifecycle, project)
    url = reverse("portal:gongshi_withdraw", args=["project", project.pk])
    manage = reverse("portal:gongshi_manage")
    assert anonymous().get(manage).status_code == 302  # to the sign-in page
    assert anonymous().post(url, {"reason": "测试撤回原因"}).status_code == 302
    assert PortalWithdrawal.objects.count() == 0

    client.force_login(lifecycle.sysadmin)
    assert client.get(manage).status_code == 403
    assert client.get(url).status_code == 404

    client.force_login(lifecycle.pm)
    page = client.get(manage + "?kind=project")
    assert page.status_code == 200 and "食堂排烟改造" in text(page)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "撤回原因" in text(refused)
    assert PortalWithdrawal.objects.count() == 0
    assert client.post(url, {"reason": "施工图调整，重新公示"}).status_code == 302
    w = PortalWithdrawal.objects.get()
    assert (w.record_type, w.record_id, w.withdrawn_by, w.reason) == ("project", project.pk, lifecycle.pm, "施工图调整，重新公示")


# ------------------------------------------------------------------------------ feed, cache, queries


def test_the_feed_is_valid_atom_and_escaped(lifecycle: Any, make_project: Any) -> None:
    project = make_project(name="<script>alert(1)</script>&改造")
    approve_initiation(lifecycle, project)
    response = anonymous().get(reverse("portal:gongshi_feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response: must be well-formed XML)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text or "" for e in root.findall("a:entry/a:title", ns)]
    assert any("<script>alert(1)</script>&改造" in t for t in titles)  # the text, as text
    assert b"<script>" not in response.content  # escaped on the wire
    page = text(anonymous().get(reverse("portal:gongshi_list", args=["project"])))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_pages_are_cached_and_a_change_of_data_is_seen_at_once(lifecycle: Any, make_project: Any) -> None:
    url = reverse("portal:gongshi_list", args=["project"])
    first = anonymous().get(url)
    second = anonymous().get(url)
    assert (first["X-Portal-Cache"], second["X-Portal-Cache"]) == ("miss", "hit")
    project = make_project(name="新立项的项目")
    approve_initiation(lifecycle, project)
    third = anonymous().get(url)
    assert third["X-Portal-Cache"] == "miss" and "新立项的项目" in text(third)


def test_list_pages_keep_a_constant_number_of_queries(
    lifecycle: Any, make_project: Any, django_assert_max_num_queries: Any
) -> None:
    from govworks.portal.selectors.gongshi import KINDS

    def counts() -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        out = {}
        for path in [
            reverse("portal:gongshi_overview"),
            reverse("portal:gongshi_feed"),
            reverse("portal:gongshi_search") + "?q=项目",
        ] + [reverse("portal:gongshi_list", args=[k]) for k in KINDS]:
            from django.core.cache import cache

            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                assert anonymous().get(path).status_code == 200
            out[path] = len(ctx)
        return out

    for n in range(2):
        approve_initiation(lifecycle, make_project(name=f"项目{n}"))
    small = counts()
    for n in range(2, 20):
        p = make_project(name=f"项目{n}")
        approve_initiation(lifecycle, p)
        if n % 3 == 0:
            withdraw_publication(actor=lifecycle.leader, record_type="project", record_id=p.pk, reason="测试撤回原因")
    large = counts()
    assert small == large
    assert max(large.values()) <= 20
    with django_assert_max_num_queries(4):
        anonymous().get(
            reverse("portal:gongshi_list", args=["project"]) + f"?agency={lifecycle.city.pk}&year=2026&stage=initiation"
        )


def test_bad_filters_are_ignored_not_errors(world: Any) -> None:
    for query in ["?agency=abc", "?year=99999", "?stage=<x>", "?page=zz", "?q=" + "长" * 500, "?agency=99999999999999999999999"]:
        assert anonymous().get(reverse("portal:gongshi_list", args=["project"]) + query).status_code == 200
    assert anonymous().get("/gongshi/list/nothing/").status_code == 404


# ------------------------------------------------------------------------------ the anonymous crawl of the demo


def crawl(client: Client, start: str, limit: int = 400) -> dict[str, str]:
    """Every /gongshi/ page reachable from ``start`` (links followed; at most 3 pages of each list kept)."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code} to an anonymous visitor"
        body = response.content.decode()
        seen[url] = body
        for href in re.findall(r'href="([^"#]+)', body):
            href = href.replace("&amp;", "&")
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if not href.startswith("/gongshi/") or href.startswith(("/gongshi/manage", "/gongshi/inspections")):
                continue
            if re.search(r"[?&]page=([4-9]|\d\d)", href):
                continue
            if href not in seen and href not in queue:
                queue.append(href)
    return seen


def test_anonymous_crawl_shows_no_private_value_and_nothing_of_signed_in_pages(client: Any) -> None:
    from govworks.org.models import User
    from govworks.portal.selectors import gongshi as selectors
    from govworks.projects.models import Project

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    visitor = anonymous()
    pages = crawl(visitor, reverse("portal:gongshi_overview"))
    # sample ids too: every published project and plan page, and a few ids that are not published
    for project in Project.objects.all():
        url = reverse("portal:gongshi_project", args=[project.pk])
        published = selectors.public_project(project.pk) is not None
        response = visitor.get(url)
        assert response.status_code == (200 if published else 404), url
        if published:
            pages[url] = response.content.decode()
    assert len(pages) >= 20
    kinds_seen = {m for body in pages.values() for m in re.findall(r'data-testid="gongshi-table-(\w+)"', body)}
    assert kinds_seen >= {"plan", "project", "contract", "construction", "acceptance", "settlement", "evaluation"}

    values = list(private_values())
    assert len(values) > 50  # the demo holds people, phones, accounts, sealed bids, notes
    leaks = [(url, why, v) for url, body in pages.items() for why, v in values if v in body]
    assert leaks == []

    # the values are what signed-in pages show: the signed-in project page names the manager …
    User.objects.filter(username="liming").update(must_change_password=False)
    demo_pm = User.objects.get(username="liming")
    client.force_login(demo_pm)
    published_project = next(
        p for p in Project.objects.filter(agency_id=demo_pm.agency_id).order_by("id") if selectors.public_project(p.pk)
    )
    inside = client.get(reverse("projects:project_detail", args=[published_project.pk]))
    assert inside.status_code == 200
    assert published_project.manager.full_name in inside.content.decode()
    # … and the signed-in page itself is not reachable anonymously
    assert visitor.get(reverse("projects:project_detail", args=[published_project.pk])).status_code in (302, 403, 404)


# ------------------------------------------------------------------------------ 重大变更: the ratio compared exactly


def test_a_change_just_above_the_ratio_is_published_though_its_kept_ratio_rounds_to_it(lifecycle: Any, make_project: Any) -> None:
    """10.000004 % is kept as 0.1000 (four places) yet lies above the rule’s 10 %: published;
    exactly 10 % is not."""
    from decimal import Decimal

    from govworks.finance.tests.conftest import NOTE, make_contract
    from govworks.portal.selectors import gongshi as selectors
    from govworks.procurement.models import ChangeOrder
    from govworks.procurement.tests.factories import SupplierFactory
    from govworks.projects.models import Stage
    from govworks.projects.services.projects import project_import_at_stage

    project = project_import_at_stage(actor=lifecycle.pm, project=make_project("5000000"), stage=Stage.CONTRACT, note=NOTE)
    above = make_contract(lifecycle, project, title="主体施工合同")
    at = make_contract(lifecycle, project, title="附属工程合同", supplier=SupplierFactory(registered_by=lifecycle.city))

    def approved_change(contract: Any, amount: str, ratio: str) -> Any:
        return ChangeOrder.objects.create(  # the kept state of an approved change (the procurement tests walk it)
            contract=contract, seq=1, category="design", reason="设计优化", responsibility="owner",
            amount=Decimal(amount), status=ChangeOrder.Status.APPROVED, requires_higher_approval=True,
            cumulative_ratio_after=Decimal(ratio), created_by=lifecycle.pm,
        )  # fmt: skip

    just_above = approved_change(above, "100000.04", "0.1000")
    exactly = approved_change(at, "100000.00", "0.1000")
    assert selectors.change_ratio() == Decimal("0.10")
    published = set(selectors.published(selectors.KINDS["change"]).values_list("pk", flat=True))
    assert just_above.pk in published
    assert exactly.pk not in published
    page = text(anonymous().get(reverse("portal:gongshi_list", args=["change"])))
    assert f'id="change-{just_above.pk}"' in page and f'id="change-{exactly.pk}"' not in page


def test_the_manage_page_keeps_a_constant_number_of_queries(client: Any, lifecycle: Any, make_project: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lifecycle.leader)
    url = reverse("portal:gongshi_manage") + "?kind=project"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx)

    for n in range(2):
        approve_initiation(lifecycle, make_project(name=f"项目{n}"))
    client.get(url)  # warm the per-session caches (permissions, navigation)
    small = count()
    for n in range(2, 20):
        p = make_project(name=f"项目{n}")
        approve_initiation(lifecycle, p)
        if n % 3 == 0:
            withdraw_publication(actor=lifecycle.leader, record_type="project", record_id=p.pk, reason="测试撤回原因")
    client.get(url)
    assert count() == small
