"""Pages of the acceptance and the defect period: who may read and act (role matrix, nothing changed on a
refusal), constant query counts as records grow, the Excel export, the workbench items and the panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govworks.closeout.models import Acceptance, AcceptanceParty, DefectPeriod
from govworks.closeout.services import acceptance as s
from govworks.closeout.services import defects as d
from govworks.closeout.tests import acceptance_fixtures as fx
from govworks.closeout.tests.acceptance_fixtures import all_agree, days, organised, passed
from govworks.core.testing.role_matrix import assert_role_matrix

pytestmark = pytest.mark.django_db
acc, cw, lifecycle, make_project = fx.acc, fx.cw, fx.lifecycle, fx.make_project  # the fixtures


def actors(w: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "other_agency": w.other_pm,
        "no_role": w.no_role,
        "with_role": w.pm,
        "head": w.head,
        "leader": w.leader,
        "external": w.stranger,
        "contractor": w.contractor,
        "supervisor": w.supervisor,
    }


def test_role_matrix_reading_the_acceptance_and_defect_pages(client: Client, acc: Any) -> None:
    passed(acc)
    for name in ("closeout:acceptance", "closeout:defects", "closeout:defects_export"):
        assert_role_matrix(
            client, "get", reverse(name, args=[acc.project.pk]), actors=actors(acc),
            expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "with_role": 200, "head": 200,
                      "leader": 200, "contractor": 200, "supervisor": 200},
        )  # fmt: skip
    report = reverse("closeout:acceptance_file", args=[acc.project.pk, 1, "report"])
    assert_role_matrix(
        client, "get", report, actors=actors(acc),
        expected={"anonymous": 302, "other_agency": 404, "external": 404, "with_role": 200, "contractor": 200},
    )  # fmt: skip


def test_role_matrix_declaring_completion(client: Client, acc: Any) -> None:
    url = reverse("closeout:acceptance_declare", args=[acc.project.pk])
    assert_role_matrix(
        client, "post", url, data={"note": "工程已全部完成，自检合格"}, actors=actors(acc),
        snapshot=lambda: Acceptance.objects.count(),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "leader": 403, "supervisor": 403,
                  "contractor": 302},
    )  # fmt: skip
    assert Acceptance.objects.get().declared_by == acc.contractor


def test_role_matrix_signing_an_opinion(client: Client, acc: Any) -> None:
    a = organised(acc)
    party = a.parties.get(role="supervisor")
    url = reverse("closeout:acceptance_opinion", args=[acc.project.pk, party.pk])
    assert_role_matrix(
        client, "post", url, data={"opinion": "agree", "text": "质量评估合格"}, actors=actors(acc),
        snapshot=lambda: list(AcceptanceParty.objects.values_list("opinion", flat=True)),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "leader": 403, "contractor": 403,
                  "supervisor": 302},
    )  # fmt: skip
    assert AcceptanceParty.objects.get(pk=party.pk).opinion == "agree"


def test_role_matrix_concluding(client: Client, acc: Any) -> None:
    a = organised(acc)
    all_agree(acc, a)
    url = reverse("closeout:acceptance_conclude", args=[acc.project.pk])
    assert_role_matrix(
        client, "post", url, data={"passed": "1", "note": "同意验收，工程合格"}, actors=actors(acc),
        snapshot=lambda: list(Acceptance.objects.values_list("status", flat=True)),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "leader": 403, "contractor": 403,
                  "supervisor": 403, "with_role": 302},
    )  # fmt: skip
    assert Acceptance.objects.get().status == "passed"


def test_a_refused_conclusion_shows_the_reason_and_changes_nothing(client: Client, acc: Any) -> None:
    organised(acc)
    client.force_login(acc.pm)
    response = client.post(reverse("closeout:acceptance_conclude", args=[acc.project.pk]), {"passed": "1", "note": "同意验收"})
    assert response.status_code == 400
    assert "验收组各方意见须全部签署" in response.content.decode()
    assert Acceptance.objects.get().status == "organised"


def test_pages_have_constant_query_counts(client: Client, acc: Any, django_assert_max_num_queries: Any) -> None:
    a = organised(acc)
    client.force_login(acc.pm)
    url = reverse("closeout:acceptance", args=[acc.project.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(4):
        s.acceptance_problem_raise(actor=acc.pm, acceptance=a, finding=f"第{n}处墙面空鼓开裂", deadline=days(5))
    all_agree(acc, a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_defect_page_query_count_and_export(client: Client, acc: Any, django_assert_max_num_queries: Any) -> None:
    from govworks.core.xlsx import cell_text_restore  # noqa: F401

    passed(acc)
    period = DefectPeriod.objects.select_related("project", "contract").get()
    client.force_login(acc.pm)
    url = reverse("closeout:defects", args=[acc.project.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(4):
        d.defect_report(actor=acc.pm, period=period, finding=f"=第{n}处外墙渗水", location="外墙")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "第3处外墙渗水" in client.get(url).content.decode()
    response = client.get(reverse("closeout:defects_export", args=[acc.project.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 6 and not str(rows[2][3]).startswith("=")  # the formula-looking text is made inert


def test_workbench_items_for_each_step(acc: Any) -> None:
    from govworks.core.registry import work_items_for

    def titles(user: Any) -> list[str]:
        return [i.title for i in work_items_for(user) if i.kind in ("竣工验收", "验收备案", "缺陷责任期", "质保金返还")]

    a = s.acceptance_declare(actor=acc.contractor, project=acc.project, note="工程已按合同全部完成，自检合格")
    assert any("请组织竣工验收" in t for t in titles(acc.pm))
    a = s.acceptance_organise(
        actor=acc.pm, acceptance=a, scheduled_on=days(0), location="会议室", party_names={"survey": "甲勘察", "design": "乙设计"}
    )
    assert any("待签署意见" in t for t in titles(acc.supervisor))
    [notice_item] = [i for i in work_items_for(acc.pm) if "书面通知质量监督机构" in i.title]
    assert notice_item.due is not None and notice_item.due < days(0)
    fx.notify_supervision(acc, a)
    assert not any("书面通知质量监督机构" in t for t in titles(acc.pm))
    all_agree(acc, a)
    s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格")
    Acceptance.objects.filter(pk=a.pk).update(filing_due_on=days(-1))  # test setup: the 15 days ran out
    assert any("竣工验收备案已逾期" in t for t in titles(acc.pm))
    DefectPeriod.objects.update(ends_on=days(0))
    assert any("请核定返还质量保证金" in t for t in titles(acc.pm))
    assert titles(acc.other_pm) == []


def test_the_workspace_panel_links_the_pages(client: Client, acc: Any) -> None:
    client.force_login(acc.pm)
    page = client.get(reverse("projects:project_detail", args=[acc.project.pk])).content.decode()
    assert 'data-testid="acceptance-panel"' in page
    assert reverse("closeout:acceptance", args=[acc.project.pk]) in page
