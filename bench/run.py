"""Benchmark suite (issue 7): the main pages under load on loopback, through the real server stack.

    python bench/generate.py --scale province        # first: the data
    python bench/run.py [--scale province] [--duration 10] [--users 20] [--workers 4]

Uses the database ``generate.py`` filled (DATABASE_URL, or var/bench-<scale>.sqlite3). Starts gunicorn
(deploy/gunicorn.conf.py, DEBUG off) on a free loopback port, signs in as realistic users of the
generated province (the provincial agency's leader reads all 50,000 projects; a county's 工程管理岗 reads
its own), and for every page:

* counts its SQL queries (one request in-process through Django's test client);
* warms it up (3 s of load, not reported), then loads it with wrk (Debian package, installed on first
  use) with one connection and with ``--users`` connections, reporting p50/p95/p99 latency and requests
  per second;
* reports p95 as a ratio to the bare-view ceiling: ``/healthz`` through the same server, middleware and
  session cookie, measured in the same run;
* reports its throughput as a share of a bare Django "hello" project (``bench/hello/hello_project.py``,
  same gunicorn settings, started by this script) measured in the same run — the ceiling;
* records the load average before each row (the machine is shared: a row measured under a load
  above ``--max-load`` waits up to a minute for it to fall and is repeated once at the end).

``--app-root DIR`` serves another checkout of GovWorks (e.g. ``git archive <commit>`` of the code
before a change, with the same ``.venv``) against the same database, so before and after are measured
in one run; ``--only`` picks rows by name.

It also times the Excel export of the contract register (the background job, run in-process) at two
sizes and reports the process's peak resident memory after each, to show it streams.

Output: bench/results/run-<db>-<scale>-<stamp>.json, run-<db>-<scale>-latest.md (the table) and
run-<db>-<scale>-latest.svg (p95 per page, one user and ``--users`` users, against the targets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_ONE_MS = 100
TARGET_MANY_MS = 300

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('WRKJSON {"p50": %.3f, "p95": %.3f, "p99": %.3f, "rps": %.2f, "requests": %d, "errors": %d, "non2xx": %d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1000000), summary.requests, errors, summary.errors.status))
end
"""


@dataclass
class Page:
    name: str
    persona: str
    path: str


def setup(scale: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if "DATABASE_URL" not in os.environ:
        db = ROOT / "var" / f"bench-{scale}.sqlite3"
        if not db.exists():
            sys.exit(f"没有基准数据：请先运行 python bench/generate.py --scale {scale}")
        os.environ["SQLITE_PATH"] = str(db)
    import django

    django.setup()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["bash", "-c", f"source {ROOT}/scripts/bootstrap.sh && ensure_debian_packages wrk"], check=False)
    found = shutil.which("wrk")
    if not found:
        sys.exit("需要 wrk（Debian 软件包 wrk）：请以 root 运行或 apt-get install wrk")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int, app: str = "config.wsgi:application", root: Path = ROOT) -> subprocess.Popen[bytes]:
    env = dict(os.environ, GUNICORN_ACCESSLOG="/dev/null", GUNICORN_WORKERS=str(workers))
    env.pop("PYTHONPATH", None)
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            app,
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(root),
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn 未能启动：" + (proc.stderr.read().decode() if proc.stderr else ""))


def personas() -> dict[str, Any]:
    """Realistic users of the generated data (see generate.py): the province leader, a county 工程管理岗,
    the province's 财务 and 纪检监察, and the demo's 安全审计员 for the audit log."""
    from govworks.org.models import Agency, User

    root = Agency.objects.filter(name="省机关事务管理局（基准）").first()
    if root is None:
        sys.exit("数据库中没有基准数据：请先运行 python bench/generate.py")
    county = Agency.objects.filter(name__startswith="县级机关事务单位").order_by("id").first() or root
    found = {
        "province_leader": User.objects.get(username=f"bench_{root.pk}_principal_leader"),
        "province_finance": User.objects.get(username=f"bench_{root.pk}_finance"),
        "province_discipline": User.objects.get(username=f"bench_{root.pk}_discipline"),
        "county_pm": User.objects.get(username=f"bench_{county.pk}_project_manager"),
        "auditor": User.objects.filter(username=f"bench_{root.pk}_audit_admin").first(),
    }
    User.objects.filter(pk__in=[u.pk for u in found.values() if u]).update(must_change_password=False)
    return found


