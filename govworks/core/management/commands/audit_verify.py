"""manage.py audit_verify — recompute the keyed SM3 chain against its checkpoints; name the first broken event."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govworks.core.audit import CheckpointClaim, CheckpointFileError, audit_chain_verify, checkpoint_file_read


class Command(BaseCommand):
    help = (
        "校验审计日志哈希链（HMAC-SM3）及其检查点：全部完整则输出 OK，否则指出第一条缺失或被改动的事件并以非零状态退出。"
        "可用 --checkpoints 指定安全审计员导出、保存在服务器之外的检查点文件。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="FILE",
            help="导出的检查点文件（JSON，可多次指定）：日志须与文件中签署的序号和哈希一致",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exported: list[CheckpointClaim] = []
        for name in options["checkpoints"]:
            path = Path(name)
            try:
                exported += checkpoint_file_read(path.read_bytes(), name=f"检查点文件 {path.name}")
            except (OSError, CheckpointFileError) as err:
                raise CommandError(f"检查点文件不可用：{err}") from err
        started = time.monotonic()
        result = audit_chain_verify(exported=exported)
        elapsed = time.monotonic() - started
        if result.ok:
            start = f"自清理锚点后的序号 {result.first_seq} 起，" if result.first_seq > 1 else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK：审计链完整，{start}共校验 {result.checked} 条事件、{result.checkpoints} 个检查点，用时 {elapsed:.1f} 秒"
                )
            )
            return
        raise CommandError(f"审计链已被破坏：第一条出错的事件序号 {result.broken_seq}。{result.problem}")
