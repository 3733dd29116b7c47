"""The key of the audit chain (HMAC-SM3), kept outside the database.

The setting ``AUDIT_CHAIN_KEY_SOURCE`` names where the keyring lives:

* ``file:/path/to/audit-chain.key`` — a JSON file ``{"current": "k1", "keys": {"k1": "<64 hex>"}}`` readable by
  the application only (0600). ``./run`` creates it; ``manage.py audit_key_rotate`` adds a key and makes it
  current, keeping the old ones so old events still verify.
* ``env:VARIABLE`` — the same JSON in an environment variable (the operator rotates by adding a key to it).

A database owner who can rewrite every row cannot compute a valid HMAC without this key: re-hashing the chain
after an edit, or rewriting the chain head after cutting the tail, is detected by ``audit_verify``.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


@dataclass(frozen=True)
class Keyring:
    """Every chain key by id; ``current_id`` signs new events and checkpoints."""

    current_id: str
    keys: dict[str, bytes]
    source: str

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current_id]

    def mac(self, key_id: str, *parts: bytes) -> str:
        """HMAC-SM3 of the parts with the key ``key_id`` (KeyError when the id is unknown)."""
        h = hmac.HMAC(self.keys[key_id], hashes.SM3())
        for part in parts:
            h.update(part)
        return h.finalize().hex()

    def hasher(self, key_id: str) -> hmac.HMAC:
        """A keyed HMAC-SM3 object to ``copy()`` per message: the key schedule is paid once per key."""
        return hmac.HMAC(self.keys[key_id], hashes.SM3())


_cache: dict[str, tuple[Any, Keyring]] = {}


def _source() -> str:
    return str(getattr(settings, "AUDIT_CHAIN_KEY_SOURCE", "") or "")


def parse_keyring(text: str, *, source: str) -> Keyring:
    """Read the JSON form of a keyring; raise ImproperlyConfigured with the reason when it is not one."""
    try:
        data = json.loads(text)
        keys = {str(k): bytes.fromhex(v) for k, v in data["keys"].items()}
        current = str(data["current"])
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ImproperlyConfigured(f"审计链密钥（{source}）格式错误：{err}") from err
    if current not in keys:
        raise ImproperlyConfigured(f"审计链密钥（{source}）的当前密钥 {current} 不在密钥列表中")
    if any(len(k) < 32 for k in keys.values()):
        raise ImproperlyConfigured(f"审计链密钥（{source}）每个密钥至少 32 字节")
    return Keyring(current_id=current, keys=keys, source=source)


def new_keyring_json(*, key_id: str | None = None, previous: Keyring | None = None) -> tuple[str, str]:
    """A keyring with one more fresh 32-byte key made current (the old keys kept). Returns (json, new id)."""
    new_id = key_id or "k" + timezone.now().strftime("%Y%m%d%H%M%S")
    keys = {k: v.hex() for k, v in (previous.keys.items() if previous else [])}
    if new_id in keys:
        raise ValueError(f"密钥编号 {new_id} 已存在")
    keys[new_id] = secrets.token_bytes(32).hex()
    return json.dumps({"current": new_id, "keys": keys}, indent=1), new_id


def write_key_file(path: Path, text: str) -> None:
    """Write the keyring atomically, readable only by its owner (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def audit_keyring() -> Keyring:
    """The configured keyring (cached until the file or the variable changes).

    With ``AUDIT_CHAIN_KEY_AUTOCREATE`` (development settings only) a missing key file is created; production
    refuses to start without a key (system check ``govworks.E010``).
    """
    return keyring_from(_source(), autocreate=getattr(settings, "AUDIT_CHAIN_KEY_AUTOCREATE", False))


def keyring_from(source: str, *, autocreate: bool) -> Keyring:
    """The keyring at ``source`` (``file:…`` or ``env:…``), cached until the file or the variable changes."""
    kind, _, where = source.partition(":")
    if kind == "env":
        text = os.environ.get(where, "")
        if not text:
            raise ImproperlyConfigured(f"审计链密钥未配置：环境变量 {where} 为空")
        stamp: Any = text
    elif kind == "file":
        path = Path(where)
        if not path.exists() and autocreate:
            write_key_file(path, new_keyring_json()[0])
        try:
            st = path.stat()
        except OSError as err:
            raise ImproperlyConfigured(f"审计链密钥文件 {path} 不可读：{err}") from err
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _cache.get(source)
        if cached and cached[0] == stamp:
            return cached[1]
        text = path.read_text()
    else:
        raise ImproperlyConfigured(f"密钥来源应为 file:路径 或 env:变量名，现为 {source!r}")
    cached = _cache.get(source)
    if cached and cached[0] == stamp:
        return cached[1]
    ring = parse_keyring(text, source=source)
    _cache[source] = (stamp, ring)
    return ring


def key_file_path() -> Path | None:
    """The key file when the source is a file, else None."""
    kind, _, where = _source().partition(":")
    return Path(where) if kind == "file" else None


@register(Tags.security, deploy=True)
def check_audit_chain_key(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """``check --deploy``: the chain key is configured, loadable, not created on the fly, and private."""
    problems: list[Any] = []
    if getattr(settings, "AUDIT_CHAIN_KEY_AUTOCREATE", False):
        problems.append(Error("生产环境不得自动生成审计链密钥", hint="AUDIT_CHAIN_KEY_AUTOCREATE = False", id="govworks.E011"))
    try:
        audit_keyring()
    except ImproperlyConfigured as err:
        problems.append(
            Error(
                f"审计链密钥不可用：{err}",
                hint="设置 AUDIT_CHAIN_KEY_SOURCE=file:/path（0600 的密钥文件）或 env:AUDIT_CHAIN_KEYS",
                id="govworks.E010",
            )
        )
        return problems
    path = key_file_path()
    if path is not None and stat.S_IMODE(path.stat().st_mode) & 0o077:
        problems.append(Warning(f"审计链密钥文件 {path} 权限过宽，应为 0600", id="govworks.W010"))
    return problems