def pages(people: dict[str, Any]) -> list[Page]:
    """The main pages of every module that is installed (a page whose route does not exist is left out)."""
    from django.urls import NoReverseMatch, reverse

    from govworks.procurement.models import Contract
    from govworks.projects.models import Project

    pm = people["county_pm"]
    project = Project.objects.filter(agency=pm.agency, stage="construction").order_by("id").first() or (
        Project.objects.filter(agency=pm.agency).order_by("id").first()
    )
    contract = Contract.objects.filter(project=project).order_by("id").first() if project else None
    wanted: list[tuple[str, str, str, list[Any], str]] = [
        ("首页（工作台）", "county_pm", "home", [], ""),
        ("项目列表（全省，筛选）", "province_leader", "projects:project_list", [], "?stage=construction&q=改造"),
        ("项目列表（全省，翻页）", "province_leader", "projects:project_list", [], "?page=100"),
        ("项目工作台", "county_pm", "projects:project_detail", [project.pk if project else 0], ""),
        ("合同台账（全省）", "province_leader", "procurement:contract_list", [], ""),
        ("合同台账（搜索）", "province_leader", "procurement:contract_list", [], "?q=监理"),
        ("合同详情", "county_pm", "procurement:contract_detail", [contract.pk if contract else 0], ""),
        ("红黄绿灯总览", "province_leader", "construction:portfolio", [], ""),
        ("付款申请列表", "province_finance", "finance:request_list", [], ""),
        ("资金数据中心", "province_leader", "finance:dashboard", [], ""),
        ("审计日志检索", "auditor", "core:audit_list", [], "?action=procurement."),
    ]
    result = []
    for name, persona, route, args, query in wanted:
        if people.get(persona) is None:
            continue
        try:
            result.append(Page(name, persona, reverse(route, args=args) + query))
        except NoReverseMatch:
            print(f"  （跳过 {name}：{route} 不存在）", file=sys.stderr)
    return result


