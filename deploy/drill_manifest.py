"""Helper of deploy/backup.sh, deploy/restore.sh and deploy/restore-drill.sh.

    python deploy/drill_manifest.py counts            row count of every table of the configured database (JSON)
    python deploy/drill_manifest.py empty             exit 0 when the configured database has no tables
    python deploy/drill_manifest.py media DIR         SHA-256 of every file under DIR (JSON)
    python deploy/drill_manifest.py compare BEFORE AFTER RESTORED [MEDIA_SRC MEDIA_RESTORED]
                                                     restored counts must lie between the source's counts taken
                                                     before and after the backup; media must match exactly

The database is the one Django's settings select (DJANGO_SETTINGS_MODULE, DATABASE_URL / SQLITE_PATH).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _django() -> Any:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    from django.db import connection

    return connection


def table_counts() -> dict[str, Any]:
    connection = _django()
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
        guards: list[str] = []
        if "core_auditevent" in tables:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass AND NOT tgisinternal")
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
            guards = sorted(row[0] for row in cursor.fetchall())
    return {"vendor": connection.vendor, "tables": counts, "audit_guards": guards}


def media_digest(directory: str) -> dict[str, str]:
    root = Path(directory)
    if not root.is_dir():
        return {}
    digests = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(block)
        digests[str(path.relative_to(root))] = digest.hexdigest()
    return digests


def compare(before: dict[str, Any], after: dict[str, Any], restored: dict[str, Any]) -> list[str]:
    problems = []
    for table in sorted(set(before["tables"]) | set(after["tables"]) | set(restored["tables"])):
        low = min(before["tables"].get(table, 0), after["tables"].get(table, 0))
        high = max(before["tables"].get(table, 0), after["tables"].get(table, 0))
        got = restored["tables"].get(table)
        if got is None:
            problems.append(f"表 {table} 在恢复后的数据库中不存在")
        elif not low <= got <= high:
            problems.append(f"表 {table}：源库 {low}–{high} 行，恢复后 {got} 行")
    if before["audit_guards"] and not restored["audit_guards"]:
        problems.append("恢复后的数据库缺少审计表的防篡改触发器")
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[0], argv[1:]
    if command == "counts":
        print(json.dumps(table_counts(), ensure_ascii=False, indent=1, sort_keys=True))
        return 0
    if command == "empty":
        return 0 if not table_counts()["tables"] else 1
    if command == "media":
        print(json.dumps(media_digest(args[0]), ensure_ascii=False, indent=1, sort_keys=True))
        return 0
    if command == "compare":
        before, after, restored = (json.loads(Path(p).read_text()) for p in args[:3])
        problems = compare(before, after, restored)
        if len(args) == 5:
            source_media, restored_media = (json.loads(Path(p).read_text()) for p in args[3:5])
            if source_media != restored_media:
                missing = sorted(set(source_media) - set(restored_media))
                changed = sorted(k for k in source_media if k in restored_media and source_media[k] != restored_media[k])
                problems.append(f"上传文件不一致：缺少 {len(missing)} 个，内容不同 {len(changed)} 个 {(missing + changed)[:5]}")
        rows = sum(restored["tables"].values())
        tables = len(restored["tables"])
        if problems:
            print("\n".join(problems))
            return 1
        print(f"行数一致：{tables} 张表，共 {rows} 行；审计表触发器：{', '.join(restored['audit_guards']) or '无'}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
