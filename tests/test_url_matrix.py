"""Role × URL matrix over the whole URL configuration (issue 12, "Proof"); see ``tests/url_matrix.py``."""

from __future__ import annotations

import os
import pprint
from typing import Any

import pytest
from django.core.management import call_command

from tests import plain_language as plain
from tests import url_matrix as m
from tests.url_policy import ADMIN_MAY_READ, DECLARED, PUBLIC, SAMPLE_KWARGS, UNREACHED

pytestmark = pytest.mark.django_db(transaction=False)

BUSINESS = ("projects:", "procurement:", "construction:", "finance:", "closeout:", "integrity:")


def _users() -> dict[str, Any]:
    from govworks.org.models import User
    from govworks.org.tests.factories import AgencyFactory, RoleGrantFactory, UserFactory

    other_agency = AgencyFactory(name="邻江市机关事务管理局", short_name="邻市机关事务局")
    other = UserFactory(username="other", full_name="邻市经办人", agency=other_agency)
    RoleGrantFactory(user=other, agency=other_agency, role="project_manager")
    User.objects.update(must_change_password=False)
    by_name = {u.username: u for u in User.objects.filter(username__in=[v for v in m.PERSONAS.values() if v])}
    return {persona: (by_name[name] if name else None) for persona, name in m.PERSONAS.items()}


def test_every_url_answers_every_persona_as_declared() -> None:
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = _users()
    samples = m.crawl(users)
    m.borrow(samples, users, {name: make() for name, make in SAMPLE_KWARGS.items()})
    shown: dict[str, set[str]] = {}

    def plain_language(persona: str, path: str, html: str) -> None:
        if not plain.KEY_PAGES.match(path):
            for word in plain.identifiers_shown(html):
                shown.setdefault(word, set()).add(path)

    observed, leaks = m.observe(samples, users, on_page=plain_language)
    if os.environ.get("GW_PLAIN_LANGUAGE_WRITE"):
        with open(os.environ["GW_PLAIN_LANGUAGE_WRITE"], "w") as out:
            out.write("\n".join(f"{w}\t{sorted(paths)[:5]}" for w, paths in sorted(shown.items())))
    rows = {key: m.compact(row) for key, row in observed.items()}
    if os.environ.get("GW_URL_POLICY_WRITE"):
        with open(os.environ["GW_URL_POLICY_WRITE"], "w") as out:
            out.write(pprint.pformat(rows, width=200, sort_dicts=True))

    problems: list[str] = []
    reached = {name for name, _ in observed}
    for name in m.all_url_names():
        if name not in reached and name not in UNREACHED:
            problems.append(f"{name}: no path found by the crawl and not declared in UNREACHED")
    for key, text in sorted(rows.items()):
        want = DECLARED.get(key)
        if want is None:
            problems.append(f"{key}: no declared policy; observed {text!r}")
        elif m.expand(want) != observed[key]:
            problems.append(f"{key}: declared {want!r}, observed {text!r}")
        name, _method = key
        row = observed[key]
        if name not in PUBLIC and not name.startswith("portal:") and row["anon"] not in ("login", "401", "403", "404", "405"):
            problems.append(f"{key}: anonymous got {row['anon']}")
        if name.startswith(BUSINESS) and name not in ADMIN_MAY_READ:
            for admin in m.ADMINS:
                if row[admin] in m.SUCCESS:
                    problems.append(f"{key}: administrator {admin} got {row[admin]} on business work")
    problems.extend(leaks)
    for word, paths in sorted(shown.items()):
        problems.append(f"system identifier {word!r} shown to people on {sorted(paths)[:5]} (say it in Chinese: issue 16)")
    if os.environ.get("GW_URL_POLICY_WRITE"):
        with open(os.environ["GW_URL_POLICY_WRITE"] + ".problems", "w") as out:
            out.write("\n".join(problems))
    assert not problems, "\n".join(problems)
