"""deploy/backup.sh, deploy/restore.sh and deploy/restore-drill.sh on SQLite and on PostgreSQL.

The source is a real installation made here: migrated, with an agency, people, a project (so audit events
with their hash chain) and uploaded files with Chinese names under MEDIA_ROOT.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Installation, PostgresInstallation, postgres_server_url, production_env


def drill(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "deploy/restore-drill.sh", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False
    )


def make_source(env: dict[str, str], media: Path, installation: Installation | None = None) -> None:
    """The live installation's uploaded files, and its SQLite database copied from the template."""
    if installation is not None:
        installation.copy_to(Path(env["SQLITE_PATH"]))
    (media / "projects" / "1").mkdir(parents=True)
    (media / "projects" / "1" / "项目建议书 v1.pdf").write_bytes(b"%PDF-1.4 proposal\n" * 100)
    (media / "pledges" / "2026").mkdir(parents=True)
    (media / "pledges" / "2026" / "廉政承诺书.pdf").write_bytes(bytes(range(256)) * 40)


# the SQLite drill does not depend on the run's database: it runs in the SQLite run of ./test only
sqlite_run_only = pytest.mark.skipif(postgres_server_url() is not None, reason="runs in the SQLite run of ./test")


def audit_events(counts: dict[str, Any]) -> int:
    return int(counts["tables"]["core_auditevent"])


@sqlite_run_only
def test_restore_drill_on_sqlite(tmp_path: Path, sqlite_installation: Installation) -> None:
    media = tmp_path / "media"
    env = production_env(SQLITE_PATH=str(tmp_path / "live.sqlite3"), MEDIA_ROOT=str(media))
    make_source(env, media, sqlite_installation)

    result = drill(env, "--keep", "--workdir", str(tmp_path / "drill"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "恢复演练通过" in result.stdout and "OK：审计链完整" in result.stdout
    restored = json.loads((tmp_path / "drill" / "restored.json").read_text())
    assert audit_events(restored) > 0 and restored["audit_guards"] == ["core_auditevent_no_delete", "core_auditevent_no_update"]
    assert (tmp_path / "drill" / "restored" / "media" / "pledges" / "2026" / "廉政承诺书.pdf").read_bytes() == bytes(
        range(256)
    ) * 40
    assert sorted(p.name for p in (tmp_path / "drill" / "backup").iterdir()) == [
        "SHA256SUMS",
        "counts.json",
        "db.sqlite3",
        "media.tar.gz",
    ]


@sqlite_run_only
def test_restore_drill_fails_when_the_audit_chain_of_the_backup_is_broken(
    tmp_path: Path, sqlite_installation: Installation
) -> None:
    media = tmp_path / "media"
    env = production_env(SQLITE_PATH=str(tmp_path / "live.sqlite3"), MEDIA_ROOT=str(media))
    make_source(env, media, sqlite_installation)
    with sqlite3.connect(tmp_path / "live.sqlite3") as db:  # someone edits the trail behind the triggers' back
        db.execute("DROP TRIGGER core_auditevent_no_update")
        db.execute("UPDATE core_auditevent SET summary = summary || '（改）' WHERE seq = 1")

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = drill({**env, "TMPDIR": str(scratch)})
    assert result.returncode != 0
    assert "审计链已被破坏" in result.stdout + result.stderr
    assert list(scratch.iterdir()) == []  # a failed drill cleans up after itself too


@sqlite_run_only
def test_restore_refuses_to_overwrite_an_existing_database(tmp_path: Path, sqlite_installation: Installation) -> None:
    media = tmp_path / "media"
    env = production_env(SQLITE_PATH=str(tmp_path / "live.sqlite3"), MEDIA_ROOT=str(media))
    make_source(env, media, sqlite_installation)
    backup = subprocess.run(
        ["bash", "deploy/backup.sh", str(tmp_path / "b")], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert backup.returncode == 0, backup.stderr
    restore = subprocess.run(
        ["bash", "deploy/restore.sh", str(tmp_path / "b")], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert restore.returncode != 0 and "已存在" in restore.stderr
    (tmp_path / "b" / "db.sqlite3").write_bytes(b"corrupt")
    damaged = subprocess.run(
        ["bash", "deploy/restore.sh", "--force", str(tmp_path / "b")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert damaged.returncode != 0 and "校验和不符" in damaged.stderr


def test_restore_drill_on_postgresql(tmp_path: Path, scratch_postgres: Any, postgres_installation: PostgresInstallation) -> None:
    source = scratch_postgres("gw_drill_src", postgres_installation.name)
    target = scratch_postgres("gw_drill_dst")  # made here so that the fixture drops it whatever happens
    media = tmp_path / "media"
    env = production_env(DATABASE_URL=source, MEDIA_ROOT=str(media), DRILL_DATABASE_URL=target)
    make_source(env, media)

    result = drill(env, "--workdir", str(tmp_path / "drill"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "恢复演练通过" in result.stdout and "OK：审计链完整" in result.stdout
    assert "pg_restore" in result.stdout
    assert not (tmp_path / "drill").exists()  # cleaned up without --keep

    # the drill refuses to use the live database as its scratch database
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    same = drill(production_env(DATABASE_URL=source, MEDIA_ROOT=str(media), DRILL_DATABASE_URL=source, TMPDIR=str(scratch)))
    assert same.returncode != 0 and "不能是源数据库" in same.stderr
    assert list(scratch.iterdir()) == []  # refused before anything was made


@pytest.mark.parametrize("script", ["backup.sh", "restore.sh", "restore-drill.sh"])
def test_scripts_are_valid_bash(script: str) -> None:
    subprocess.run(["bash", "-n", f"deploy/{script}"], cwd=ROOT, check=True)


def test_restore_into_postgresql_refuses_a_used_database_unless_forced(
    tmp_path: Path, scratch_postgres: Any, postgres_installation: PostgresInstallation
) -> None:
    source = scratch_postgres("gw_restore_src", postgres_installation.name)
    target = scratch_postgres("gw_restore_dst")
    media = tmp_path / "media"
    make_source(production_env(DATABASE_URL=source, MEDIA_ROOT=str(media)), media)

    def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", f"deploy/{script}", *args], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, check=False
        )

    backup = run("backup.sh", str(tmp_path / "b"), DATABASE_URL=source, MEDIA_ROOT=str(media))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["SHA256SUMS", "counts.json", "db.dump", "media.tar.gz"]

    first = run("restore.sh", str(tmp_path / "b"), DATABASE_URL=target, MEDIA_ROOT=str(tmp_path / "r1"))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "OK：审计链完整" in first.stdout
    again = run("restore.sh", str(tmp_path / "b"), DATABASE_URL=target, MEDIA_ROOT=str(tmp_path / "r2"))
    assert again.returncode != 0 and "不是空的" in again.stderr
    forced = run("restore.sh", "--force", str(tmp_path / "b"), DATABASE_URL=target, MEDIA_ROOT=str(tmp_path / "r2"))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "OK：审计链完整" in forced.stdout
    assert (tmp_path / "r2" / "pledges" / "2026" / "廉政承诺书.pdf").read_bytes() == bytes(range(256)) * 40

    counts = json.loads((tmp_path / "b" / "counts.json").read_text())
    restored = subprocess.run(
        [sys.executable, "deploy/drill_manifest.py", "counts"],
        cwd=ROOT, env=production_env(DATABASE_URL=target), capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(restored.stdout)["tables"] == counts["tables"]
    assert json.loads(restored.stdout)["audit_guards"] == ["core_auditevent_no_change"]
