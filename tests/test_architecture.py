"""The room table holds by construction (issue 19): every app under ``govworks/`` has its place in the import-linter
layers and its pure rules modules in the purity contract, so a new app cannot slip past the one-way dependency rule."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def _apps() -> set[str]:
    return {f"govworks.{p.parent.name}" for p in (ROOT / "govworks").glob("*/apps.py")}


def test_every_app_is_a_layer() -> None:
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    named = {name.strip("()") for layer in layers for name in layer.split("|")}
    named = {n.strip() for n in named}
    missing = _apps() - named
    assert not missing, f"apps missing from the import-linter layers in pyproject.toml: {sorted(missing)}"


def test_every_rules_module_is_declared_pure() -> None:
    pure = next(c for c in _contracts() if c["name"].startswith("rules.py is pure"))["source_modules"]
    found = {
        "govworks." + ".".join(p.relative_to(ROOT / "govworks").with_suffix("").parts)
        for p in (ROOT / "govworks").glob("*/rules*.py")
    }
    missing = found - set(pure)
    assert not missing, f"rules modules missing from the purity contract in pyproject.toml: {sorted(missing)}"
