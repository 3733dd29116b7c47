"""Fixtures of the portal tests: the lifecycle world of the projects tests, and an empty page cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures reused)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[Any]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
