#!/usr/bin/env bash
# deploy/backup.sh DEST — back up the database and the uploaded files of this GovWorks installation into DEST
# (a new or empty directory). Reads the same environment as the application (/etc/govworks/env):
#   PostgreSQL (DATABASE_URL=postgres://…): pg_dump -Fc            -> DEST/db.dump
#   SQLite (SQLITE_PATH, default var/govworks.sqlite3): .backup     -> DEST/db.sqlite3  (safe while running)
#   uploaded files under MEDIA_ROOT (default var/media)            -> DEST/media.tar.gz
#   with S3_BUCKET set the files live in object storage: not copied here (bucket versioning + replication,
#   docs/deployment.md)
# plus DEST/counts.json (row counts) and DEST/SHA256SUMS. Example cron line (02:30 daily, keep 30 days):
#   30 2 * * * govworks cd /srv/govworks && set -a && . /etc/govworks/env && deploy/backup.sh /srv/backup/$(date +\%F) \
#     && find /srv/backup -maxdepth 1 -mtime +30 -exec rm -rf {} +
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${GOVWORKS_PYTHON:-$ROOT/.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"

say() { printf '[backup] %s\n' "$*"; }
die() { printf '[backup] 错误：%s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "用法：deploy/backup.sh 目标目录"
DEST="$1"
mkdir -p "$DEST"
[ -z "$(ls -A "$DEST")" ] || die "目标目录 $DEST 不是空的"
DEST="$(cd "$DEST" && pwd)"
cd "$ROOT"

DB_URL="${DATABASE_URL:-}"
case "$DB_URL" in
  postgres://*|postgresql://*)
    say "PostgreSQL：pg_dump -Fc"
    pg_dump --format=custom --no-owner --no-privileges --file="$DEST/db.dump" --dbname="$DB_URL"
    ;;
  ""|sqlite://*)
    if [ -n "$DB_URL" ]; then SQLITE="${DB_URL#sqlite:///}"; else SQLITE="${SQLITE_PATH:-$ROOT/var/govworks.sqlite3}"; fi
    [ -f "$SQLITE" ] || die "找不到 SQLite 数据库 $SQLITE"
    say "SQLite：.backup $SQLITE"
    "$PY" - "$SQLITE" "$DEST/db.sqlite3" <<'PYEOF'
import sqlite3, sys
src = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
dst = sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)  # the online backup API: a consistent copy while the application keeps writing
assert dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
dst.close(); src.close()
PYEOF
    ;;
  *) die "不支持的 DATABASE_URL：${DB_URL%%://*}://…" ;;
esac

if [ -n "${S3_BUCKET:-}" ]; then
  say "上传文件在对象存储（S3_BUCKET=$S3_BUCKET）：由存储桶版本控制和复制保护，不在本备份中"
else
  MEDIA="${MEDIA_ROOT:-$ROOT/var/media}"
  if [ -d "$MEDIA" ]; then
    say "上传文件：tar $MEDIA"
    tar -C "$MEDIA" -czf "$DEST/media.tar.gz" .
  else
    say "上传文件目录 $MEDIA 不存在：跳过"
  fi
fi

"$PY" deploy/drill_manifest.py counts > "$DEST/counts.json"
(cd "$DEST" && sha256sum -- * > SHA256SUMS)
say "完成：$DEST（$(du -sh "$DEST" | cut -f1)）"
