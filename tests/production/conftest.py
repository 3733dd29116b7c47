"""Fixtures of the production-profile tests (docs/adr/0007): the Redis server on 127.0.0.1:6379, a local
S3-compatible server (moto's server mode) on a free loopback port, and helpers to run processes with the
production settings.

Redis and PostgreSQL are services of the machine; when one is unreachable its tests are skipped, except under
CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# the lifecycle world (an agency with its people, the reference data, a project factory) of the projects app
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# DB 13 is kept for the test suite; every test uses its own key prefix, so parallel workers never collide,
# and cleans up only its own keys (never FLUSHDB: the server may be shared)
REDIS_TEST_DB = int(os.environ.get("GOVWORKS_TEST_REDIS_DB", "13"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(what: str) -> None:
    """Skip on a developer's machine, fail in CI."""
    if in_ci():
        pytest.fail(f"{what} (CI=true: required)")
    pytest.skip(what)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw")


# --- Redis -----------------------------------------------------------------------------------------------


@dataclass
class RedisTarget:
    url: str
    prefix: str
    client: Any

    def stored_keys(self) -> list[str]:
        return sorted(k.decode() for k in self.client.scan_iter(match=f"*{self.prefix}*", count=500))


@pytest.fixture
def redis_target() -> Iterator[RedisTarget]:
    """The Redis server on 127.0.0.1:6379, test DB, a key prefix of this test only; its keys removed after."""
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_TEST_DB, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        unavailable(f"Redis on {REDIS_HOST}:{REDIS_PORT} unreachable: {exc}")
    prefix = f"gwtest-{worker_id()}-{uuid.uuid4().hex[:10]}"
    target = RedisTarget(url=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}", prefix=prefix, client=client)
    yield target
    for key in client.scan_iter(match=f"*{prefix}*", count=500):
        client.delete(key)
    client.close()


# --- S3-compatible object storage (moto server mode) ---------------------------------------------------

S3_KEY_ID, S3_SECRET, S3_REGION = "govworks-test", "govworks-test-secret", "us-east-1"


@dataclass
class S3Target:
    endpoint: str
    bucket: str
    client: Any

    def storage_options(self, **extra: Any) -> dict[str, Any]:
        """The OPTIONS config/settings/production.py builds from the S3_* variables, for this server."""
        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            "access_key": S3_KEY_ID,
            "secret_key": S3_SECRET,
            "region_name": S3_REGION,
            "location": "media",
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            **extra,
        }

    def env(self) -> dict[str, str]:
        """The environment that switches production settings to this bucket."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": S3_KEY_ID,
            "S3_SECRET_ACCESS_KEY": S3_SECRET,
            "S3_REGION": S3_REGION,
        }

    def object_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3-compatible server on a free loopback port, for this test process (xdist worker)."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per S3 request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3Target:
    """A fresh, empty bucket on the moto server."""
    import boto3

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id=S3_KEY_ID,
        aws_secret_access_key=S3_SECRET,
        region_name=S3_REGION,
    )
    bucket = f"govworks-{worker_id().lower()}-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    return S3Target(endpoint=moto_endpoint, bucket=bucket, client=client)


# --- processes with the production settings --------------------------------------------------------------


def production_env(**extra: str) -> dict[str, str]:
    """A clean environment for manage.py/gunicorn with config.settings.production and nothing optional set."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "test-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONDONTWRITEBYTECODE": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            # the keys kept outside the database (issue 12): a fixed test keyring for the audit chain and the fields
            "AUDIT_CHAIN_KEY_SOURCE": "env:GOVWORKS_PROD_TEST_AUDIT_KEYS",
            "GOVWORKS_PROD_TEST_AUDIT_KEYS": '{"current": "pt-1", "keys": {"pt-1": "' + "4b" * 32 + '"}}',
            "FIELD_ENCRYPTION_KEY_SOURCE": "env:GOVWORKS_PROD_TEST_FIELD_KEYS",
            "GOVWORKS_PROD_TEST_FIELD_KEYS": '{"current": "pf-1", "keys": {"pf-1": "' + "6d" * 32 + '"}}',
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


