"""Province-scale data generator (issue 7): realistic, reproducible data through the same models.

    python bench/generate.py --scale {agency,city,province} [--seed 2026]

Into the PostgreSQL database named by DATABASE_URL, or else a fresh SQLite file
var/bench-<scale>.sqlite3. The database is emptied, migrated and loaded with the demo data (so the demo
accounts exist), then each module's rows are bulk-inserted (``bulk_create`` in batches; on PostgreSQL
the largest tables go through COPY) — a benchmark fixture, not a business path: rules and services are
exercised by the test suite, here we need volume that looks like real use. Every generated account
signs in with the password ``Bench@2026`` (no forced change); ``bench/run.py`` uses them.

At province scale: about 200 agencies (a provincial 机关事务管理局, its cities and counties), 50,000
projects, 200,000 contracts and 100,000 change orders, 200,000 payments, 1,000,000 daily site reports
(photo metadata, not files) and 2,000,000 audit events continuing the SM3 hash chain, so
``manage.py audit_verify`` passes. A progress bar per step; the summary is written to
bench/results/generate-<db>-<scale>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "Bench@2026"  # noqa: S105  (documented benchmark accounts, generated data only)


@dataclass(frozen=True)
class Scale:
    agencies: int
    projects: int
    suppliers: int
    contracts: int
    changes: int
    payments: int
    daily_reports: int
    audit_events: int


SCALES = {
    "agency": Scale(
        agencies=1,
        projects=500,
        suppliers=200,
        contracts=2_000,
        changes=1_000,
        payments=2_000,
        daily_reports=10_000,
        audit_events=20_000,
    ),
    "city": Scale(
        agencies=20,
        projects=5_000,
        suppliers=1_000,
        contracts=20_000,
        changes=10_000,
        payments=20_000,
        daily_reports=100_000,
        audit_events=200_000,
    ),
    "province": Scale(
        agencies=200,
        projects=50_000,
        suppliers=5_000,
        contracts=200_000,
        changes=100_000,
        payments=200_000,
        daily_reports=1_000_000,
        audit_events=2_000_000,
    ),
}


# ------------------------------------------------------------------------------------------ progress


class Progress:
    """A one-line progress bar on stderr: label, bar, percent, count, elapsed seconds."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.perf_counter()
        self._last = 0.0
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self._last > 0.2 or self.done >= self.total:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(f"\r{self.label:<14} [{bar:<30}] {share:6.1%} {self.done:>10,}/{self.total:,} {elapsed:7.1f}s")
        sys.stderr.flush()

    def close(self) -> float:
        self.done = self.total
        self._draw()
        sys.stderr.write("\n")
        return time.perf_counter() - self.started


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(model: Any, rows: Iterable[Any], total: int, label: str, batch_size: int = 5000) -> None:
    """bulk_create ``rows`` (a generator) in batches with a progress bar."""
    bar = Progress(label, total)
    for batch in batched(rows, batch_size):
        model.objects.bulk_create(batch, batch_size=batch_size)
        bar.advance(len(batch))
    bar.close()


@dataclass
class World:
    """What later steps need from earlier ones (ids only, to keep memory flat)."""

    rng: random.Random
    scale: Scale
    today: dt.date
    tag: str = "G"  # marks this run's codes and names (a letter of the 统一社会信用代码 alphabet)
    agency_ids: list[int] = field(default_factory=list)
    departments: dict[int, int] = field(default_factory=dict)  # agency -> construction department
    people: dict[tuple[int, str], int] = field(default_factory=dict)  # (agency, role) -> user
    projects: list[tuple[int, int, int]] = field(default_factory=list)  # (project, agency, manager)
    supplier_ids: list[int] = field(default_factory=list)
    contracts: list[tuple[int, int, int]] = field(default_factory=list)  # (contract, project, amount)
    timings: dict[str, float] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------ database


