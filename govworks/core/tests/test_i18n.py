"""GovWorks speaks Simplified Chinese only (ADR 0027): no language switch is offered, and a browser that asks for
English still gets the whole interface in Chinese rather than a half-translated one."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


def test_home_is_chinese_and_offers_no_switch(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    html = client.get("/").content.decode()
    assert "我的工作台" in html
    assert '<html lang="zh-CN">' in html
    assert 'name="language"' not in html
    assert "English" not in html


def test_an_english_browser_still_gets_chinese(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "我的工作台" in html
    assert "My workbench" not in html
    client.logout()
    login = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "账号登录" in login


def test_the_language_switch_url_is_gone(client: Any) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("set_language")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 404
