"""The role × URL matrix (issue 12, "Proof"): every URL of the configuration, called as every kind of person,
answers as declared in ``tests/url_policy.py``.

How the URLs get their ids: the demo is loaded and crawled as a few people (links, form actions and htmx
attributes of every page they can open), keeping one concrete path per URL name — a sample, not every row.
URL names the crawl cannot reach are declared in ``url_policy.UNREACHED`` with the reason.

Each call runs inside a transaction that is rolled back, so a POST that succeeds for an authorised person
does not change the world for the next call; the SQL it sent is captured, which is how "a refused write
changed nothing" is checked: a refusal may write only the tables in ``REFUSAL_MAY_WRITE`` (sessions, the
lockout log, the audit event that records the refused attempt).

``python -m tests.url_matrix`` prints the observed table in the format of ``url_policy.DECLARED`` so a new
URL's row can be reviewed and pasted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

#: person key → demo user name (None: anonymous; "other": a person of an unrelated agency made by the test)
PERSONAS: dict[str, str | None] = {
    "anon": None,
    "pm": "liming",  # 工程管理岗 (基建科)
    "head": "chenzq",  # 科室负责人
    "leader": "zhaolx",  # 分管领导
    "chief": "sungp",  # 主要领导
    "finance": "liujing",  # 财务
    "discipline": "wuhy",  # 纪检监察
    "audit": "zhengli",  # 内审
    "liaison": "huangwei",  # 项目联络员
    "archivist": "hemin",  # 档案员
    "sub_pm": "caiyun",  # 工程管理岗 of a subordinate agency
    "other": "other",  # 工程管理岗 of an unrelated agency
    "contractor": "machao",  # external: 施工单位
    "supervisor": "yangfan",  # external: 监理单位
    "sysadmin": "sysadmin",
    "secadmin": "secadmin",
    "auditadmin": "auditadmin",
}
ADMINS = ("sysadmin", "secadmin", "auditadmin")
#: people whose pages are crawled for links (between them they reach every module)
CRAWLERS = ("pm", "chief", "finance", "discipline", "contractor", "supervisor", "sysadmin", "secadmin", "auditadmin", "sub_pm")
#: pages of one kind a crawler opens for links (objects in different states carry different actions)
PAGES_PER_KIND = 4
SKIP_PATH = re.compile(r"^/(static/|media/|i18n/|accounts/logout/)")
LINK = re.compile(r"""(?:href|hx-get|data-url|data-href|src)=["'](/[^"'#\s]*)""")
POST_ATTR = re.compile(r"""hx-post=["'](/[^"'#\s]*)""")
FORM = re.compile(r"<form\b([^>]*)>", re.I)
ATTR = re.compile(r"""(\w[\w-]*)=["']([^"']*)["']""")
#: a refused or re-rendered write may touch only these tables
REFUSAL_MAY_WRITE = ("django_session", "axes_", "core_auditevent", "core_auditchainhead", "core_auditcheckpoint")
WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z0-9_]+)"?', re.I)


@dataclass
class Samples:
    """One concrete path per (URL name, method) found by the crawl."""

    paths: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, method: str, path: str) -> bool:
        path = path.split("#")[0]
        if SKIP_PATH.match(path):
            return False
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            return False
        key = (match.view_name, method)
        if key in self.paths:
            return False
        self.paths[key] = path
        return True


def all_url_names() -> list[str]:
    """Every named URL of the configuration (format-suffix duplicates of the API collapse to one name)."""
    names: list[str] = []

    def walk(patterns: Iterable[Any], namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ([p.namespace] if p.namespace else []))
            elif isinstance(p, URLPattern) and p.name:
                name = ":".join([*namespaces, p.name])
                if name not in names:
                    names.append(name)

    walk(get_resolver().url_patterns, [])
    return names