#: an installation's first data, run with ``manage.py shell -c``: an agency, its 工程管理岗 (initial password
#: Demo@2026, to be changed at first sign-in), the reference data and a project (so audit events); prints ids
SEED = r"""
import json
from govworks.core.rule_parameters import rule_parameters_seed
from govworks.org.tests.factories import AgencyFactory, DepartmentFactory, RoleGrantFactory, UserFactory
from govworks.projects.models import ApprovalChainRule, DocumentType, ResponsibilityTemplate
from govworks.projects.reference import seed_reference
from govworks.projects.services.projects import project_create_outside_plan
import datetime as dt
from decimal import Decimal

rule_parameters_seed()
seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)
city = AgencyFactory(name="临江市机关事务管理局", short_name="市机关事务局")
dept = DepartmentFactory(agency=city, name="基建科", is_construction=True)
pm = UserFactory(username="liming", full_name="李明", agency=city, department=dept, must_change_password=True)
pm.set_password("Demo@2026")
pm.save()
RoleGrantFactory(user=pm, agency=city, role="project_manager")
today = dt.date.today()
project = project_create_outside_plan(
    actor=pm, agency=city, manager=pm, department=dept, reason="十一月巡查发现安全隐患，须尽快处置。",
    name="机关食堂修缮", project_type="repair", location="市级机关大院", estimate_amount=Decimal("380000"),
    funding_source="fiscal", planned_start=today, planned_end=today + dt.timedelta(days=90),
)
print(json.dumps({"project": project.pk, "proposal": DocumentType.objects.get(code="proposal").pk}))
"""


@dataclass
class Installation:
    """A migrated SQLite installation with SEED's data: copy ``path`` before writing to it."""

    path: Path
    seeded: dict[str, int]

    def copy_to(self, target: Path) -> Path:
        shutil.copyfile(self.path, target)
        return target


@pytest.fixture(scope="session")
def sqlite_installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    """Made once per test process: ``migrate`` and SEED take seconds, a file copy does not."""
    path = tmp_path_factory.mktemp("installation") / "template.sqlite3"
    env = production_env(SQLITE_PATH=str(path))
    manage("migrate", "--noinput", "-v", "0", env=env, timeout=180)
    seeded = json.loads(manage("shell", "-c", SEED, env=env).stdout.strip().splitlines()[-1])
    with sqlite3.connect(path) as db:  # one self-contained file: fold the WAL back in
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    return Installation(path=path, seeded=seeded)


# --- PostgreSQL ------------------------------------------------------------------------------------------


def postgres_server_url() -> str | None:
    """postgres://… of the server the run uses (DATABASE_URL when it is PostgreSQL), without a database name."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return None


def _pg_admin(server: str) -> Any:
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)


def _pg_name(prefix: str) -> str:
    name = f"{prefix}_{worker_id().lower()}_{os.getpid()}"
    assert name.startswith("gw_") and name != "govworks"  # never the installation's own database
    return name


@dataclass
class PostgresInstallation:
    """A migrated PostgreSQL database with SEED's data, used as a template (CREATE DATABASE … TEMPLATE)."""

    name: str
    seeded: dict[str, int]


@pytest.fixture(scope="session")
def postgres_installation() -> Iterator[PostgresInstallation]:
    """Made once per test process on a PostgreSQL run: ``migrate`` and SEED, then only copied."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("a PostgreSQL run only (DATABASE_URL=postgres://…)")
    name = _pg_name("gw_tpl")
    with _pg_admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = production_env(DATABASE_URL=f"{server}/{name}", CONN_MAX_AGE="0")
        manage("migrate", "--noinput", "-v", "0", env=env, timeout=300)
        seeded = json.loads(manage("shell", "-c", SEED, env=env).stdout.strip().splitlines()[-1])
        yield PostgresInstallation(name=name, seeded=seeded)
    finally:
        with _pg_admin(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch_postgres() -> Iterator[Any]:
    """make(prefix, template=None) -> URL of a new PostgreSQL database (dropped after the test), empty or a
    copy of ``template``. Only on a PostgreSQL run."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("a PostgreSQL run only (DATABASE_URL=postgres://…)")
    made: list[str] = []

    def make(prefix: str, template: str | None = None) -> str:
        name = _pg_name(prefix)
        with _pg_admin(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        made.append(name)
        return f"{server}/{name}"

    yield make
    with _pg_admin(server) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
