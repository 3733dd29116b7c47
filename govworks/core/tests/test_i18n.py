"""The UI chrome is Simplified Chinese by default and switches to English through the language selector."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def switch_to_english(client: Any, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def nav_section_names(html: str) -> list[str]:
    """The dropdown titles of the main navigation, in order (the first entry is the workbench link)."""
    return re.findall(
        r'dropdown-toggle"[^>]*>\s*<span class="nav-link-icon">.*?</span><span class="nav-link-title">(.*?)</span>', html, re.S
    )


def test_home_is_chinese_by_default(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    html = client.get("/").content.decode()
    assert "我的工作台" in html
    assert '<html lang="zh-CN">' in html
    assert nav_section_names(html) == ["组织机构", "系统管理"]
    assert "My workbench" not in html


def test_switching_to_english_translates_the_chrome(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    switch_to_english(client)
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "My workbench" in html
    assert "GovWorks – Agency Construction Management" in html
    assert "Sign out" in html
    # the navigation sections are lazy strings resolved per request, and still group their items
    assert nav_section_names(html) == ["Organization", "System administration"]
    assert ">Agencies</a>" in html
    assert ">Rule parameters</a>" in html
    assert "我的工作台" not in html
    assert "组织机构" not in html
    # role names (roles.py) are not translated: the badge still reads 系统管理员


def test_switching_back_to_chinese(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    switch_to_english(client)
    assert "My workbench" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert "我的工作台" in html
    assert nav_section_names(html) == ["组织机构", "系统管理"]


def test_org_pages_in_english(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    switch_to_english(client)
    html = client.get(reverse("org:agency_list")).content.decode()
    assert "<title>Agencies · GovWorks – Agency Construction Management</title>" in html
    assert "Unified social credit code" in html
    assert world.city.name in html  # data stays as entered


def test_login_page_in_english_after_switching(client: Any, world: Any) -> None:
    client.force_login(world.sysadmin)
    switch_to_english(client)
    client.post(reverse("logout"))  # signing out keeps the language choice
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Account sign-in" in html
    assert "Username" in html and "Password" in html
    assert "账号登录" not in html


def test_login_page_is_chinese_by_default(client: Any) -> None:
    html = client.get(reverse("login")).content.decode()
    assert "账号登录" in html
    assert "Account sign-in" not in html


def test_catalogue_is_complete_and_compiled() -> None:
    po = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    # an untranslated entry is an empty msgstr that is not followed by continuation lines (only the header is)
    untranslated = re.findall(r'^msgid "(.+)"\nmsgstr ""\n(?!")', po, re.M)
    assert untranslated == []
    assert 'msgstr[0] ""' not in po and 'msgstr[1] ""' not in po
    assert MO_FILE.exists()
    with translation.override("en"):
        assert translation.gettext("我的工作台") == "My workbench"
        assert translation.pgettext("plural", "单位") == "Agencies"
        assert translation.gettext("单位") == "Agency"
