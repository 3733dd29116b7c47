"""Fixtures for the kernel's tests (the postgres_only skip lives in the root conftest.py)."""
