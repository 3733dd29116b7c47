"""Reads of close-out records, each starting from what the caller may see."""
