#!/usr/bin/env bash
# deploy/restore.sh BACKUP_DIR — restore a backup made by deploy/backup.sh into the database and media
# directory that the environment names (DATABASE_URL or SQLITE_PATH, MEDIA_ROOT), then check the audit chain.
#   PostgreSQL: the target database must exist and be empty (createdb -O govworks govworks); pg_restore.
#   SQLite: the target file must not exist.
# Stop the app servers and workers first. Refuses to write over anything unless --force is given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${GOVWORKS_PYTHON:-$ROOT/.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"

say() { printf '[restore] %s\n' "$*"; }
die() { printf '[restore] 错误：%s\n' "$*" >&2; exit 1; }

FORCE=0
if [ "${1:-}" = "--force" ]; then FORCE=1; shift; fi
[ $# -eq 1 ] || die "用法：deploy/restore.sh [--force] 备份目录"
SRC="$(cd "$1" && pwd)"
cd "$ROOT"
[ -f "$SRC/SHA256SUMS" ] || die "$SRC 不是 deploy/backup.sh 生成的备份（缺少 SHA256SUMS）"
(cd "$SRC" && sha256sum --quiet -c SHA256SUMS) || die "备份文件校验和不符：备份已损坏"

DB_URL="${DATABASE_URL:-}"
case "$DB_URL" in
  postgres://*|postgresql://*)
    [ -f "$SRC/db.dump" ] || die "备份中没有 PostgreSQL 转储 db.dump"
    if [ $FORCE -eq 0 ] && ! "$PY" deploy/drill_manifest.py empty; then
      die "目标数据库不是空的（用 --force 覆盖，或先 dropdb/createdb）"
    fi
    say "pg_restore → ${DB_URL##*/}"
    pg_restore --no-owner --no-privileges --exit-on-error $([ $FORCE -eq 1 ] && echo --clean --if-exists) \
      --dbname="$DB_URL" "$SRC/db.dump"
    ;;
  ""|sqlite://*)
    [ -f "$SRC/db.sqlite3" ] || die "备份中没有 SQLite 数据库 db.sqlite3"
    if [ -n "$DB_URL" ]; then TARGET="${DB_URL#sqlite:///}"; else TARGET="${SQLITE_PATH:-$ROOT/var/govworks.sqlite3}"; fi
    if [ -e "$TARGET" ] && [ $FORCE -eq 0 ]; then die "目标数据库 $TARGET 已存在（用 --force 覆盖）"; fi
    say "SQLite → $TARGET"
    mkdir -p "$(dirname "$TARGET")"
    rm -f "$TARGET" "$TARGET-wal" "$TARGET-shm"
    cp "$SRC/db.sqlite3" "$TARGET.restoring"
    mv "$TARGET.restoring" "$TARGET"
    ;;
  *) die "不支持的 DATABASE_URL：${DB_URL%%://*}://…" ;;
esac

if [ -f "$SRC/media.tar.gz" ]; then
  MEDIA="${MEDIA_ROOT:-$ROOT/var/media}"
  if [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ] && [ $FORCE -eq 0 ]; then die "上传文件目录 $MEDIA 不是空的（用 --force 覆盖）"; fi
  say "上传文件 → $MEDIA"
  mkdir -p "$MEDIA"
  tar -C "$MEDIA" -xzf "$SRC/media.tar.gz"
fi

say "数据库结构检查（migrate --check）与审计链校验（audit_verify）"
"$PY" manage.py migrate --check --noinput -v 0 || say "注意：备份的数据库结构比当前代码旧，启动前先执行 manage.py migrate"
"$PY" manage.py audit_verify
say "完成"
