"""Agency-scoped, gap-free numbering (项目编号 LJJG-2026-0007 and the like)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from govworks.core.models import NumberSequence


def next_number(*, agency: Any, key: str, year: int, prefix: str, width: int = 4) -> str:
    """The next number of ``key`` for ``agency`` in ``year``, e.g. ``LJJG-2026-0007`` (``prefix`` LJJG: the agency code).

    Must run inside the caller's transaction: the counter row stays locked until it commits, so two
    concurrent callers never get the same number and a rolled-back caller leaves no gap.
    """
    with transaction.atomic():
        row = NumberSequence.objects.select_for_update().filter(agency=agency, key=key, year=year).first()
        if row is None:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(agency=agency, key=key, year=year)
            except IntegrityError:
                pass
            row = NumberSequence.objects.select_for_update().get(agency=agency, key=key, year=year)
        row.last_value += 1
        row.save(update_fields=["last_value"])
    return f"{prefix}-{year}-{row.last_value:0{width}d}"


def next_document_number(*, agency: Any, key: str, year: int, word: str, width: int = 4) -> str:
    """The next document number of ``key`` for ``agency``: ``<word>-<agency code>-<year>-<seq>``.

    One format for every numbered document (招标公告 ``ZBGG-LJJG-2026-0001``, 中标通知书 ``ZB-…``,
    合同 ``HT-…``, 付款申请 ``FK-…``, 支付指令 ``ZF-…``, 整改通知 ``ZG-…``): the counter runs per agency
    and year, so the agency code keeps two agencies' first documents of a year from colliding.
    Like :func:`next_number`, must run inside the caller's transaction.
    """
    return next_number(agency=agency, key=key, year=year, prefix=f"{word}-{agency.code}", width=width)