def parameterless_paths() -> list[str]:
    found: list[str] = []

    def walk(patterns: Iterable[Any], prefix: str) -> None:
        for p in patterns:
            text = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + text)
            elif isinstance(p, URLPattern):
                full = prefix + text
                if "<" in full or "(?P" in full or "\\." in full:
                    continue
                path = "/" + full.replace("^", "").replace("$", "")
                if path not in found:
                    found.append(path)

    walk(get_resolver().url_patterns, "")
    return found


def _links(html: str, here: str) -> tuple[list[str], list[str]]:
    gets = LINK.findall(html)
    posts = POST_ATTR.findall(html)
    for attrs in FORM.findall(html):
        parsed = {k.lower(): v for k, v in ATTR.findall(attrs)}
        action = parsed.get("action") or here
        if not action.startswith("/"):
            continue
        (posts if parsed.get("method", "get").lower() == "post" else gets).append(action.replace("&amp;", "&"))
    return [g.replace("&amp;", "&") for g in gets], posts


def crawl(users: dict[str, Any]) -> Samples:
    """Breadth-first over what each crawler can open, one page per URL name (sampling ids, not every row)."""
    samples = Samples()
    for persona in CRAWLERS:
        client = Client()
        client.force_login(users[persona])
        queue = list(parameterless_paths())
        seen_pages: set[str] = set()
        while queue:
            path = queue.pop(0)
            if path in seen_pages or SKIP_PATH.match(path):
                continue
            seen_pages.add(path)
            try:
                view_name = resolve(path.split("?")[0]).view_name
            except Resolver404:
                continue
            samples.add("GET", path)
            if sum(1 for p in seen_pages if _view_of(p) == view_name) > PAGES_PER_KIND:
                continue  # enough pages of this kind opened for links
            response = _rolled_back(lambda c=client, p=path: c.get(p, HTTP_ACCEPT="text/html"))[0]
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            gets, posts = _links(response.content.decode("utf-8", "replace"), path)
            for p in posts:
                samples.add("POST", p)
            for g in gets:
                if g not in seen_pages:
                    queue.append(g)
    return samples


def routes() -> dict[str, tuple[str, list[str]]]:
    """URL name → (the route's text before its first parameter, its parameter names)."""
    found: dict[str, tuple[str, list[str]]] = {}
    param = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")

    def walk(patterns: Iterable[Any], prefix: str, namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), namespaces + ([p.namespace] if p.namespace else []))
            elif isinstance(p, URLPattern) and p.name:
                name = ":".join([*namespaces, p.name])
                full = (prefix + str(p.pattern)).replace("^", "")
                names = [a or b for a, b in param.findall(full)]
                head = re.split(r"<|\(\?P", full)[0]
                found.setdefault(name, (head, names))

    walk(get_resolver().url_patterns, "", [])
    return found


def borrow(samples: Samples, users: dict[str, Any], extra_kwargs: dict[str, dict[str, Any]]) -> None:
    """Give URL names the crawl did not reach a path: a DRF detail takes the first id of its list; a page
    takes the ids of a sampled page whose route starts the same way (``/tenders/<pk>/open/`` from
    ``/tenders/<pk>/``); ``extra_kwargs`` adds values no sampled page carries. Both GET and POST are tried."""
    from django.urls import NoReverseMatch, reverse

    table = routes()
    reached = {name for name, _ in samples.paths}
    known: list[tuple[str, dict[str, Any]]] = []
    for (name, _), path in samples.paths.items():
        match = resolve(path.split("?")[0])
        if match.kwargs:
            known.append((table.get(name, ("", []))[0], dict(match.kwargs)))
    api_clients = []
    for persona in ("pm", "finance", "chief", "auditadmin", "secadmin"):
        client = Client()
        client.force_login(users[persona])
        api_clients.append(client)
    for name, (head, params) in table.items():
        if name in reached or not params:
            continue
        kwargs: dict[str, Any] | None = None
        if name in extra_kwargs and all(p in extra_kwargs[name] for p in params):
            kwargs = dict(extra_kwargs[name])
        elif name.endswith("-detail") or ("-" in name and ":" not in name):
            base = name.rsplit("-", 1)[0]
            for api in api_clients:
                try:
                    listing = api.get(reverse(f"{base}-list"), HTTP_ACCEPT="application/json")
                except NoReverseMatch:
                    break
                if listing.status_code == 200:
                    data = listing.json()
                    rows = data.get("results", data) if isinstance(data, dict) else data
                    ident = next((rows[0][k] for k in ("id", "pk", "sequence") if rows and k in rows[0]), None)
                    if ident is not None:
                        kwargs = {params[0]: ident}
                        break
            if kwargs is None and name.rsplit("-", 1)[0] + "-detail" in table:
                detail = name.rsplit("-", 1)[0] + "-detail"
                for (n, _), path in samples.paths.items():
                    if n == detail:
                        kwargs = dict(resolve(path).kwargs)
        else:
            for other_head, other_kwargs in known:
                if other_head == head and all(p in other_kwargs or p in extra_kwargs.get(name, {}) for p in params):
                    kwargs = {p: other_kwargs.get(p, extra_kwargs.get(name, {}).get(p)) for p in params}
                    break
        if kwargs is None or any(v is None for v in kwargs.values()):
            continue
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        samples.paths.setdefault((name, "GET"), path)
        samples.paths.setdefault((name, "POST"), path)


