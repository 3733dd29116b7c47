"""Query budgets (issue 7 item 3): every page without parameters (lists, registers, dashboards, the
workbench) and every API list answers with the same number of SQL queries however many rows there are.

The demo is loaded, every such URL is requested as each of the demo's people (a 工程管理岗, a leader, 财务,
纪检监察, 内审, the 系统管理员 and 安全审计员), the queries counted; then the demo agencies' data grows —
projects, contracts, changes, suppliers, the later modules' rows and audit events, through the benchmark
generator (``bench/generate.py``) — and every count must be the same. New pages and API lists are picked
up from the URL configuration without being listed here."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db(transaction=False)

PERSONAS = ["liming", "sungp", "liujing", "wuhy", "zhengli", "sysadmin", "auditadmin"]
#: paths that are not pages to count: sign-in/out, language switch, health check, the OpenAPI schema
#: (generated from code, no rows), the browsable API root
SKIP = re.compile(r"^/(accounts/|i18n/|healthz|api/schema|api/$|static/|media/)")
#: no page may need more than this many queries, whatever it shows
CEILING = 45


def _load_generator() -> Any:
    path = Path(settings.BASE_DIR) / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


def parameterless_paths() -> list[str]:
    """Every GET-able URL of the configuration that takes no parameter (API lists included)."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            text = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + text)
            elif isinstance(p, URLPattern):
                full = prefix + text
                if "<" in full or "(?P" in full or "\\." in full:
                    continue
                path = "/" + full.replace("^", "").replace("$", "")
                if not SKIP.match(path) and path not in found:
                    found.append(path)

    walk(get_resolver().url_patterns, "")
    return found


def measure(paths: list[str]) -> dict[tuple[str, str], int]:
    from govworks.org.models import User

    counts: dict[tuple[str, str], int] = {}
    for username in PERSONAS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        for path in paths:
            client.get(path)  # warm the per-process caches (rule parameters, content types)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, HTTP_ACCEPT="text/html,application/json")
            if response.status_code == 200:
                counts[(username, path)] = len(ctx.captured_queries)
    return counts


def test_every_list_page_and_api_list_has_a_constant_query_count() -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from govworks.org.models import Agency, User

    User.objects.update(must_change_password=False)
    paths = parameterless_paths()
    assert "/projects/" in paths and "/procurement/contracts/" in paths and "/api/projects/projects/" in paths
    before = measure(paths)
    assert len(before) > 40, "too few pages answered 200: the personas or the demo changed"

    generate = _load_generator()
    scale = generate.Scale(
        agencies=0, projects=60, suppliers=30, contracts=150, changes=40, payments=150, daily_reports=300, audit_events=400
    )
    demo_agencies = list(Agency.objects.filter(name__startswith="临江市").order_by("id").values_list("pk", flat=True))
    world = generate.world_of_agencies(demo_agencies, scale=scale, tag="Q", seed=7)
    generate.grow(world)
    after = measure(paths)

    changed = {key: (n, after.get(key)) for key, n in before.items() if after.get(key) != n}
    assert not changed, "query count depends on the data (persona, path): (before, after): " + repr(changed)
    too_many = {key: n for key, n in after.items() if n > CEILING}
    assert not too_many, f"pages above {CEILING} queries: {too_many}"