def setup(scale_name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if "DATABASE_URL" not in os.environ:
        db_path = ROOT / "var" / f"bench-{scale_name}.sqlite3"
        db_path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(db_path)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a clean schema: faster than flush with 2,000,000 audit rows
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def copy_rows(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]], total: int, label: str) -> None:
    """PostgreSQL COPY of ``rows`` into ``model``'s table; bulk_create elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        names = [model._meta.get_field(c).attname for c in columns]
        insert(model, (model(**dict(zip(names, row, strict=True))) for row in rows), total, label)
        return
    bar = Progress(label, total)
    table = model._meta.db_table
    cols = ", ".join(model._meta.get_field(c).column for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                bar.advance()
    bar.close()


def reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


# ------------------------------------------------------------------------------------------ organisation


def gen_org(w: World) -> None:
    """A provincial 机关事务管理局 with cities and counties below it; per agency a 基建科, a 财务科 and the
    people of every business role (password Bench@2026, no forced change)."""
    from django.contrib.auth.hashers import make_password

    from govworks.org.demo import credit_code
    from govworks.org.models import Agency, Department, RoleGrant, User

    bar = Progress("机关单位", w.scale.agencies)
    root = Agency.objects.create(
        name="省机关事务管理局（基准）",
        short_name="省局",
        code="BENCH",
        credit_code=credit_code("11", "330000", "BENCH0000"),
        level="province",
    )
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    agencies = [root]
    cities: list[Agency] = []
    bar.advance()
    for i in range(1, w.scale.agencies):
        parent = root if i <= max(1, w.scale.agencies // 10) else w.rng.choice(cities or [root])
        level = "city" if parent is root else "county"
        agency = Agency.objects.create(
            name=f"{'市' if level == 'city' else '县'}级机关事务单位{i:03d}（基准）",
            short_name=f"单位{i:03d}",
            code=f"BENCH{i:04d}",
            credit_code=credit_code("11", "330000", f"BENCH{i:04d}"),
            parent=parent,
            level=level,
        )
        agency.path = f"{parent.path}{agency.pk}/"
        agency.save(update_fields=["path"])
        if level == "city":
            cities.append(agency)
        agencies.append(agency)
        bar.advance()
    w.timings["agencies"] = bar.close()
    w.agency_ids = [a.pk for a in agencies]
    Department.objects.bulk_create(
        [Department(agency=a, name=n, is_construction=(n == "基建科")) for a in agencies for n in ("基建科", "财务科", "办公室")]
    )
    for dept in Department.objects.filter(agency__in=agencies, name="基建科"):
        w.departments[dept.agency_id] = dept.pk
    password = make_password(BENCH_PASSWORD)
    roles = ["project_manager", "department_head", "leader_in_charge", "principal_leader", "finance", "discipline", "liaison"]
    users = [
        User(
            username=f"bench_{a.pk}_{role}",
            full_name=f"{a.short_name}{role[:4]}",
            agency=a,
            department_id=w.departments[a.pk],
            password=password,
            must_change_password=False,
        )
        for a in agencies
        for role in roles
    ]
    User.objects.bulk_create(users, batch_size=2000)
    by_name = dict(User.objects.filter(username__startswith="bench_").values_list("username", "pk"))
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=by_name[f"bench_{a.pk}_{role}"], agency=a, role=role) for a in agencies for role in roles],
        batch_size=5000,
    )
    w.people = {(a.pk, role): by_name[f"bench_{a.pk}_{role}"] for a in agencies for role in roles}
    # the province's 安全审计员 reads the audit log of the whole tree (三员: an account without business roles)
    auditor = User.objects.create(
        username=f"bench_{root.pk}_audit_admin",
        full_name="省局安全审计员",
        agency=root,
        password=password,
        must_change_password=False,
    )
    RoleGrant.objects.create(user=auditor, agency=root, role="audit_admin")


def world_of_agencies(agency_ids: list[int], *, scale: Scale, tag: str, seed: int = 1) -> World:
    """A World over existing agencies (the demo's, say), for growing their data: each agency's
    construction department (or any) and its people by role (an agency without a role borrows the
    first agency's holder)."""
    from django.utils import timezone

    from govworks.org.models import Department, RoleGrant

    w = World(rng=random.Random(seed), scale=scale, today=timezone.localdate(), tag=tag, agency_ids=list(agency_ids))
    for dept in Department.objects.filter(agency_id__in=agency_ids).order_by("-is_construction", "id"):
        w.departments.setdefault(dept.agency_id, dept.pk)
    grants = RoleGrant.objects.filter(agency_id__in=agency_ids, revoked_at__isnull=True).order_by("id")
    for agency_id, role, user_id in grants.values_list("agency_id", "role", "user_id"):
        w.people.setdefault((agency_id, role), user_id)
    for agency_id in agency_ids:
        for role in (
            "project_manager",
            "department_head",
            "leader_in_charge",
            "principal_leader",
            "finance",
            "discipline",
            "liaison",
        ):
            fallback = next((u for (a, r), u in w.people.items() if r == role), None) or next(iter(w.people.values()))
            w.people.setdefault((agency_id, role), fallback)
    return w


def grow(w: World) -> None:
    """Every data step but the organisation: projects, procurement, the later modules', the audit trail."""
    for _name, step in [*STEPS[1:], *_optional_steps(), ("audit", gen_audit)]:
        step(w)


# ------------------------------------------------------------------------------------------ projects

WORDS = [
    "空调节能改造",
    "屋面防水修缮",
    "综合布线升级",
    "消防系统改造",
    "电梯更新",
    "外墙修缮",
    "配电增容",
    "雨污分流",
    "食堂改造",
    "充电桩建设",
]


def gen_projects(w: World) -> None:
    from govworks.projects.models import Project, ProjectResponsibility, ProjectType, Stage, StageTransition
    from govworks.projects.models.projects import FundingSource

    stages = [s for s in Stage.values if s != Stage.PLANNED] if "planned" in Stage.values else list(Stage.values)
    weights = [3 if s in ("construction", "contract", "procurement") else 1 for s in stages]
    year = w.today.year
    n = w.scale.projects

    def rows() -> Iterator[Project]:
        for i in range(n):
            agency = w.agency_ids[i % len(w.agency_ids)]
            start = dt.date(year - 1, 1, 1) + dt.timedelta(days=w.rng.randrange(0, 700))
            yield Project(
                agency_id=agency,
                code=f"GW-{year}-{w.tag}{i:06d}",
                name=f"{w.rng.choice(WORDS)}{i}",
                project_type=w.rng.choice(ProjectType.values),
                location="省直机关大院",
                estimate_amount=Decimal(w.rng.randrange(50_000, 50_000_000)),
                approved_estimate=Decimal(w.rng.randrange(50_000, 50_000_000)),
                funding_source=w.rng.choice(FundingSource.values),
                planned_start=start,
                planned_end=start + dt.timedelta(days=w.rng.randrange(60, 720)),
                department_id=w.departments[agency],
                manager_id=w.people[(agency, "project_manager")],
                stage=w.rng.choices(stages, weights)[0],
                stage_entered_on=start,
                created_by_id=w.people[(agency, "project_manager")],
            )

    insert(Project, rows(), n, "项目")
    mine = Project.objects.filter(code__startswith=f"GW-{year}-{w.tag}")
    w.projects = list(mine.order_by("id").values_list("pk", "agency_id", "manager_id"))
    stage_of = dict(mine.values_list("pk", "stage"))
    insert(
        ProjectResponsibility,
        (ProjectResponsibility(project_id=p, stage=stage_of[p], responsible_id=m, due_days=30) for p, _, m in w.projects),
        n,
        "项目责任",
    )
    insert(
        StageTransition,
        (
            StageTransition(project_id=p, from_stage=Stage.INITIATION, to_stage=stage_of[p], actor_id=m, note="历史数据导入")
            for p, _, m in w.projects
        ),
        n,
        "阶段记录",
    )


# ------------------------------------------------------------------------------------------ procurement


def gen_procurement(w: World) -> None:
    from govworks.org.demo import credit_code
    from govworks.procurement.models import ChangeOrder, Contract, PaymentMilestone, ProcurementLot, Supplier, SupplierBankAccount

    root = w.agency_ids[0]
    insert(
        Supplier,
        (
            Supplier(
                name=f"基准供应商{w.tag}{i:05d}有限公司",
                credit_code=credit_code("91", "330000", f"B{w.tag}{i:07d}"),
                category=w.rng.choice(["general_contracting", "mep", "decoration", "supervision", "design", "goods"]),
                legal_representative=f"法人{i}",
                phone=f"0571-{8000_0000 + i}",
                address=f"省会市建设路{i}号",
                registered_by_id=root,
            )
            for i in range(w.scale.suppliers)
        ),
        w.scale.suppliers,
        "供应商",
    )
    w.supplier_ids = list(Supplier.objects.filter(name__startswith=f"基准供应商{w.tag}").values_list("pk", flat=True))
    insert(
        SupplierBankAccount,
        (
            SupplierBankAccount(
                supplier_id=s, bank_name="省农商银行", account_name=f"供应商{s}", account_number=f"6222{s:012d}", is_default=True
            )
            for s in w.supplier_ids
        ),
        len(w.supplier_ids),
        "银行账户",
    )
    accounts = dict(SupplierBankAccount.objects.filter(supplier_id__in=w.supplier_ids).values_list("supplier_id", "pk"))
    insert(
        ProcurementLot,
        (
            ProcurementLot(
                project_id=p, seq=1, name="主体施工", category="works", estimated_amount=Decimal(1_000_000), method="open_tender"
            )
            for p, _, _ in w.projects
        ),
        len(w.projects),
        "标段",
    )
    lots = dict(ProcurementLot.objects.filter(project_id__in=[p for p, _, _ in w.projects]).values_list("project_id", "pk"))
    words = ["施工合同", "监理合同", "设备采购合同", "设计合同", "造价咨询合同", "维保服务合同", "改造工程合同"]
    year = w.today.year
    n = w.scale.contracts

    def contracts() -> Iterator[Contract]:
        for i in range(n):
            project, _agency, manager = w.projects[i % len(w.projects)]
            supplier = w.rng.choice(w.supplier_ids)
            start = dt.date(year - 1, 1, 1) + dt.timedelta(days=w.rng.randrange(0, 600))
            signed = w.rng.random() < 0.8
            yield Contract(
                project_id=project,
                lot_id=lots[project],
                supplier_id=supplier,
                payee_account_id=accounts[supplier],
                number=f"HT-{w.tag}{i:07d}",
                title=f"{w.rng.choice(WORDS)}{w.rng.choice(words)}{i}",
                is_main_construction=i < len(w.projects),
                amount=Decimal(w.rng.randrange(20_000, 30_000_000)),
                pricing_type=w.rng.choice(["lump_sum", "unit_price"]),
                starts_on=start,
                ends_on=start + dt.timedelta(days=w.rng.randrange(60, 720)),
                award_notice_on=start - dt.timedelta(days=20),
                signed_on=start - dt.timedelta(days=5) if signed else None,
                advance_ratio=Decimal("0.2000"),
                progress_ratio=Decimal("0.8000"),
                quality_deposit_ratio=Decimal("0.0300"),
                defect_period_months=24,
                status="signed" if signed else "draft",
                created_by_id=manager,
            )

    insert(Contract, contracts(), n, "合同")
    w.contracts = list(
        Contract.objects.filter(number__startswith=f"HT-{w.tag}").order_by("id").values_list("pk", "project_id", "amount")
    )
    kinds = [
        ("advance", Decimal("0.2")),
        ("progress", Decimal("0.8")),
        ("settlement", None),
        ("retention_return", Decimal("0.03")),
    ]
    copy_rows(
        PaymentMilestone,
        ["contract", "seq", "kind", "ratio", "condition"],
        ((c, seq, kind, ratio, "按合同约定") for c, _, _ in w.contracts for seq, (kind, ratio) in enumerate(kinds, start=1)),
        len(w.contracts) * 4,
        "付款节点",
    )
    author = w.people[(w.agency_ids[0], "project_manager")]
    step = max(1, len(w.contracts) // max(1, w.scale.changes))

    def changes() -> Iterator[ChangeOrder]:
        for c, _, amount in w.contracts[::step][: w.scale.changes]:
            ratio = Decimal(w.rng.randrange(1, 15)) / 100
            yield ChangeOrder(
                contract_id=c,
                seq=1,
                category=w.rng.choice(["design", "negotiation", "site_visa"]),
                reason="现场条件变化",
                responsibility=w.rng.choice(["owner", "designer", "contractor"]),
                amount=(Decimal(amount) * ratio).quantize(Decimal("0.01")),
                status=w.rng.choice(["approved", "approved", "approved", "submitted"]),
                requires_higher_approval=ratio > Decimal("0.10"),
                cumulative_ratio_after=ratio,
                created_by_id=author,
            )

    insert(ChangeOrder, changes(), min(w.scale.changes, len(w.contracts[::step])), "变更签证")


# ------------------------------------------------------------------------------------------ audit trail


def gen_audit(w: World) -> None:
    """Continue the keyed chain (HMAC-SM3 with the configured key) from its head with ``audit_events`` events on the
    generated projects, then move the head (with its HMAC), so ``audit_verify`` checks every one of them."""
    from django.db import transaction

    from govworks.core.audit import audit_head_move, canonical_payload
    from govworks.core.audit_keys import audit_keyring
    from govworks.core.models import AuditChainHead, AuditEvent

    actions = [
        ("projects.project.update", "修改项目信息"),
        ("procurement.contract.create", "起草合同"),
        ("procurement.change.submit", "提交变更/签证"),
        ("projects.approval.decide", "审批同意"),
        ("construction.progress.report", "填报进度"),
        ("finance.payment.submit", "提交付款申请"),
    ]
    start = dt.datetime.combine(w.today - dt.timedelta(days=700), dt.time(8, 0), tzinfo=dt.UTC)
    n = w.scale.audit_events
    spacing = (700 * 86400) / n
    columns = [
        "seq", "occurred_at", "actor", "actor_name", "agency", "action", "object_type", "object_id", "object_repr",
        "context_type", "context_id", "summary", "changes", "reason", "request_id", "ip", "prev_hash", "hash", "key_id",
    ]  # fmt: skip
    ring = audit_keyring()
    key_id = ring.current_id
    hasher = ring.hasher(key_id)
    from django.db import connection

    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        seq, prev = head.last_seq, head.last_hash

        def rows() -> Iterator[tuple[Any, ...]]:
            nonlocal seq, prev
            for i in range(n):
                seq += 1
                project, agency, manager = w.projects[w.rng.randrange(len(w.projects))]
                action, verb = actions[i % len(actions)]
                at = start + dt.timedelta(seconds=i * spacing)
                name = f"bench_{agency}_project_manager"
                summary = f"GW-P{project} {verb}"
                changes = {"note": {"before": "", "after": f"第{i}次"}} if i % 3 == 0 else {}
                payload = canonical_payload(
                    seq=seq, occurred_at=at, actor_id=manager, agency_id=agency, action=action,
                    object_type="projects.project", object_id=str(project), object_repr=f"项目{project}",
                    actor_name=name, context_type="projects.project", context_id=str(project), summary=summary,
                    changes=changes, reason="", request_id="", ip="127.0.0.1", key_id=key_id,
                )  # fmt: skip
                h = hasher.copy()
                h.update(prev.encode("ascii"))
                h.update(payload)
                digest = h.finalize().hex()
                changes_value: Any = json.dumps(changes, ensure_ascii=False) if connection.vendor == "postgresql" else changes
                yield (
                    seq, at, manager, name, agency, action, "projects.project", str(project), f"项目{project}",
                    "projects.project", str(project), summary, changes_value, "", "", "127.0.0.1", prev, digest, key_id,
                )  # fmt: skip
                prev = digest

        copy_rows(AuditEvent, columns, rows(), n, "审计事件")
        audit_head_move(last_seq=seq, last_hash=prev, ring=ring)


# ------------------------------------------------------------------------------------------ modules

#: later modules add their generators here: (label, function)
STEPS: list[tuple[str, Callable[[World], None]]] = [
    ("organisation", gen_org),
    ("projects", gen_projects),
    ("procurement", gen_procurement),
]


def _optional_steps() -> list[tuple[str, Callable[[World], None]]]:
    steps = []
    try:
        from bench.gen_construction import gen_construction

        steps.append(("construction", gen_construction))
    except ImportError:
        pass
    try:
        from bench.gen_finance import gen_finance

        steps.append(("finance", gen_finance))
    except ImportError:
        pass
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"生成 {args.scale} 规模的基准数据（seed {args.seed}）…", file=sys.stderr)
    setup(args.scale)
    from django.db import connection
    from django.utils import timezone

    w = World(rng=random.Random(args.seed), scale=SCALES[args.scale], today=timezone.localdate())
    w.timings["migrate+demo"] = round(time.perf_counter() - started, 1)
    for name, step in [*STEPS, *_optional_steps(), ("audit", gen_audit)]:
        t0 = time.perf_counter()
        step(w)
        w.timings[name] = round(time.perf_counter() - t0, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = round(time.perf_counter() - started, 1)
    from govworks.core.models import AuditEvent
    from govworks.procurement.models import Contract
    from govworks.projects.models import Project

    counts = {
        "agencies": len(w.agency_ids),
        "projects": Project.objects.count(),
        "contracts": Contract.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }
    counts.update(getattr(w, "extra_counts", {}))
    summary = {
        "scale": args.scale,
        "seed": args.seed,
        "database": connection.vendor,
        "seconds": total,
        "steps": w.timings,
        "counts": counts,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"generate-{connection.vendor}-{args.scale}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
