"""manage.py audit_key_rotate — add a fresh HMAC-SM3 key to the audit chain's key file and make it current.

The old keys stay in the file so earlier events and checkpoints still verify. The rotation is recorded in the chain
itself (an ``audit.key_rotated`` event, the first signed with the new key). With an ``env:`` key source the operator
adds the key to the variable instead (``--print`` shows the new keyring); the next event records the rotation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from govworks.core.audit import KEY_ROTATED, audit_event_record
from govworks.core.audit_keys import audit_keyring, key_file_path, new_keyring_json, write_key_file
from govworks.core.models import AuditChainHead


class Command(BaseCommand):
    help = "轮换审计链密钥：生成新密钥并设为当前密钥（旧密钥保留用于校验），并在审计链中记录轮换事件。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--key-id", default=None, help="新密钥编号（默认 k+时间）")
        parser.add_argument("--print", action="store_true", help="只输出新的密钥 JSON（用于 env: 来源），不写文件")

    def handle(self, *args: Any, **options: Any) -> None:
        ring = audit_keyring()
        text, new_id = new_keyring_json(key_id=options["key_id"], previous=ring)
        if options["print"]:
            self.stdout.write(text)
            return
        path = key_file_path()
        if path is None:
            raise CommandError("密钥来源不是文件：请用 --print 生成新的密钥 JSON，由运维写入环境变量后重启")
        write_key_file(path, text)
        with transaction.atomic():
            head = AuditChainHead.objects.filter(pk=1).first()
            old = head.key_id if head is not None and head.key_id else ring.current_id
            audit_event_record(
                actor=None,
                action=KEY_ROTATED,
                summary=f"审计链密钥轮换：{old} → {new_id}",
                changes={"key_id": {"before": old, "after": new_id}},
            )
        self.stdout.write(self.style.SUCCESS(f"审计链密钥已轮换为 {new_id}，旧密钥保留在 {path}"))
