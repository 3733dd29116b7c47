"""Writes of close-out: each checks the caller's permission and the rules at the moment of action, writes, and
records the audit event in the same transaction."""
