"""Fixtures for the kernel's tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _skip_postgres_only(request: Any) -> None:
    """Tests marked ``postgres_only`` (row locks, concurrent writers) run only against PostgreSQL."""
    if request.node.get_closest_marker("postgres_only") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (this run uses {connection.vendor})")