def _view_of(path: str) -> str | None:
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return None


def _rolled_back(call: Any) -> tuple[Any, list[str]]:
    """Run ``call()`` in a transaction that is rolled back; return the response and the SQL it sent."""
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response, [q["sql"] for q in ctx.captured_queries]


def written_tables(statements: list[str]) -> set[str]:
    tables = set()
    for sql in statements:
        m = WRITE_SQL.match(sql)
        if m:
            tables.add(m.group(2).lower())
    return tables


def status_word(response: Any) -> str:
    """200, 403 …; a redirect to the sign-in page is ``login``, any other redirect ``302``."""
    code = response.status_code
    if code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return "login"
    return str(code)


SUCCESS = {"200", "201", "204", "302"}


def observe(
    samples: Samples, users: dict[str, Any], on_page: Any = None
) -> tuple[dict[tuple[str, str], dict[str, str]], list[str]]:
    """Call every sampled path as every persona; return the statuses and the refused writes that wrote.
    ``on_page(persona, path, html)`` is called with every HTML page a GET answered with 200."""
    table: dict[tuple[str, str], dict[str, str]] = {}
    leaks: list[str] = []
    clients: dict[str, Client] = {}
    for persona in PERSONAS:
        client = Client()
        if users.get(persona) is not None:
            client.force_login(users[persona])
        clients[persona] = client
    for (name, method), path in sorted(samples.paths.items()):
        row: dict[str, str] = {}
        for persona, client in clients.items():
            caller = client.get if method == "GET" else client.post
            response, sql = _rolled_back(lambda c=caller, p=path: c(p, HTTP_ACCEPT="text/html"))
            word = status_word(response)
            row[persona] = word
            if on_page is not None and method == "GET" and word == "200" and "html" in response.get("Content-Type", ""):
                on_page(persona, path, response.content.decode("utf-8", "replace"))
            if method == "POST" and (word not in SUCCESS or word == "200"):
                extra = {t for t in written_tables(sql) if not t.startswith(REFUSAL_MAY_WRITE)}
                if extra:
                    leaks.append(f"POST {path} as {persona} → {word} but wrote {sorted(extra)}")
        table[(name, method)] = row
    return table, leaks


def compact(row: dict[str, str]) -> str:
    """``{"anon": "login", "pm": "200", …}`` → ``"login: anon | 200: pm head …"`` (statuses in first-seen order)."""
    groups: dict[str, list[str]] = {}
    for persona in PERSONAS:
        groups.setdefault(row[persona], []).append(persona)
    return " | ".join(f"{status}: {' '.join(people)}" for status, people in groups.items())


def expand(text: str) -> dict[str, str]:
    row: dict[str, str] = {}
    for part in text.split("|"):
        status, _, people = part.strip().partition(":")
        for person in people.split():
            row[person] = status.strip()
    return row
