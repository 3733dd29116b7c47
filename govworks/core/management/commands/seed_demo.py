"""manage.py seed_demo — load the demo data of every module (once; --fresh is handled by ./run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from govworks.core.registry import registry


class Command(BaseCommand):
    help = "载入演示数据（一个市机关事务管理局及三个下级单位、各角色用户、外部单位、承诺书……）。"

    def handle(self, *args: Any, **options: Any) -> None:
        for _order, name, seeder in sorted(registry.demo_seeders, key=lambda s: s[0]):
            with transaction.atomic():
                summary = seeder()
            self.stdout.write(f"[demo] {name}: {summary}")
