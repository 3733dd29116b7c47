"""The construction step of ``bench/generate.py`` lives with the construction benchmark."""

from bench.construction_bench import gen_construction  # noqa: F401