def session_cookies(people: dict[str, Any]) -> dict[str, str]:
    from django.conf import settings
    from django.test import Client

    cookies = {}
    for key, user in people.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        cookies[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def query_count(path: str, user: Any) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return response.status_code, len(ctx.captured_queries)


def wrk(binary: str, url: str, cookie: str, connections: int, duration: int, script: Path) -> dict[str, float]:
    threads = min(connections, 2)
    out = subprocess.run(
        [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
    return json.loads(line[len("WRKJSON ") :])


def export_memory(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Run the contract-register export job in-process: rows, seconds, and the process's peak resident
    memory after it (``ru_maxrss``; run a small export first, then a large one: a streaming export leaves
    the peak where it was)."""
    import resource

    from govworks.core.exports import export_job_run
    from govworks.core.models import ExportJob

    job = ExportJob.objects.create(kind="procurement.contracts", title="合同台账", params=params, requested_by=user)
    started = time.perf_counter()
    export_job_run.call(job.pk)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job.refresh_from_db()
    return {"params": params, "rows": job.rows_done, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb, 1)}


def run_exports(people: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract register exported by the province leader: one project's contracts, then every signed one."""
    from govworks.projects.models import Project

    leader = people["province_leader"]
    project = Project.objects.filter(agency=people["county_pm"].agency).order_by("id").first()
    exports = [
        export_memory(leader, {"project": str(project.pk) if project else ""}),
        export_memory(leader, {"status": "signed"}),
    ]
    for e in exports:
        print(f"  合同台账导出 {e['rows']:,} 行：{e['seconds']} 秒，进程内存峰值 {e['peak_rss_mb']} MB", file=sys.stderr)
    return exports


def svg_chart(rows: list[dict[str, Any]], users: int) -> str:
    """Horizontal bars: p95 with one user and with ``users`` users per page, target lines at 100/300 ms."""
    width, left, bar_h = 900, 230, 9
    top = 40
    height = top + len(rows) * 30 + 40
    scale_max = max([TARGET_MANY_MS * 1.2] + [r["many"]["p95"] for r in rows] + [r["one"]["p95"] for r in rows])
    x = lambda ms: left + (width - left - 60) * ms / scale_max  # noqa: E731
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="Noto Sans CJK SC, sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="20" font-size="14">p95 延迟（毫秒）：蓝 = 1 个用户，橙 = {users} 个并发用户；虚线为目标 100 / 300 ms</text>',
    ]
    for target in (TARGET_ONE_MS, TARGET_MANY_MS):
        parts.append(
            f'<line x1="{x(target):.1f}" y1="{top - 8}" x2="{x(target):.1f}" y2="{height - 30}" stroke="#d63939" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{x(target) + 3:.1f}" y="{height - 16}" fill="#d63939">{target}</text>')
    for i, r in enumerate(rows):
        y = top + i * 30
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{r["name"]}</text>')
        for j, (key, colour) in enumerate((("one", "#206bc4"), ("many", "#f59f00"))):
            ms = r[key]["p95"]
            parts.append(
                f'<rect x="{left}" y="{y + j * (bar_h + 1)}" width="{max(1.0, x(ms) - left):.1f}" height="{bar_h}" fill="{colour}"/>'
            )
            parts.append(f'<text x="{x(ms) + 4:.1f}" y="{y + j * (bar_h + 1) + 8}" font-size="10">{ms:.0f}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def settle(max_load: float, wait_s: int = 60) -> float:
    """Wait (up to ``wait_s``) until the 1-minute load average is below ``max_load``; the load then."""
    deadline = time.time() + wait_s
    while load_average() > max_load and time.time() < deadline:
        time.sleep(5)
    return load_average()


def measure(binary: str, url: str, cookie: str, users: int, duration: int, script: Path, max_load: float) -> dict[str, Any]:
    """Warm-up (3 s, not reported), then one connection and ``users`` connections, each with the load before."""
    wrk(binary, url, cookie, 2, 3, script)
    load_one = settle(max_load)
    one = wrk(binary, url, cookie, 1, duration, script)
    load_many = settle(max_load)
    many = wrk(binary, url, cookie, users, duration, script)
    return {"one": dict(one, load=load_one), "many": dict(many, load=load_many)}


def share(value: float, ceiling: float) -> float | None:
    return round(100 * value / ceiling, 2) if ceiling else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="province", help="which generated SQLite file to use when DATABASE_URL is not set")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and user count")
    parser.add_argument("--users", type=int, default=20, help="concurrent users (wrk connections) of the second run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--max-load", type=float, default=float(os.cpu_count() or 2) * 2, help="load average above which a row waits"
    )
    parser.add_argument("--app-root", type=Path, default=ROOT, help="the GovWorks checkout to serve (default: this one)")
    parser.add_argument("--label", default="", help="a name for this run in the output (e.g. the commit)")
    parser.add_argument("--only", default="", help="comma-separated substrings: measure only the rows whose name matches")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--exports-only", action="store_true", help="only the export measurement")
    args = parser.parse_args()
    setup(args.scale)
    from django.db import connection

    from govworks.core.models import AuditEvent
    from govworks.procurement.models import Contract
    from govworks.projects.models import Project

    binary = ensure_wrk()
    people = personas()
    vendor = connection.vendor
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    if args.exports_only:
        exports = run_exports(people)
        lines = ["| export (in order) | rows | seconds | process peak RSS after |", "|---|---|---|---|"]
        lines += [
            f"| 合同台账 {json.dumps(e['params'], ensure_ascii=False)} | {e['rows']:,} | {e['seconds']} | {e['peak_rss_mb']} MB |"
            for e in exports
        ]
        (out / f"exports-{vendor}-{args.scale}-latest.md").write_text("\n".join(lines) + "\n")
        print("\n".join(lines))
        return
    page_list = [Page("健康检查（已登录）", "county_pm", "/healthz"), *pages(people)]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        page_list = [p for p in page_list if any(w in p.name or w in p.path for w in wanted)]
    cookies = session_cookies(people)
    counts = {
        "projects": Project.objects.count(),
        "contracts": Contract.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }
    script = ROOT / "var" / "wrk-report.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(WRK_SCRIPT)
    print(f"基准：{vendor}，{counts}，每页 {args.duration} 秒 × 2（1 个 / {args.users} 个用户）", file=sys.stderr)

    # the ceiling: bare Django "hello" on the same gunicorn settings, same run
    hello_port = free_port()
    hello = start_server(hello_port, args.workers, app="bench.hello.hello_project:application")
    try:
        ceiling = measure(binary, f"http://127.0.0.1:{hello_port}/healthz", "", args.users, args.duration, script, args.max_load)
    finally:
        os.killpg(hello.pid, signal.SIGTERM)
        hello.wait(timeout=30)
    print(
        f"  上限（裸 Django hello）：1 用户 {ceiling['one']['rps']:.0f} 次/秒（p50 {ceiling['one']['p50']:.2f} ms），"
        f"{args.users} 用户 {ceiling['many']['rps']:.0f} 次/秒",
        file=sys.stderr,
    )

    port = free_port()
    server = start_server(port, args.workers, root=args.app_root.resolve())
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []

    def row_of(page: Page) -> dict[str, Any]:
        status, queries = query_count(page.path, people[page.persona])
        url = base + urllib.parse.quote(page.path, safe="/?&=")
        m = measure(binary, url, cookies[page.persona], args.users, args.duration, script, args.max_load)
        row = {"name": page.name, "path": page.path, "persona": page.persona, "status": status, "queries": queries, **m}
        row["share_one"] = share(m["one"]["rps"], ceiling["one"]["rps"])
        row["share_many"] = share(m["many"]["rps"], ceiling["many"]["rps"])
        row["cost_x"] = round(ceiling["one"]["rps"] / m["one"]["rps"], 1) if m["one"]["rps"] else None
        print(
            f"  {page.name}: {status}，{queries} 条查询，p95 {m['one']['p95']:.1f} ms / {m['many']['p95']:.1f} ms（{args.users} 用户），"
            f"{m['one']['rps']:.0f} / {m['many']['rps']:.0f} 次/秒，上限的 {row['share_one']} % / {row['share_many']} %"
            f"（负载 {m['one']['load']} / {m['many']['load']}）",
            file=sys.stderr,
        )
        return row

    try:
        rows = [row_of(page) for page in page_list]
        loaded = [i for i, r in enumerate(rows) if max(r["one"]["load"], r["many"]["load"]) > args.max_load]
        for i in loaded:  # measured under load: once more, at the end
            again = row_of(page_list[i])
            again["repeated"] = True
            rows.append(again)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    exports = [] if args.skip_export else run_exports(people)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    result = {
        "benchmark": "run",
        "label": args.label,
        "app_root": str(args.app_root),
        "database": vendor,
        "scale": args.scale,
        "counts": counts,
        "duration_s": args.duration,
        "users": args.users,
        "workers": args.workers,
        "ceiling": ceiling,
        "pages": rows,
        "exports": exports,
    }
    (out / f"run-{vendor}-{args.scale}-{stamp}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    ok = lambda v, target: "✓" if v < target else "✗"  # noqa: E731
    c1, cn = ceiling["one"], ceiling["many"]
    lines = [
        f"### Benchmark run {args.label} — {vendor}, {counts['projects']:,} projects, {counts['contracts']:,} contracts, "
        f"{counts['audit_events']:,} audit events; gunicorn {args.workers} workers; wrk {args.duration} s per row",
        "",
        f"Ceiling, bare Django hello (same gunicorn settings, this run): 1 user {c1['rps']:.0f} req/s "
        f"(p50 / p95 / p99 {c1['p50']:.2f} / {c1['p95']:.2f} / {c1['p99']:.2f} ms, load {c1['load']}), "
        f"{args.users} users {cn['rps']:.0f} req/s (p95 {cn['p95']:.1f} ms, load {cn['load']}).",
        "",
        f"| page | as | status | queries | load | 1 user p50 / p95 / p99 ms | req/s | % of ceiling | cost × hello | "
        f"load | {args.users} users p50 / p95 / p99 ms | req/s | % of ceiling | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        one, many = r["one"], r["many"]
        lines.append(
            f"| {r['name']}{'（重测）' if r.get('repeated') else ''} `{r['path']}` | {r['persona']} | {r['status']} | {r['queries']} | {one['load']} | "
            f"{one['p50']:.1f} / {one['p95']:.1f} / {one['p99']:.1f} | {one['rps']:.0f} | {r['share_one']} | {r['cost_x']} | "
            f"{many['load']} | {many['p50']:.1f} / {many['p95']:.1f} / {many['p99']:.1f} | {many['rps']:.0f} | {r['share_many']} | "
            f"{ok(one['p95'], TARGET_ONE_MS)} {ok(many['p95'], TARGET_MANY_MS)} |"
        )
    if exports:
        lines += ["", "| export (in order) | rows | seconds | process peak RSS after |", "|---|---|---|---|"]
        lines += [
            f"| 合同台账 {json.dumps(e['params'], ensure_ascii=False)} | {e['rows']:,} | {e['seconds']} | {e['peak_rss_mb']} MB |"
            for e in exports
        ]
    md = "\n".join(lines) + "\n"
    suffix = f"-{args.label}" if args.label else ""
    (out / f"run-{vendor}-{args.scale}{suffix}-latest.md").write_text(md)
    (out / f"run-{vendor}-{args.scale}{suffix}-latest.svg").write_text(svg_chart(rows, args.users))
    print(md)


if __name__ == "__main__":
    main()
