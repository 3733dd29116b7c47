"""manage.py field_keys_rotate — add a fresh key to the field-encryption keyring, make it current and re-encrypt
every SM4-encrypted value under it (old keys are kept so a value not yet rewritten still reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from govworks.core.audit import audit_event_record
from govworks.core.audit_keys import new_keyring_json, write_key_file
from govworks.core.encryption import field_keyring, field_values_reencrypt


class Command(BaseCommand):
    help = "轮换字段加密（SM4）密钥：生成新密钥并设为当前密钥，用新密钥重新加密全部加密字段，并记入审计链。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--key-id", default=None, help="新密钥编号（默认 k+时间）")
        parser.add_argument("--reencrypt-only", action="store_true", help="不生成新密钥，只把旧密钥下的值改用当前密钥")

    def handle(self, *args: Any, **options: Any) -> None:
        ring = field_keyring()
        old_id = ring.current_id
        if not options["reencrypt_only"]:
            kind, _, where = str(settings.FIELD_ENCRYPTION_KEY_SOURCE).partition(":")
            if kind != "file":
                raise CommandError("密钥来源不是文件：请由运维在环境变量中加入新密钥并设为当前，再运行 --reencrypt-only")
            text, _new_id = new_keyring_json(key_id=options["key_id"], previous=ring)
            write_key_file(Path(where), text)
        new_id = field_keyring().current_id
        with transaction.atomic():
            count = field_values_reencrypt()
            audit_event_record(
                actor=None,
                action="security.field_key_rotated",
                summary=f"字段加密密钥轮换：{old_id} → {new_id}，重新加密 {count} 个值",
                changes={"key_id": {"before": old_id, "after": new_id}},
            )
        self.stdout.write(self.style.SUCCESS(f"字段加密密钥为 {new_id}，重新加密 {count} 个值"))
