#!/usr/bin/env bash
# Shared by ./run and ./test: a virtualenv with the locked dependencies, and the Debian packages the
# application needs, installed only when missing. Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1;34m[govworks]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[govworks]\033[0m %s\n' "$*" >&2; exit 1; }

pick_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  # ensure_venv FILE... : create .venv and install the given hashed lock files when they changed
  if [ ! -x "$PY" ]; then
    local base; base="$(pick_python)" || die "需要 Python 3.11（未找到 python3.11）"
    say "创建虚拟环境 .venv（$($base --version)）"
    "$base" -m venv "$VENV" || die "无法创建虚拟环境"
    "$PY" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  fi
  local stamp="$VENV/.installed" want
  want="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || ! grep -q "$want" "$stamp"; then
    say "安装锁定的依赖：$*"
    "$PY" -m pip install --quiet --disable-pip-version-check --require-hashes $(printf -- '-r %s ' "$@") 2>&1 \
      | grep -v "is ignored: it is neither a file nor a directory" || true
    "$PY" -c "import django" || die "依赖安装失败"
    echo "$want" >> "$stamp"
  fi
}

ensure_debian_packages() {
  # ensure_debian_packages PKG... : install missing Debian packages when running as root
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "缺少系统软件包：${missing[*]}（请以 root 运行，或手动 apt-get install）"
    return 0
  fi
  say "安装系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || die "apt-get install ${missing[*]} 失败"
}

RUNTIME_DEBIAN_PACKAGES=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
