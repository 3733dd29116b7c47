"""Reads of procurement, one module per aggregate."""
