"""manage.py unlock_account — lift a sign-in lockout from the server (e.g. the 安全管理员's own)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govworks.core.errors import DomainError
from govworks.org.services import account_unlock_on_server


class Command(BaseCommand):
    help = "在服务器上解除账号的登录锁定（例如安全管理员本人被锁定时）；写入审计日志，并通知安全审计员。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要解锁的用户名")
        parser.add_argument("--reason", required=True, help="解锁原因（写入审计日志）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            removed = account_unlock_on_server(username=options["username"], operator=getpass.getuser(), reason=options["reason"])
        except DomainError as err:
            raise CommandError(err.message) from None
        self.stdout.write(self.style.SUCCESS(f"已解锁账号 {options['username']}（清除失败记录 {removed} 条），已写入审计日志"))
