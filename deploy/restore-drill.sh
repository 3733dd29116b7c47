#!/usr/bin/env bash
# deploy/restore-drill.sh — prove that tonight's backup can be restored: back up the live installation (the
# environment's DATABASE_URL / SQLITE_PATH and MEDIA_ROOT), restore it into a fresh scratch database and
# directory, run manage.py audit_verify there, and compare the row count of every table and the checksum of
# every uploaded file with the source. Exit 0 only when all of that holds. The live data is only read.
#
#   deploy/restore-drill.sh [--keep] [--workdir DIR]
#
# PostgreSQL: the scratch database is DRILL_DATABASE_URL (default: database gw_drill_restore on the same
# server); it is dropped and created again, so the role needs CREATEDB, and it may never be the live database.
# SQLite: the scratch copy is DIR/restored/govworks.sqlite3.
# Row counts of the source are taken before and after the backup; with writes in between, a restored count
# anywhere in that range is accepted. Run it monthly (docs/deployment.md) and keep its output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${GOVWORKS_PYTHON:-$ROOT/.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"
export GOVWORKS_PYTHON="$PY"

say() { printf '[drill] %s\n' "$*"; }
die() { printf '[drill] 失败：%s\n' "$*" >&2; exit 1; }

KEEP=0
WORK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1; shift ;;
    --workdir) WORK="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "未知选项：$1" ;;
  esac
done
cd "$ROOT"

SOURCE_URL="${DATABASE_URL:-}"
DRILL_URL=""
case "$SOURCE_URL" in
  postgres://*|postgresql://*)
    DRILL_URL="${DRILL_DATABASE_URL:-${SOURCE_URL%/*}/gw_drill_restore}"
    SOURCE_DB="${SOURCE_URL##*/}"; SOURCE_DB="${SOURCE_DB%%\?*}"
    DRILL_DB="${DRILL_URL##*/}"; DRILL_DB="${DRILL_DB%%\?*}"
    [[ "$DRILL_DB" =~ ^[A-Za-z0-9_]+$ ]] || die "演练数据库名 $DRILL_DB 只能含字母、数字和下划线"
    [ "$DRILL_DB" != "$SOURCE_DB" ] || die "演练数据库不能是源数据库 $SOURCE_DB"
    ;;
esac

if [ -z "$WORK" ]; then WORK="$(mktemp -d "${TMPDIR:-/tmp}/govworks-drill.XXXXXX")"; fi
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
[ -z "$(ls -A "$WORK")" ] || die "工作目录 $WORK 不是空的"

cleanup() {
  if [ -n "$DRILL_URL" ] && [ $KEEP -eq 0 ]; then
    psql -q -X "${DRILL_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS \"$DRILL_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [ $KEEP -eq 0 ]; then rm -rf "$WORK"; else say "保留演练目录 $WORK${DRILL_URL:+ 和数据库 $DRILL_DB}"; fi
}
trap cleanup EXIT

started=$(date +%s)
say "1/5 记录源库行数与上传文件校验和"
"$PY" deploy/drill_manifest.py counts > "$WORK/before.json"
if [ -z "${S3_BUCKET:-}" ]; then "$PY" deploy/drill_manifest.py media "${MEDIA_ROOT:-$ROOT/var/media}" > "$WORK/media-source.json"; fi

say "2/5 备份"
deploy/backup.sh "$WORK/backup"
"$PY" deploy/drill_manifest.py counts > "$WORK/after.json"

say "3/5 恢复到全新的${DRILL_URL:+ PostgreSQL 数据库 $DRILL_DB}${DRILL_URL:- SQLite 文件}"
# the restored copy: its own database and media directory; no replica, no object storage, no Redis
restored_env=(env -u DATABASE_REPLICA_URL -u S3_BUCKET -u REDIS_URL "MEDIA_ROOT=$WORK/restored/media")
if [ -n "$DRILL_URL" ]; then
  psql -q -X -v ON_ERROR_STOP=1 "${DRILL_URL%/*}/postgres" \
    -c "DROP DATABASE IF EXISTS \"$DRILL_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$DRILL_DB\"" >/dev/null
  restored_env+=("DATABASE_URL=$DRILL_URL")
else
  restored_env=(env -u DATABASE_URL -u DATABASE_REPLICA_URL -u S3_BUCKET -u REDIS_URL
    "MEDIA_ROOT=$WORK/restored/media" "SQLITE_PATH=$WORK/restored/govworks.sqlite3")
fi
"${restored_env[@]}" deploy/restore.sh "$WORK/backup"

say "4/5 恢复后的审计链校验"
"${restored_env[@]}" "$PY" manage.py audit_verify

say "5/5 比对行数与上传文件"
"${restored_env[@]}" "$PY" deploy/drill_manifest.py counts > "$WORK/restored.json"
compare=("$WORK/before.json" "$WORK/after.json" "$WORK/restored.json")
if [ -f "$WORK/media-source.json" ]; then
  "${restored_env[@]}" "$PY" deploy/drill_manifest.py media "$WORK/restored/media" > "$WORK/media-restored.json"
  compare+=("$WORK/media-source.json" "$WORK/media-restored.json")
  say "上传文件 $("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/media-source.json") 个"
fi
"$PY" deploy/drill_manifest.py compare "${compare[@]}" || die "恢复后的数据与源库不一致"
say "恢复演练通过（用时 $(( $(date +%s) - started )) 秒）"
