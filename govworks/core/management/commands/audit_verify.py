"""manage.py audit_verify — recompute the SM3 chain and name the first broken event."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govworks.core.audit import audit_chain_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链：全部完整则输出 OK，否则指出第一条被破坏的事件并以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = audit_chain_verify()
        elapsed = time.monotonic() - started
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK：审计链完整，共校验 {result.checked} 条事件，用时 {elapsed:.1f} 秒"))
            return
        raise CommandError(f"审计链已被破坏：第一条出错的事件序号 {result.broken_seq}。{result.problem}")
