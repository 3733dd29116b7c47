"""The demo (seed_demo) holds a project in 竣工决算 with its final accounts under way and one in 资产移交 whose list
waits for the using department; the people named on them see their workbench items; the pages open."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_final_accounts_and_asset_handover(client: Any) -> None:
    from govworks.closeout.demo_final import DRAFTING, HANDOVER
    from govworks.closeout.models import AssetHandover
    from govworks.closeout.selectors import final_accounts as selectors
    from govworks.core.registry import work_items_for
    from govworks.org.models import User
    from govworks.projects.models import Project

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    drafting = Project.objects.get(name=DRAFTING)
    handed = Project.objects.get(name=HANDOVER)
    sheet = selectors.sheet_of(drafting)
    assert sheet.state == "draft" and sheet.contract_cost > 0 and sheet.other_cost > 0 and sheet.pending_extension
    assert selectors.sheet_of(handed).state == "approved"
    handover = AssetHandover.objects.get(project=handed)
    assert handover.status == "submitted" and handover.cards.count() >= 3
    users = {u.username: u for u in User.objects.filter(username__in=["hemin", "zhaolx", "liujing"])}
    assert any(i.kind == "资产移交" and HANDOVER in i.title for i in work_items_for(users["hemin"]))
    assert any("延期" in i.title for i in work_items_for(users["zhaolx"]))
    User.objects.update(must_change_password=False)
    client.force_login(users["liujing"])
    for url in (
        f"/closeout/final-accounts/{drafting.pk}/",
        f"/closeout/assets/{handed.pk}/",
        "/closeout/final-accounts/",
        "/closeout/assets/",
    ):
        assert client.get(url).status_code == 200, url
